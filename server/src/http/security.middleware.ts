import type { Request, RequestHandler } from 'express';
import helmet, { strictTransportSecurity } from 'helmet';
import { AppError } from '../shared/app-error';
import { SESSION_COOKIE } from '../realtime/realtime-hub';
import { parseOrigin, type OriginPolicy } from './origin-policy';

/**
 * Security headers on every response (helmet): a CSP that fits the built console (its own scripts and styles
 * only, `data:` images for the favicon, the softphone's WSS endpoint), no framing, nosniff, no referrer.
 * HSTS only when the request came over TLS (directly or via a trusted proxy) or in production.
 * @example app.use(securityHeaders({ production: true, sipWssUrl: config.SIP_WSS_URL }));
 */
export function securityHeaders(opts: { production: boolean; sipWssUrl?: string }): RequestHandler[] {
  const sipOrigin = opts.sipWssUrl ? new URL(opts.sipWssUrl).origin : null;
  const headers = helmet({
    contentSecurityPolicy: {
      useDefaults: false,
      directives: {
        defaultSrc: ["'self'"],
        scriptSrc: ["'self'"],
        styleSrc: ["'self'"],
        imgSrc: ["'self'", 'data:'],
        fontSrc: ["'self'", 'data:'],
        connectSrc: ["'self'", ...(sipOrigin ? [sipOrigin] : [])],
        mediaSrc: ["'self'", 'blob:'],
        objectSrc: ["'none'"],
        baseUri: ["'self'"],
        formAction: ["'self'"],
        frameAncestors: ["'none'"],
      },
    },
    frameguard: { action: 'deny' },
    referrerPolicy: { policy: 'no-referrer' },
    strictTransportSecurity: false,
  });
  const hsts = strictTransportSecurity({ maxAge: 180 * 24 * 3600, includeSubDomains: true });
  return [headers, (req, res, next) => (opts.production || req.secure ? hsts(req, res, next) : next())];
}

/** Personal data must not sit in browser or proxy caches: every `/api` answer is `no-store`. */
export const noStore: RequestHandler = (_req, res, next) => {
  res.setHeader('cache-control', 'no-store');
  next();
};

const WRITES = new Set(['POST', 'PUT', 'PATCH', 'DELETE']);

/**
 * CSRF: a write under /api that would be authenticated by the session cookie (no bearer header) must come from
 * the console's own origin — `Origin`, or the origin of `Referer` when a browser sent no Origin. A write that
 * carries no cookie (devices, webhooks, scripts with a bearer token) is not a CSRF risk, but a foreign Origin
 * is refused all the same (login CSRF). Refusal: 403 `auth/csrf`.
 */
export function csrfGuard(origins: OriginPolicy): RequestHandler {
  return (req, _res, next) => {
    if (!WRITES.has(req.method) || req.headers.authorization?.startsWith('Bearer ')) return next();
    const origin = typeof req.headers.origin === 'string' ? req.headers.origin : (parseOrigin(req.headers.referer)?.origin ?? undefined);
    const hosts = [req.headers.host, req.host];
    if (origin !== undefined) return next(origins.allows(origin, hosts) ? undefined : new AppError('auth/csrf', '请求来源不被允许'));
    next(hasSessionCookie(req) ? new AppError('auth/csrf', '请求来源不被允许') : undefined);
  };
}

function hasSessionCookie(req: Request): boolean {
  const header = req.headers.cookie;
  return typeof header === 'string' && header.split(';').some((c) => c.trim().startsWith(`${SESSION_COOKIE}=`));
}
