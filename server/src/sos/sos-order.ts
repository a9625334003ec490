/**
 * An SOS follows its P0 order on every path. When the order is completed, closed, cancelled or found
 * invalid — through the SOS actions or the ordinary order actions — its open SOS closes in the same
 * transaction, so the person's next press opens a new order and a new escalation chain.
 */
import type { EntityManager } from 'typeorm';
import type { Actor } from '../auth/auth.service';
import type { Logger } from '../config/logger';
import type { Outbox } from '../outbox/outbox.service';
import type { DomainEvents } from '../shared/domain-events';
import type { TicketAction, TicketStatus } from '../tickets/ticket';
import type { Ticket } from '../tickets/ticket.entity';
import type { OrderSosState } from '../tickets/ticket-roles';
import type { TicketSosPort } from '../tickets/ticket-sos.port';
import { AfterCommit } from './after-commit';
import type { SosOutcome } from './sos-incident.entity';
import type { ResponderJobs } from './responder-jobs.port';
import { addTimeline } from './ticket-writer';

/** Order states in which the emergency is over: `done` (服务完成) onwards, and the terminal states. */
export const ORDER_OVER: readonly TicketStatus[] = ['done', 'callback_pending', 'callback_done', 'closed', 'cancelled', 'invalid'];

/**
 * How an open SOS ends when its order reaches `status` (by `action` when known); null while the order is open.
 * @example sosOutcomeForOrder('cancelled', 'cancel') // 'cancelled'
 */
export function sosOutcomeForOrder(status: TicketStatus, action: TicketAction | null = null): SosOutcome | null {
  if (!ORDER_OVER.includes(status)) return null;
  if (action === 'false_alarm' || status === 'invalid') return 'false_alarm';
  if (status === 'cancelled') return 'cancelled';
  return 'resolved';
}

const OUTCOME_LABEL: Record<SosOutcome, string> = { resolved: 'SOS 已解除', false_alarm: 'SOS 误报', cancelled: 'SOS 已取消' };

/** Timeline kind of each outcome (`sos_resolved`, `sos_false_alarm`, `sos_cancelled`). */
export const OUTCOME_KIND: Record<SosOutcome, string> = { resolved: 'sos_resolved', false_alarm: 'sos_false_alarm', cancelled: 'sos_cancelled' };

interface OpenIncident {
  id: string;
  ticket_id: string;
  district_code: string;
  status: 'active' | 'acknowledged';
  acknowledged_at: Date | null;
}

/**
 * Close an open SOS with `outcome`: incident row, pending automatic calls (and texts, unless resolved)
 * cancelled, one timeline entry. Returns how many outbox messages were cancelled.
 */
export async function closeIncident(m: EntityManager, outbox: Outbox, s: { id: string; ticketId: string; acknowledgedAt: Date | null }, outcome: SosOutcome, actorId: string | null, now: Date, note: string): Promise<number> {
  await m.query(
    `UPDATE sos_incident SET status = $2, closed_at = $3, next_step_at = NULL,
       acknowledged_at = COALESCE(acknowledged_at, $3), acknowledged_by_id = CASE WHEN acknowledged_at IS NULL THEN $4::uuid ELSE acknowledged_by_id END
     WHERE id = $1`,
    [s.id, outcome, now, actorId],
  );
  const cancelled = (await outbox.cancelPending(m, s.ticketId, 'call')) + (outcome === 'resolved' ? 0 : await outbox.cancelPending(m, s.ticketId, 'sms'));
  await addTimeline(m, s.ticketId, now, actorId, OUTCOME_KIND[outcome], `${OUTCOME_LABEL[outcome]}：${note}${cancelled ? `；取消 ${cancelled} 条待发消息` : ''}`);
  return cancelled;
}

/** The SOS side of the order service ({@link TicketSosPort}). */
export class SosOrderLink implements TicketSosPort {
  constructor(
    private readonly outbox: Outbox,
    private readonly events: DomainEvents,
    private readonly responders: ResponderJobs,
    private readonly log: Logger,
  ) {}

  async stateOf(m: EntityManager, ticketId: string): Promise<{ sosId: string; state: OrderSosState } | null> {
    const [row]: { id: string; status: 'active' | 'acknowledged' }[] = await m.query(`SELECT id, status FROM sos_incident WHERE ticket_id = $1 AND status IN ('active','acknowledged')`, [ticketId]);
    return row ? { sosId: row.id, state: row.status } : null;
  }

  async follow(m: EntityManager, actor: Actor, ticket: Ticket, action: TicketAction, note: string | null, now: Date): Promise<() => void> {
    const outcome = sosOutcomeForOrder(ticket.status, action);
    if (!outcome) return this.jobsFollow(m, actor, ticket, action, note, now);
    const [s]: OpenIncident[] = await m.query(
      `SELECT id, ticket_id, district_code, status, acknowledged_at FROM sos_incident WHERE ticket_id = $1 AND status IN ('active','acknowledged') FOR UPDATE`,
      [ticket.id],
    );
    if (!s) return this.jobsFollow(m, actor, ticket, action, note, now);
    await closeIncident(m, this.outbox, { id: s.id, ticketId: s.ticket_id, acknowledgedAt: s.acknowledged_at }, outcome, actor.userId, now, `工单「${action}」（${actor.displayName}）${note ? `：${note}` : ''}`);
    // The responder job follows: offers withdrawn, the job cancelled (a cancelled order stands the responder down).
    const after = new AfterCommit(this.log);
    await this.responders.stopFor(m, actor, ticket.id, outcome, now, after);
    after.add(() => this.events.emit('sos.closed', { sosId: s.id, ticketId: ticket.id, ticketNumber: ticket.number, districtCode: s.district_code, outcome, at: now.toISOString() }));
    return () => after.run();
  }

  /** Any order cancelled or invalidated: its service jobs stop too (no offer goes on for an order that is over). */
  private async jobsFollow(m: EntityManager, actor: Actor, ticket: Ticket, action: TicketAction, note: string | null, now: Date): Promise<() => void> {
    if (ticket.status !== 'cancelled' && ticket.status !== 'invalid') return () => {};
    const after = new AfterCommit(this.log);
    await this.responders.cancelFor(m, actor, ticket.id, `工单已${ticket.status === 'cancelled' ? '取消' : '作废'}（${actor.displayName}）${note ? `：${note}` : ''}`, now, after);
    return () => after.run();
  }
}
