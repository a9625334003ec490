import { randomBytes } from 'node:crypto';
import type { DataSource, EntityManager } from 'typeorm';
import type { AuditService } from '../audit/audit.service';
import { verifyPassword } from '../auth/password-hash';
import type { Logger } from '../config/logger';
import { AppError } from '../shared/app-error';
import type { Clock } from '../shared/clock';
import { AfterCommit } from '../sos/after-commit';
import { addTimeline } from '../sos/ticket-writer';
import { FINISHED_JOB_STATUSES, type FieldAction } from './dispatch-words';
import { jobLabel, lockJob, runCascade, sha256, type CascadeActor, type CascadeDeps } from './job-cascade';
import type { FieldActionInput } from './job.schema';
import { JobOffer, ServiceJob } from './service-job.entity';
import { followTicket } from './ticket-follow';

/** Wrong PINs a link takes before it locks. */
export const MAX_PIN_FAILURES = 5;
const SESSION_HOURS = 8;

export interface FieldJobViewData {
  jobId: string;
  offerStatus: JobOffer['status'];
  jobStatus: ServiceJob['status'];
  service: ServiceJob['service'];
  task: string | null;
  windowStart: Date;
  windowEnd: Date;
  areaText: string;
  expiresAt: Date;
  workerName: string;
  actions: FieldAction[];
  visit: { locationText: string; needs: string | null; position: { lat: number; lng: number } } | null;
  enRouteAt: Date | null;
  checkInAt: Date | null;
  checkOutAt: Date | null;
}

/**
 * The field page without an account: the one-time link of an offer plus the worker's PIN opens a session
 * bound to that offer. The worker answers the offer and, once holding the job, reports en route, arrival
 * (check-in, position if allowed), done with notes, or cannot complete with a reason. The person's needs and
 * the address are shown only to the worker holding the job.
 */
export class FieldService {
  constructor(
    private readonly ds: DataSource,
    private readonly cascade: CascadeDeps,
    private readonly audit: AuditService,
    private readonly clock: Clock,
    private readonly log: Logger,
  ) {}

  async open(token: string, pin: string): Promise<{ session: string; expiresAt: Date; view: FieldJobViewData }> {
    const now = this.clock.now();
    const [row]: { id: string; job_id: string; candidate_kind: string; candidate_id: string; pin_failures: number }[] = await this.ds.query(
      'SELECT id, job_id, candidate_kind, candidate_id, pin_failures FROM job_offer WHERE token_hash = $1',
      [sha256(token)],
    );
    if (!row) throw new AppError('field/link-invalid', '链接无效，请核对短信中的链接');
    if (row.pin_failures >= MAX_PIN_FAILURES) throw new AppError('field/pin-locked', 'PIN 码错误次数过多，该链接已锁定，请联系调度员');
    const table = row.candidate_kind === 'provider' ? 'field_worker' : 'volunteer';
    const [who]: { pin_hash: string }[] = await this.ds.query(`SELECT pin_hash FROM ${table} WHERE id = $1`, [row.candidate_id]);
    if (!who || !(await verifyPassword(pin, who.pin_hash))) {
      const [{ pin_failures }]: { pin_failures: number }[] = await this.ds.query('WITH u AS (UPDATE job_offer SET pin_failures = pin_failures + 1 WHERE id = $1 RETURNING pin_failures) SELECT pin_failures FROM u', [row.id]);
      await this.audit.record({ actorId: null, actorUsername: null, action: 'dispatch.field.pin-wrong', subjectType: 'job_offer', subjectId: row.id, outcome: 'denied' });
      if (pin_failures >= MAX_PIN_FAILURES) throw new AppError('field/pin-locked', 'PIN 码错误次数过多，该链接已锁定，请联系调度员');
      throw new AppError('field/pin-wrong', 'PIN 码不正确', { attemptsLeft: MAX_PIN_FAILURES - pin_failures });
    }
    const session = randomBytes(24).toString('base64url');
    const expiresAt = new Date(now.getTime() + SESSION_HOURS * 3600_000);
    await this.ds.transaction(async (m) => {
      const locked = await lockJob(m, row.job_id);
      const offer = locked?.offers.find((o) => o.id === row.id);
      if (!locked || !offer) throw new AppError('field/link-invalid', '链接无效');
      this.usable(locked.job, offer, now);
      await m.update(JobOffer, { id: offer.id }, { pinFailures: 0, fieldSessionHash: sha256(session), fieldSessionExpiresAt: expiresAt });
    });
    await this.audit.record({ actorId: null, actorUsername: null, action: 'dispatch.field.open', subjectType: 'job_offer', subjectId: row.id, outcome: 'ok' });
    return { session, expiresAt, view: await this.view(session) };
  }

