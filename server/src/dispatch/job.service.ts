import type { DataSource, EntityManager } from 'typeorm';
import {
  defaultServiceCatalogue,
  dispatchDueAt,
  jobContext,
  offerPlanFor,
  planDispatch,
  requirementsFor,
  screenCandidates,
  serviceOf,
  distanceKm,
  type CascadeEvent,
  type JobRequest,
  type ServiceCatalogue,
  type ServiceCode,
} from '../../../dispatch/src';
import type { AuditService } from '../audit/audit.service';
import { inScope, type Actor } from '../auth/auth.service';
import type { Logger } from '../config/logger';
import { AppError } from '../shared/app-error';
import type { Clock } from '../shared/clock';
import { AfterCommit } from '../sos/after-commit';
import { addTimeline } from '../sos/ticket-writer';
import { Ticket } from '../tickets/ticket.entity';
import { Person } from '../persons/person.entity';
import { candidatesById, searchCandidates, type SearchedCandidate } from './candidate-search';
import { PersonDispatchPref } from './dispatch-people.entity';
import { FINISHED_JOB_STATUSES } from './dispatch-words';
import { jobLabel, lockJob, runCascade, type CascadeActor, type CascadeDeps } from './job-cascade';
import { jobDetail, jobSummaries, type JobDetailView, type JobSummaryView } from './job-views';
import type { CreateJobInput, ListJobsQuery, OfferInput } from './job.schema';
import { ServiceJob } from './service-job.entity';
import type { VoiceDialPort } from './voice-dial.port';
import type { DialAccepted } from '../calls/click-to-call.service';

/** Rows the database search hands the engine at most. */
export const SEARCH_LIMIT = 300;
/** Offers queued from the ranked list when the dispatcher names nobody. */
const DEFAULT_LIST = 20;

export interface CandidateListView {
  jobId: string;
  ranked: Array<{ candidateId: string; kind: string; name: string; providerName: string | null; position: { lat: number; lng: number }; distanceKm: number; total: number; parts: { part: string; points: number; max: number; basis: string }[]; offerOpen: boolean }>;
  excluded: Array<{ candidateId: string; kind: string; name: string; providerName: string | null; position: { lat: number; lng: number }; distanceKm: number; reasons: { rule: string; message: string }[] }>;
  offerPlan: { parallel: number; timeoutSeconds: number };
  twoPeople: boolean;
  searched: number;
}

const DISPATCH_CATEGORIES = ['life_service', 'order', 'emergency'];
const JOBS_FOR = ['pending_dispatch', 'dispatched', 'taken', 'in_service'];

/**
 * Service jobs for dispatchers: create from a work order, the board, the candidate list, and the offer
 * cascade's dispatcher events (offer / re-offer, assign, withdraw, cancel). Every change is persisted with
 * the engine's decision in one transaction; notices go out after the commit.
 */
export class JobService {
  readonly catalogue: ServiceCatalogue;

  constructor(
    private readonly ds: DataSource,
    private readonly audit: AuditService,
    private readonly clock: Clock,
    private readonly cascade: CascadeDeps,
    private readonly log: Logger,
    catalogue?: ServiceCatalogue,
    private readonly voice: VoiceDialPort | null = null,
  ) {
    this.catalogue = catalogue ?? defaultServiceCatalogue();
  }

  /** A job for an order in scope (`pending_dispatch` or already being served: more legs, more rounds). */
  async create(actor: Actor, input: CreateJobInput): Promise<JobDetailView> {
    const now = this.clock.now();
    const after = new AfterCommit(this.log);
    const job = await this.ds.transaction(async (m) => {
      const t = await m.findOne(Ticket, { where: { id: input.ticketId }, lock: { mode: 'pessimistic_write' } });
      if (!t || !inScope(actor, t.districtCode)) throw new AppError('ticket/not-found', `工单 ${input.ticketId} 不存在`);
      return this.openIn(m, actor, t, input, now, after);
    });
    after.run();
    return this.detail(job.id);
  }

