import { Router } from 'express';
import { PERMISSIONS } from '../auth/permissions';
import { actorOf, requireRole } from '../http/auth.middleware';
import type { PersonConsentService } from './person-consent.service';
import type { PersonMergeService } from './person-merge.service';
import { deceasedSchema, giveConsentSchema, mergeSchema, moveSchema, reactivateSchema, withdrawConsentSchema } from './person-status.schema';
import type { PersonStatusService } from './person-status.service';
import { uuidParam } from './person.schema';

/**
 * A person's status and consents (`/api/persons/:id/…`):
 * - `GET status` (person.read) · `POST move` (person.move) · `POST deceased` (person.record-death) ·
 *   `POST reactivate` (person.reactivate: a death recorded by mistake) ·
 *   `POST merge { duplicateId }` (person.merge; `:id` survives)
 * - `GET consents` (person.read) · `POST consents` and `POST consents/withdraw` (person.consent)
 */
export function personStatusRoutes(status: PersonStatusService, merges: PersonMergeService, consents: PersonConsentService): Router {
  const r = Router();
  r.get('/:id/status', requireRole(...PERMISSIONS['person.read']), async (req, res) => {
    res.json(await status.view(actorOf(req), uuidParam.parse(req.params).id));
  });
  r.post('/:id/move', requireRole(...PERMISSIONS['person.move']), async (req, res) => {
    const { id } = uuidParam.parse(req.params);
    res.json(await status.move(actorOf(req), id, moveSchema.parse(req.body ?? {})));
  });
  r.post('/:id/deceased', requireRole(...PERMISSIONS['person.record-death']), async (req, res) => {
    const { id } = uuidParam.parse(req.params);
    res.json(await status.markDeceased(actorOf(req), id, deceasedSchema.parse(req.body ?? {})));
  });
  r.post('/:id/reactivate', requireRole(...PERMISSIONS['person.reactivate']), async (req, res) => {
    const { id } = uuidParam.parse(req.params);
    res.json(await status.reactivate(actorOf(req), id, reactivateSchema.parse(req.body ?? {})));
  });
  r.post('/:id/merge', requireRole(...PERMISSIONS['person.merge']), async (req, res) => {
    const { id } = uuidParam.parse(req.params);
    res.json(await merges.merge(actorOf(req), id, mergeSchema.parse(req.body ?? {})));
  });
  r.get('/:id/consents', requireRole(...PERMISSIONS['person.read']), async (req, res) => {
    res.json(await consents.list(actorOf(req), uuidParam.parse(req.params).id));
  });
  r.post('/:id/consents', requireRole(...PERMISSIONS['person.consent']), async (req, res) => {
    const { id } = uuidParam.parse(req.params);
    res.status(201).json(await consents.give(actorOf(req), id, giveConsentSchema.parse(req.body ?? {})));
  });
  r.post('/:id/consents/withdraw', requireRole(...PERMISSIONS['person.consent']), async (req, res) => {
    const { id } = uuidParam.parse(req.params);
    res.json(await consents.withdraw(actorOf(req), id, withdrawConsentSchema.parse(req.body ?? {})));
  });
  return r;
}
