/**
 * When care calls are due: cadence slots (days), the person's call window and quiet hours, retry times.
 * Pure: days are `YYYY-MM-DD` in Asia/Shanghai (fixed +08:00, no DST), minutes count from local midnight.
 */
import type { RiskTier } from '../persons/person.entity';

export const CADENCES = ['weekly', 'twice_weekly', 'monthly', 'quarterly', 'custom'] as const;
export type Cadence = (typeof CADENCES)[number];

export interface Recurrence {
  cadence: Cadence;
  /** The first slot; later slots keep its weekday (weekly) or day of month (monthly, quarterly). */
  anchorDay: string;
  /** Only for `custom`: every N days. */
  intervalDays?: number | null;
}

/** Local minutes [start, end) when calls may be placed; quiet hours inside it are skipped (may wrap midnight). */
export interface CallWindow {
  start: number;
  end: number;
  quietStart?: number | null;
  quietEnd?: number | null;
}

/** 09:00–18:00 with a 12:00–14:00 rest: the default window. */
export const DEFAULT_WINDOW: CallWindow = { start: 9 * 60, end: 18 * 60, quietStart: 12 * 60, quietEnd: 14 * 60 };

const SHANGHAI_OFFSET_MS = 8 * 3600_000;
const DAY_MS = 86_400_000;

/**
 * Default cadence by risk tier: 高风险 weekly, 重点 monthly, 一般 quarterly.
 * @example defaultCadence('high') // 'weekly'
 */
export function defaultCadence(tier: RiskTier): Cadence {
  return tier === 'high' ? 'weekly' : tier === 'key' ? 'monthly' : 'quarterly';
}

/** Sort rank of a risk tier on the work list (0 first). */
export function riskRank(tier: RiskTier): number {
  return tier === 'high' ? 0 : tier === 'key' ? 1 : 2;
}

/** The Asia/Shanghai day of an instant. @example shanghaiDate(new Date('2026-01-31T16:30:00Z')) // '2026-02-01' */
export function shanghaiDate(at: Date): string {
  return new Date(at.getTime() + SHANGHAI_OFFSET_MS).toISOString().slice(0, 10);
}

/** The instant of a local minute of a Shanghai day. @example atLocal('2026-02-01', 540) // 2026-02-01T01:00:00Z */
export function atLocal(day: string, minute: number): Date {
  return new Date(dayNumber(day) * DAY_MS + minute * 60_000 - SHANGHAI_OFFSET_MS);
}

/** `day` plus `n` days. */
export function addDays(day: string, n: number): string {
  return fromDayNumber(dayNumber(day) + n);
}

function dayNumber(day: string): number {
  if (!/^\d{4}-\d{2}-\d{2}$/.test(day)) throw new Error(`not a day: ${day}`);
  return Math.floor(Date.parse(`${day}T00:00:00Z`) / DAY_MS);
}

function fromDayNumber(n: number): string {
  return new Date(n * DAY_MS).toISOString().slice(0, 10);
}

function daysInMonth(year: number, month0: number): number {
  return new Date(Date.UTC(year, month0 + 1, 0)).getUTCDate();
}

/** The anchor's day of month, `k` months later, clamped to that month's last day (31 Jan → 28/29 Feb → 31 Mar). */
function monthsAfter(anchorDay: string, k: number): string {
  const [y, m, d] = anchorDay.split('-').map(Number) as [number, number, number];
  const total = y * 12 + (m - 1) + k;
  const year = Math.floor(total / 12);
  const month0 = total % 12;
  const day = Math.min(d, daysInMonth(year, month0));
  return `${String(year).padStart(4, '0')}-${String(month0 + 1).padStart(2, '0')}-${String(day).padStart(2, '0')}`;
}

/**
 * The first slot of `r` on or after `day` (never before the anchor).
 * @example slotOnOrAfter({ cadence: 'monthly', anchorDay: '2028-01-31' }, '2028-02-01') // '2028-02-29'
 */
