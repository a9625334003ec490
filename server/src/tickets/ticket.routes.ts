import { Router } from 'express';
import { actorOf, requireRole } from '../http/auth.middleware';
import { uuidParam } from '../persons/person.schema';
import { createTicketSchema, linkCallSchema, listTicketsSchema, noteSchema, transitionSchema } from './ticket.schema';
import type { TicketService } from './ticket.service';

const STAFF = ['agent', 'dispatcher', 'supervisor', 'admin'] as const;

export function ticketRoutes(tickets: TicketService): Router {
  const r = Router();
  r.get('/', requireRole(...STAFF), async (req, res) => {
    res.json(await tickets.list(actorOf(req), listTicketsSchema.parse(req.query)));
  });
  r.post('/', requireRole('agent', 'supervisor', 'dispatcher'), async (req, res) => {
    const ticket = await tickets.create(actorOf(req), createTicketSchema.parse(req.body ?? {}));
    res.status(201).location(`/api/tickets/${ticket.id}`).json(ticket);
  });
  r.get('/:id', requireRole(...STAFF), async (req, res) => {
    res.json(await tickets.get(actorOf(req), uuidParam.parse(req.params).id));
  });
  r.post('/:id/transitions', requireRole(...STAFF), async (req, res) => {
    res.json(await tickets.transition(actorOf(req), uuidParam.parse(req.params).id, transitionSchema.parse(req.body ?? {})));
  });
  r.post('/:id/notes', requireRole(...STAFF), async (req, res) => {
    await tickets.addNote(actorOf(req), uuidParam.parse(req.params).id, noteSchema.parse(req.body ?? {}).note);
    res.status(201).json({ ok: true });
  });
  r.post('/:id/calls', requireRole(...STAFF), async (req, res) => {
    await tickets.linkCall(actorOf(req), uuidParam.parse(req.params).id, linkCallSchema.parse(req.body ?? {}).callId);
    res.status(201).json({ ok: true });
  });
  return r;
}
