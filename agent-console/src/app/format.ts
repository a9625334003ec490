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

/** What to tell the user about a failed request: the server's own message when it gave one. */
export function errorText(t: TFunction, err: unknown): string {
  if (err instanceof ApiError) {
    if (err.code === 'network') return t('errors.network');
    if (err.status === 401) return t('errors.unauthenticated');
    if (err.status === 403) return err.message || t('errors.forbidden');
    if (err.status === 404) return err.message || t('errors.notFound');
    if (err.status >= 500 && err.code === 'internal') return t('errors.server');
    return err.message;
  }
  return t('errors.generic', { message: err instanceof Error ? err.message : String(err) });
}

/** Field errors from a 400 answer: `{ path: message }`. */
export function fieldErrors(err: unknown): Record<string, string> {
  if (!(err instanceof ApiError) || !Array.isArray(err.details)) return {};
  const out: Record<string, string> = {};
  for (const d of err.details as { path?: string; message?: string }[]) if (d.path !== undefined && d.message) out[d.path] ??= d.message;
  return out;
}