  /**
   * Write a new job for the locked order `t` with the caller's transaction: the row, its SLA timer, the
   * timeline entry and the audit entry. Throws `dispatch/invalid-transition` or `validation/invalid` when the
   * order cannot have one. The `job:updated` notice goes into `after`.
   * @example const job = await jobs.openIn(m, actor, lockedTicket, { ticketId, windowStart: now, service: 'urgent_help' }, now, after);
   */
  async openIn(m: EntityManager, actor: Actor, t: Ticket, input: CreateJobInput, now: Date, after: AfterCommit): Promise<ServiceJob> {
    if (!DISPATCH_CATEGORIES.includes(t.category)) throw new AppError('dispatch/invalid-transition', `${t.category} 类工单不能派单`);
    if (!JOBS_FOR.includes(t.status)) throw new AppError('dispatch/invalid-transition', `工单状态为 ${t.status}，请先提交派单`);
    const person = t.personId ? await m.findOneBy(Person, { id: t.personId }) : null;
    const service: ServiceCode = input.service ?? (t.category === 'order' ? 'order_fulfilment' : t.category === 'emergency' ? 'urgent_help' : ((t.serviceType as ServiceCode | null) ?? 'urgent_help'));
    if (input.task && !serviceOf(this.catalogue, service).tasks[input.task]) throw new AppError('validation/invalid', `服务 ${service} 没有任务 ${input.task}`);
    const lat = input.lat ?? person?.lat ?? null;
    const lng = input.lng ?? person?.lng ?? null;
    if (lat === null || lng === null) throw new AppError('validation/invalid', '服务对象没有位置：请填写 lat 与 lng');
    const locationText = input.locationText ?? person?.address ?? null;
    if (!locationText) throw new AppError('validation/invalid', '服务对象没有地址：请填写 locationText');
    const minutes = input.durationMinutes ?? serviceOf(this.catalogue, service).defaultDurationMinutes;
    const plan = offerPlanFor(this.catalogue, service, t.priority);
    const lifeOrProperty = input.lifeOrProperty ?? t.category === 'emergency';
    const row = await m.save(
      ServiceJob,
      m.create(ServiceJob, {
        ticketId: t.id,
        personId: t.personId,
        districtCode: t.districtCode,
        service,
        task: input.task ?? null,
        priority: t.priority,
        lifeOrProperty,
        windowStart: input.windowStart,
        windowEnd: new Date(input.windowStart.getTime() + minutes * 60_000),
        locationText,
        areaText: input.areaText ?? (await areaOf(m, t.districtCode)),
        lat,
        lng,
        needs: input.needs ?? null,
        requirements: { genderPreference: input.genderPreference ?? null, twoPersonVisit: input.twoPersonVisit ?? false },
        status: 'open',
        parallel: plan.parallel,
        offerTimeoutSeconds: Math.round(plan.timeoutMs / 1000),
        queue: [],
        returnCause: null,
        dispatchDueAt: dispatchDueAt(this.catalogue, { service, priority: t.priority, lifeOrProperty }, now),
        slaAlertedAt: null,
        assigneeKind: null,
        assigneeId: null,
        assignedVia: null,
        assignedAt: null,
        createdById: actor.userId,
      }),
    );
    await m.query(`INSERT INTO dispatch_timer (kind, job_id, due_at) VALUES ('sla_overdue', $1, $2)`, [row.id, row.dispatchDueAt]);
    await addTimeline(m, t.id, now, actor.userId, 'job_created', `${jobLabel(row)}：${service}${row.task ? `/${row.task}` : ''}，${row.areaText}`);
    await this.audit.record({ actorId: actor.userId, actorUsername: actor.username, action: 'dispatch.job.create', subjectType: 'service_job', subjectId: row.id, subjects: row.personId ? [{ type: 'person', id: row.personId }] : [], outcome: 'ok' }, m);
    after.add(() => this.cascade.notices.jobChanged(row.id));
    return row;
  }

