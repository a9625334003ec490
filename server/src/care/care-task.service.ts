import type { DataSource, EntityManager } from 'typeorm';
import type { AuditService } from '../audit/audit.service';
import type { Actor } from '../auth/auth.service';
import type { DialAccepted } from '../calls/click-to-call.service';
import type { ClickToCallInput } from '../calls/click-to-call.schema';
import type { Logger } from '../config/logger';
import { Contact } from '../persons/contact.entity';
import { PhoneNumber } from '../persons/phone.entity';
import { maskPhone } from '../persons/phone-number';
import { AppError } from '../shared/app-error';
import type { Clock } from '../shared/clock';
import type { DomainEvents } from '../shared/domain-events';
import { AfterCommit } from '../sos/after-commit';
import { TERMINAL_STATUSES } from '../tickets/ticket';
import { checkDuty } from '../tickets/ticket-roles';
import { saveAnswersIn } from './campaign.service';
import { careOutcomeEffect, LEASE_MINUTES, surveyOutcomeEffect, type CareOutcome, type SurveyOutcome } from './care';
import { openCareOrder } from './care-orders';
import { closePlanIn, windowOf } from './care-plan.service';
import { DEFAULT_WINDOW, nextAttemptAt, shanghaiDate, type CallWindow } from './care-recurrence';
import type { CareSurveys } from './care-survey';
import { CareEvent, CarePlan, CareTask } from './care.entity';
import { updatedRows } from './sql-rows';
import { careOutcomeSchema, surveyOutcomeSchema, type ListTasksQuery } from './care.schema';

/** A row of the agent's work list (no identifiers; the person's name is an audited read). */
export interface CareTaskItem {
  id: string;
  kind: CareTask['kind'];
  status: CareTask['status'];
  dueAt: string;
  /** Not done on its due day (Asia/Shanghai). */
  overdue: boolean;
  attempts: number;
  riskTier: string | null;
  person: { id: string; name: string } | null;
  ticket: { id: string; number: string } | null;
  channel: string | null;
  claimedByMe: boolean;
  leaseUntil: string | null;
  /** A campaign's task (its questionnaire: `GET /api/care/task-questionnaires/:id`). */
  campaign: { id: string; name: string } | null;
  /** An event call: `birthday`, `festival:<key>`, `heat`. */
  event: string | null;
}

/** The preview before dialing: the person, how to reach them (masked), last outcomes and open orders. */
export interface CareTaskDetail extends CareTaskItem {
  outcome: string | null;
  satisfaction: string | null;
  script: string | null;
  personDetail: { riskTier: string; livingSituation: string | null; communicationNeed: string; disabilityCategory: number | null; disabilityLevel: number | null } | null;
  phones: Array<{ id: string; kind: string; masked: string }>;
  contacts: Array<{ id: string; name: string; relation: string; isGuardian: boolean; masked: string }>;
  history: Array<{ at: string; kind: string; note: string | null }>;
  openOrders: Array<{ id: string; number: string; category: string; status: string }>;
  ticketDetail: { category: string; status: string; summary: string } | null;
}

export interface ClickToCallPort {
  dial(actor: Actor, input: ClickToCallInput): Promise<DialAccepted>;
}

/**
 * The agent's side of care: the work list (due and overdue, by risk then due time), claims with a lease
 * (`FOR UPDATE SKIP LOCKED`: two agents never get the same task; a lapsed lease returns it), the preview,
 * one-click dialing linked to the task, and outcomes (retry inside the window, escalation, orders, 回访).
 */
export class CareTaskService {
  constructor(
    private readonly ds: DataSource,
    private readonly audit: AuditService,
    private readonly surveys: CareSurveys,
    private readonly clickToCall: ClickToCallPort,
    private readonly events: DomainEvents,
    private readonly clock: Clock,
    private readonly log: Logger,
  ) {
    // A call placed from a task: link it to the task once the call log has it.
    events.on('call.updated', ({ call }) => {
      if (!call.originateRequestId) return;
      void this.ds
        .query(`UPDATE care_task SET call_id = $1 WHERE dial_request_id = $2 AND call_id IS NULL`, [call.id, call.originateRequestId])
        .catch((err) => this.log.error({ err, callId: call.id }, 'care: linking the call to its task failed'));
    });
  }