  async view(session: string): Promise<FieldJobViewData> {
    const { job, offer, name } = await this.ds.transaction(async (m) => this.bySession(m, session));
    return this.viewOf(job, offer, name);
  }

  async act(session: string, input: FieldActionInput): Promise<FieldJobViewData> {
    const now = this.clock.now();
    const after = new AfterCommit(this.log);
    let refusal: AppError | null = null;
    await this.ds.transaction(async (m) => {
      const { job, offer, name } = await this.bySession(m, session);
      const locked = (await lockJob(m, job.id))!;
      const who: CascadeActor = { staffUserId: null, label: `${offer.candidateKind === 'provider' ? '服务人员' : '志愿者'}${name}` };
      if (input.action === 'accept' || input.action === 'decline') {
        const step = await runCascade(m, this.cascade, locked, input.action === 'accept' ? { type: 'accept', at: now, offerId: `${job.id}/${offer.seq}` } : { type: 'decline', at: now, offerId: `${job.id}/${offer.seq}`, note: input.note }, who, after, { answeredVia: 'link' });
        // A late answer may still have expired the offer (and moved the cascade on): commit that, then refuse.
        if (step.rejection) refusal = new AppError('dispatch/invalid-transition', step.rejection.message, { reason: step.rejection.code });
        return;
      }
      const current = locked.job;
      if (current.assigneeId !== offer.candidateId || offer.status !== 'accepted') throw new AppError('field/link-expired', '该任务已不由您承接', { reason: 'reassigned' });
      const allowed = progressActions(current.status);
      if (!allowed.includes(input.action)) throw new AppError('dispatch/invalid-transition', `任务状态为 ${current.status}，不能执行 ${input.action}`, { reason: 'not_allowed' });
      const pos = input.position ?? null;
      let note = '';
      switch (input.action) {
        case 'en_route':
          current.status = 'en_route';
          current.enRouteAt = now;
          note = '已出发';
          break;
        case 'arrived':
          current.status = 'on_site';
          current.checkInAt = now;
          current.checkInLat = pos?.lat ?? null;
          current.checkInLng = pos?.lng ?? null;
          note = `已到达（签到${pos ? `，位置 ${pos.lat.toFixed(5)},${pos.lng.toFixed(5)}` : '，未提供位置'}）`;
          break;
        case 'done':
          current.status = 'completed';
          current.checkOutAt = now;
          current.checkOutLat = pos?.lat ?? null;
          current.checkOutLng = pos?.lng ?? null;
          current.outcomeNotes = input.note ?? null;
          current.durationMinutes = current.checkInAt ? Math.max(0, Math.round((now.getTime() - current.checkInAt.getTime()) / 60_000)) : null;
          note = `服务完成（${current.durationMinutes ?? '?'} 分钟）${input.note ? `：${input.note}` : ''}`;
          break;
        case 'cannot_complete':
          current.status = 'failed';
          current.failureReason = input.reason!;
          current.outcomeNotes = input.note ?? null;
          note = `无法完成：${input.reason}`;
          break;
      }
      await m.save(ServiceJob, current);
      await addTimeline(m, current.ticketId, now, null, `job_${input.action}`.slice(0, 20), `${jobLabel(current)} ${note}（${who.label}）`);
      if (input.action === 'en_route' || input.action === 'arrived') await followTicket(m, current.ticketId, 'start', who, now, after, this.cascade.notices);
      if (input.action === 'done' && (await this.allJobsDone(m, current.ticketId))) {
        await followTicket(m, current.ticketId, 'start', who, now, after, this.cascade.notices); // taken → in_service when nobody reported the way
        await followTicket(m, current.ticketId, 'complete', who, now, after, this.cascade.notices);
      }
      after.add(() => this.cascade.notices.jobChanged(current.id));
    });
    after.run();
    if (refusal) throw refusal;
    return this.view(session);
  }