  /** The board: jobs in scope by urgency (priority, then dispatch deadline). */
  async list(actor: Actor, q: ListJobsQuery): Promise<{ items: JobSummaryView[]; total: number }> {
    const qb = this.ds.getRepository(ServiceJob).createQueryBuilder('j');
    if (actor.scopePrefix) qb.andWhere('j.district_code LIKE :scope', { scope: `${actor.scopePrefix}%` });
    if (q.status) qb.andWhere('j.status = :status', { status: q.status });
    if (q.open !== undefined) qb.andWhere(q.open ? 'j.status NOT IN (:...done)' : 'j.status IN (:...done)', { done: FINISHED_JOB_STATUSES });
    if (q.service) qb.andWhere('j.service = :service', { service: q.service });
    if (q.priority) qb.andWhere('j.priority = :priority', { priority: q.priority });
    qb.orderBy('j.priority', 'ASC').addOrderBy('j.dispatch_due_at', 'ASC').addOrderBy('j.id', 'ASC').skip(q.offset).take(q.limit);
    const [jobs, total] = await qb.getManyAndCount();
    const persons = [...new Set(jobs.flatMap((j) => (j.personId ? [j.personId] : [])))];
    await this.audit.record({ actorId: actor.userId, actorUsername: actor.username, action: 'dispatch.job.list', subjects: persons.map((id) => ({ type: 'person', id })), outcome: 'ok' });
    return { items: await jobSummaries(this.ds, jobs, this.clock.now()), total };
  }

  async get(actor: Actor, id: string): Promise<JobDetailView> {
    const job = await this.inScope(this.ds.manager, actor, id);
    await this.audit.record({ actorId: actor.userId, actorUsername: actor.username, action: 'dispatch.job.read', subjectType: 'service_job', subjectId: id, subjects: job.personId ? [{ type: 'person', id: job.personId }] : [], outcome: 'ok' });
    return this.detail(id);
  }

  /** Ranked candidates with each score's parts, and the excluded ones with every reason. */
  async candidates(actor: Actor, id: string, limit: number): Promise<CandidateListView> {
    const job = await this.inScope(this.ds.manager, actor, id);
    const { request, searched } = await this.ds.transaction(async (m) => ({ request: await this.requestOf(m, job), searched: await this.search(m, job, actor.scopePrefix) }));
    const plan = planDispatch(this.catalogue, request, searched.map((s) => s.candidate), { now: this.clock.now(), limit });
    const meta = new Map(searched.map((s) => [s.candidate.candidateId, s]));
    const open: { candidate_id: string }[] = await this.ds.query(`SELECT candidate_id FROM job_offer WHERE job_id = $1 AND status = 'open'`, [id]);
    const openSet = new Set(open.map((o) => o.candidate_id));
    const ref = (cid: string) => {
      const s = meta.get(cid)!;
      const centre = s.candidate.serviceArea.centre;
      return { candidateId: cid, kind: s.candidate.kind, name: s.name, providerName: s.providerName, position: centre, distanceKm: Math.round(distanceKm(centre, request.location) * 10) / 10 };
    };
    const listed = [...plan.ranked.map((r) => r.candidate), ...plan.excluded.slice(0, 50).map((e) => e.candidate)];
    await this.audit.record({ actorId: actor.userId, actorUsername: actor.username, action: 'dispatch.job.candidates', subjectType: 'service_job', subjectId: id, subjects: listed.map((c) => ({ type: c.kind === 'volunteer' ? 'volunteer' : 'field_worker', id: c.candidateId })), outcome: 'ok' });
    return {
      jobId: id,
      ranked: plan.ranked.map((r) => ({ ...ref(r.candidate.candidateId), total: r.total, parts: r.parts, offerOpen: openSet.has(r.candidate.candidateId) })),
      excluded: plan.excluded.slice(0, 50).map((e) => ({ ...ref(e.candidate.candidateId), reasons: e.reasons.map((x) => ({ rule: x.rule, message: x.message })) })),
      offerPlan: { parallel: job.parallel, timeoutSeconds: job.offerTimeoutSeconds },
      twoPeople: plan.twoPeople,
      searched: searched.length,
    };
  }

