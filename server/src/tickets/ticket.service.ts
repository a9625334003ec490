import { In, type DataSource, type EntityManager } from 'typeorm';
import type { AuditService } from '../audit/audit.service';
import { inScope, type Actor } from '../auth/auth.service';
import { Call } from '../calls/call.entity';
import { Person } from '../persons/person.entity';
import { AppError } from '../shared/app-error';
import type { Clock } from '../shared/clock';
import type { DomainEvents } from '../shared/domain-events';
import { checkClose, checkTransition, defaultPriority, formatTicketNumber, shanghaiDay, slaDueAt, TERMINAL_STATUSES, type TicketAction } from './ticket';
import { callInScope } from './ticket-call-scope';
import { claimKey, requestHash, settleKey } from './ticket-idempotency';
import { actionsFor, checkDuty, checkSosOrder, type OrderSosState, type TicketDuties } from './ticket-roles';
import type { TicketCallbackPort } from './ticket-callback.port';
import type { TicketSosPort } from './ticket-sos.port';
import { Ticket, TicketCall, TicketEvent } from './ticket.entity';
import type { CreateTicketInput, ListTicketsQuery, TransitionInput } from './ticket.schema';

export interface TicketDetail extends Ticket {
  events: TicketEvent[];
  calls: Pick<Call, 'id' | 'direction' | 'status' | 'fromE164' | 'offeredAt' | 'answeredAt' | 'endedAt' | 'agentExtension' | 'outcome' | 'endedAfter' | 'endedBefore'>[];
  /** What this actor may do now (lifecycle, role, duties and the order's SOS). */
  allowedActions: TicketAction[];
  /** The order's open SOS: while `active`, only the SOS actions stop its chain. */
  sos: { id: string; status: NonNullable<OrderSosState> } | null;
}

/** A created order, and whether it is the replay of an earlier request with the same idempotency key. */
export interface CreatedTicket {
  ticket: Ticket;
  replayed: boolean;
}

/**
 * Work orders: create (numbered, linked to a call, idempotent by key), move through the lifecycle (role and
 * duties checked; the order's SOS follows it), list and read (audited with every subject).
 */
export class TicketService {
  constructor(
    private readonly ds: DataSource,
    private readonly audit: AuditService,
    private readonly events: DomainEvents,
    private readonly clock: Clock,
    private readonly sos: TicketSosPort,
    private readonly callbacks: TicketCallbackPort,
  ) {}

  /**
   * Open a work order. Person, call link, first timeline entry and audit row commit together.
   * With `idempotencyKey`, the same key from the same user returns the first order (`replayed`); another
   * body with that key is a conflict.
   * @example await tickets.create(actor, { category: 'inquiry', summary: '咨询补贴', callerRelation: 'self', channel: 'phone', confidential: false });
   */
  async create(actor: Actor, input: CreateTicketInput, idempotencyKey?: string): Promise<CreatedTicket> {
    const now = this.clock.now();
    let replayed: Ticket | null = null;
    const ticket = await this.ds.transaction(async (m) => {
      if (idempotencyKey) {
        const hash = requestHash(input);
        const prior = await claimKey(m, actor.userId, idempotencyKey, hash, now);
        if (prior) {
          if (prior.requestHash !== hash || !prior.ticketId) throw new AppError('conflict', '这个 Idempotency-Key 已用于另一张工单的请求：请换一个新的键');
          replayed = await m.findOneByOrFail(Ticket, { id: prior.ticketId });
          return replayed;
        }
      }
      let districtCode = actor.districtCode;
      if (input.personId) {
        const person = await m.findOneBy(Person, { id: input.personId });
        if (!person) throw new AppError('person/not-found', `服务对象 ${input.personId} 不存在`);
        if (!inScope(actor, person.districtCode)) throw new AppError('auth/forbidden', '无权为该辖区的服务对象建单');
        districtCode = person.districtCode;
      }
      if (input.callId && !(await callInScope(m, actor, input.callId))) {
        throw new AppError('call/not-found', `通话 ${input.callId} 不存在`);
      }
      const priority = input.priority ?? defaultPriority(input.category);
      const row = m.create(Ticket, {
        number: await nextNumber(m, now),
        category: input.category,
        serviceType: input.serviceType ?? null,
        priority,
        status: 'accepted',
        personId: input.personId ?? null,
        callerRelation: input.callerRelation,
        channel: input.channel,
        summary: input.summary,
        districtCode,
        slaDueAt: slaDueAt(priority, now),
        assigneeId: null,
        createdById: actor.userId,
        confidential: input.confidential,
        satisfaction: null,
        closedAt: null,
      });
      const saved = await m.save(Ticket, row);
      await m.insert(TicketEvent, { ticketId: saved.id, at: now, actorId: actor.userId, kind: 'created', fromStatus: null, toStatus: 'accepted', note: null });
      if (input.callId) await this.link(m, actor, saved.id, input.callId, now);
      if (idempotencyKey) await settleKey(m, actor.userId, idempotencyKey, saved.id);
      await this.audit.record({ actorId: actor.userId, actorUsername: actor.username, action: 'ticket.create', subjectType: 'ticket', subjectId: saved.id, subjects: saved.personId ? [{ type: 'person', id: saved.personId }] : [], outcome: 'ok' }, m);
      return saved;
    });
    if (replayed) return { ticket, replayed: true };
    this.events.emit('ticket.created', { ticketId: ticket.id, number: ticket.number, districtCode: ticket.districtCode, priority: ticket.priority, category: ticket.category });
    return { ticket, replayed: false };
  }

