import { timingSafeEqual } from 'node:crypto';
import { Router, type Request } from 'express';
import type { CallerLookup } from './caller-lookup.service';

function authorized(req: Request, token: string | undefined): boolean {
  if (!token) {
    const ip = req.socket.remoteAddress ?? '';
    return ip === '127.0.0.1' || ip === '::1' || ip === '::ffff:127.0.0.1';
  }
  const given = Buffer.from(req.header('authorization')?.replace(/^Bearer\s+/i, '') ?? '');
  const expected = Buffer.from(token);
  return given.length === expected.length && timingSafeEqual(given, expected);
}

/**
 * `GET /ivr/lookup?number=13900000001` for the Asterisk dialplan (CURL with a 2 s timeout): answers one
 * plain-text word — `sos:<device serial>`, `known` or `unknown`. Bearer `IVR_LOOKUP_TOKEN`; without a
 * token configured only loopback may ask. The dialplan treats any failure as `unknown` (fail open).
 */
export function ivrLookupRoutes(lookup: CallerLookup, token: string | undefined): Router {
  const r = Router();
  r.get('/lookup', async (req, res) => {
    if (!authorized(req, token)) {
      res.status(403).type('text/plain').send('forbidden');
      return;
    }
    const number = typeof req.query.number === 'string' ? req.query.number.slice(0, 40) : '';
    const caller = await lookup.classify(number);
    res.type('text/plain').send(caller.kind === 'sos' ? `sos:${caller.deviceSerial}` : caller.kind);
  });
  return r;
}
