import { Router } from 'express';
import { PERMISSIONS } from '../auth/permissions';
import { actorOf, requireRole } from '../http/auth.middleware';
import { uuidParam } from '../persons/person.schema';
import { visitPrefsSchema } from './visit-prefs.schema';
import type { VisitPrefsService } from './visit-prefs.service';

/**
 * `GET|PUT /api/persons/:id/dispatch-prefs`: a person's visit preferences (see docs/dispatch-api.md). Read by
 * whoever reads persons; set by dispatchers and supervisors; 409 `person/version-conflict` on a stale version.
 */
export function visitPrefsRoutes(prefs: VisitPrefsService): Router {
  const r = Router();
  r.get('/:id/dispatch-prefs', requireRole(...PERMISSIONS['person.read']), async (req, res) => {
    res.json(await prefs.get(actorOf(req), uuidParam.parse(req.params).id));
  });
  r.put('/:id/dispatch-prefs', requireRole(...PERMISSIONS['dispatch.visit-prefs']), async (req, res) => {
    const { id } = uuidParam.parse(req.params);
    res.json(await prefs.put(actorOf(req), id, visitPrefsSchema.parse(req.body ?? {})));
  });
  return r;
}