  /**
   * Move a ticket through its lifecycle; every change lands in `ticket_event`. The actor's role and duties
   * are checked (403), an unacknowledged SOS refuses what would stop its chain (409), and the order's SOS
   * closes with the order in the same transaction.
   */
  async transition(actor: Actor, id: string, input: TransitionInput): Promise<Ticket> {
    const now = this.clock.now();
    let followed: () => void = () => {};
    const ticket = await this.ds.transaction(async (m) => {
      const t = await this.lockInScope(m, actor, id);
      if (input.version !== undefined && input.version !== t.version) {
        throw new AppError('conflict', `工单已被他人修改（版本 ${t.version}），请刷新后重试`);
      }
      const check = checkTransition(t.category, t.status, input.action, input.note);
      if (!check.ok) throw new AppError('ticket/invalid-transition', check.reason);
      const duty = checkDuty(actor, input.action, await this.duties(m, t));
      if (!duty.ok) throw new AppError('auth/forbidden', duty.reason);
      const sos = checkSosOrder(actor.roles, input.action, (await this.sos.stateOf(m, t.id))?.state ?? null);
      if (!sos.ok) throw new AppError(sos.code, sos.reason);
      let override = false;
      if (input.action === 'close') {
        const close = checkClose({ status: t.status, callback: await this.callbacks.stateOf(m, t.id), role: actor.role, note: input.note });
        if (!close.ok) throw new AppError('ticket/callback-required', close.reason);
        override = close.override;
      }
      const from = t.status;
      t.status = check.to;
      if (input.action === 'record_callback') t.satisfaction = input.satisfaction!;
      if (input.action === 'take') t.assigneeId = actor.userId;
      if (TERMINAL_STATUSES.includes(check.to)) t.closedAt = now;
      const saved = await m.save(Ticket, t);
      await m.insert(TicketEvent, { ticketId: t.id, at: now, actorId: actor.userId, kind: input.action, fromStatus: from, toStatus: check.to, note: override ? `未完成回访，主管办结：${input.note}` : (input.note ?? (input.satisfaction ? `满意度: ${input.satisfaction}` : null)) });
      await this.audit.record({ actorId: actor.userId, actorUsername: actor.username, action: `ticket.${input.action}`, subjectType: 'ticket', subjectId: t.id, outcome: 'ok' }, m);
      followed = await this.sos.follow(m, actor, saved, input.action, input.note ?? null, now);
      await this.callbacks.follow(m, actor, saved, input.action, now);
      return m.findOneByOrFail(Ticket, { id: saved.id });
    });
    this.events.emit('ticket.updated', { ticketId: ticket.id, number: ticket.number, districtCode: ticket.districtCode, status: ticket.status });
    followed();
    return ticket;
  }

  async addNote(actor: Actor, id: string, note: string): Promise<void> {
    await this.ds.transaction(async (m) => {
      const t = await this.lockInScope(m, actor, id);
      await m.insert(TicketEvent, { ticketId: t.id, at: this.clock.now(), actorId: actor.userId, kind: 'note', fromStatus: null, toStatus: null, note });
    });
  }

  async linkCall(actor: Actor, id: string, callId: string): Promise<void> {
    await this.ds.transaction(async (m) => {
      const t = await this.lockInScope(m, actor, id);
      if (!(await callInScope(m, actor, callId))) throw new AppError('call/not-found', `通话 ${callId} 不存在`);
      await this.link(m, actor, t.id, callId, this.clock.now());
    });
  }

