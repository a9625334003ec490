import type { DataSource } from 'typeorm';
import type { Logger } from '../config/logger';
import type { Clock } from '../shared/clock';
import { AfterCommit } from '../sos/after-commit';
import { addTimeline } from '../sos/ticket-writer';
import { FINISHED_JOB_STATUSES, type TimerKind } from './dispatch-words';
import { jobLabel, lockJob, runCascade, type CascadeDeps } from './job-cascade';
import { ServiceJob } from './service-job.entity';

/** Timers one tick fires at most (the next tick carries on). */
const BATCH = 500;

/**
 * The durable dispatch timers (`dispatch_timer`): offer timeouts and SLA-overdue alerts. Ticked by the one
 * scheduler. A timer is fired in the transaction that applies it, after locking its job (the same order as
 * every dispatcher and field action: job, then timer), and claimed with
 * `UPDATE … WHERE fired_at IS NULL AND cancelled_at IS NULL`: a timer that came due while the server was
 * down fires at the first tick after start, and no timer fires twice, on one node or several.
 */
export class DispatchTimers {
  constructor(
    private readonly ds: DataSource,
    private readonly cascade: CascadeDeps,
    private readonly clock: Clock,
    private readonly log: Logger,
  ) {}

  /** Fire every due timer; returns how many fired. */
  async tick(): Promise<number> {
    let fired = 0;
    let skip: string[] = [];
    while (fired < BATCH) {
      const now = this.clock.now();
      const [due]: { id: string; kind: TimerKind; job_id: string; offer_id: string | null }[] = await this.ds.query(
        `SELECT id, kind, job_id, offer_id FROM dispatch_timer WHERE fired_at IS NULL AND cancelled_at IS NULL AND due_at <= $1 AND NOT (id = ANY($2::bigint[])) ORDER BY due_at, id LIMIT 1`,
        [now, skip],
      );
      if (!due) break;
      const after = new AfterCommit(this.log);
      const done = await this.ds.transaction(async (m) => {
        const locked = await lockJob(m, due.job_id);
        const claimed: unknown[] = await m.query('WITH u AS (UPDATE dispatch_timer SET fired_at = $2 WHERE id = $1 AND fired_at IS NULL AND cancelled_at IS NULL RETURNING id) SELECT id FROM u', [due.id, now]);
        if (!claimed.length || !locked) return false;
        if (due.kind === 'offer_timeout') {
          const offer = locked.offers.find((o) => o.id === due.offer_id);
          if (offer && offer.status === 'open') {
            await runCascade(m, this.cascade, locked, { type: 'timeout', at: new Date(Math.max(now.getTime(), offer.expiresAt.getTime())), offerId: `${locked.job.id}/${offer.seq}` }, { staffUserId: null, label: '系统（超时）' }, after, { answeredVia: 'dispatcher' });
          }
        } else {
          const job = locked.job;
          if (!job.assigneeId && !FINISHED_JOB_STATUSES.includes(job.status)) {
            await m.update(ServiceJob, { id: job.id }, { slaAlertedAt: now });
            await addTimeline(m, job.ticketId, now, null, 'job_sla_overdue', `${jobLabel(job)} 超过派单时限（${job.dispatchDueAt.toISOString()}）仍无人接单，已提醒主管`);
            const [t]: { number: string }[] = await m.query('SELECT number FROM ticket WHERE id = $1', [job.ticketId]);
            after.add(() => this.cascade.notices.slaOverdue(job, t?.number ?? ''));
            after.add(() => this.cascade.notices.jobChanged(job.id));
          }
        }
        return true;
      });
      after.run();
      if (done) fired++;
      else skip = [...skip, due.id];
    }
    return fired;
  }
}