  /** The work list: open tasks in the actor's districts that nobody else holds, highest risk and earliest due first. */
  async list(actor: Actor, q: ListTasksQuery): Promise<{ items: CareTaskItem[]; total: number }> {
    const now = this.clock.now();
    const rows: TaskRow[] = await this.ds.query(
      `${TASK_SELECT}
        WHERE c.status = 'open' AND c.district_code LIKE $1 || '%'
          AND ($2::boolean = false OR c.due_at <= $3)
          AND (c.lease_until IS NULL OR c.lease_until < $3 OR c.claimed_by_id = $4)
          AND ($5::text IS NULL OR c.kind = $5)
          AND ${NOT_PAUSED}
        ORDER BY c.risk_rank, c.due_at, c.id
        LIMIT $6 OFFSET $7`,
      [actor.scopePrefix ?? '', q.dueOnly, now, actor.userId, q.kind ?? null, q.limit, q.offset],
    );
    const items = rows.map((r) => itemOf(r, actor, now));
    await this.audit.record({ actorId: actor.userId, actorUsername: actor.username, action: 'care.task.list', subjects: subjectsOf(items), outcome: 'ok' });
    return { items, total: Number(rows[0]?.total ?? 0) };
  }

  /**
   * Claim the most urgent due task (or `null` when there is none): locked with SKIP LOCKED so concurrent
   * claimers each get a different task.
   */
  async claimNext(actor: Actor, kind?: CareTask['kind']): Promise<CareTaskItem | null> {
    const now = this.clock.now();
    const id = await this.ds.transaction(async (m) => {
      const [row] = updatedRows<{ id: string; person_id: string | null }>(await m.query(
        `UPDATE care_task SET claimed_by_id = $1, lease_until = $2, updated_at = $3
          WHERE id = (SELECT id FROM care_task
                       WHERE status = 'open' AND due_at <= $3 AND district_code LIKE $4 || '%'
                         AND (lease_until IS NULL OR lease_until < $3)
                         AND ($5::text IS NULL OR kind = $5)
                         AND ${NOT_PAUSED.replaceAll('c.campaign_id', 'care_task.campaign_id')}
                       ORDER BY risk_rank, due_at, id LIMIT 1
                       FOR UPDATE SKIP LOCKED)
          RETURNING id, person_id`,
        [actor.userId, leaseEnd(now), now, actor.scopePrefix ?? '', kind ?? null],
      ));
      if (!row) return null;
      await m.insert(CareEvent, { personId: row.person_id, taskId: row.id, at: now, actorId: actor.userId, kind: 'claimed', note: `领取，租约 ${LEASE_MINUTES} 分钟` });
      return row.id;
    });
    if (id) await this.changed(id, 'claimed');
    return id ? this.item(actor, id) : null;
  }

  /** Claim one task from the list: free, lapsed or already mine; held by someone else → 409. */
  async claim(actor: Actor, id: string): Promise<CareTaskItem> {
    const now = this.clock.now();
    await this.ds.transaction(async (m) => {
      const task = await this.lockInScope(m, actor, id);
      if (task.status !== 'open') throw new AppError('conflict', `该任务已${task.status === 'escalating' ? '进入升级处理' : '结束'}，不能领取`);
      if (task.claimedById && task.claimedById !== actor.userId && task.leaseUntil && task.leaseUntil > now) throw new AppError('care/not-claimed', '该任务已被其他坐席领取');
      if (task.campaignId && (await m.query(`SELECT 1 FROM campaign WHERE id = $1 AND status = 'paused'`, [task.campaignId])).length) throw new AppError('conflict', '该任务所属的活动已暂停');
      await m.update(CareTask, { id }, { claimedById: actor.userId, leaseUntil: leaseEnd(now) });
      await m.insert(CareEvent, { personId: task.personId, taskId: id, at: now, actorId: actor.userId, kind: 'claimed', note: `领取，租约 ${LEASE_MINUTES} 分钟` });
    });
    await this.changed(id, 'claimed');
    return this.item(actor, id);
  }

