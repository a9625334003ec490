import type { TFunction } from 'i18next';
import { ApiError } from '../api/http';

const formatters = new Map<string, Intl.DateTimeFormat>();

/** A timestamp in Asia/Shanghai time, in the UI language. @example formatDateTime('2026-11-22T04:00:00Z', 'zh-CN') // '2026/11/22 12:00' */
export function formatDateTime(iso: string | null | undefined, language: string): string {
  if (!iso) return '—';
  const key = language;
  let f = formatters.get(key);
  if (!f) {
    f = new Intl.DateTimeFormat(language, { timeZone: 'Asia/Shanghai', year: 'numeric', month: '2-digit', day: '2-digit', hour: '2-digit', minute: '2-digit', hour12: false });
    formatters.set(key, f);
  }
  return f.format(new Date(iso));
}

/** `m:ss` (or `h:mm:ss`). @example formatDuration(75) // '1:15' */
export function formatDuration(totalSeconds: number): string {
  const s = Math.max(0, Math.floor(totalSeconds));
  const h = Math.floor(s / 3600);
  const m = Math.floor((s % 3600) / 60);
  const sec = String(s % 60).padStart(2, '0');
  return h ? `${h}:${String(m).padStart(2, '0')}:${sec}` : `${m}:${sec}`;
}

/** National display form of an E.164 number: `+8613800138000` → `138 0013 8000`. */
export function formatPhone(e164: string | null | undefined): string {
  if (!e164) return '—';
  const national = e164.startsWith('+86') ? e164.slice(3) : e164;
  if (/^1\d{10}$/.test(national)) return `${national.slice(0, 3)} ${national.slice(3, 7)} ${national.slice(7)}`;
  return national.startsWith('+') ? national : `0${national}`;
}

/** The request field a server `details[].path` names (`body.summary`, `phones.0.number` → `summary`, `phones`). */
function fieldOf(path: string): string {
  const parts = path.split('.').filter((p) => p && !/^\d+$/.test(p));
  if (['body', 'query', 'path', 'payload'].includes(parts[0] ?? '') && parts.length > 1) parts.shift();
  return parts[0] ?? '';
}

/** A field's label in the UI language: the page's own label when it gives one, else the shared list. */
function fieldLabel(t: TFunction, field: string, labels?: Record<string, string>): string {
  return labels?.[field] ?? (field ? t(`errors.fields.${field}`, { defaultValue: '' }) : '') ?? '';
}

/** The text for a server error code in the UI language, or '' when the console does not know the code. */
function codeText(t: TFunction, code: string): string {
  return /^[a-z-]+(\/[a-z-]+)?$/.test(code) ? t(`errors.codes.${code}`, { defaultValue: '' }) : '';
}

/**
 * What to tell the user about a failed request, translated from the server's error code (never the server's
 * raw validator text). A 400 also names the fields to check, by their labels (`labels` from the page, else
 * the shared `errors.fields` list).
 * @example errorText(t, new ApiError(400, 'validation/invalid', 'Invalid input', [{ path: 'summary', message: 'Too small' }])) // '填写的内容不正确，请检查后重试。请检查：内容摘要'
 */
export function errorText(t: TFunction, err: unknown, labels?: Record<string, string>): string {
  if (err instanceof ApiError) {
    if (err.code === 'network') return t('errors.network');
    if (err.status === 401 && err.code !== 'auth/invalid-credentials' && err.code !== 'alarm/unauthorized') return t('errors.unauthenticated');
    const text = codeText(t, err.code);
    if (text) {
      const fields = [...new Set(detailsOf(err).map((d) => fieldLabel(t, fieldOf(d.path), labels) || t('errors.fields.other')))];
      return fields.length && err.code.startsWith('validation/') ? `${text}${t('errors.checkFields', { fields: fields.join(t('errors.fieldSeparator')) })}` : text;
    }
    if (err.status === 403) return t('errors.forbidden');
    if (err.status === 404) return t('errors.notFound');
    if (err.status >= 500) return t('errors.server');
    return t('errors.unknownCode', { code: err.code });
  }
  return t('errors.generic', { message: err instanceof Error ? err.message : String(err) });
}

function detailsOf(err: ApiError): { path: string; message?: string }[] {
  if (!Array.isArray(err.details)) return [];
  return (err.details as { path?: unknown; message?: unknown }[]).filter((d): d is { path: string } => !!d && typeof d.path === 'string');
}

/**
 * Field errors from a 400 answer, `{ path: text }` for showing next to each field: translated, never the
 * validator's raw message.
 */
export function fieldErrors(err: unknown, t: TFunction): Record<string, string> {
  if (!(err instanceof ApiError) || !err.code.startsWith('validation/')) return {};
  const text = err.code === 'validation/control-characters' ? t('errors.field.controlCharacters') : t('errors.field.invalid');
  const out: Record<string, string> = {};
  for (const d of detailsOf(err)) {
    const path = d.path.replace(/^(body|query|path|payload)\./, '');
    out[path] ??= text;
  }
  return out;
}
