import type { DataSource, EntityManager } from 'typeorm';
import type { AuditService } from '../audit/audit.service';
import type { Actor } from '../auth/auth.service';
import type { Logger } from '../config/logger';
import type { CallPayload } from '../outbox/outbox.entity';
import type { Outbox } from '../outbox/outbox.service';
import { normalizePhone } from '../persons/phone-number';
import type { Clock } from '../shared/clock';
import type { DomainEvents } from '../shared/domain-events';
import type { TicketStatus } from '../tickets/ticket';
import { AfterCommit } from './after-commit';
import { planEscalation, type EscalationTimings, type PlannedStep, type StepAction } from './escalation-plan';
import { SosIncident } from './sos-incident.entity';
import { smsText } from './sos-messages';
import { loadSosContext, type SosContext } from './sos-subject';
import type { SystemActor } from './system-actor';
import { closeIncident, sosOutcomeForOrder } from './sos-order';
import type { ResponderJobs } from './responder-jobs.port';
import { addTimeline, applyTicketAction } from './ticket-writer';

/** Order states in which someone is with the person or the order is over: escalating makes no sense. */
const CHAIN_STOPS_AT: readonly TicketStatus[] = ['in_service', 'done', 'callback_pending', 'callback_done', 'closed', 'cancelled', 'invalid'];

export interface EscalationOptions {
  timings: EscalationTimings;
  /** A PBX is connected: automatic calls go out as originates; otherwise texts only. */
  canCall: boolean;
  communityNumber: string | null;
  hotline: string;
}

/**
 * Runs the SOS escalation chain. Each `tick()` takes every active SOS whose next step is due (claimed
 * with `FOR UPDATE SKIP LOCKED`, so several nodes never run the same step), runs that one step in a
 * transaction — timeline entry, outbox messages, ticket change — and schedules the next step relative to
 * now. Time comes from the injected clock, so tests walk the chain on a fake clock.
 */
export class EscalationService {
  constructor(
    private readonly ds: DataSource,
    private readonly system: SystemActor,
    private readonly audit: AuditService,
    private readonly outbox: Outbox,
    private readonly events: DomainEvents,
    private readonly clock: Clock,
    private readonly options: EscalationOptions,
    private readonly log: Logger,
    private readonly responders: ResponderJobs,
  ) {}

  /**
   * Run every step that is due now. Returns how many steps ran.
   * @example clock.advance(30_000); await escalation.tick(); // the callback step of an unacknowledged SOS
   */
  async tick(): Promise<number> {
    let ran = 0;
    const actor = await this.system.get(); // before any transaction (PGlite: one session)
    for (;;) {
      const after = new AfterCommit(this.log);
      const did = await this.ds.transaction((m) => this.runOneDue(m, actor, after));
      after.run();
      if (!did) return ran;
      ran++;
    }
  }

