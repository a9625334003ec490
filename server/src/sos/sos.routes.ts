import { Router } from 'express';
import { z } from 'zod';
import { PERMISSIONS } from '../auth/permissions';
import { actorOf, requireRole } from '../http/auth.middleware';
import { uuidParam } from '../persons/person.schema';
import type { DeviceKeyService } from './device-key.service';
import type { SosService } from './sos.service';

const listSchema = z.object({ open: z.enum(['true', 'false']).default('true'), limit: z.coerce.number().int().min(1).max(200).default(50) }).strict();
const ackSchema = z.object({ note: z.string().trim().max(500).optional() }).strict();
const closeSchema = z.object({ note: z.string().trim().min(2, '请填写处理说明（至少 2 个字）').max(2000) }).strict();

/** `/api/sos`: the open SOS list, one SOS, and the acknowledge / resolve / false-alarm actions. */
export function sosRoutes(sos: SosService): Router {
  const r = Router();
  r.get('/', requireRole(...PERMISSIONS['sos.read']), async (req, res) => {
    const q = listSchema.parse(req.query);
    res.json({ items: await sos.list(actorOf(req), q.open === 'true', q.limit) });
  });
  r.get('/:id', requireRole(...PERMISSIONS['sos.read']), async (req, res) => {
    res.json(await sos.get(actorOf(req), uuidParam.parse(req.params).id));
  });
  r.post('/:id/acknowledge', requireRole(...PERMISSIONS['sos.handle']), async (req, res) => {
    res.json(await sos.acknowledge(actorOf(req), uuidParam.parse(req.params).id, ackSchema.parse(req.body ?? {}).note));
  });
  r.post('/:id/resolve', requireRole(...PERMISSIONS['sos.handle']), async (req, res) => {
    res.json(await sos.resolve(actorOf(req), uuidParam.parse(req.params).id, closeSchema.parse(req.body ?? {}).note));
  });
  r.post('/:id/false-alarm', requireRole(...PERMISSIONS['sos.handle']), async (req, res) => {
    res.json(await sos.falseAlarm(actorOf(req), uuidParam.parse(req.params).id, closeSchema.parse(req.body ?? {}).note));
  });
  return r;
}

/** `POST /api/devices/:id/alarm-key` (admin, security admin): issue the device's alarm-API key, shown once. */
export function deviceKeyRoutes(keys: DeviceKeyService): Router {
  const r = Router();
  r.post('/:id/alarm-key', requireRole(...PERMISSIONS['device.issue-key']), async (req, res) => {
    res.status(201).json(await keys.issue(actorOf(req), uuidParam.parse(req.params).id));
  });
  return r;
}
