/**
 * Asia/Shanghai wall-clock arithmetic. China has one fixed offset (+08:00, no daylight saving), so local
 * time is UTC shifted by eight hours; no time-zone database is needed.
 */

export const SHANGHAI_OFFSET_MS = 8 * 3600_000;
const DAY_MS = 24 * 3600_000;

/** Minutes since local midnight of a `HH:MM` (24:00 → 1440). */
export function clockMinutes(hhmm: string): number {
  const [h, m] = hhmm.split(':').map(Number);
  return h! * 60 + m!;
}

/** The instant as milliseconds on the Shanghai wall clock (for day and minute arithmetic only). */
export function localMs(at: Date | number): number {
  return (typeof at === 'number' ? at : at.getTime()) + SHANGHAI_OFFSET_MS;
}

/** `YYYY-MM-DD` of the instant in Shanghai. */
export function shanghaiDate(at: Date | number): string {
  return new Date(localMs(at)).toISOString().slice(0, 10);
}

/** ISO weekday in Shanghai: 1 Monday … 7 Sunday. */
export function shanghaiWeekday(at: Date | number): number {
  const d = new Date(localMs(at)).getUTCDay();
  return d === 0 ? 7 : d;
}

/** Minutes since Shanghai midnight. */
export function shanghaiMinuteOfDay(at: Date | number): number {
  const ms = localMs(at);
  return Math.floor((((ms % DAY_MS) + DAY_MS) % DAY_MS) / 60_000);
}

/** The UTC instant (ms) of Shanghai midnight starting the local day that contains `at`. */
export function shanghaiMidnight(at: Date | number): number {
  const ms = localMs(at);
  return ms - (((ms % DAY_MS) + DAY_MS) % DAY_MS) - SHANGHAI_OFFSET_MS;
}

/** True when a local minute of day falls in `[from, to)`, a window that may wrap past midnight (22:00–06:00). */
export function inClockWindow(minuteOfDay: number, from: string, to: string): boolean {
  const f = clockMinutes(from);
  const t = clockMinutes(to);
  return f <= t ? minuteOfDay >= f && minuteOfDay < t : minuteOfDay >= f || minuteOfDay < t;
}
