import type { DataSource, EntityManager } from 'typeorm';
import type { AuditService } from '../audit/audit.service';
import { inScope, type Actor } from '../auth/auth.service';
import { may } from '../auth/permissions';
import type { Logger } from '../config/logger';
import type { Outbox } from '../outbox/outbox.service';
import { AppError } from '../shared/app-error';
import type { Clock } from '../shared/clock';
import type { DomainEvents } from '../shared/domain-events';
import type { Ticket } from '../tickets/ticket.entity';
import { AfterCommit } from './after-commit';
import { retryOnUniqueViolation } from './retry-conflict';
import type { SosRaiser, RaiseRequest, RaiseResult } from './sos-raise';
import { OPEN_SOS_STATUSES, SosIncident, type SosStatus } from './sos-incident.entity';
import type { SystemActor } from './system-actor';
import type { ResponderJobs } from './responder-jobs.port';
import { closeIncident } from './sos-order';
import { addTimeline, applyTicketAction } from './ticket-writer';

export interface SosView {
  id: string;
  ticketId: string;
  ticketNumber: string;
  ticketStatus: string;
  personId: string | null;
  personName: string | null;
  source: string;
  status: SosStatus;
  silent: boolean;
  step: number;
  nextStepAt: Date | null;
  repeatCount: number;
  raisedAt: Date;
  acknowledgedAt: Date | null;
  acknowledgedById: string | null;
  closedAt: Date | null;
  districtCode: string;
}

/**
 * SOS incidents: raise (every source ends here), acknowledge (stops the chain), resolve, false alarm.
 * The escalation chain itself runs in {@link EscalationService}.
 */
export class SosService {
  constructor(
    private readonly ds: DataSource,
    private readonly raiser: SosRaiser,
    private readonly system: SystemActor,
    private readonly audit: AuditService,
    private readonly outbox: Outbox,
    private readonly events: DomainEvents,
    private readonly clock: Clock,
    private readonly log: Logger,
    private readonly responders: ResponderJobs,
  ) {}

  /**
   * Raise an SOS in its own transaction (calls, texts). Resolves after the order is committed.
   * @example await sos.raise({ source: 'device_call', alarmType: 'call', personId, deviceId, callKey: 'asterisk:1795346189.0', fromE164, silent: false });
   */
  async raise(req: RaiseRequest): Promise<RaiseResult> {
    const actor = await this.system.get(); // before the transaction: PGlite has one session
    return retryOnUniqueViolation(async () => {
      const after = new AfterCommit(this.log);
      const result = await this.ds.transaction((m) => this.raiser.raiseIn(m, actor, req, this.clock.now(), after));
      after.run();
      return result;
    });
  }

  /** Raise inside a transaction the caller holds (the alarm API); the caller runs `after` once committed. */
  raiseIn(m: EntityManager, actor: Actor, req: RaiseRequest, after: AfterCommit): Promise<RaiseResult> {
    return this.raiser.raiseIn(m, actor, req, this.clock.now(), after);
  }

  /** Someone took the SOS: the chain stops, pending automatic calls are cancelled, the order is in service. */
  async acknowledge(actor: Actor, sosId: string, note?: string): Promise<SosView> {
    this.mayTake(actor);
    return this.change(actor, sosId, async (m, s, now, after) => {
      if (s.status !== 'active') return; // already taken: acknowledging again changes nothing
      await this.stopChain(m, s, actor, now, after, note);
    });
  }

  /** An agent answered an SOS call (the first press or a further one): the same as acknowledging, done by that agent. */
  async acknowledgeByCall(callKey: string, agent: { userId: string | null; username: string | null; name: string }): Promise<void> {
    // The first call or a further press's own call: both are in sos_call.
    const [row]: { id: string }[] = await this.ds.query(`SELECT s.id FROM sos_call sc JOIN sos_incident s ON s.id = sc.sos_id WHERE sc.call_key = $1 AND s.status = 'active'`, [callKey]);
    if (!row) return;
    const system = await this.system.get();
    const agentName = agent.name;
    const actor: Actor = agent.userId ? { ...system, userId: agent.userId, username: agent.username ?? agentName, displayName: agentName } : system;
    await this.change(actor, row.id, async (m, s, now, after) => {
      if (s.status === 'active') await this.stopChain(m, s, actor, now, after, `坐席 ${agentName} 接听了 SOS 来电`, 'call_answered');
    });
  }

