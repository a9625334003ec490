import { Router } from 'express';
import { PERMISSIONS } from '../auth/permissions';
import { actorOf, requireRole } from '../http/auth.middleware';
import { createPersonSchema } from './person-create.schema';
import type { PersonCreateService } from './person-create.service';

/** `POST /api/persons` → 201 with the new record (masked, as `GET /api/persons/:id` returns it). */
export function personCreateRoutes(creator: PersonCreateService): Router {
  const r = Router();
  r.post('/', requireRole(...PERMISSIONS['person.create']), async (req, res) => {
    const person = await creator.create(actorOf(req), createPersonSchema.parse(req.body ?? {}));
    res.status(201).location(`/api/persons/${person.id}`).json(person);
  });
  return r;
}
