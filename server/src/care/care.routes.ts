import { Router } from 'express';
import { z } from 'zod';
import { PERMISSIONS } from '../auth/permissions';
import { actorOf, requireRole } from '../http/auth.middleware';
import { uuidParam } from '../persons/person.schema';
import type { CarePlanService } from './care-plan.service';
import type { CareTaskService } from './care-task.service';
import { claimNextSchema, closePlanSchema, listPlansSchema, listTasksSchema, outcomeSchema, savePlanSchema } from './care.schema';

const personParam = z.object({ personId: z.string().uuid() }).strict();
const dialSchema = z.object({ phoneId: z.string().uuid().optional(), contactId: z.string().uuid().optional() }).strict().refine((d) => !(d.phoneId && d.contactId), { message: '只能选择一个号码' });

/**
 * `/api/care`: supervisors manage plans (`care.plan`); agents and supervisors work the task list (`care.work`).
 * Everything is scoped to the actor's districts; ids outside them answer 404 like missing ones.
 */
export function careRoutes(plans: CarePlanService, tasks: CareTaskService): Router {
  const r = Router();
  const plan = requireRole(...PERMISSIONS['care.plan']);
  const work = requireRole(...PERMISSIONS['care.work']);
  r.get('/plans', plan, async (req, res) => {
    res.json(await plans.list(actorOf(req), listPlansSchema.parse(req.query)));
  });
  r.get('/plans/:personId', plan, async (req, res) => {
    res.json(await plans.get(actorOf(req), personParam.parse(req.params).personId));
  });
  r.put('/plans/:personId', plan, async (req, res) => {
    res.json(await plans.save(actorOf(req), personParam.parse(req.params).personId, savePlanSchema.parse(req.body ?? {})));
  });
  r.post('/plans/:personId/close', plan, async (req, res) => {
    res.json(await plans.close(actorOf(req), personParam.parse(req.params).personId, closePlanSchema.parse(req.body ?? {}).reason));
  });
  r.get('/tasks', work, async (req, res) => {
    res.json(await tasks.list(actorOf(req), listTasksSchema.parse(req.query)));
  });
  r.post('/tasks/claim-next', work, async (req, res) => {
    const task = await tasks.claimNext(actorOf(req), claimNextSchema.parse(req.body ?? {}).kind);
    res.status(task ? 200 : 204).json(task ?? undefined);
  });
  r.get('/tasks/:id', work, async (req, res) => {
    res.json(await tasks.get(actorOf(req), uuidParam.parse(req.params).id));
  });
  r.post('/tasks/:id/claim', work, async (req, res) => {
    z.object({}).strict().parse(req.body ?? {});
    res.json(await tasks.claim(actorOf(req), uuidParam.parse(req.params).id));
  });
  r.post('/tasks/:id/release', work, async (req, res) => {
    z.object({}).strict().parse(req.body ?? {});
    await tasks.release(actorOf(req), uuidParam.parse(req.params).id);
    res.json({ ok: true });
  });
  r.post('/tasks/:id/dial', work, async (req, res) => {
    res.status(202).json(await tasks.dial(actorOf(req), uuidParam.parse(req.params).id, dialSchema.parse(req.body ?? {})));
  });
  r.post('/tasks/:id/outcome', work, async (req, res) => {
    const { id } = uuidParam.parse(req.params);
    res.json(await tasks.recordOutcome(actorOf(req), id, outcomeSchema.parse(req.body ?? {})));
  });
  return r;
}
