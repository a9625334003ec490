/** The dispatch server's words, defined once (the engine's own words are in `dispatch/src/vocabulary.ts`). */

export const JOB_STATUSES = ['open', 'offering', 'with_dispatcher', 'assigned', 'en_route', 'on_site', 'completed', 'failed', 'cancelled'] as const;
export type JobStatus = (typeof JOB_STATUSES)[number];

/** Jobs that no longer take offers or progress. */
export const FINISHED_JOB_STATUSES: readonly JobStatus[] = ['completed', 'failed', 'cancelled'];

/** Jobs that count towards the assignee's concurrent load. */
export const ACTIVE_ASSIGNED_STATUSES: readonly JobStatus[] = ['assigned', 'en_route', 'on_site'];

export const OFFER_CHANNELS = ['sms', 'voice', 'direct'] as const;
export type OfferChannel = (typeof OFFER_CHANNELS)[number];

export const ANSWERED_VIA = ['sms', 'link', 'dispatcher'] as const;
export type AnsweredVia = (typeof ANSWERED_VIA)[number];

export const TIMER_KINDS = ['offer_timeout', 'sla_overdue'] as const;
export type TimerKind = (typeof TIMER_KINDS)[number];

/** What the assignee reports from the field page. */
export const FIELD_ACTIONS = ['accept', 'decline', 'en_route', 'arrived', 'done', 'cannot_complete'] as const;
export type FieldAction = (typeof FIELD_ACTIONS)[number];

/** `job:sla-overdue`: a job's dispatch deadline passed with nobody assigned. */
export interface JobSlaOverdueNotice {
  jobId: string;
  ticketId: string;
  ticketNumber: string;
  service: import('../../../dispatch/src').ServiceCode;
  priority: import('../../../dispatch/src').Priority;
  dispatchDueAt: Date;
}