  private async allJobsDone(m: EntityManager, ticketId: string): Promise<boolean> {
    const [r]: { open: string; done: string }[] = await m.query(
      `SELECT count(*) FILTER (WHERE status NOT IN ('completed', 'failed', 'cancelled')) AS open, count(*) FILTER (WHERE status = 'completed') AS done FROM service_job WHERE ticket_id = $1`,
      [ticketId],
    );
    return Number(r!.open) === 0 && Number(r!.done) > 0;
  }

  /** Refuse a link whose offer ended or whose job is finished. */
  private usable(job: ServiceJob, offer: JobOffer, now: Date): void {
    if (offer.status === 'open' && offer.expiresAt.getTime() > now.getTime()) return;
    if (offer.status === 'accepted' && job.assigneeId === offer.candidateId && !FINISHED_JOB_STATUSES.includes(job.status)) return;
    const reason = offer.status === 'open' ? 'timed_out' : offer.status === 'accepted' ? (FINISHED_JOB_STATUSES.includes(job.status) ? 'finished' : 'reassigned') : offer.status === 'withdrawn' ? (offer.withdrawReason ?? 'withdrawn') : offer.status;
    throw new AppError('field/link-expired', '该任务邀请已失效', { reason });
  }

  private async bySession(m: EntityManager, session: string): Promise<{ job: ServiceJob; offer: JobOffer; name: string }> {
    const offer = await m.findOne(JobOffer, { where: { fieldSessionHash: sha256(session) } });
    if (!offer || !offer.fieldSessionExpiresAt || offer.fieldSessionExpiresAt.getTime() <= this.clock.now().getTime()) throw new AppError('field/session-invalid', '页面已过期，请重新打开短信中的链接');
    const job = await m.findOneByOrFail(ServiceJob, { id: offer.jobId });
    const table = offer.candidateKind === 'provider' ? 'field_worker' : 'volunteer';
    const [who]: { name: string }[] = await m.query(`SELECT name FROM ${table} WHERE id = $1`, [offer.candidateId]);
    return { job, offer, name: who?.name ?? '' };
  }

  private viewOf(job: ServiceJob, offer: JobOffer, name: string): FieldJobViewData {
    const holds = offer.status === 'accepted' && job.assigneeId === offer.candidateId;
    const now = this.clock.now().getTime();
    const actions: FieldAction[] = offer.status === 'open' && offer.expiresAt.getTime() > now ? ['accept', 'decline'] : holds ? progressActions(job.status) : [];
    return {
      jobId: job.id,
      offerStatus: offer.status,
      jobStatus: job.status,
      service: job.service,
      task: job.task,
      windowStart: job.windowStart,
      windowEnd: job.windowEnd,
      areaText: job.areaText,
      expiresAt: offer.expiresAt,
      workerName: name,
      actions,
      visit: holds ? { locationText: job.locationText, needs: job.needs, position: { lat: job.lat, lng: job.lng } } : null,
      enRouteAt: holds ? job.enRouteAt : null,
      checkInAt: holds ? job.checkInAt : null,
      checkOutAt: holds ? job.checkOutAt : null,
    };
  }
}

/** What the holder of a job may report in each state. */
export function progressActions(status: ServiceJob['status']): FieldAction[] {
  switch (status) {
    case 'assigned':
      return ['en_route', 'arrived', 'cannot_complete'];
    case 'en_route':
      return ['arrived', 'cannot_complete'];
    case 'on_site':
      return ['done', 'cannot_complete'];
    default:
      return [];
  }
}