export function slotOnOrAfter(r: Recurrence, day: string): string {
  const from = Math.max(dayNumber(day), dayNumber(r.anchorDay));
  const anchor = dayNumber(r.anchorDay);
  const since = from - anchor;
  switch (r.cadence) {
    case 'weekly':
      return fromDayNumber(anchor + Math.ceil(since / 7) * 7);
    case 'custom': {
      const n = r.intervalDays ?? 0;
      if (!Number.isInteger(n) || n < 1) throw new Error('custom cadence needs intervalDays ≥ 1');
      return fromDayNumber(anchor + Math.ceil(since / n) * n);
    }
    case 'twice_weekly': {
      // Two calls a week, three and four days apart (Mon/Thu when the anchor is a Monday).
      const week = Math.floor(since / 7);
      const offset = since - week * 7;
      return fromDayNumber(anchor + week * 7 + (offset === 0 ? 0 : offset <= 3 ? 3 : 7));
    }
    case 'monthly':
    case 'quarterly': {
      const step = r.cadence === 'monthly' ? 1 : 3;
      const [ay, am] = r.anchorDay.split('-').map(Number) as [number, number];
      const [fy, fm] = fromDayNumber(from).split('-').map(Number) as [number, number];
      let k = Math.max(0, Math.floor(((fy - ay) * 12 + (fm - am)) / step) - 1);
      for (;;) {
        const slot = monthsAfter(r.anchorDay, k * step);
        if (dayNumber(slot) >= from) return slot;
        k++;
      }
    }
  }
}

/** The slot after `slot` (the next call day once `slot` has a task). */
export function slotAfter(r: Recurrence, slot: string): string {
  return slotOnOrAfter(r, addDays(slot, 1));
}

/** The parts of the window outside quiet hours, as local-minute intervals [start, end). */
function openIntervals(w: CallWindow): Array<[number, number]> {
  let parts: Array<[number, number]> = [[w.start, w.end]];
  if (w.quietStart != null && w.quietEnd != null && w.quietStart !== w.quietEnd) {
    const quiet: Array<[number, number]> = w.quietStart < w.quietEnd ? [[w.quietStart, w.quietEnd]] : [[w.quietStart, 1440], [0, w.quietEnd]];
    for (const [qs, qe] of quiet) {
      parts = parts.flatMap(([s, e]): Array<[number, number]> => (qe <= s || qs >= e ? [[s, e]] : [...(s < qs ? [[s, qs] as [number, number]] : []), ...(qe < e ? [[qe, e] as [number, number]] : [])]));
    }
  }
  return parts;
}

/** Whether a window leaves any time to call (quiet hours may swallow it all). */
export function windowIsUsable(w: CallWindow): boolean {
  return w.start < w.end && openIntervals(w).length > 0;
}

/**
 * The earliest instant at or after `at` inside the window and outside quiet hours (the next day's window when
 * today's has passed).
 * @example nextCallTime(new Date('2026-03-02T04:30:00Z'), DEFAULT_WINDOW) // 12:30 local is quiet → 14:00 local (06:00Z)
 */
export function nextCallTime(at: Date, w: CallWindow): Date {
  const parts = openIntervals(w);
  if (!parts.length) throw new Error('the call window is entirely quiet hours');
  const day = shanghaiDate(at);
  const minute = Math.ceil((at.getTime() - atLocal(day, 0).getTime()) / 60_000);
  for (const [s, e] of parts) if (minute < e) return atLocal(day, Math.max(s, minute));
  return atLocal(addDays(day, 1), parts[0]![0]);
}

/** When a slot day's call is due: the window's first open minute that day. */
export function dueAtOf(slot: string, w: CallWindow): Date {
  return nextCallTime(atLocal(slot, 0), w);
}

/** Retry policy for calls nobody answered: default 3 attempts, an hour apart (over 2 hours), inside the window. */
export interface RetryPolicy {
  maxAttempts: number;
  spacingMinutes: number;
}
export const DEFAULT_RETRY: RetryPolicy = { maxAttempts: 3, spacingMinutes: 60 };

/**
 * After `attemptsMade` unanswered attempts (the last at `lastAt`): when to try again, or null when the
 * attempts are used up (escalate).
 * @example nextAttemptAt(new Date('2026-03-02T01:00:00Z'), 1, DEFAULT_WINDOW, DEFAULT_RETRY) // 10:00 local → 11:00 local
 */
export function nextAttemptAt(lastAt: Date, attemptsMade: number, w: CallWindow, policy: RetryPolicy = DEFAULT_RETRY): Date | null {
  if (attemptsMade >= policy.maxAttempts) return null;
  return nextCallTime(new Date(lastAt.getTime() + policy.spacingMinutes * 60_000), w);
}
