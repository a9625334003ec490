import { Router } from 'express';
import { PERMISSIONS } from '../auth/permissions';
import { actorOf, requireRole } from '../http/auth.middleware';
import type { AgentPresenceService } from './agent-presence.service';
import { setPresenceSchema } from './agent-presence.schema';

/**
 * Presence over HTTP (the console uses the `presence:set` socket command; this is for scripts and
 * wallboards): `GET /api/agents/me/presence`, `PUT /api/agents/me/presence`, `GET /api/agents/presence`.
 */
export function agentRoutes(presence: AgentPresenceService): Router {
  const r = Router();
  r.get('/me/presence', requireRole(...PERMISSIONS['presence.own']), async (req, res) => {
    res.json(await presence.get(actorOf(req)));
  });
  r.put('/me/presence', requireRole(...PERMISSIONS['presence.own']), async (req, res) => {
    const { state, reason } = setPresenceSchema.parse(req.body ?? {});
    res.json(await presence.set(actorOf(req), state, reason));
  });
  r.get('/presence', requireRole(...PERMISSIONS['presence.read-all']), async (req, res) => {
    res.json({ items: await presence.list(actorOf(req)) });
  });
  return r;
}
