import { signAlarm, verifyAlarmSignature } from './alarm-signature';

const key = 'device-key-0123456789';
const body = Buffer.from('{"type":"sos"}');
const now = new Date('2026-11-22T11:16:29Z');
const ts = String(Math.floor(now.getTime() / 1000));
const signed = (over: Partial<Parameters<typeof verifyAlarmSignature>[0]> = {}) => ({ key, timestamp: ts, idempotencyKey: 'evt-000001', body, signature: signAlarm(key, ts, 'evt-000001', body), ...over });

describe('alarm signatures', () => {
  it('when the request is signed with the device key, then it verifies', () => {
    expect(verifyAlarmSignature(signed(), now, 300)).toEqual({ ok: true });
    expect(signAlarm(key, ts, 'evt-000001', body)).toMatch(/^v1=[0-9a-f]{64}$/);
  });

  it.each<[string, Partial<Parameters<typeof verifyAlarmSignature>[0]>, string]>([
    ['another key', { key: 'another-key-0123456789' }, 'mismatch'],
    ['a changed body', { body: Buffer.from('{"type":"fall"}') }, 'mismatch'],
    ['another idempotency key (replay under a new key)', { idempotencyKey: 'evt-000002' }, 'mismatch'],
    ['a timestamp 6 minutes old', { timestamp: String(Number(ts) - 360) }, 'stale'],
    ['a timestamp 6 minutes ahead', { timestamp: String(Number(ts) + 360) }, 'stale'],
    ['a timestamp in milliseconds', { timestamp: `${ts}000` }, 'malformed'],
    ['an unversioned signature', { signature: 'a'.repeat(64) }, 'malformed'],
    ['a truncated signature', { signature: 'v1=abc' }, 'malformed'],
  ])('when the request has %s, then it is refused (%s)', (_what, over, reason) => {
    // a changed timestamp must also be re-signed to isolate the window check
    const req = signed(over);
    if (over.timestamp && !over.signature) req.signature = signAlarm(key, over.timestamp, req.idempotencyKey, body);
    expect(verifyAlarmSignature(req, now, 300)).toEqual({ ok: false, reason });
  });
});
