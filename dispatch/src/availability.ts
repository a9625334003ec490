/**
 * Is a candidate free for the whole of a job's time? Weekly slots in Shanghai local time, joined when they
 * touch (Monday 20:00–24:00 + Tuesday 00:00–02:00 covers a job across midnight), minus absences.
 */
import type { Absence, WeeklySlot } from './dispatch-types';
import { clockMinutes, shanghaiMidnight, shanghaiWeekday } from './shanghai-time';


export type AvailabilityCheck =
  | { ok: true }
  | { ok: false; why: 'outside_weekly'; at: Date }
  | { ok: false; why: 'absent'; absence: Absence };

/**
 * Check `[start, end)` against the weekly pattern and absences.
 * @example checkAvailability([{ weekday: 6, from: '09:00', to: '12:00' }], [], start, end)
 */
export function checkAvailability(weekly: readonly WeeklySlot[], absences: readonly Absence[], start: Date, end: Date): AvailabilityCheck {
  const s = start.getTime();
  const e = end.getTime();
  const absence = absences.find((a) => a.from.getTime() < e && a.to.getTime() > s);
  if (absence) return { ok: false, why: 'absent', absence };
  let cursor = s;
  // Each step jumps to the end of a slot covering the cursor, so the loop ends within a week of slots.
  for (let steps = 0; cursor < e; steps++) {
    const next = slotEndCovering(weekly, cursor);
    if (next === null || steps > 8 * weekly.length) return { ok: false, why: 'outside_weekly', at: new Date(cursor) };
    cursor = next;
  }
  return { ok: true };
}

/** The end (ms) of the latest-ending slot that contains `at`, or null when none does. */
function slotEndCovering(weekly: readonly WeeklySlot[], at: number): number | null {
  const midnight = shanghaiMidnight(at);
  const weekday = shanghaiWeekday(at);
  const minute = (at - midnight) / 60_000;
  let best: number | null = null;
  for (const slot of weekly) {
    if (slot.weekday !== weekday) continue;
    const from = clockMinutes(slot.from);
    const to = clockMinutes(slot.to);
    if (minute >= from && minute < to) {
      const end = midnight + to * 60_000;
      if (best === null || end > best) best = end;
    }
  }
  return best !== null && best > at ? best : null;
}

