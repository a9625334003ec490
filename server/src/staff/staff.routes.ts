import { Router } from 'express';
import { PERMISSIONS } from '../auth/permissions';
import { actorOf, requireRole } from '../http/auth.middleware';
import { createStaffSchema, listStaffSchema, staffIdParam, updateStaffSchema } from './staff.schema';
import type { StaffService } from './staff.service';

/**
 * `/api/staff` for the security admin: list/search, create (returns a one-time password once), edit, and the
 * account actions deactivate / activate / unlock / reset-password / reset-totp.
 */
export function staffRoutes(staff: StaffService): Router {
  const r = Router();
  r.use(requireRole(...PERMISSIONS['staff.manage']));
  r.get('/', async (req, res) => {
    res.json(await staff.list(actorOf(req), listStaffSchema.parse(req.query)));
  });
  r.post('/', async (req, res) => {
    res.status(201).json(await staff.create(actorOf(req), createStaffSchema.parse(req.body ?? {})));
  });
  r.get('/:id', async (req, res) => {
    res.json(await staff.get(actorOf(req), staffIdParam.parse(req.params).id));
  });
  r.patch('/:id', async (req, res) => {
    const { id } = staffIdParam.parse(req.params);
    res.json(await staff.update(actorOf(req), id, updateStaffSchema.parse(req.body ?? {})));
  });
  r.post('/:id/deactivate', async (req, res) => {
    await staff.deactivate(actorOf(req), staffIdParam.parse(req.params).id);
    res.status(204).end();
  });
  r.post('/:id/activate', async (req, res) => {
    await staff.activate(actorOf(req), staffIdParam.parse(req.params).id);
    res.status(204).end();
  });
  r.post('/:id/unlock', async (req, res) => {
    await staff.unlock(actorOf(req), staffIdParam.parse(req.params).id);
    res.status(204).end();
  });
  r.post('/:id/reset-password', async (req, res) => {
    res.json(await staff.resetPassword(actorOf(req), staffIdParam.parse(req.params).id));
  });
  r.post('/:id/reset-totp', async (req, res) => {
    await staff.resetTotp(actorOf(req), staffIdParam.parse(req.params).id);
    res.status(204).end();
  });
  return r;
}
