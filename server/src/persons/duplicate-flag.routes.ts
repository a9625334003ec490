import { Router } from 'express';
import { z } from 'zod';
import { PERMISSIONS } from '../auth/permissions';
import { actorOf, requireRole } from '../http/auth.middleware';
import type { DuplicateFlagService } from './duplicate-flag.service';
import { uuidParam } from './person.schema';

const resolveSchema = z.object({ resolution: z.string().trim().min(4, '请说明如何处理（至少 4 个字）').max(200).regex(/^[^\p{Cc}]*$/u, '不能包含控制字符') }).strict();

/** `GET /api/person-duplicate-flags` (open flags in scope), `POST /api/person-duplicate-flags/:id/resolve`. */
export function duplicateFlagRoutes(flags: DuplicateFlagService): Router {
  const r = Router();
  r.get('/', requireRole(...PERMISSIONS['person.duplicate-resolve']), async (req, res) => {
    res.json({ items: await flags.open(actorOf(req)) });
  });
  r.post('/:id/resolve', requireRole(...PERMISSIONS['person.duplicate-resolve']), async (req, res) => {
    const { id } = uuidParam.parse(req.params);
    await flags.resolve(actorOf(req), id, resolveSchema.parse(req.body ?? {}).resolution);
    res.status(204).end();
  });
  return r;
}
