/**
 * The dispatch SLA as the board shows it: time left until a job must be dispatched, or time past it.
 * Pure (the caller gives "now"), so the countdown is testable and every row ticks from one clock.
 */

export type SlaLevel = 'ok' | 'soon' | 'overdue';

export interface SlaView {
  level: SlaLevel;
  /** Whole seconds left (level ok / soon) or past due (overdue); never negative. */
  seconds: number;
}

/** Less than this many seconds left counts as "soon" (shown with a warning mark, not colour alone). */
export const SOON_SECONDS = 10 * 60;

/**
 * Where a job stands against its dispatch deadline.
 * @example slaOf('2026-12-05T10:00:00Z', Date.parse('2026-12-05T09:55:00Z')) // { level: 'soon', seconds: 300 }
 */
export function slaOf(dueAt: string | null | undefined, nowMs: number, soonSeconds = SOON_SECONDS): SlaView | null {
  if (!dueAt) return null;
  const due = Date.parse(dueAt);
  if (Number.isNaN(due)) return null;
  const diff = Math.floor((due - nowMs) / 1000);
  if (diff < 0) return { level: 'overdue', seconds: -diff };
  return { level: diff <= soonSeconds ? 'soon' : 'ok', seconds: diff };
}
