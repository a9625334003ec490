import { Router } from 'express';
import type { DataSource } from 'typeorm';
import { PERMISSIONS } from '../auth/permissions';
import { actorOf, requireRole } from '../http/auth.middleware';
import { District } from './district.entity';

/** `GET /api/districts`: the district tree the caller may see (for pickers), ordered by code. */
export function districtRoutes(ds: DataSource): Router {
  const r = Router();
  r.get('/', requireRole(...PERMISSIONS['district.read']), async (req, res) => {
    const actor = actorOf(req);
    const qb = ds.getRepository(District).createQueryBuilder('d').orderBy('d.code', 'ASC').limit(5000);
    if (actor.scopePrefix) qb.where('d.code LIKE :scope', { scope: `${actor.scopePrefix}%` });
    res.json({ items: await qb.getMany() });
  });
  return r;
}