  /** Start the cascade (job `open`) or offer again, to the named candidates or the current ranked list. */
  async offer(actor: Actor, id: string, input: OfferInput): Promise<JobDetailView> {
    return this.dispatcherEvent(actor, id, async (m, job, now) => {
      const request = await this.requestOf(m, job);
      let ids: string[];
      if (input.candidateIds) {
        await this.checkEligible(m, job, request, input.candidateIds, actor.scopePrefix);
        ids = input.candidateIds;
      } else {
        const plan = planDispatch(this.catalogue, request, (await this.search(m, job, actor.scopePrefix)).map((s) => s.candidate), { now, limit: DEFAULT_LIST });
        ids = plan.ranked.map((r) => r.candidate.candidateId);
      }
      return job.status === 'open' && input.parallel === undefined ? { type: 'start', at: now, candidateIds: ids } : { type: 'reoffer', at: now, candidateIds: ids, parallel: input.parallel };
    });
  }

  async assign(actor: Actor, id: string, candidateId: string): Promise<JobDetailView> {
    return this.dispatcherEvent(actor, id, async (m, job, now) => {
      await this.checkEligible(m, job, await this.requestOf(m, job), [candidateId], actor.scopePrefix);
      return { type: 'assign', at: now, candidateId };
    });
  }

  async withdraw(actor: Actor, id: string, offerId?: string): Promise<JobDetailView> {
    return this.dispatcherEvent(actor, id, async (m, _job, now, locked) => {
      if (!offerId) return { type: 'withdraw', at: now };
      const offer = locked.offers.find((o) => o.id === offerId);
      if (!offer) throw new AppError('dispatch/not-found', `邀请 ${offerId} 不存在`);
      return { type: 'withdraw', at: now, offerId: `${id}/${offer.seq}` };
    });
  }

  async cancel(actor: Actor, id: string, reason: string): Promise<JobDetailView> {
    return this.dispatcherEvent(actor, id, async (m, job, now) => {
      if (FINISHED_JOB_STATUSES.includes(job.status)) throw new AppError('dispatch/invalid-transition', `任务已${job.status}，不能取消`);
      await m.query('UPDATE dispatch_timer SET cancelled_at = $2 WHERE job_id = $1 AND fired_at IS NULL AND cancelled_at IS NULL', [job.id, now]);
      await addTimeline(m, job.ticketId, now, actor.userId, 'job_cancelled', `${jobLabel(job)} 已取消：${reason}`);
      return { type: 'cancel', at: now };
    });
  }

