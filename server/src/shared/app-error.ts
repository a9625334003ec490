import { TIMEBANK_ERROR_CODES } from '../timebank/timebank.errors';

/**
 * The one error type services throw. Transports map `code` to a status in one exhaustive switch
 * (see `server/src/http/error-handler.ts`).
 *
 * @example throw new AppError('ticket/not-found', `工单 ${id} 不存在`);
 */
export const ERROR_CODES = [
  'validation/invalid',
  /** A control character (NUL, ESC, C1, BOM, a lone surrogate) in the query, path or body. */
  'validation/control-characters',
  'auth/unauthenticated',
  'auth/invalid-credentials',
  'auth/locked',
  'auth/forbidden',
  'auth/throttled',
  'auth/csrf',
  'auth/password-change-required',
  /** The password was right; the account has a second factor: send `code` (TOTP or a recovery code) too. */
  'auth/totp-required',
  /** The role requires a second factor and none is enrolled yet: only the enrolment routes are open. */
  'auth/totp-enrolment-required',
  'staff/not-found',
  /** A username or SIP extension another staff user already has. */
  'staff/duplicate',
  'person/not-found',
  'person/duplicate',
  'person/reveal-rate-limited',
  /** The record changed since the editor read it (optimistic concurrency): reload and edit again. */
  'person/version-conflict',
  /** The number belongs to another person: adding it needs an explicit confirmation (a shared landline). */
  'person/phone-shared',
  'contact/not-found',
  'phone/not-found',
  /** A device with this serial is already registered. */
  'device/serial-taken',
  /** The device is retired: it can no longer be armed, switched or keyed. */
  'device/retired',
  'ticket/not-found',
  'ticket/invalid-transition',
  /** 办结 before the order's 回访 is done or has failed. */
  'ticket/callback-required',
  /** A care plan or task that does not exist or is outside the actor's districts. */
  'care/not-found',
  /** The care task is claimed by someone else, or the actor's claim has lapsed. */
  'care/not-claimed',
  'call/not-found',
  'telephony/not-configured',
  'telephony/temporary',
  'telephony/rejected',
  'sos/not-found',
  'device/not-found',
  'district/not-found',
  /** Retiring a district that still has active persons, open orders or active staff (or is retired). */
  'district/in-use',
  /** A district CSV with row errors (`details.errors`); nothing was written. */
  'district/import-invalid',
  /** A status change the record's status does not allow (deceased, merged, both with an open SOS). */
  'person/status-conflict',
  'import/not-found',
  /** An uploaded register file over the size limit. */
  'import/too-large',
  /** An upload that is neither CSV nor XLSX. */
  'import/unsupported-format',
  'alarm/unauthorized',
  'alarm/idempotency-conflict',
  /** A job, offer, provider, field worker or volunteer that does not exist or is outside the actor's districts. */
  'dispatch/not-found',
  /** The job or its order is not in a state for this action (or the offer cascade refused it: `details.reason`). */
  'dispatch/invalid-transition',
  /** An offered or assigned candidate fails a hard filter (`details`: each candidate's reasons). */
  'dispatch/candidate-ineligible',
  /** Field page: no such link. */
  'field/link-invalid',
  /** Field page: the offer ended (timed out, withdrawn, declined) or the job is finished. */
  'field/link-expired',
  'field/pin-wrong',
  /** Too many wrong PINs on this link. */
  'field/pin-locked',
  'field/session-invalid',
  'conflict',
  'internal',
  /** Time bank, ledger and donation refusals (`server/src/timebank/timebank.errors.ts`). */
  ...TIMEBANK_ERROR_CODES,
] as const;
export type ErrorCode = (typeof ERROR_CODES)[number];

export class AppError extends Error {
  constructor(
    readonly code: ErrorCode,
    message: string,
    readonly details?: unknown,
  ) {
    super(message);
    this.name = 'AppError';
  }
}
