import type { FieldJobView } from '../../api/dispatch-wire';

/** What the worker sees as the job's state: the offer's while it is not accepted, then the job's. */
export function fieldState(view: Pick<FieldJobView, 'offerStatus' | 'jobStatus'>): string {
  if (view.offerStatus === 'open') return 'offered';
  if (view.offerStatus === 'declined') return 'declined';
  if (view.offerStatus === 'timed_out') return 'expired';
  if (view.offerStatus === 'withdrawn') return 'withdrawn';
  return view.jobStatus === 'assigned' ? 'accepted' : view.jobStatus;
}
