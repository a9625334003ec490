import { Router } from 'express';
import { PERMISSIONS } from '../auth/permissions';
import { actorOf, requireRole } from '../http/auth.middleware';
import { uuidParam } from '../persons/person.schema';
import { idempotencyKeySchema } from './ticket-idempotency';
import { createTicketSchema, linkCallSchema, listTicketsSchema, noteSchema, transitionSchema } from './ticket.schema';
import type { TicketService } from './ticket.service';

/**
 * `/api/tickets`. Roles per endpoint from `PERMISSIONS`; each lifecycle action has its own roles, checked in
 * the service (`ticket-roles.ts`).
 */
export function ticketRoutes(tickets: TicketService): Router {
  const r = Router();
  r.get('/', requireRole(...PERMISSIONS['ticket.read']), async (req, res) => {
    res.json(await tickets.list(actorOf(req), listTicketsSchema.parse(req.query)));
  });
  r.post('/', requireRole(...PERMISSIONS['ticket.create']), async (req, res) => {
    const header = req.get('idempotency-key');
    const key = header === undefined ? undefined : idempotencyKeySchema.parse(header);
    const { ticket, replayed } = await tickets.create(actorOf(req), createTicketSchema.parse(req.body ?? {}), key);
    if (replayed) res.setHeader('Idempotent-Replayed', 'true');
    res.status(201).location(`/api/tickets/${ticket.id}`).json(ticket);
  });
  r.get('/:id', requireRole(...PERMISSIONS['ticket.read']), async (req, res) => {
    res.json(await tickets.get(actorOf(req), uuidParam.parse(req.params).id));
  });
  r.post('/:id/transitions', requireRole(...PERMISSIONS['ticket.read']), async (req, res) => {
    res.json(await tickets.transition(actorOf(req), uuidParam.parse(req.params).id, transitionSchema.parse(req.body ?? {})));
  });
  r.post('/:id/notes', requireRole(...PERMISSIONS['ticket.note']), async (req, res) => {
    await tickets.addNote(actorOf(req), uuidParam.parse(req.params).id, noteSchema.parse(req.body ?? {}).note);
    res.status(201).json({ ok: true });
  });
  r.post('/:id/calls', requireRole(...PERMISSIONS['ticket.link-call']), async (req, res) => {
    await tickets.linkCall(actorOf(req), uuidParam.parse(req.params).id, linkCallSchema.parse(req.body ?? {}).callId);
    res.status(201).json({ ok: true });
  });
  return r;
}
