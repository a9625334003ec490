import express, { Router } from 'express';
import { PERMISSIONS } from '../auth/permissions';
import { actorOf, requireRole } from '../http/auth.middleware';
import { AppError } from '../shared/app-error';
import { districtCodeParam, renameDistrictSchema } from './district-admin.schema';
import type { DistrictAdminService } from './district-admin.service';

/**
 * The district tree's administration (`district.manage`):
 * - `POST /api/districts/import` with a CSV body (text/csv: code, name, parent code) → 201 `{ created }`, or
 *   400 `district/import-invalid` with `details.errors` [{ line, code, districtCode }] and nothing written
 * - `PUT /api/districts/:code` `{ name }` (its one editable field) → the district
 * - `POST /api/districts/:code/retire` → `{ code, retired }`, or 409 `district/in-use` with the counts
 */
export function districtAdminRoutes(districts: DistrictAdminService): Router {
  const r = Router();
  const mayManage = requireRole(...PERMISSIONS['district.manage']);
  r.post('/import', mayManage, express.text({ type: ['text/csv', 'text/plain'], limit: '2mb' }), async (req, res) => {
    if (typeof req.body !== 'string') throw new AppError('validation/invalid', '请以 text/csv 上传辖区 CSV 文件');
    res.status(201).json(await districts.importCsv(actorOf(req), req.body));
  });
  r.put('/:code', mayManage, async (req, res) => {
    const { code } = districtCodeParam.parse(req.params);
    res.json(await districts.rename(actorOf(req), code, renameDistrictSchema.parse(req.body ?? {}).name));
  });
  r.post('/:code/retire', mayManage, async (req, res) => {
    const { code } = districtCodeParam.parse(req.params);
    res.json(await districts.retire(actorOf(req), code));
  });
  return r;
}
