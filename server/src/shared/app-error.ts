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
  'person/not-found',
  'person/duplicate',
  'person/reveal-rate-limited',
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
  'import/not-found',
  /** An uploaded register file over the size limit. */
  'import/too-large',
  /** An upload that is neither CSV nor XLSX. */
  'import/unsupported-format',
  'alarm/unauthorized',
  'alarm/idempotency-conflict',
  'conflict',
  'internal',
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