  /** Give a claimed task back to the list. */
  async release(actor: Actor, id: string): Promise<void> {
    const now = this.clock.now();
    await this.ds.transaction(async (m) => {
      const task = await this.lockInScope(m, actor, id);
      this.mustHold(task, actor);
      await m.update(CareTask, { id }, { claimedById: null, leaseUntil: null });
      await m.insert(CareEvent, { personId: task.personId, taskId: id, at: now, actorId: actor.userId, kind: 'released', note: null });
    });
    await this.changed(id, 'released');
  }

  /** The preview: person, masked numbers, last outcomes, open orders; an audited read of the person. */
  async get(actor: Actor, id: string): Promise<CareTaskDetail> {
    const now = this.clock.now();
    const detail = await this.ds.transaction(async (m) => {
      const [row]: TaskRow[] = await m.query(`${TASK_SELECT} WHERE c.id = $1 AND c.district_code LIKE $2 || '%'`, [id, actor.scopePrefix ?? '']);
      if (!row) throw new AppError('care/not-found', `关怀任务 ${id} 不存在`);
      const base = itemOf(row, actor, now);
      const personId = row.person_id;
      const [person]: Array<{ risk_tier: string; living_situation: string | null; communication_need: string; disability_category: number | null; disability_level: number | null }> = personId
        ? await m.query(`SELECT risk_tier, living_situation, communication_need, disability_category, disability_level FROM person WHERE id = $1`, [personId])
        : [];
      const phones = personId ? await m.find(PhoneNumber, { where: { personId }, order: { id: 'ASC' } }) : [];
      const contacts = personId ? await m.find(Contact, { where: { personId }, order: { priority: 'ASC' } }) : [];
      const history: Array<{ at: Date; kind: string; note: string | null }> = personId
        ? await m.query(`SELECT at, kind, note FROM care_event WHERE person_id = $1 ORDER BY at DESC, id DESC LIMIT 10`, [personId])
        : await m.query(`SELECT at, kind, note FROM care_event WHERE task_id = $1 ORDER BY at DESC, id DESC LIMIT 10`, [id]);
      const openOrders: Array<{ id: string; number: string; category: string; status: string }> = personId
        ? await m.query(`SELECT id, number, category, status FROM ticket WHERE person_id = $1 AND status <> ALL($2::text[]) ORDER BY created_at DESC LIMIT 10`, [personId, TERMINAL_STATUSES])
        : [];
      const [ticket]: Array<{ category: string; status: string; summary: string }> = row.ticket_id ? await m.query(`SELECT category, status, summary FROM ticket WHERE id = $1`, [row.ticket_id]) : [];
      return {
        ...base,
        outcome: row.outcome,
        satisfaction: row.satisfaction,
        script: row.script,
        personDetail: person ? { riskTier: person.risk_tier, livingSituation: person.living_situation, communicationNeed: person.communication_need, disabilityCategory: person.disability_category, disabilityLevel: person.disability_level } : null,
        phones: phones.filter((p) => p.kind !== 'sos_device').map((p) => ({ id: p.id, kind: p.kind, masked: maskPhone(p.e164) })),
        contacts: contacts.map((c) => ({ id: c.id, name: c.name, relation: c.relation, isGuardian: c.isGuardian, masked: maskPhone(c.phoneE164) })),
        history: history.map((h) => ({ at: new Date(h.at).toISOString(), kind: h.kind, note: h.note })),
        openOrders,
        ticketDetail: ticket ?? null,
      } satisfies CareTaskDetail;
    });
    await this.audit.record({ actorId: actor.userId, actorUsername: actor.username, action: 'care.task.read', subjectType: 'care_task', subjectId: id, subjects: subjectsOf([detail]), outcome: 'ok' });
    return detail;
  }