  private async runOneDue(m: EntityManager, actor: Actor, after: AfterCommit): Promise<boolean> {
    const now = this.clock.now();
    const [due] = await m
      .createQueryBuilder(SosIncident, 's')
      .where(`s.status = 'active'`)
      .andWhere('s.next_step_at <= :now', { now })
      .orderBy('s.next_step_at', 'ASC')
      .limit(1)
      .setLock('pessimistic_write')
      .setOnLocked('skip_locked')
      .getMany();
    if (!due) return false;
    const [{ number, status }]: { number: string; status: TicketStatus }[] = await m.query('SELECT number, status FROM ticket WHERE id = $1', [due.ticketId]);
    if (CHAIN_STOPS_AT.includes(status)) {
      // The order moved on outside the SOS paths (rows from before the SOS followed its order): the SOS
      // follows it now — closed with the order, or taken when someone is with the person.
      const outcome = sosOutcomeForOrder(status);
      if (outcome) {
        await closeIncident(m, this.outbox, due, outcome, actor.userId, now, `工单状态为 ${status}，升级链停止`);
        after.add(() => this.events.emit('sos.closed', { sosId: due.id, ticketId: due.ticketId, ticketNumber: number, districtCode: due.districtCode, outcome, at: now.toISOString() }));
      } else {
        await m.update(SosIncident, { id: due.id }, { status: 'acknowledged', nextStepAt: null, acknowledgedAt: now });
        await addTimeline(m, due.ticketId, now, actor.userId, 'sos_escalation', `工单状态为 ${status}，升级链停止`);
      }
      return true;
    }
    const context = await loadSosContext(m, due, { canCall: this.options.canCall, communityNumber: this.options.communityNumber });
    const plan = planEscalation(context.subject, this.options.timings);
    const step = plan[due.step];
    if (!step) {
      await m.update(SosIncident, { id: due.id }, { nextStepAt: null });
      return true;
    }
    const log = this.log.child({ sosId: due.id, ticket: number, step: due.step + 1 });
    const notes: string[] = [];
    for (const action of step.actions) {
      const note = await this.perform(m, actor, due, number, context, action, after, now);
      if (note) notes.push(note);
    }
    const next = plan[due.step + 1];
    const nextAt = next ? new Date(now.getTime() + next.waitSeconds * 1000) : null;
    await m.update(SosIncident, { id: due.id }, { step: due.step + 1, nextStepAt: nextAt });
    const tail = next ? `；${next.waitSeconds} 秒后仍无人确认将执行下一步` : '；升级链已全部执行，请值班主管跟进';
    await addTimeline(m, due.ticketId, now, actor.userId, 'sos_escalation', `[升级 ${due.step + 1}/${plan.length}] ${step.title}${notes.length ? `：${notes.join('；')}` : ''}${tail}`);
    log.warn({ key: step.key, actions: step.actions.length }, 'SOS escalated');
    after.add(() => this.emit(due, number, step, due.step + 1, plan.length, now, nextAt));
    after.add(() => this.outbox.committed());
    return true;
  }

  /** Carry out one action of a step; returns a sentence for the step's timeline entry, if it has one. */
  private async perform(m: EntityManager, actor: Actor, s: SosIncident, ticketNumber: string, ctx: SosContext, action: StepAction, after: AfterCommit, now: Date): Promise<string | null> {
    const key = `sos:${s.id}:${s.step}:${action.type}`;
    switch (action.type) {
      case 'sms': {
        const body = smsText(action.template, { ticketNumber, personName: ctx.person?.name ?? null, address: ctx.person?.address ?? null, hotline: this.options.hotline });
        await this.outbox.enqueue(m, { kind: 'sms', idempotencyKey: `${key}:${action.to}`, payload: { to: action.to, body }, ticketId: s.ticketId });
        return null;
      }
      case 'call': {
        const dial = normalizePhone(action.to)?.national ?? action.to.replace(/^\+86/, '');
        const payload: CallPayload = {
          toNumber: dial,
          purpose: 'sos',
          who: action.who,
          variables: { __ANXIN_TICKET: ticketNumber, __ANXIN_SOS: s.id, __ANXIN_CALLBACK_NUMBER: dial },
        };
        await this.outbox.enqueue(m, { kind: 'call', idempotencyKey: `${key}:${action.to}`, payload, ticketId: s.ticketId });
        return null;
      }
      case 'responder_job': {
        const ticket = await applyTicketAction(m, this.audit, actor, s.ticketId, 'submit', null, now);
        if (ticket) after.add(() => this.events.emit('ticket.updated', { ticketId: ticket.id, number: ticket.number, districtCode: ticket.districtCode, status: ticket.status }));
        // The urgent job and its parallel offers, in this transaction (the order follows its job to 已派单).
        return this.responders.openFor(m, actor, s.ticketId, now, after);
      }
      case 'notify_supervisors':
        return null; // the sos:escalated notice reaches every supervisor in scope
    }
  }

  private emit(s: SosIncident, ticketNumber: string, step: PlannedStep, n: number, total: number, at: Date, nextAt: Date | null): void {
    this.events.emit('sos.escalated', {
      sosId: s.id,
      ticketId: s.ticketId,
      ticketNumber,
      districtCode: s.districtCode,
      step: n,
      steps: total,
      key: step.key,
      title: step.title,
      at: at.toISOString(),
      nextAt: nextAt?.toISOString() ?? null,
    });
  }
}
