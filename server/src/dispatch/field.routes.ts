import { Router, type Request } from 'express';
import { AppError } from '../shared/app-error';
import type { FieldService } from './field.service';
import { fieldActionSchema, fieldOpenSchema, fieldSessionHeader } from './job.schema';

const sessionOf = (req: Request): string => {
  const parsed = fieldSessionHeader.safeParse(req.get('x-field-session') ?? '');
  if (!parsed.success) throw new AppError('field/session-invalid', '页面已过期，请重新打开短信中的链接');
  return parsed.data;
};

/** `/api/field`: the field page, no staff account (one-time link + PIN → a session bound to one offer). */
export function fieldRoutes(field: FieldService): Router {
  const r = Router();
  r.post('/open', async (req, res) => {
    const { token, pin } = fieldOpenSchema.parse(req.body ?? {});
    res.json(await field.open(token, pin));
  });
  r.get('/job', async (req, res) => {
    res.json(await field.view(sessionOf(req)));
  });
  r.post('/job/actions', async (req, res) => {
    const session = sessionOf(req);
    res.json(await field.act(session, fieldActionSchema.parse(req.body ?? {})));
  });
  return r;
}
