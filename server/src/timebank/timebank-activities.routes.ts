import { Router } from 'express';
import { z } from 'zod';
import { PERMISSIONS } from '../auth/permissions';
import { actorOf, requireRole } from '../http/auth.middleware';
import type { TimebankActivities } from './activities.service';
import { activitySchema, activitySignupSchema, attendanceSchema, emptyBody, idParam, listActivitiesSchema } from './timebank.schema';

const signupParams = z.object({ activityId: z.string().uuid(), volunteerId: z.string().uuid() }).strict();

/** `/api/timebank/activities` (志愿助残活动): `timebank.read` to look, `timebank.activities` to run them. */
export function timebankActivityRoutes(activities: TimebankActivities): Router {
  const r = Router();
  const read = requireRole(...PERMISSIONS['timebank.read']);
  const run = requireRole(...PERMISSIONS['timebank.activities']);
  const activityParam = idParam('activityId');
  const idOf = (params: unknown) => activityParam.parse(params).activityId as string;
  r.post('/activities', run, async (req, res) => {
    res.status(201).json(await activities.create(actorOf(req), activitySchema.parse(req.body ?? {})));
  });
  r.get('/activities', read, async (req, res) => {
    res.json(await activities.list(actorOf(req), listActivitiesSchema.parse(req.query)));
  });
  r.get('/activities/:activityId', read, async (req, res) => {
    res.json(await activities.detail(actorOf(req), idOf(req.params)));
  });
  r.post('/activities/:activityId/signups', run, async (req, res) => {
    const { line, created } = await activities.signUp(actorOf(req), idOf(req.params), activitySignupSchema.parse(req.body ?? {}).volunteerId);
    res.status(created ? 201 : 200).json(line);
  });
  r.delete('/activities/:activityId/signups/:volunteerId', run, async (req, res) => {
    const p = signupParams.parse(req.params);
    await activities.cancelSignup(actorOf(req), p.activityId, p.volunteerId);
    res.status(204).end();
  });
  r.put('/activities/:activityId/attendance', run, async (req, res) => {
    res.json(await activities.recordAttendance(actorOf(req), idOf(req.params), attendanceSchema.parse(req.body ?? {})));
  });
  r.post('/activities/:activityId/credit', run, async (req, res) => {
    emptyBody.parse(req.body ?? {});
    res.json(await activities.credit(actorOf(req), idOf(req.params)));
  });
  return r;
}
