import type { JobSlaOverdue, OfferView } from '../api/dispatch-wire';
import { invalidate } from '../app/query';
import { createStore } from '../state/store';

/** The last offer notice, for the board to announce when it concerns the job on screen. */
export const dispatchNotices = createStore<{ last: { seq: number; jobId: string; offer: OfferView } | null; overdue: JobSlaOverdue | null }>({ last: null, overdue: null });

let seq = 0;

/** `job:updated`: the board's lists and panels are stale. */
export function onJobUpdated(): void {
  invalidate('dispatch');
}

/** `offer:updated`: stale too, and remembered so the board can say "X accepted". */
export function onOfferUpdated(payload: { jobId: string; offer: OfferView }): void {
  dispatchNotices.set((n) => ({ ...n, last: { seq: ++seq, jobId: payload.jobId, offer: payload.offer } }));
  invalidate('dispatch');
}

/** `job:sla-overdue` (supervisors): remembered for the board's banner. */
export function onJobSlaOverdue(payload: JobSlaOverdue): void {
  dispatchNotices.set((n) => ({ ...n, overdue: payload }));
  invalidate('dispatch');
}
