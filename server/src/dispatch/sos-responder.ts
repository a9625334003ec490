/**
 * The SOS chain's responder step as dispatch work: an urgent 助急 job (P0, life-or-property, due in the
 * catalogue's 15 minutes) at the person's registered position, offered at once to the best ranked
 * candidates in parallel (the catalogue's `urgentParallelOffers`): the first accept wins and the others are
 * withdrawn with a notice, as for any urgent job. With nobody eligible, or once the list runs out, the job is
 * back on the dispatcher board with the reasons, and its SLA timer alerts the supervisors when it is due.
 *
 * Everything runs in the escalation step's transaction: the step, the job, its offers, the SMS in the outbox
 * and the durable timers commit together or not at all. The step runs once (the incident row is locked and
 * its step counter moves on); an unfinished job already on the order is kept rather than doubled, so a step
 * run again after a restart makes no second job.
 */
import type { EntityManager } from 'typeorm';
import { planDispatch } from '../../../dispatch/src';
import type { Actor } from '../auth/auth.service';
import { AppError } from '../shared/app-error';
import type { AfterCommit } from '../sos/after-commit';
import type { SosOutcome } from '../sos/sos-incident.entity';
import type { ResponderJobPort } from '../sos/responder-jobs.port';
import { addTimeline } from '../sos/ticket-writer';
import { Ticket } from '../tickets/ticket.entity';
import { ACTIVE_ASSIGNED_STATUSES, FINISHED_JOB_STATUSES } from './dispatch-words';
import { jobLabel, lockJob, runCascade, type CascadeActor, type CascadeDeps } from './job-cascade';
import type { JobService } from './job.service';
import { ServiceJob } from './service-job.entity';

/** Ranked candidates queued behind the parallel offers (the rest of the list the cascade works through). */
const RESPONDER_LIST = 20;

const SYSTEM: CascadeActor = { staffUserId: null, label: '系统（SOS 升级）' };

export class SosResponder implements ResponderJobPort {
  constructor(
    private readonly jobs: JobService,
    private readonly cascade: CascadeDeps,
  ) {}

  async openFor(m: EntityManager, actor: Actor, ticketId: string, now: Date, after: AfterCommit): Promise<string> {
    const t = await m.findOne(Ticket, { where: { id: ticketId }, lock: { mode: 'pessimistic_write' } });
    if (!t) return '工单不存在，未派发现场任务';
    const [existing]: { id: string; status: string }[] = await m.query(`SELECT id, status FROM service_job WHERE ticket_id = $1 AND status <> ALL($2::varchar[]) ORDER BY created_at LIMIT 1`, [ticketId, FINISHED_JOB_STATUSES]);
    if (existing) return `已有现场任务 ${existing.id.slice(0, 8)}（${existing.status}），不重复派发`;
    let job: ServiceJob;
    try {
      job = await this.jobs.openIn(m, actor, t, { ticketId, service: 'urgent_help', windowStart: now, lifeOrProperty: true }, now, after);
    } catch (err) {
      // No position or address on record, or the order cannot be dispatched now: it stays on the board.
      if (err instanceof AppError) return `未能自动派发现场任务（${err.message}），请调度员处理`;
      throw err;
    }
    // Candidates registered in the order's district (the dispatchers' scope), ranked by the engine.
    const request = await this.jobs.requestOf(m, job);
    const searched = await this.jobs.search(m, job, t.districtCode.slice(0, 6));
    const plan = planDispatch(this.jobs.catalogue, request, searched.map((s) => s.candidate), { now, limit: RESPONDER_LIST });
    const locked = (await lockJob(m, job.id))!;
    await runCascade(m, this.cascade, locked, { type: 'start', at: now, candidateIds: plan.ranked.map((r) => r.candidate.candidateId) }, SYSTEM, after, { answeredVia: 'dispatcher', channel: 'sms' });
    const label = jobLabel(locked.job);
    if (locked.job.status === 'offering') return `紧急现场任务 ${label}：同时邀请 ${locked.offers.filter((o) => o.status === 'open').length} 人（先接先得），候补 ${locked.job.queue.length} 人`;
    const reasons = new Map<string, number>();
    for (const e of plan.excluded) for (const r of e.reasons) reasons.set(r.message, (reasons.get(r.message) ?? 0) + 1);
    const why = [...reasons].map(([message, n]) => `${message} ${n} 人`).join('，');
    return `紧急现场任务 ${label}：无可派人员，已退回调度员${plan.excluded.length ? `（排除 ${plan.excluded.length} 人：${why}）` : '（附近没有具备急救技能的人员）'}`;
  }

  async stopFor(m: EntityManager, actor: Actor, ticketId: string, outcome: SosOutcome, now: Date, after: AfterCommit): Promise<void> {
    const reason = outcome === 'resolved' ? 'SOS 已解除' : outcome === 'false_alarm' ? 'SOS 误报' : 'SOS 工单已取消';
    await this.stop(m, actor, ticketId, outcome !== 'resolved', reason, now, after);
  }

  async cancelFor(m: EntityManager, actor: Actor, ticketId: string, reason: string, now: Date, after: AfterCommit): Promise<void> {
    await this.stop(m, actor, ticketId, true, reason, now, after);
  }

  /** Cancel the order's unfinished jobs (with `standDown`, assigned ones too) through the cascade. */
  private async stop(m: EntityManager, actor: Actor, ticketId: string, standDown: boolean, reason: string, now: Date, after: AfterCommit): Promise<void> {
    const rows: { id: string; status: ServiceJob['status'] }[] = await m.query(`SELECT id, status FROM service_job WHERE ticket_id = $1 AND status <> ALL($2::varchar[]) ORDER BY created_at`, [ticketId, FINISHED_JOB_STATUSES]);
    const who: CascadeActor = { staffUserId: actor.userId, label: actor.displayName };
    for (const row of rows) {
      // A responder already on the way stays on a resolved SOS: they finish and record the visit.
      if (!standDown && ACTIVE_ASSIGNED_STATUSES.includes(row.status)) continue;
      const locked = await lockJob(m, row.id);
      if (!locked || FINISHED_JOB_STATUSES.includes(locked.job.status)) continue;
      await m.query('UPDATE dispatch_timer SET cancelled_at = $2 WHERE job_id = $1 AND fired_at IS NULL AND cancelled_at IS NULL', [row.id, now]);
      await addTimeline(m, locked.job.ticketId, now, actor.userId, 'job_cancelled', `${jobLabel(locked.job)} 已取消：${reason}`);
      await runCascade(m, this.cascade, locked, { type: 'cancel', at: now }, who, after);
    }
  }
}
