/**
 * Earning coins: a completed job with check-in and check-out, confirmed by the recipient or by the
 * callback (回访), credits its volunteer once; an activity (志愿活动) credits each attendee by the
 * attendance recorded. Worked minutes are rounded by the settings' rule, then priced at unitsPerHour.
 * Pure: the caller passes the ledger state, the settings and `now` (the credit time).
 */
import { accountKind, SYSTEM_ACCOUNTS, type AccountId } from './accounts';
import { pairOf, type LedgerEntry } from './ledger-entry';
import { capRoom, checkMember, checkNewTransaction, firstRefusal } from './ledger-checks';
import { accept, refuse, type LedgerAcceptance, type LedgerOutcome, type LedgerRefusal, type LedgerRefusalCode } from './ledger-refusal';
import type { LedgerSettings, RoundingRule } from './ledger-settings';
import type { LedgerState } from './ledger-state';

/**
 * Minutes rounded to the rule's step.
 * @example roundMinutes(89, { stepMinutes: 30, mode: 'down' }) // 60
 */
export function roundMinutes(minutes: number, rule: RoundingRule): number {
  const steps = minutes / rule.stepMinutes;
  const whole = rule.mode === 'down' ? Math.floor(steps) : rule.mode === 'up' ? Math.ceil(steps) : Math.floor(steps + 0.5);
  return whole * rule.stepMinutes;
}

/**
 * Units earned for the time between check-in and check-out: whole minutes, rounded by the rule, priced at
 * unitsPerHour (a fraction of a unit left over is dropped). Negative or missing durations earn nothing.
 * @example unitsForDuration(new Date('2026-12-01T09:00Z'), new Date('2026-12-01T10:47Z'), DEFAULT_LEDGER_SETTINGS) // 150
 */
export function unitsForDuration(checkInAt: Date, checkOutAt: Date, settings: Pick<LedgerSettings, 'rounding' | 'unitsPerHour'>): number {
  const minutes = Math.floor((checkOutAt.getTime() - checkInAt.getTime()) / 60_000);
  if (!(minutes > 0)) return 0;
  return Math.floor((roundMinutes(minutes, settings.rounding) * settings.unitsPerHour) / 60);
}

function tooLong(checkInAt: Date, checkOutAt: Date, settings: Pick<LedgerSettings, 'maxMinutesPerJob'>): boolean {
  return checkOutAt.getTime() - checkInAt.getTime() > settings.maxMinutesPerJob * 60_000;
}

/** The idempotency key of a job's credit: one credit per job, however often it is completed. */
export function jobEarningKey(jobId: string): string {
  return `earn:job:${jobId}`;
}

/** The idempotency key of an attendee's credit for an activity. */
export function activityEarningKey(activityId: string, accountId: AccountId): string {
  return `earn:activity:${activityId}:${accountId}`;
}

export interface CompletedJob {
  jobId: string;
  volunteerAccountId: AccountId;
  /** The job's status word; only 'completed' earns. */
  status: string;
  checkInAt: Date | null;
  checkOutAt: Date | null;
  /** The recipient confirmed the service, or the callback (回访) did; null: not yet. */
  confirmation: { by: 'recipient' | 'callback'; at: Date } | null;
}

export interface EarnForJob {
  type: 'earn_job';
  transactionId: string;
  job: CompletedJob;
}

/** Credit under the caps: up to what the caps still allow; nothing at all when they allow nothing. */
function creditWithinCaps(
  state: LedgerState,
  settings: LedgerSettings,
  now: Date,
  accountId: AccountId,
  units: number,
): { units: number; overCapUnits: number } | { refusal: LedgerRefusalCode } {
  const { room, code } = capRoom(state, settings, accountId, now);
  if (room <= 0) return { refusal: code };
  const credited = Math.min(units, room);
  return { units: credited, overCapUnits: units - credited };
}

/**
 * The entries that credit a completed job to its volunteer, or why not. Completing a job twice credits
 * it once: the second call is accepted with no entries and names the first transaction.
 * @example earnForJob(state, { type: 'earn_job', transactionId: 't9', job }, settings, now)
 */