  /** The emergency is over: the order moves to 服务完成 where the lifecycle allows. */
  async resolve(actor: Actor, sosId: string, note: string): Promise<SosView> {
    this.mayTake(actor);
    return this.close(actor, sosId, 'resolved', note);
  }

  /** Nothing happened (误报): recorded as the outcome, the order is closed, pending messages cancelled. */
  async falseAlarm(actor: Actor, sosId: string, note: string): Promise<SosView> {
    this.mayTake(actor);
    return this.close(actor, sosId, 'false_alarm', note);
  }

  /** One SOS in the actor's scope; the read is audited (the SOS, its order and its person). */
  async get(actor: Actor, sosId: string): Promise<SosView> {
    const view = await this.view(actor, sosId);
    await this.auditRead(actor, 'sos.read', [view]);
    return view;
  }

  /** Open SOS (active or acknowledged), newest first; `open=false` lists closed ones. Audited with every subject. */
  async list(actor: Actor, open: boolean, limit: number): Promise<SosView[]> {
    const views = await this.query(actor, open ? `s.status IN ('active','acknowledged')` : `s.status NOT IN ('active','acknowledged')`, [], limit);
    await this.auditRead(actor, 'sos.list', views);
    return views;
  }

  private async view(actor: Actor, sosId: string): Promise<SosView> {
    const [view] = await this.query(actor, 's.id = $1', [sosId]);
    if (!view) throw new AppError('sos/not-found', `SOS ${sosId} 不存在`);
    return view;
  }

  private auditRead(actor: Actor, action: 'sos.read' | 'sos.list', views: SosView[]): Promise<void> {
    const persons = [...new Set(views.flatMap((v) => (v.personId ? [v.personId] : [])))];
    const subjects = [...views.flatMap((v) => [{ type: 'sos', id: v.id }, { type: 'ticket', id: v.ticketId }]), ...persons.map((id) => ({ type: 'person', id }))];
    const one = action === 'sos.read' ? { subjectType: 'sos', subjectId: views[0]!.id } : {};
    return this.audit.record({ actorId: actor.userId, actorUsername: actor.username, action, ...one, subjects, outcome: 'ok' });
  }

  private async query(actor: Actor, where: string, params: unknown[], limit = 1): Promise<SosView[]> {
    const scope = actor.scopePrefix ? ` AND s.district_code LIKE $${params.length + 1}` : '';
    const rows: Record<string, unknown>[] = await this.ds.query(
      `SELECT s.*, t.number AS ticket_number, t.status AS ticket_status, p.name AS person_name
       FROM sos_incident s JOIN ticket t ON t.id = s.ticket_id LEFT JOIN person p ON p.id = s.person_id
       WHERE ${where}${scope} ORDER BY s.raised_at DESC LIMIT ${Math.min(Math.max(1, limit), 200)}`,
      actor.scopePrefix ? [...params, `${actor.scopePrefix}%`] : params,
    );
    return rows.map(toView);
  }

  private mayTake(actor: Actor): void {
    if (!may(actor.roles, 'sos.handle')) throw new AppError('auth/forbidden', '只有坐席、调度和主管可以处理 SOS');
  }

  private async stopChain(m: EntityManager, s: SosIncident & { ticketNumber: string }, actor: Actor, now: Date, after: AfterCommit, note?: string, how: 'console' | 'call_answered' = 'console'): Promise<void> {
    await m.update(SosIncident, { id: s.id }, { status: 'acknowledged', acknowledgedAt: now, acknowledgedById: actor.userId, nextStepAt: null });
    const cancelled = await this.outbox.cancelPending(m, s.ticketId, 'call');
    await addTimeline(m, s.ticketId, now, actor.userId, 'sos_ack', `${actor.displayName} 已确认 SOS，升级链停止${cancelled ? `，取消 ${cancelled} 个待拨外呼` : ''}${note ? `：${note}` : ''}`);
    const ticket = await applyTicketAction(m, this.audit, actor, s.ticketId, 'start', null, now);
    after.add(() => this.events.emit('sos.acknowledged', { sosId: s.id, ticketId: s.ticketId, ticketNumber: s.ticketNumber, districtCode: s.districtCode, byUserId: actor.userId, byName: actor.displayName, how, at: now.toISOString() }));
    if (ticket) after.add(() => this.events.emit('ticket.updated', { ticketId: ticket.id, number: ticket.number, districtCode: ticket.districtCode, status: ticket.status }));
  }

