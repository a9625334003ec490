import { timingSafeEqual } from 'node:crypto';
import { Router, type Request } from 'express';
import type { AuditService } from '../audit/audit.service';
import type { CallerLookup } from './caller-lookup.service';
import { astdbCommands } from './sos-astdb';

const LOOPBACK = new Set(['127.0.0.1', '::1', '::ffff:127.0.0.1']);
const FORWARDING_HEADERS = ['x-forwarded-for', 'forwarded', 'x-real-ip', 'x-forwarded-host'];

/**
 * Asterisk on this host, asking directly: the TCP peer is loopback and no proxy header is present. Neither
 * `req.ip` nor `X-Forwarded-For` is trusted here: the app trusts loopback proxies (`trust proxy`), so behind a
 * reverse proxy on this host every remote request arrives from 127.0.0.1, and `req.ip` is whatever the proxy
 * chain says. A request relayed by a proxy always carries one of the forwarding headers.
 */
function directFromLoopback(req: Request): boolean {
  return LOOPBACK.has(req.socket.remoteAddress ?? '') && FORWARDING_HEADERS.every((h) => req.headers[h] === undefined);
}

function authorized(req: Request, token: string | undefined): boolean {
  if (!token) return directFromLoopback(req);
  const given = Buffer.from(req.header('authorization')?.replace(/^Bearer\s+/i, '') ?? '');
  const expected = Buffer.from(token);
  return given.length === expected.length && timingSafeEqual(given, expected);
}

/**
 * `GET /ivr/lookup?number=13900000001` for the Asterisk dialplan (CURL with a 2 s timeout): answers one
 * plain-text word — `sos:<device serial>`, `known` or `unknown`. Bearer `IVR_LOOKUP_TOKEN`; without a
 * token configured only a direct loopback request may ask (not one relayed by a proxy). The dialplan treats
 * any failure as `unknown` (fail open). Every lookup is audited (subject: the matched person); the entry is
 * group-committed with the other standalone entries, so it costs the IVR one shared INSERT at most.
 */
export function ivrLookupRoutes(lookup: CallerLookup, token: string | undefined, audit: AuditService): Router {
  const r = Router();
  r.get('/lookup', async (req, res) => {
    if (!authorized(req, token)) {
      res.status(403).type('text/plain').send('forbidden');
      return;
    }
    const number = typeof req.query.number === 'string' ? req.query.number.slice(0, 40) : '';
    const caller = await lookup.classify(number);
    const personId = caller.kind === 'unknown' ? null : caller.personId;
    await audit.record({ actorId: null, actorUsername: 'ivr', action: 'ivr.lookup', subjectType: personId ? 'person' : undefined, subjectId: personId ?? undefined, purpose: caller.kind, outcome: 'ok' });
    res.type('text/plain').send(caller.kind === 'sos' ? `sos:${caller.deviceSerial}` : caller.kind);
  });
  /**
   * `GET /ivr/sos-devices`: the AstDB `sos` family as Asterisk CLI commands (see `astdbCommands`), for a
   * sync job on the PBX host (docs/architecture.md). Same authorisation as the lookup. A registration or
   * retirement shows in the next answer: it reads the device table. Audited with the persons it names.
   */
  r.get('/sos-devices', async (req, res) => {
    if (!authorized(req, token)) {
      res.status(403).type('text/plain').send('forbidden');
      return;
    }
    const devices = await lookup.sosDevices();
    await audit.record({ actorId: null, actorUsername: 'ivr', action: 'ivr.sos-devices', subjects: [...new Set(devices.map((d) => d.personId))].map((id) => ({ type: 'person', id })), purpose: `${devices.length} devices`, outcome: 'ok' });
    res.set('cache-control', 'no-store').type('text/plain').send(astdbCommands(devices));
  });
  return r;
}
