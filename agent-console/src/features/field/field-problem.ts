import type { TFunction } from 'i18next';
import { ApiError } from '../../api/http';

/**
 * What the field page does with a failed request: a page of its own for a link that no longer works
 * (`gone`), a message next to the PIN (`pin`), back to the PIN for an ended session (`session`), or a message
 * above the actions (`message`). Always a translated sentence, never the server's raw text or a trace.
 */
export type FieldProblem =
  | { kind: 'gone'; text: string }
  | { kind: 'pin'; text: string }
  | { kind: 'session'; text: string }
  | { kind: 'message'; text: string; retry: boolean };

const detail = (err: ApiError, key: string): unknown => (err.details && typeof err.details === 'object' && !Array.isArray(err.details) ? (err.details as Record<string, unknown>)[key] : undefined);

export function fieldProblem(t: TFunction, err: unknown): FieldProblem {
  if (!(err instanceof ApiError)) return { kind: 'message', text: t('field.serverError'), retry: true };
  switch (err.code) {
    case 'network':
      return { kind: 'message', text: t('field.networkError'), retry: true };
    case 'field/link-invalid':
      return { kind: 'gone', text: t('field.linkUnknown') };
    case 'field/link-expired':
      return { kind: 'gone', text: detail(err, 'reason') === 'taken_by_other' ? t('field.linkTaken') : t('field.linkExpired') };
    case 'field/pin-locked':
      return { kind: 'gone', text: t('field.pinLocked') };
    case 'field/pin-wrong': {
      const left = detail(err, 'attemptsLeft');
      return { kind: 'pin', text: typeof left === 'number' ? t('field.pinWrong', { count: left }) : t('field.pinWrongNoCount') };
    }
    case 'field/session-invalid':
      return { kind: 'session', text: t('field.sessionEnded') };
    case 'dispatch/invalid-transition': {
      const reason = detail(err, 'reason');
      if (reason === 'offer_expired' || reason === 'offer_withdrawn') return { kind: 'gone', text: t('field.linkExpired') };
      return { kind: 'message', text: t('field.notNow'), retry: false };
    }
  }
  if (err.code.startsWith('validation/')) return { kind: 'message', text: t('field.checkInput'), retry: false };
  if (err.status >= 500) return { kind: 'message', text: t('field.serverError'), retry: true };
  return { kind: 'message', text: t('field.unknownError', { code: err.code }), retry: false };
}
