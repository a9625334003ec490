import { Router, type Request } from 'express';
import { PERMISSIONS } from '../auth/permissions';
import { actorOf, requireRole } from '../http/auth.middleware';
import type { VolunteerPortal } from './portal.service';
import type { TimebankShop } from './shop.service';
import type { TimebankStatements } from './statements.service';
import { approveSignupSchema, emptyBody, idParam, listSignupsSchema, listVolunteersSchema, portalRedeemSchema, portalSessionSchema, reasonBody, signupSchema, statementQuery, trainingSchema, volunteerParam, yearQuery } from './timebank.schema';
import type { TimebankEvents } from './timebank-events';
import type { TimebankVolunteers } from './volunteers.service';

/** `/api/timebank` volunteers, sign-ups and statement links (staff). */
export function timebankVolunteerRoutes(volunteers: TimebankVolunteers, portal: VolunteerPortal): Router {
  const r = Router();
  const read = requireRole(...PERMISSIONS['timebank.read']);
  const manage = requireRole(...PERMISSIONS['timebank.volunteers']);
  const signupParam = idParam('signupId');
  const vid = (req: Request) => volunteerParam.parse(req.params).volunteerId;
  r.get('/volunteers', read, async (req, res) => {
    res.json(await volunteers.list(actorOf(req), listVolunteersSchema.parse(req.query)));
  });
  r.get('/volunteers/:volunteerId', read, async (req, res) => {
    res.json(await volunteers.profile(actorOf(req), vid(req)));
  });
  r.post('/volunteers/:volunteerId/trainings', manage, async (req, res) => {
    res.status(201).json(await volunteers.addTraining(actorOf(req), vid(req), trainingSchema.parse(req.body ?? {})));
  });
  r.get('/volunteers/:volunteerId/service-history', read, async (req, res) => {
    res.json(await volunteers.history(actorOf(req), vid(req), yearQuery.parse(req.query).year ?? null));
  });
  r.post('/volunteers/:volunteerId/portal-link', manage, async (req, res) => {
    emptyBody.parse(req.body ?? {});
    res.status(201).json(await portal.issueLink(actorOf(req), vid(req)));
  });
  r.get('/signups', manage, async (req, res) => {
    res.json(await volunteers.listSignups(actorOf(req), listSignupsSchema.parse(req.query)));
  });
  r.post('/signups/:signupId/approve', manage, async (req, res) => {
    res.json(await volunteers.approveSignup(actorOf(req), signupParam.parse(req.params).signupId as string, approveSignupSchema.parse(req.body ?? {})));
  });
  r.post('/signups/:signupId/reject', manage, async (req, res) => {
    res.json(await volunteers.rejectSignup(actorOf(req), signupParam.parse(req.params).signupId as string, reasonBody.parse(req.body ?? {}).reason));
  });
  return r;
}

const clientKey = (req: Request) => req.ip ?? 'unknown';
const bearer = (req: Request) => (req.headers.authorization?.startsWith('Bearer ') ? req.headers.authorization.slice(7).trim() : null);

/**
 * Routes without a staff session: the public sign-up (`/api/public`) and the volunteer portal
 * (`/api/volunteer-portal`, its own bearer token: a volunteer reads only their own statement and the shop).
 */
export function timebankPublicRoutes(deps: { volunteers: TimebankVolunteers; portal: VolunteerPortal; statements: TimebankStatements; shop: TimebankShop; events: TimebankEvents; ds: import('typeorm').DataSource }): { publicRouter: Router; portalRouter: Router } {
  const pub = Router();
  pub.get('/volunteer-signup/options', async (req, res) => {
    emptyBody.parse(req.query);
    const districts = await deps.ds.query(`SELECT code, name FROM district WHERE level IN ('street', 'community') ORDER BY code LIMIT 2000`);
    res.json({ districts, skills: ['陪同就医', '助行', '助餐', '上门探访', '手语', '心理疏导', '康复护理', '家电维修', '代购', '文体活动'] });
  });
  pub.post('/volunteer-signups', async (req, res) => {
    const out = await deps.volunteers.submitSignup(signupSchema.parse(req.body ?? {}), clientKey(req));
    if (out.created) deps.events.emit('timebank:signup-received', out.districtCode, { signupId: out.signupId, districtCode: out.districtCode });
    res.status(202).json({ signupId: out.signupId, status: out.status });
  });

  const portal = Router();
  portal.post('/session', async (req, res) => {
    res.json(await deps.portal.open(portalSessionSchema.parse(req.body ?? {}).code, clientKey(req)));
  });
  portal.get('/me', async (req, res) => {
    emptyBody.parse(req.query);
    const volunteerId = await deps.portal.resolve(bearer(req));
    const s = await deps.statements.statement(null, volunteerId, { limit: 1, offset: 0 });
    res.json({ volunteerId, name: s.name, balanceUnits: s.balanceUnits });
  });
  portal.get('/statement', async (req, res) => {
    const volunteerId = await deps.portal.resolve(bearer(req));
    res.json(await deps.statements.statement(null, volunteerId, statementQuery.parse(req.query)));
  });
  portal.get('/shop', async (req, res) => {
    emptyBody.parse(req.query);
    await deps.portal.resolve(bearer(req));
    res.json(await deps.shop.items(false));
  });
  portal.post('/redemptions', async (req, res) => {
    const volunteerId = await deps.portal.resolve(bearer(req));
    const body = portalRedeemSchema.parse(req.body ?? {});
    const redemption = await deps.shop.redeem(null, { ...body, volunteerId });
    res.status(redemption.replayed ? 200 : 201).json(redemption);
  });
  portal.post('/logout', async (req, res) => {
    const token = bearer(req);
    await deps.portal.resolve(token);
    await deps.portal.end(token!);
    res.status(204).end();
  });
  return { publicRouter: pub, portalRouter: portal };
}
