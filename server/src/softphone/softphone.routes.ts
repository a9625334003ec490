import { Router } from 'express';
import type { Config } from '../config/config';
import { PERMISSIONS } from '../auth/permissions';
import { actorOf, requireRole } from '../http/auth.middleware';
import { softphoneSettings } from './softphone-settings';

/** `GET /api/softphone/settings`: the caller's own SIP registration, or plainly why there is none. */
export function softphoneRoutes(config: Config): Router {
  const r = Router();
  r.get('/settings', requireRole(...PERMISSIONS['softphone.settings']), (req, res) => {
    res.set('cache-control', 'no-store');
    res.json(softphoneSettings(config, actorOf(req).sipExtension));
  });
  return r;
}