export function earnForJob(state: LedgerState, command: EarnForJob, settings: LedgerSettings, now: Date): LedgerOutcome {
  const { job } = command;
  const key = jobEarningKey(job.jobId);
  const earlier = state.keys.get(key);
  if (earlier !== undefined) return accept([], { alreadyAppliedAs: earlier });
  const refusal = firstRefusal(
    () => checkNewTransaction(state, command.transactionId),
    () => checkMember(job.volunteerAccountId) ?? (accountKind(job.volunteerAccountId) === 'volunteer' ? null : refuse('ledger/not-a-member-account', `${job.volunteerAccountId} is not a volunteer's account`)),
    () => (job.status === 'completed' ? null : refuse('ledger/job-not-completed', `Job ${job.jobId} is ${job.status}, not completed`)),
    () => (job.checkInAt && job.checkOutAt ? null : refuse('ledger/missing-check-in-out', `Job ${job.jobId} has no check-in or no check-out`)),
    () => (job.checkOutAt! > job.checkInAt! ? null : refuse('ledger/invalid-duration', `Job ${job.jobId} checked out before it checked in`)),
    () => (tooLong(job.checkInAt!, job.checkOutAt!, settings) ? refuse('ledger/duration-too-long', `Job ${job.jobId} lasted over ${settings.maxMinutesPerJob} minutes: check the check-out`) : null),
    () => (job.confirmation ? null : refuse('ledger/not-confirmed', `Job ${job.jobId} is confirmed neither by the recipient nor by the callback`)),
  );
  if (refusal) return refusal;
  const units = unitsForDuration(job.checkInAt!, job.checkOutAt!, settings);
  if (units === 0) return refuse('ledger/nothing-to-credit', `Job ${job.jobId} lasted less than one rounding step`);
  const credit = creditWithinCaps(state, settings, now, job.volunteerAccountId, units);
  if ('refusal' in credit) return refuse(credit.refusal, `${job.volunteerAccountId} has reached the cap`);
  const entries = pairOf({
    transactionId: command.transactionId,
    kind: 'earn',
    from: SYSTEM_ACCOUNTS.issuer,
    to: job.volunteerAccountId,
    units: credit.units,
    at: now,
    idempotencyKey: key,
    reference: `job:${job.jobId}`,
    note: job.confirmation!.by === 'callback' ? 'confirmed by callback' : 'confirmed by recipient',
  });
  return accept(entries, credit.overCapUnits > 0 ? { overCapUnits: credit.overCapUnits } : {});
}

export interface Attendance {
  accountId: AccountId;
  /** This attendee's transaction id (e.g. a uuid the server made); default `<command transactionId>:<n>`. */
  transactionId?: string;
  checkInAt: Date;
  checkOutAt: Date;
}

export interface EarnForActivity {
  type: 'earn_activity';
  /** Each attendee's credit is transaction `<transactionId>:<n>` (n from 1, in attendee order) unless the attendance names its own. */
  transactionId: string;
  activity: {
    activityId: string;
    /** The staff member who closed the attendance list; null: still open, nothing is credited. */
    attendanceConfirmedBy: string | null;
    attendees: Attendance[];
  };
}

export interface ActivitySkip {
  accountId: AccountId;
  code: LedgerRefusalCode | 'already-credited';
}

export type ActivityOutcome = (LedgerAcceptance & { skipped: ActivitySkip[] }) | LedgerRefusal;

/**
 * Credits every attendee of an activity by the attendance recorded; attendees already credited, with too
 * little time, or at their cap are listed in `skipped`. Crediting the same activity again adds nothing.
 * @example earnForActivity(state, { type: 'earn_activity', transactionId: 'a7', activity }, settings, now)
 */
export function earnForActivity(
  state: LedgerState,
  command: EarnForActivity,
  settings: LedgerSettings,
  now: Date,
): ActivityOutcome {
  const { activity } = command;
  if (!activity.attendanceConfirmedBy) return refuse('ledger/attendance-not-confirmed', `Attendance of activity ${activity.activityId} is not confirmed`);
  const entries: LedgerEntry[] = [];
  const skipped: ActivitySkip[] = [];
  const seen = new Set<AccountId>();
  activity.attendees.forEach((a, index) => {
    const transactionId = a.transactionId ?? `${command.transactionId}:${index + 1}`;
    const key = activityEarningKey(activity.activityId, a.accountId);
    if (seen.has(a.accountId) || state.keys.has(key)) return skipped.push({ accountId: a.accountId, code: 'already-credited' });
    seen.add(a.accountId);
    const refusal = firstRefusal(
      () => checkNewTransaction(state, transactionId),
      () => checkMember(a.accountId),
      () => (a.checkOutAt > a.checkInAt ? null : refuse('ledger/invalid-duration', 'checked out before checking in')),
      () => (tooLong(a.checkInAt, a.checkOutAt, settings) ? refuse('ledger/duration-too-long', 'attendance longer than the limit') : null),
    );
    if (refusal) return skipped.push({ accountId: a.accountId, code: refusal.code });
    const units = unitsForDuration(a.checkInAt, a.checkOutAt, settings);
    if (units === 0) return skipped.push({ accountId: a.accountId, code: 'ledger/nothing-to-credit' });
    const credit = creditWithinCaps(state, settings, now, a.accountId, units);
    if ('refusal' in credit) return skipped.push({ accountId: a.accountId, code: credit.refusal });
    entries.push(
      ...pairOf({
        transactionId,
        kind: 'earn',
        from: SYSTEM_ACCOUNTS.issuer,
        to: a.accountId,
        units: credit.units,
        at: now,
        idempotencyKey: key,
        reference: `activity:${activity.activityId}`,
        makerId: activity.attendanceConfirmedBy,
      }),
    );
  });
  return { ...accept(entries), skipped };
}