  /**
   * A voice offer (电话联系), the dispatcher's fallback: call the candidate from the console's softphone, linked
   * to the job's order. A candidate with an open offer is called about it; anyone else in the ranked list is
   * offered the job now on channel `voice` (one more open slot when all are taken; the SMS with the one-time link
   * still goes, as the field page needs it). The number is resolved here from the candidate id in the
   * dispatcher's scope and never leaves the server. The offer and the timeline commit before the PBX is asked;
   * a PBX failure then answers with its error, and the offer stands.
   */
  async voiceOffer(actor: Actor, id: string, candidateId: string): Promise<{ offerId: string; call: DialAccepted; job: JobDetailView }> {
    if (!this.voice) throw new AppError('telephony/not-configured', '未配置电话系统，无法外呼');
    const now = this.clock.now();
    const after = new AfterCommit(this.log);
    const who: CascadeActor = { staffUserId: actor.userId, label: actor.displayName };
    const placed = await this.ds.transaction(async (m) => {
      const locked = await lockJob(m, id);
      if (!locked || !inScope(actor, locked.job.districtCode)) throw new AppError('dispatch/not-found', `任务 ${id} 不存在`);
      const { job } = locked;
      if (FINISHED_JOB_STATUSES.includes(job.status) || job.assigneeId) throw new AppError('dispatch/invalid-transition', `任务已${job.assigneeId ? '指派' : job.status}，不再邀请`);
      const [c] = await this.checkEligible(m, job, await this.requestOf(m, job), [candidateId], actor.scopePrefix);
      this.voice!.assertCanDial(actor);
      let offer = locked.offers.find((o) => o.candidateId === candidateId && o.status === 'open');
      if (!offer) {
        const open = locked.offers.filter((o) => o.status === 'open').length;
        const event: CascadeEvent = { type: 'reoffer', at: now, candidateIds: [candidateId, ...job.queue.filter((q) => q !== candidateId)], parallel: open >= job.parallel ? open + 1 : undefined };
        const step = await runCascade(m, this.cascade, locked, event, who, after, { answeredVia: 'dispatcher', channel: 'voice' });
        if (step.rejection) throw new AppError('dispatch/invalid-transition', step.rejection.message, { reason: step.rejection.code });
        offer = locked.offers.find((o) => o.candidateId === candidateId && o.status === 'open');
        if (!offer) throw new AppError('dispatch/invalid-transition', '未能向该人员发出邀请');
      }
      await addTimeline(m, job.ticketId, now, actor.userId, 'job_voice_offer', `${jobLabel(job)}：电话联系 ${c!.name}（邀请 #${offer.seq}）`);
      await this.audit.record({ actorId: actor.userId, actorUsername: actor.username, action: 'dispatch.job.voice_offer', subjectType: 'service_job', subjectId: id, subjects: [{ type: c!.candidate.kind === 'volunteer' ? 'volunteer' : 'field_worker', id: candidateId }, ...(job.personId ? [{ type: 'person', id: job.personId }] : [])], outcome: 'ok' }, m);
      return { offerId: offer.id, e164: c!.phoneE164, ticketId: job.ticketId };
    });
    after.run();
    const call = await this.voice.dialResolved(actor, { e164: placed.e164, ticketId: placed.ticketId });
    return { offerId: placed.offerId, call, job: await this.detail(id) };
  }

  /** The answer a candidate gave on the phone, recorded by the dispatcher: the same cascade events as an SMS reply. */
  async recordVoiceAnswer(actor: Actor, id: string, offerId: string, answer: 'accepted' | 'declined', note?: string): Promise<JobDetailView> {
    return this.dispatcherEvent(actor, id, async (m, job, now, locked) => {
      const offer = locked.offers.find((o) => o.id === offerId);
      if (!offer) throw new AppError('dispatch/not-found', `邀请 ${offerId} 不存在`);
      await addTimeline(m, job.ticketId, now, actor.userId, 'job_voice_answer', `${jobLabel(job)}：邀请 #${offer.seq} 电话答复「${answer === 'accepted' ? '接单' : '谢绝'}」${note ? `：${note}` : ''}（${actor.displayName} 记录）`);
      const offerRef = `${id}/${offer.seq}`;
      return answer === 'accepted' ? { type: 'accept', at: now, offerId: offerRef } : { type: 'decline', at: now, offerId: offerRef, note };
    });
  }

  /** A stored job as the engine's request (with the person's preferences and safeguarding flags). */
  async requestOf(m: EntityManager, job: ServiceJob): Promise<JobRequest> {
    const pref = job.personId ? await m.findOneBy(PersonDispatchPref, { personId: job.personId }) : null;
    return {
      jobId: job.id,
      service: job.service,
      task: job.task,
      priority: job.priority,
      lifeOrProperty: job.lifeOrProperty,
      start: job.windowStart,
      durationMinutes: Math.round((job.windowEnd.getTime() - job.windowStart.getTime()) / 60_000),
      location: { lat: job.lat, lng: job.lng },
      person: {
        personId: job.personId ?? `job:${job.id}`,
        genderPreference: job.requirements.genderPreference ?? pref?.genderPreference ?? null,
        twoPersonVisit: (job.requirements.twoPersonVisit ?? false) || (pref?.twoPersonVisit ?? false),
        noLoneVolunteer: pref?.noLoneVolunteer ?? false,
        blockedCandidateIds: pref?.blockedCandidateIds ?? [],
      },
    };
  }

