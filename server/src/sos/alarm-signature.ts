/**
 * Signing of alarm-API requests. Pure.
 *
 * A device (or its IoT platform) signs `<timestamp>.<idempotency key>.<raw body>` with HMAC-SHA256 under its
 * own key and sends `X-Anxin-Signature: v1=<hex>`, `X-Anxin-Timestamp: <unix seconds>` and
 * `Idempotency-Key`. The timestamp bounds replays of a captured request to the tolerance window; the
 * idempotency key is signed so a captured request cannot be replayed under a new key.
 */
import { createHmac, timingSafeEqual } from 'node:crypto';

export const SIGNATURE_VERSION = 'v1';

/**
 * @example signAlarm('k3y', '1795346189', 'evt-0001', '{"type":"sos"}') // 'v1=5f0c…'
 */
export function signAlarm(key: string, timestamp: string, idempotencyKey: string, body: Buffer | string): string {
  const mac = createHmac('sha256', key).update(`${timestamp}.${idempotencyKey}.`).update(body).digest('hex');
  return `${SIGNATURE_VERSION}=${mac}`;
}

export type SignatureCheck = { ok: true } | { ok: false; reason: 'malformed' | 'stale' | 'mismatch' };

export interface SignedRequest {
  key: string;
  signature: string;
  timestamp: string;
  idempotencyKey: string;
  body: Buffer;
}

/**
 * Check signature (constant-time) and timestamp window. The MAC is computed whatever is wrong, so a stale or
 * malformed request takes as long as a wrong signature; the reason is for the log, never for the answer.
 */
export function verifyAlarmSignature(req: SignedRequest, now: Date, toleranceSeconds: number): SignatureCheck {
  const expected = Buffer.from(signAlarm(req.key, req.timestamp, req.idempotencyKey, req.body));
  const given = Buffer.alloc(expected.length);
  Buffer.from(req.signature).copy(given, 0, 0, expected.length);
  const macOk = timingSafeEqual(expected, given) && req.signature.length === expected.length;
  if (!/^\d{9,11}$/.test(req.timestamp) || !/^v1=[0-9a-f]{64}$/.test(req.signature)) return { ok: false, reason: 'malformed' };
  if (Math.abs(now.getTime() / 1000 - Number(req.timestamp)) > toleranceSeconds) return { ok: false, reason: 'stale' };
  return macOk ? { ok: true } : { ok: false, reason: 'mismatch' };
}
