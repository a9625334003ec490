import express, { Router } from 'express';
import { AppError } from '../shared/app-error';
import { alarmAuthHeadersSchema, idempotencyKeySchema } from './alarm.schema';
import type { AlarmService } from './alarm.service';

/**
 * `POST /api/alarms` for SOS devices and IoT platforms. No session: each device signs its requests with its
 * own key (see alarm-signature.ts). Mounted before the JSON parser, because the signature covers the raw
 * bytes. 201 only after the alarm and its order are committed; a replay answers the stored receipt with
 * `Idempotent-Replayed: true`.
 */
export function alarmRoutes(alarms: AlarmService): Router {
  const r = Router();
  r.post('/', express.raw({ type: () => true, limit: '16kb' }), async (req, res) => {
    const auth = alarmAuthHeadersSchema.safeParse(req.headers);
    if (!auth.success) throw new AppError('alarm/unauthorized', '设备认证失败：缺少或格式错误的 X-Anxin-Device / X-Anxin-Timestamp / X-Anxin-Signature');
    const idempotencyKey = idempotencyKeySchema.safeParse(req.header('idempotency-key'));
    if (!idempotencyKey.success) throw new AppError('validation/invalid', '缺少或格式错误的 Idempotency-Key（8–100 个字符）');
    const rawBody = Buffer.isBuffer(req.body) ? req.body : Buffer.alloc(0);
    const outcome = await alarms.receive({
      serial: auth.data['x-anxin-device'],
      timestamp: auth.data['x-anxin-timestamp'],
      signature: auth.data['x-anxin-signature'],
      idempotencyKey: idempotencyKey.data,
      rawBody,
    });
    if (outcome.replayed) res.set('Idempotent-Replayed', 'true');
    res.status(outcome.status).json(outcome.body);
  });
  return r;
}