  /**
   * One-click dial from a claimed task: the person's phone (or the guardian, for the guardian channel; or the
   * order's caller for a 回访 without a person) through click-to-call; the call is linked to the task.
   */
  async dial(actor: Actor, id: string, target: { phoneId?: string; contactId?: string }): Promise<DialAccepted> {
    const { task, input } = await this.ds.transaction(async (m) => {
      const t = await this.lockInScope(m, actor, id);
      this.mustHold(t, actor);
      return { task: t, input: await dialTarget(m, t, target) };
    });
    const accepted = await this.clickToCall.dial(actor, input);
    await this.ds.transaction(async (m) => {
      await m.update(CareTask, { id }, { dialRequestId: accepted.requestId });
      await m.insert(CareEvent, { personId: task.personId, taskId: id, at: this.clock.now(), actorId: actor.userId, kind: 'dialed', note: `外呼 ${accepted.toMasked}` });
    });
    return accepted;
  }

  /**
   * Record the outcome of the claimed task. Care: retry (no answer / busy, inside the window), escalation once
   * the attempts are used up, a work order (needs help, visit), the plan closed (去世/迁出). 回访: the rating on
   * the order (rework when dissatisfied) or 回访失败 after three unanswered attempts.
   */
  async recordOutcome(actor: Actor, id: string, body: unknown): Promise<CareTaskItem> {
    const now = this.clock.now();
    const after = new AfterCommit(this.log);
    await this.ds.transaction(async (m) => {
      const task = await this.lockInScope(m, actor, id);
      if (task.status !== 'open') throw new AppError('conflict', '该任务已结束或正在升级处理，不能再记录结果');
      this.mustHold(task, actor);
      if (task.kind === 'survey') await this.surveyOutcome(m, actor, task, surveyOutcomeSchema.parse(body), now, after);
      else await this.careOutcome(m, actor, task, careOutcomeSchema.parse(body), now, after);
      after.add(() => this.events.emit('care.tasks-changed', { districtCode: task.districtCode, reason: 'outcome' }));
    });
    after.run();
    return this.item(actor, id);
  }

  private async careOutcome(m: EntityManager, actor: Actor, task: CareTask, input: { outcome: CareOutcome; note?: string; questionnaireVersion?: number; answers?: Record<string, unknown> }, now: Date, after: AfterCommit): Promise<void> {
    await saveAnswersIn(m, task, input); // a campaign's questionnaire, tied to the version asked
    const plan = task.planId ? await m.findOneBy(CarePlan, { id: task.planId }) : null;
    const window: CallWindow = plan ? windowOf(plan) : DEFAULT_WINDOW;
    const effect = careOutcomeEffect(input.outcome, task.attempts, (n) => nextAttemptAt(now, n, window));
    const base = { attempts: effect.attempts, outcome: input.outcome, claimedById: null, leaseUntil: null, comment: input.note ?? task.comment };
    const label = OUTCOME_LABEL[input.outcome];
    if (effect.status === 'open') {
      await m.update(CareTask, { id: task.id }, { ...base, dueAt: effect.retryAt });
      await this.event(m, task, actor, 'attempt', `第 ${effect.attempts} 次：${label}；${effect.retryAt.toISOString()} 重拨`, now);
      return;
    }
    if (effect.status === 'escalating') {
      await m.update(CareTask, { id: task.id }, { ...base, status: 'escalating', escalationStep: 0, nextStepAt: now });
      await this.event(m, task, actor, 'attempt', `第 ${effect.attempts} 次：${label}；尝试已用完，开始升级处理`, now);
      return;
    }
    if (effect.status === 'failed') return; // no care outcome fails outright
    let openedTicketId: string | null = null;
    if (effect.openOrder) {
      const opened = await openCareOrder(m, this.audit, actor, effect.openOrder, { personId: task.personId, districtCode: task.districtCode }, input.note ?? '', now);
      openedTicketId = opened.id;
      after.add(() => this.events.emit('ticket.created', { ticketId: opened.id, number: opened.number, districtCode: opened.districtCode, priority: opened.priority, category: opened.category }));
      await this.event(m, task, actor, 'order_opened', `${label}：工单 ${opened.number}`, now);
    }
    await m.update(CareTask, { id: task.id }, { ...base, status: 'done', openedTicketId });
    await this.event(m, task, actor, 'outcome', `${label}${input.note ? `：${input.note}` : ''}`, now);
    if (effect.closePlan && plan) await closePlanIn(m, plan, actor.userId, input.note ?? label, now);
    await this.audit.record({ actorId: actor.userId, actorUsername: actor.username, action: 'care.task.outcome', subjectType: 'care_task', subjectId: task.id, subjects: task.personId ? [{ type: 'person', id: task.personId }] : [], outcome: 'ok' }, m);
  }

