import { Router } from 'express';
import { PERMISSIONS } from '../auth/permissions';
import { actorOf, requireRole } from '../http/auth.middleware';
import type { ClickToCallService } from './click-to-call.service';
import { clickToCallSchema } from './click-to-call.schema';

/** `POST /api/calls/click-to-call` → 202 with the request id; the call itself follows on the socket. */
export function clickToCallRoutes(clickToCall: ClickToCallService): Router {
  const r = Router();
  r.post('/click-to-call', requireRole(...PERMISSIONS['call.dial']), async (req, res) => {
    res.status(202).json(await clickToCall.dial(actorOf(req), clickToCallSchema.parse(req.body ?? {})));
  });
  return r;
}
