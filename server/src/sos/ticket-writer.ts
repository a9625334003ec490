/**
 * Work-order writes inside a transaction the caller already holds.
 *
 * Why not `TicketService`: its methods open their own transaction, and an SOS must commit its order, the
 * alarm receipt, the escalation state and the outbox messages together (a 2xx to a device means all of
 * them exist). These helpers apply the same rules (`tickets/ticket.ts`: numbering, SLA, lifecycle checks)
 * with the caller's EntityManager; the caller emits `ticket.created` / `ticket.updated` after commit.
 * If TicketService gains `createIn(m, …)` / `transitionIn(m, …)`, these become thin wrappers.
 */
import { randomUUID } from 'node:crypto';
import type { EntityManager } from 'typeorm';
import type { AuditService } from '../audit/audit.service';
import type { Actor } from '../auth/auth.service';
import { checkTransition, shanghaiDay, slaDueAt, TERMINAL_STATUSES, type CallerRelation, type TicketAction, type TicketCategory, type TicketChannel, type TicketPriority } from '../tickets/ticket';
import { Ticket, TicketEvent } from '../tickets/ticket.entity';
import { prepared } from './prepared';

export interface TicketDraft {
  category: TicketCategory;
  priority: TicketPriority;
  channel: TicketChannel;
  summary: string;
  personId: string | null;
  districtCode: string;
  serviceType?: string | null;
  /** Who reported it; `self` by default. */
  callerRelation?: CallerRelation;
}

/** The fields of a new order the callers need (events, receipts). */
export interface OpenedTicket {
  id: string;
  number: string;
  category: TicketCategory;
  priority: TicketPriority;
  status: 'accepted';
  districtCode: string;
}

/**
 * Open a work order (status 受理 accepted) with its number, first timeline entry and audit entry in ONE
 * statement: this is on the alarm path, where PGlite's cost is per statement. The number is `YYYYMMDD-NNNN`
 * as `formatTicketNumber` (tickets/ticket.ts) writes it: the day's sequence padded to 4 digits.
 * The audit row is the one `AuditService.prepare` makes (safe text, nonce, row MAC), so the sealer chains it; the
 * order's id is made here so the entry can name it before the statement runs.
 */
export async function openTicket(m: EntityManager, audit: AuditService, actor: Actor, draft: TicketDraft, now: Date): Promise<OpenedTicket> {
  const ticketId = randomUUID();
  const entry = audit.prepare({ actorId: actor.userId, actorUsername: actor.username, action: 'ticket.create', subjectType: 'ticket', subjectId: ticketId, subjects: draft.personId ? [{ type: 'person', id: draft.personId }] : [], outcome: 'ok' }, now);
  const [{ id, number }] = await prepared<{ id: string; number: string }>(
    m,
    'open_ticket',
    `WITH n AS (
       SELECT anxin_next_ticket_seq($1) AS last),
     t AS (
       INSERT INTO ticket (id, number, category, service_type, priority, status, person_id, caller_relation, channel, summary, district_code, sla_due_at, created_by_id, created_at, updated_at)
       SELECT $14, $1 || '-' || lpad(n.last::text, greatest(4, length(n.last::text)), '0'), $2, $3, $4, 'accepted', $5, $6, $7, $8, $9, $10, $11, $12, $12 FROM n
       RETURNING id, number),
     e AS (INSERT INTO ticket_event (ticket_id, at, actor_id, kind, to_status) SELECT id, $12, $11, 'created', 'accepted' FROM t),
     a AS (INSERT INTO audit_log (at, actor_id, actor_username, action, subject_type, subject_id, subjects, outcome, nonce, mac) VALUES ($15, $16, $13, $17, $18, $19, $20, $21, $22, $23))
     SELECT id, number FROM t`,
    [shanghaiDay(now), draft.category, draft.serviceType ?? null, draft.priority, draft.personId, draft.callerRelation ?? 'self', draft.channel, draft.summary.slice(0, 2000), draft.districtCode, slaDueAt(draft.priority, now), actor.userId, now, entry.actorUsername, ticketId, entry.at, entry.actorId, entry.action, entry.subjectType, entry.subjectId, entry.subjects, entry.outcome, entry.nonce, entry.mac],
  );
  return { id, number, category: draft.category, priority: draft.priority, status: 'accepted', districtCode: draft.districtCode };
}

/** Append a timeline entry. `kind` is at most 20 characters (`sos_escalation`, `sos_ack`, …). */
export async function addTimeline(m: EntityManager, ticketId: string, at: Date, actorId: string | null, kind: string, note: string | null): Promise<void> {
  await m.insert(TicketEvent, { ticketId, at, actorId, kind: kind.slice(0, 20), fromStatus: null, toStatus: null, note });
}

/**
 * Apply a lifecycle action when the rules allow it now; returns the updated ticket, or null when the
 * action does not fit the current state (nothing written). Locks the ticket row.
 */
export async function applyTicketAction(m: EntityManager, audit: AuditService, actor: Actor, ticketId: string, action: TicketAction, note: string | null, now: Date): Promise<Ticket | null> {
  const t = await m.findOne(Ticket, { where: { id: ticketId }, lock: { mode: 'pessimistic_write' } });
  if (!t) return null;
  const check = checkTransition(t.category, t.status, action, note ?? undefined);
  if (!check.ok) return null;
  const from = t.status;
  t.status = check.to;
  if (TERMINAL_STATUSES.includes(check.to)) t.closedAt = now;
  const saved = await m.save(Ticket, t);
  await m.insert(TicketEvent, { ticketId, at: now, actorId: actor.userId, kind: action, fromStatus: from, toStatus: check.to, note });
  await audit.record({ actorId: actor.userId, actorUsername: actor.username, action: `ticket.${action}`, subjectType: 'ticket', subjectId: ticketId, outcome: 'ok' }, m);
  return saved;
}