  private close(actor: Actor, sosId: string, outcome: 'resolved' | 'false_alarm', note: string): Promise<SosView> {
    return this.change(actor, sosId, async (m, s, now, after) => {
      if (!OPEN_SOS_STATUSES.includes(s.status)) throw new AppError('ticket/invalid-transition', `SOS 已结束（${s.status}）`);
      await closeIncident(m, this.outbox, s, outcome, actor.userId, now, `${note}（${actor.displayName}）`);
      let ticket: Ticket | null = null;
      if (outcome === 'false_alarm') {
        // 误报 fits accepted / pending_dispatch / in_service; a dispatched or taken order is cancelled instead.
        ticket = (await applyTicketAction(m, this.audit, actor, s.ticketId, 'false_alarm', note, now)) ?? (await applyTicketAction(m, this.audit, actor, s.ticketId, 'cancel', `SOS 误报：${note}`, now));
      } else {
        ticket = (await applyTicketAction(m, this.audit, actor, s.ticketId, 'start', null, now)) ?? ticket;
        ticket = (await applyTicketAction(m, this.audit, actor, s.ticketId, 'complete', note, now)) ?? ticket;
      }
      await this.responders.stopFor(m, actor, s.ticketId, outcome, now, after);
      after.add(() => this.events.emit('sos.closed', { sosId: s.id, ticketId: s.ticketId, ticketNumber: s.ticketNumber, districtCode: s.districtCode, outcome, at: now.toISOString() }));
      if (ticket) {
        const t = ticket;
        after.add(() => this.events.emit('ticket.updated', { ticketId: t.id, number: t.number, districtCode: t.districtCode, status: t.status }));
      }
    });
  }

  /** Lock the incident (in scope), apply `fn`, commit, run the effects, return the fresh view. */
  private async change(actor: Actor, sosId: string, fn: (m: EntityManager, s: SosIncident & { ticketNumber: string }, now: Date, after: AfterCommit) => Promise<void>): Promise<SosView> {
    const after = new AfterCommit(this.log);
    await this.ds.transaction(async (m) => {
      const s = await m.findOne(SosIncident, { where: { id: sosId }, lock: { mode: 'pessimistic_write' } });
      if (!s || !inScope(actor, s.districtCode)) throw new AppError('sos/not-found', `SOS ${sosId} 不存在`);
      const [{ number }]: { number: string }[] = await m.query('SELECT number FROM ticket WHERE id = $1', [s.ticketId]);
      await fn(m, Object.assign(s, { ticketNumber: number }), this.clock.now(), after);
    });
    after.run();
    return this.view({ ...actor, scopePrefix: null }, sosId);
  }
}

function toView(r: Record<string, unknown>): SosView {
  return {
    id: r.id as string,
    ticketId: r.ticket_id as string,
    ticketNumber: r.ticket_number as string,
    ticketStatus: r.ticket_status as string,
    personId: (r.person_id as string | null) ?? null,
    personName: (r.person_name as string | null) ?? null,
    source: r.source as string,
    status: r.status as SosStatus,
    silent: r.silent as boolean,
    step: Number(r.step),
    nextStepAt: (r.next_step_at as Date | null) ?? null,
    repeatCount: Number(r.repeat_count),
    raisedAt: r.raised_at as Date,
    acknowledgedAt: (r.acknowledged_at as Date | null) ?? null,
    acknowledgedById: (r.acknowledged_by_id as string | null) ?? null,
    closedAt: (r.closed_at as Date | null) ?? null,
    districtCode: r.district_code as string,
  };
}
