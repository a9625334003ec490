import { createHash, randomInt } from 'node:crypto';
import { Secret, TOTP } from 'otpauth';
import qrcode from 'qrcode-generator';
import type { StaffRole } from '../staff/staff-user.entity';

/**
 * TOTP second factor (RFC 6238: SHA-1, 6 digits, 30 s, as every authenticator app expects) and one-time
 * recovery codes. Pure: the time comes from the caller's clock; storage and throttling live in AuthService.
 */
export const TOTP_ISSUER = 'Anxin 安心';
export const RECOVERY_CODE_COUNT = 10;
/** Roles that must have a second factor (DESIGN.md); `TOTP_REQUIRED_FOR=all` extends it to everyone. */
export const TOTP_ROLES: readonly StaffRole[] = ['admin', 'security_admin', 'auditor'];

const totpOf = (secretBase32: string, username = '') => new TOTP({ issuer: TOTP_ISSUER, label: username, algorithm: 'SHA1', digits: 6, period: 30, secret: Secret.fromBase32(secretBase32) });

/** A fresh random secret (160 bits), base32. */
export function newTotpSecret(): string {
  return new Secret({ size: 20 }).base32;
}

/**
 * What an authenticator app scans: the `otpauth://` URI and a QR code of it (GIF data URL).
 * @example enrolmentOf(secret, 'li.na').uri // 'otpauth://totp/Anxin%20%E5%AE%89%E5%BF%83:li.na?…'
 */
export function enrolmentOf(secretBase32: string, username: string): { uri: string; qrDataUrl: string } {
  const uri = totpOf(secretBase32, username).toString();
  const qr = qrcode(0, 'M');
  qr.addData(uri);
  qr.make();
  return { uri, qrDataUrl: qr.createDataURL(4, 8) };
}

/** Whether a 6-digit code is valid at `now`, allowing one step of clock drift either way. */
export function totpCodeValid(secretBase32: string, code: string, now: Date): boolean {
  if (!/^\d{6}$/.test(code)) return false;
  return totpOf(secretBase32).validate({ token: code, timestamp: now.getTime(), window: 1 }) !== null;
}

/** The code at `at` (tests and the enrolment check). */
export function totpCodeAt(secretBase32: string, at: Date): string {
  return totpOf(secretBase32).generate({ timestamp: at.getTime() });
}

const RECOVERY_ALPHABET = 'abcdefghjkmnpqrstuvwxyz23456789';

/** Ten fresh recovery codes such as `k7m2p-9xq4h` (50 bits each), shown once. */
export function newRecoveryCodes(): string[] {
  const part = () => Array.from({ length: 5 }, () => RECOVERY_ALPHABET[randomInt(RECOVERY_ALPHABET.length)]).join('');
  return Array.from({ length: RECOVERY_CODE_COUNT }, () => `${part()}-${part()}`);
}

/** What is stored of a recovery code: SHA-256 of its canonical form (lower case, no spaces or dashes). */
export function recoveryCodeHash(code: string): string {
  return createHash('sha256').update(code.normalize('NFKC').toLowerCase().replace(/[\s-]/g, '')).digest('hex');
}

/** Whether input looks like a recovery code rather than a TOTP code. */
export const isRecoveryCodeShape = (code: string): boolean => /^[a-z0-9]{5}-?[a-z0-9]{5}$/i.test(code.trim());
