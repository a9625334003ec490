import { Router } from 'express';
import { PERMISSIONS } from '../auth/permissions';
import { actorOf, requireRole } from '../http/auth.middleware';
import { personSearchSchema, revealSchema, uuidParam } from './person.schema';
import type { PersonRevealService } from './person-reveal.service';
import type { PersonService } from './person.service';

/**
 * `GET /api/persons` (search, masked), `GET /api/persons/:id` (the record, masked, no medical notes) and
 * `POST /api/persons/:id/reveal` (full values, with a purpose; audited and rate-limited).
 */
export function personRoutes(persons: PersonService, reveals: PersonRevealService): Router {
  const r = Router();
  r.get('/', requireRole(...PERMISSIONS['person.read']), async (req, res) => {
    res.json(await persons.search(actorOf(req), personSearchSchema.parse(req.query)));
  });
  r.get('/:id', requireRole(...PERMISSIONS['person.read']), async (req, res) => {
    const { id } = uuidParam.parse(req.params);
    const purpose = typeof req.query.purpose === 'string' ? req.query.purpose.slice(0, 200) : undefined;
    res.json(await persons.get(actorOf(req), id, purpose));
  });
  r.post('/:id/reveal', requireRole(...PERMISSIONS['person.reveal']), async (req, res) => {
    const { id } = uuidParam.parse(req.params);
    res.set('cache-control', 'no-store');
    res.json(await reveals.reveal(actorOf(req), id, revealSchema.parse(req.body ?? {})));
  });
  return r;
}
