import { Router } from 'express';
import type { DataSource } from 'typeorm';
import { PERMISSIONS } from '../auth/permissions';
import { actorOf, requireRole } from '../http/auth.middleware';
import { districtListQuery } from './district-admin.schema';
import { District } from './district.entity';

/**
 * `GET /api/districts`: the district tree the caller may see (for pickers), ordered by code; retired
 * districts only with `?includeRetired=true` (the admin tree).
 */
export function districtRoutes(ds: DataSource): Router {
  const r = Router();
  r.get('/', requireRole(...PERMISSIONS['district.read']), async (req, res) => {
    const actor = actorOf(req);
    const query = districtListQuery.parse(req.query);
    const qb = ds.getRepository(District).createQueryBuilder('d').orderBy('d.code', 'ASC').limit(20000);
    if (actor.scopePrefix) qb.where('d.code LIKE :scope', { scope: `${actor.scopePrefix}%` });
    if (query.includeRetired !== 'true') qb.andWhere('d.retired_at IS NULL');
    res.json({ items: await qb.getMany() });
  });
  return r;
}
