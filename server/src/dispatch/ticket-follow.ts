import type { EntityManager } from 'typeorm';
import type { AfterCommit } from '../sos/after-commit';
import { checkTransition, type TicketAction } from '../tickets/ticket';
import { Ticket, TicketEvent } from '../tickets/ticket.entity';
import type { CascadeActor } from './job-cascade';
import type { DispatchNotices } from './dispatch-notices';

/**
 * Move the work order along with its job when the lifecycle allows it now (dispatched → taken →
 * in_service → done); otherwise leave it. The change lands on the order's timeline with who and when:
 * a staff user as the actor, a field worker or volunteer named in the note.
 */
export async function followTicket(m: EntityManager, ticketId: string, action: Extract<TicketAction, 'dispatch' | 'take' | 'start' | 'complete'>, actor: CascadeActor, now: Date, after: AfterCommit, notices: DispatchNotices): Promise<boolean> {
  const t = await m.findOne(Ticket, { where: { id: ticketId }, lock: { mode: 'pessimistic_write' } });
  if (!t) return false;
  const check = checkTransition(t.category, t.status, action);
  if (!check.ok) return false;
  const from = t.status;
  await m.update(Ticket, { id: t.id }, { status: check.to });
  await m.insert(TicketEvent, { ticketId: t.id, at: now, actorId: actor.staffUserId, kind: action, fromStatus: from, toStatus: check.to, note: actor.staffUserId ? null : `由${actor.label}（派单）` });
  after.add(() => notices.ticketUpdated({ ticketId: t.id, number: t.number, districtCode: t.districtCode, status: check.to }));
  return true;
}
