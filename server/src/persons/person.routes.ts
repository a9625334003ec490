import { Router } from 'express';
import { actorOf, requireRole } from '../http/auth.middleware';
import { personSearchSchema, revealSchema, uuidParam } from './person.schema';
import type { PersonService } from './person.service';

const READERS = ['agent', 'dispatcher', 'supervisor', 'admin'] as const;

export function personRoutes(persons: PersonService): Router {
  const r = Router();
  r.get('/', requireRole(...READERS), async (req, res) => {
    res.json(await persons.search(actorOf(req), personSearchSchema.parse(req.query)));
  });
  r.get('/:id', requireRole(...READERS), async (req, res) => {
    const { id } = uuidParam.parse(req.params);
    const purpose = typeof req.query.purpose === 'string' ? req.query.purpose.slice(0, 200) : undefined;
    res.json(await persons.get(actorOf(req), id, purpose));
  });
  r.post('/:id/reveal', requireRole('agent', 'supervisor', 'admin'), async (req, res) => {
    const { id } = uuidParam.parse(req.params);
    const { reason } = revealSchema.parse(req.body ?? {});
    res.json(await persons.reveal(actorOf(req), id, reason));
  });
  return r;
}