  private async surveyOutcome(m: EntityManager, actor: Actor, task: CareTask, input: { outcome: SurveyOutcome; satisfaction?: CareTask['satisfaction']; resolved?: boolean; comment?: string; note?: string }, now: Date, after: AfterCommit): Promise<void> {
    const ticketId = task.ticketId!;
    if (input.outcome === 'reached') {
      // Nobody grades an order they created, answered or completed (separation of duties).
      const [t]: { created_by_id: string }[] = await m.query(`SELECT created_by_id FROM ticket WHERE id = $1`, [ticketId]);
      const did: { actor_id: string; kind: string }[] = await m.query(`SELECT actor_id, kind FROM ticket_event WHERE ticket_id = $1 AND kind IN ('dispatch', 'answer', 'complete') AND actor_id IS NOT NULL ORDER BY id`, [ticketId]);
      const duty = checkDuty(actor, 'record_callback', { createdById: t!.created_by_id, lastDispatchedById: did.filter((d) => d.kind === 'dispatch').at(-1)?.actor_id ?? null, answeredOrCompletedBy: did.filter((d) => d.kind !== 'dispatch').map((d) => d.actor_id) });
      if (!duty.ok) throw new AppError('auth/forbidden', duty.reason);
    }
    const [{ window_start, window_end, quiet_start, quiet_end }]: Array<{ window_start: number | null; window_end: number | null; quiet_start: number | null; quiet_end: number | null }> = task.personId
      ? await m.query(`SELECT p.window_start, p.window_end, p.quiet_start, p.quiet_end FROM (SELECT 1) x LEFT JOIN care_plan p ON p.person_id = $1`, [task.personId])
      : [{ window_start: null, window_end: null, quiet_start: null, quiet_end: null }];
    const window: CallWindow = window_start != null ? { start: window_start, end: window_end!, quietStart: quiet_start, quietEnd: quiet_end } : DEFAULT_WINDOW;
    const effect = surveyOutcomeEffect(input.outcome, (input.satisfaction as never) ?? null, task.attempts, (n) => nextAttemptAt(now, n, window));
    const base = { attempts: effect.attempts, outcome: input.outcome, claimedById: null, leaseUntil: null };
    const label = OUTCOME_LABEL[input.outcome];
    if (effect.status === 'open') {
      await m.update(CareTask, { id: task.id }, { ...base, dueAt: effect.retryAt });
      await this.event(m, task, actor, 'attempt', `回访第 ${effect.attempts} 次：${label}；${effect.retryAt.toISOString()} 重拨`, now);
    } else if (effect.status === 'failed') {
      await m.update(CareTask, { id: task.id }, { ...base, status: 'failed' });
      const reason = input.outcome === 'no_answer' || input.outcome === 'busy' ? `${effect.attempts} 次未接通` : label;
      await this.surveys.failOnOrder(m, actor.userId, ticketId, reason, now);
      await this.event(m, task, actor, 'survey_failed', `回访失败：${reason}`, now);
    } else {
      await m.update(CareTask, { id: task.id }, { ...base, status: 'done', satisfaction: input.satisfaction ?? null, resolved: input.resolved ?? null, comment: input.comment ?? null });
      await this.surveys.recordOnOrder(m, actor, ticketId, input.satisfaction as never, input.resolved ?? false, input.comment ?? null, now);
      await this.event(m, task, actor, 'survey_done', `回访：${input.satisfaction}${effect.rework ? '，重办' : ''}`, now);
    }
    const [t]: { id: string; number: string; district_code: string; status: string }[] = await m.query(`SELECT id, number, district_code, status FROM ticket WHERE id = $1`, [ticketId]);
    after.add(() => this.events.emit('ticket.updated', { ticketId: t!.id, number: t!.number, districtCode: t!.district_code, status: t!.status }));
    await this.audit.record({ actorId: actor.userId, actorUsername: actor.username, action: 'care.survey.outcome', subjectType: 'ticket', subjectId: ticketId, subjects: task.personId ? [{ type: 'person', id: task.personId }] : [], outcome: 'ok' }, m);
  }

