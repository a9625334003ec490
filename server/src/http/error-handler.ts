import type { ErrorRequestHandler } from 'express';
import { ZodError } from 'zod';
import type { Logger } from '../config/logger';
import { AppError, type ErrorCode } from '../shared/app-error';
import { isTimebankCode, timebankStatusOf } from '../timebank/timebank.errors';

/** The one place error codes become HTTP statuses. */
export function httpStatusOf(code: ErrorCode): number {
  if (isTimebankCode(code)) return timebankStatusOf(code);
  switch (code) {
    case 'validation/invalid':
    case 'validation/control-characters':
    case 'district/import-invalid':
      return 400;
    case 'auth/unauthenticated':
    case 'auth/invalid-credentials':
    case 'field/pin-wrong':
    case 'field/session-invalid':
    case 'auth/totp-required':
    case 'alarm/unauthorized':
      return 401;
    case 'auth/forbidden':
    case 'auth/csrf':
    case 'auth/password-change-required':
    case 'auth/totp-enrolment-required':
      return 403;
    case 'auth/throttled':
      return 429;
    case 'auth/locked':
    case 'field/pin-locked':
      return 423;
    case 'field/link-expired':
      return 410;
    case 'person/not-found':
    case 'staff/not-found':
    case 'ticket/not-found':
    case 'call/not-found':
    case 'sos/not-found':
    case 'device/not-found':
    case 'contact/not-found':
    case 'phone/not-found':
    case 'district/not-found':
    case 'import/not-found':
    case 'care/not-found':
    case 'dispatch/not-found':
    case 'field/link-invalid':
      return 404;
    case 'import/too-large':
      return 413;
    case 'import/unsupported-format':
      return 415;
    case 'district/in-use':
    case 'person/status-conflict':
    case 'person/duplicate':
    case 'staff/duplicate':
    case 'person/version-conflict':
    case 'person/phone-shared':
    case 'device/serial-taken':
    case 'device/retired':
    case 'ticket/invalid-transition':
    case 'ticket/callback-required':
    case 'care/not-claimed':
    case 'dispatch/invalid-transition':
    case 'dispatch/candidate-ineligible':
    case 'conflict':
    case 'alarm/idempotency-conflict':
      return 409;
    case 'person/reveal-rate-limited':
      return 429;
    case 'telephony/not-configured':
    case 'telephony/temporary':
      return 503;
    case 'telephony/rejected':
      return 502;
    case 'internal':
      return 500;
  }
}

/** Zod issues as `{ path, message }`, for 400 bodies. */
export function zodDetails(err: ZodError) {
  return err.issues.map((i) => ({ path: i.path.join('.'), message: i.message }));
}

export function errorHandler(log: Logger): ErrorRequestHandler {
  return (err, req, res, _next) => {
    if (err instanceof ZodError) {
      res.status(400).json({ error: { code: 'validation/invalid', message: '请求参数不正确', details: zodDetails(err) } });
      return;
    }
    if (err instanceof AppError) {
      const retryAfter = (err.details as { retryAfterSeconds?: unknown } | undefined)?.retryAfterSeconds;
      if (httpStatusOf(err.code) === 429 && typeof retryAfter === 'number') res.set('Retry-After', String(retryAfter));
      res.status(httpStatusOf(err.code)).json({ error: { code: err.code, message: err.message, details: err.details } });
      return;
    }
    // body-parser: malformed JSON or an oversize body.
    const status = (err as { status?: number; type?: string }).status;
    if (status && status >= 400 && status < 500) {
      const message = (err as { type?: string }).type === 'entity.too.large' ? '请求体过大' : '请求体不是合法的 JSON';
      res.status(status).json({ error: { code: 'validation/invalid', message } });
      return;
    }
    log.error({ err, method: req.method, url: req.originalUrl }, 'unhandled error');
    res.status(500).json({ error: { code: 'internal', message: '服务器内部错误' } });
  };
}