  /** The database search for a job: nearby active candidates with the service's skills, registered in the dispatcher's scope. */
  search(m: EntityManager, job: ServiceJob, scopePrefix: string | null): Promise<SearchedCandidate[]> {
    return searchCandidates(m, { lat: job.lat, lng: job.lng, skills: requirementsFor(this.catalogue, job.service, job.task).skills, personId: job.personId, limit: SEARCH_LIMIT, scopePrefix });
  }

  async detail(id: string): Promise<JobDetailView> {
    const locked = await this.ds.transaction((m) => lockJob(m, id));
    if (!locked) throw new AppError('dispatch/not-found', `任务 ${id} 不存在`);
    return jobDetail(this.ds, locked.job, locked.offers, this.clock.now());
  }

  /**
   * The chosen candidates pass the hard filters (returned with their details); one outside the dispatcher's
   * scope reads as unknown. Visits are counted for the job's own person (none for an order without one).
   */
  private async checkEligible(m: EntityManager, job: ServiceJob, request: JobRequest, ids: readonly string[], scopePrefix: string | null): Promise<SearchedCandidate[]> {
    const found = await candidatesById(m, ids, job.personId, scopePrefix);
    const missing = ids.filter((id) => !found.some((f) => f.candidate.candidateId === id));
    const { excluded } = screenCandidates(jobContext(this.catalogue, request), found.map((f) => f.candidate));
    const problems = [...missing.map((candidateId) => ({ candidateId, reasons: [{ rule: 'unknown', message: '没有该人员' }] })), ...excluded.map((e) => ({ candidateId: e.candidate.candidateId, reasons: e.reasons.map((r) => ({ rule: r.rule, message: r.message })) }))];
    if (problems.length) throw new AppError('dispatch/candidate-ineligible', '所选人员不符合该任务的条件', problems);
    return found;
  }

  private async dispatcherEvent(
    actor: Actor,
    id: string,
    build: (m: EntityManager, job: ServiceJob, now: Date, locked: { job: ServiceJob; offers: import('./service-job.entity').JobOffer[] }) => Promise<CascadeEvent>,
  ): Promise<JobDetailView> {
    const now = this.clock.now();
    const after = new AfterCommit(this.log);
    const who: CascadeActor = { staffUserId: actor.userId, label: actor.displayName };
    await this.ds.transaction(async (m) => {
      const locked = await lockJob(m, id);
      if (!locked || !inScope(actor, locked.job.districtCode)) throw new AppError('dispatch/not-found', `任务 ${id} 不存在`);
      const event = await build(m, locked.job, now, locked);
      const step = await runCascade(m, this.cascade, locked, event, who, after, { answeredVia: 'dispatcher', channel: 'sms' });
      if (step.rejection) throw new AppError('dispatch/invalid-transition', step.rejection.message, { reason: step.rejection.code });
      await this.audit.record({ actorId: actor.userId, actorUsername: actor.username, action: `dispatch.job.${event.type}`, subjectType: 'service_job', subjectId: id, outcome: 'ok' }, m);
    });
    after.run();
    return this.detail(id);
  }

  private async inScope(m: EntityManager, actor: Actor, id: string): Promise<ServiceJob> {
    const job = await m.findOneBy(ServiceJob, { id });
    if (!job || !inScope(actor, job.districtCode)) throw new AppError('dispatch/not-found', `任务 ${id} 不存在`);
    return job;
  }
}

/** The street (or district) name an offer may mention. */
async function areaOf(m: EntityManager, districtCode: string): Promise<string> {
  const rows: { name: string; code: string }[] = await m.query('SELECT code, name FROM district WHERE code = ANY($1) ORDER BY length(code)', [[districtCode.slice(0, 6), districtCode.slice(0, 9)]]);
  return rows.map((r) => r.name).join('').slice(0, 60) || '本辖区';
}