  /** After the commit: the task's district hears that its work list changed (a claimed task leaves the others' lists). */
  private async changed(id: string, reason: string): Promise<void> {
    const [t]: { district_code: string }[] = await this.ds.query(`SELECT district_code FROM care_task WHERE id = $1`, [id]);
    if (t) this.events.emit('care.tasks-changed', { districtCode: t.district_code, reason });
  }

  private async event(m: EntityManager, task: CareTask, actor: Actor, kind: string, note: string, at: Date): Promise<void> {
    await m.insert(CareEvent, { personId: task.personId, taskId: task.id, at, actorId: actor.userId, kind, note });
  }

  private async item(actor: Actor, id: string): Promise<CareTaskItem> {
    const [row]: TaskRow[] = await this.ds.query(`${TASK_SELECT} WHERE c.id = $1`, [id]);
    return itemOf(row!, actor, this.clock.now());
  }

  private async lockInScope(m: EntityManager, actor: Actor, id: string): Promise<CareTask> {
    const task = await m.findOne(CareTask, { where: { id }, lock: { mode: 'pessimistic_write' } });
    if (!task || !(actor.scopePrefix === null || task.districtCode.startsWith(actor.scopePrefix))) throw new AppError('care/not-found', `关怀任务 ${id} 不存在`);
    return task;
  }

  private mustHold(task: CareTask, actor: Actor): void {
    if (task.claimedById !== actor.userId) throw new AppError('care/not-claimed', '请先领取该任务（它不在您名下，或已被他人领取）');
  }
}

/** Tasks of a paused campaign stay off the work list until it resumes. */
const NOT_PAUSED = `NOT EXISTS (SELECT 1 FROM campaign k WHERE k.id = c.campaign_id AND k.status = 'paused')`;

const OUTCOME_LABEL: Record<string, string> = {
  reached_fine: '已接通，情况良好',
  reached_needs_help: '已接通，需要帮助',
  no_answer: '无人接听',
  busy: '占线',
  wrong_number: '号码错误',
  refused: '拒绝',
  visit_needed: '需要上门',
  deceased_moved: '去世/迁出',
  reached: '已接通',
};

function leaseEnd(now: Date): Date {
  return new Date(now.getTime() + LEASE_MINUTES * 60_000);
}

interface TaskRow {
  id: string;
  kind: CareTask['kind'];
  status: CareTask['status'];
  due_at: Date;
  attempts: number;
  person_id: string | null;
  person_name: string | null;
  risk_tier: string | null;
  ticket_id: string | null;
  ticket_number: string | null;
  channel: string | null;
  script: string | null;
  claimed_by_id: string | null;
  lease_until: Date | null;
  outcome: string | null;
  satisfaction: string | null;
  campaign_id: string | null;
  campaign_name: string | null;
  event: string | null;
  total: string;
}

