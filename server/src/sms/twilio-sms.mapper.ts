import { SmsError } from './sms.port';

/**
 * Twilio failures → our SMS error codes. Pure.
 *
 * - HTTP 429 and 5xx, and transport errors with no HTTP status (refused, reset, timeout) are temporary.
 * - 401 / 403: credentials or account problem (`unauthorized`): retried, but an operator must act.
 * - other 4xx: Twilio refused this message (invalid or unreachable number 21211/21614, opted out 21610):
 *   retrying cannot help.
 *
 * @example smsErrorFromTwilio({ status: 400, code: 21211, message: 'Invalid To' }).code // 'rejected'
 */
export function smsErrorFromTwilio(err: unknown): SmsError {
  const e = (err ?? {}) as { status?: unknown; code?: unknown; message?: unknown };
  const status = typeof e.status === 'number' ? e.status : undefined;
  const twilioCode = typeof e.code === 'number' ? e.code : undefined;
  const message = `${typeof e.message === 'string' ? e.message : String(err)}${twilioCode ? ` (Twilio ${twilioCode})` : ''}`.slice(0, 500);
  if (status === undefined) return new SmsError(typeof e.code === 'string' ? 'temporary' : 'unknown', message);
  if (status === 429 || status >= 500) return new SmsError('temporary', message);
  if (status === 401 || status === 403) return new SmsError('unauthorized', message);
  if (status >= 400) return new SmsError('rejected', message);
  return new SmsError('unknown', message);
}
