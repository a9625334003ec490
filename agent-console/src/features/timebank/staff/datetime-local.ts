/**
 * `<input type="datetime-local">` values are wall-clock times without a zone; the federation's are
 * Asia/Shanghai (UTC+8, no daylight saving), whatever the browser's own zone. Pure.
 */

/** '2026-12-05T09:30' (Shanghai) → '2026-12-05T01:30:00.000Z'; '' or a malformed value stays as typed (the server refuses it). */
export function isoFromLocal(value: string): string {
  if (!/^\d{4}-\d{2}-\d{2}T\d{2}:\d{2}$/.test(value)) return value;
  const at = new Date(`${value}:00+08:00`);
  return Number.isNaN(at.getTime()) ? value : at.toISOString();
}

/** '2026-12-05T01:30:00.000Z' → '2026-12-05T09:30' (Shanghai wall clock); null → ''. */
export function localFromIso(iso: string | null | undefined): string {
  if (!iso) return '';
  const at = new Date(new Date(iso).getTime() + 8 * 3600_000);
  return at.toISOString().slice(0, 16);
}
