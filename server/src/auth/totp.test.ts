import { enrolmentOf, isRecoveryCodeShape, newRecoveryCodes, newTotpSecret, recoveryCodeHash, totpCodeAt, totpCodeValid } from './totp';

describe('TOTP', () => {
  const secret = newTotpSecret();
  const now = new Date('2026-12-05T08:00:15Z');

  it('when the code of now, the previous or the next step is given, then it is valid; two steps off or malformed, not', () => {
    expect(totpCodeValid(secret, totpCodeAt(secret, now), now)).toBe(true);
    expect(totpCodeValid(secret, totpCodeAt(secret, new Date(now.getTime() - 30_000)), now)).toBe(true);
    expect(totpCodeValid(secret, totpCodeAt(secret, new Date(now.getTime() + 30_000)), now)).toBe(true);
    expect(totpCodeValid(secret, totpCodeAt(secret, new Date(now.getTime() + 90_000)), now)).toBe(false);
    expect(totpCodeValid(secret, '12345', now)).toBe(false);
    expect(totpCodeValid(secret, 'abcdef', now)).toBe(false);
  });

  it('when enrolling, then the URI names the issuer, account and secret and a QR image is produced', () => {
    const { uri, qrDataUrl } = enrolmentOf(secret, 'li.na');
    expect(uri).toMatch(/^otpauth:\/\/totp\//);
    expect(uri).toContain(`secret=${secret}`);
    expect(uri).toContain('li.na');
    expect(qrDataUrl).toMatch(/^data:image\/gif;base64,/);
  });

  it('when recovery codes are made, then ten distinct ones, hashed case- and dash-insensitively', () => {
    const codes = newRecoveryCodes();
    expect(new Set(codes).size).toBe(10);
    for (const c of codes) expect(isRecoveryCodeShape(c)).toBe(true);
    expect(recoveryCodeHash(codes[0]!)).toBe(recoveryCodeHash(codes[0]!.toUpperCase().replace('-', '')));
    expect(recoveryCodeHash(codes[0]!)).not.toBe(recoveryCodeHash(codes[1]!));
  });
});