const TASK_SELECT = `
  SELECT c.id, c.kind, c.status, c.due_at, c.attempts, c.person_id, per.name AS person_name, per.risk_tier, c.ticket_id, t.number AS ticket_number,
         p.channel, p.script, c.claimed_by_id, c.lease_until, c.outcome, c.satisfaction, c.campaign_id, k.name AS campaign_name, c.event, count(*) OVER () AS total
    FROM care_task c
    LEFT JOIN person per ON per.id = c.person_id
    LEFT JOIN ticket t ON t.id = c.ticket_id
    LEFT JOIN care_plan p ON p.person_id = c.person_id
    LEFT JOIN campaign k ON k.id = c.campaign_id`;

function itemOf(r: TaskRow, actor: Actor, now: Date): CareTaskItem {
  const due = new Date(r.due_at);
  const held = r.claimed_by_id === actor.userId && r.lease_until !== null;
  return {
    id: r.id,
    kind: r.kind,
    status: r.status,
    dueAt: due.toISOString(),
    overdue: r.status === 'open' && shanghaiDate(due) < shanghaiDate(now),
    attempts: r.attempts,
    riskTier: r.risk_tier,
    person: r.person_id ? { id: r.person_id, name: r.person_name ?? '' } : null,
    ticket: r.ticket_id ? { id: r.ticket_id, number: r.ticket_number ?? '' } : null,
    channel: r.channel ?? (r.kind === 'survey' ? 'voice' : null),
    claimedByMe: held,
    leaseUntil: held ? new Date(r.lease_until!).toISOString() : null,
    campaign: r.campaign_id ? { id: r.campaign_id, name: r.campaign_name ?? '' } : null,
    event: r.event,
  };
}

function subjectsOf(items: Array<Pick<CareTaskItem, 'person' | 'ticket'>>): Array<{ type: string; id: string }> {
  const out = new Map<string, { type: string; id: string }>();
  for (const i of items) {
    if (i.person) out.set(`p${i.person.id}`, { type: 'person', id: i.person.id });
    if (i.ticket) out.set(`t${i.ticket.id}`, { type: 'ticket', id: i.ticket.id });
  }
  return [...out.values()];
}

/** Whom a task dials, by id (click-to-call never needs the number from the browser). */
async function dialTarget(m: EntityManager, task: CareTask, target: { phoneId?: string; contactId?: string }): Promise<ClickToCallInput> {
  const ticketId = task.ticketId ?? undefined;
  if (!task.personId) {
    if (!ticketId) throw new AppError('validation/invalid', '该任务没有可拨打的对象');
    return { ticketId };
  }
  if (target.contactId) return { contactId: target.contactId, ticketId };
  if (target.phoneId) return { personId: task.personId, phoneId: target.phoneId, ticketId };
  const [plan]: { channel: string }[] = await m.query(`SELECT channel FROM care_plan WHERE person_id = $1`, [task.personId]);
  if (plan?.channel === 'guardian') {
    const guardian = await m.findOne(Contact, { where: { personId: task.personId, isGuardian: true }, order: { priority: 'ASC' } });
    if (guardian) return { contactId: guardian.id, ticketId };
  }
  const phone = await m.findOne(PhoneNumber, { where: { personId: task.personId }, order: { id: 'ASC' } });
  if (!phone || phone.kind === 'sos_device') {
    const phones = await m.find(PhoneNumber, { where: { personId: task.personId } });
    const callable = phones.find((p) => p.kind !== 'sos_device');
    if (!callable) throw new AppError('validation/invalid', '该服务对象没有可拨打的电话');
    return { personId: task.personId, phoneId: callable.id, ticketId };
  }
  return { personId: task.personId, phoneId: phone.id, ticketId };
}