  /** One order with its timeline, calls and what this actor may do; the read is audited. */
  async get(actor: Actor, id: string): Promise<TicketDetail> {
    const detail = await this.ds.transaction(async (m): Promise<TicketDetail> => {
      const t = await m.findOneBy(Ticket, { id });
      if (!t || !inScope(actor, t.districtCode)) throw new AppError('ticket/not-found', `工单 ${id} 不存在`);
      const events = await m.find(TicketEvent, { where: { ticketId: id }, order: { id: 'ASC' } });
      const links = await m.findBy(TicketCall, { ticketId: id });
      const calls = links.length ? await m.find(Call, { where: { id: In(links.map((l) => l.callId)) }, order: { offeredAt: 'ASC' } }) : [];
      const sos = await this.sos.stateOf(m, id);
      return {
        ...t,
        events,
        calls: calls.map(({ id: cid, direction, status, fromE164, offeredAt, answeredAt, endedAt, agentExtension, outcome, endedAfter, endedBefore }) => ({ id: cid, direction, status, fromE164, offeredAt, answeredAt, endedAt, agentExtension, outcome, endedAfter, endedBefore })),
        allowedActions: actionsFor(actor, t.category, t.status, dutiesOf(t, events), sos?.state ?? null),
        sos: sos?.state ? { id: sos.sosId, status: sos.state } : null,
      };
    });
    await this.audit.record({ actorId: actor.userId, actorUsername: actor.username, action: 'ticket.read', subjectType: 'ticket', subjectId: id, subjects: detail.personId ? [{ type: 'person', id: detail.personId }] : [], outcome: 'ok' });
    return detail;
  }

  async list(actor: Actor, q: ListTicketsQuery): Promise<{ items: Ticket[]; total: number }> {
    const qb = this.ds.getRepository(Ticket).createQueryBuilder('t');
    if (actor.scopePrefix) qb.andWhere('t.district_code LIKE :scope', { scope: `${actor.scopePrefix}%` });
    if (q.status) qb.andWhere('t.status = :status', { status: q.status });
    if (q.category) qb.andWhere('t.category = :category', { category: q.category });
    if (q.priority) qb.andWhere('t.priority = :priority', { priority: q.priority });
    if (q.personId) qb.andWhere('t.person_id = :personId', { personId: q.personId });
    if (q.open !== undefined) qb.andWhere(q.open ? 't.status NOT IN (:...terminal)' : 't.status IN (:...terminal)', { terminal: TERMINAL_STATUSES });
    if (q.from) qb.andWhere('t.created_at >= :from', { from: q.from });
    if (q.to) qb.andWhere('t.created_at < :to', { to: q.to });
    qb.orderBy('t.created_at', 'DESC').addOrderBy('t.id', 'DESC').skip(q.offset).take(q.limit);
    const [items, total] = await qb.getManyAndCount();
    const persons = [...new Set(items.flatMap((i) => (i.personId ? [i.personId] : [])))];
    await this.audit.record({
      actorId: actor.userId,
      actorUsername: actor.username,
      action: 'ticket.list',
      subjects: [...items.map((i) => ({ type: 'ticket', id: i.id })), ...persons.map((p) => ({ type: 'person', id: p }))],
      outcome: 'ok',
    });
    return { items, total };
  }

  /** Who created, dispatched, answered and completed the order (separation of duties). */
  private async duties(m: EntityManager, t: Ticket): Promise<TicketDuties> {
    const events = await m.find(TicketEvent, { where: { ticketId: t.id, kind: In(['dispatch', 'answer', 'complete']) }, order: { id: 'ASC' } });
    return dutiesOf(t, events);
  }

  private async lockInScope(m: EntityManager, actor: Actor, id: string): Promise<Ticket> {
    const t = await m.findOne(Ticket, { where: { id }, lock: { mode: 'pessimistic_write' } });
    if (!t || !inScope(actor, t.districtCode)) throw new AppError('ticket/not-found', `工单 ${id} 不存在`);
    return t;
  }

  private async link(m: EntityManager, actor: Actor, ticketId: string, callId: string, at: Date): Promise<void> {
    if (await m.existsBy(TicketCall, { ticketId, callId })) return;
    await m.insert(TicketCall, { ticketId, callId });
    await m.insert(TicketEvent, { ticketId, at, actorId: actor.userId, kind: 'call_linked', fromStatus: null, toStatus: null, note: callId });
  }
}

function dutiesOf(t: Ticket, events: TicketEvent[]): TicketDuties {
  const by = (kinds: string[]) => events.filter((e) => kinds.includes(e.kind) && e.actorId).map((e) => e.actorId!);
  return { createdById: t.createdById, lastDispatchedById: by(['dispatch']).at(-1) ?? null, answeredOrCompletedBy: by(['answer', 'complete']) };
}

/** `YYYYMMDD-NNNN` from the day's sequence (no lock held to COMMIT; a rollback leaves a gap). */
async function nextNumber(m: EntityManager, now: Date): Promise<string> {
  const day = shanghaiDay(now);
  const rows: { last: string }[] = await m.query('SELECT anxin_next_ticket_seq($1) AS last', [day]);
  return formatTicketNumber(day, Number(rows[0].last));
}

