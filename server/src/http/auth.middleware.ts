import type { NextFunction, Request, RequestHandler, Response } from 'express';
import type { Actor, AuthService, SessionInfo } from '../auth/auth.service';
import { SESSION_COOKIE } from '../realtime/realtime-hub';
import { AppError } from '../shared/app-error';
import type { StaffRole } from '../staff/staff-user.entity';

declare module 'express-serve-static-core' {
  interface Request {
    actor?: Actor;
    authSession?: SessionInfo;
  }
}

/** Bearer token from `Authorization`, else the session cookie (cookie-parser never throws on bad encoding). */
export function tokenFrom(req: Request): string | null {
  const header = req.headers.authorization;
  if (header?.startsWith('Bearer ')) return header.slice(7).trim();
  const cookies = (req as Request & { cookies?: Record<string, unknown> }).cookies;
  const value = cookies?.[SESSION_COOKIE];
  return typeof value === 'string' ? value : null;
}

/**
 * Resolve the session of the request (401 when there is none). A session whose password must be changed
 * first may only reach the routes that pass `allowPendingPasswordChange` (me, logout, change password); one
 * whose role requires a second factor not yet enrolled only those passing `allowPendingTotp` (and enrolment).
 */
export function requireAuth(auth: AuthService, opts: { allowPendingPasswordChange?: boolean; allowPendingTotp?: boolean } = {}): RequestHandler {
  return (req, _res, next) => {
    if (req.actor && req.authSession) return next(); // already resolved by an outer requireAuth
    const token = tokenFrom(req);
    if (!token) return next(new AppError('auth/unauthenticated', '请先登录'));
    auth
      .resolve(token)
      .then((session) => {
        if (!session) return next(new AppError('auth/unauthenticated', '会话已过期，请重新登录'));
        if (session.mustChangePassword && !opts.allowPendingPasswordChange) return next(new AppError('auth/password-change-required', '请先修改初始密码'));
        if (session.mustEnrolTotp && !opts.allowPendingTotp) return next(new AppError('auth/totp-enrolment-required', '请先绑定动态验证码（TOTP）'));
        req.actor = session.actor;
        req.authSession = session;
        next();
      })
      .catch(next);
  };
}

/** Role check per endpoint. */
export function requireRole(...roles: StaffRole[]): RequestHandler {
  return (req: Request, _res: Response, next: NextFunction) => {
    if (!req.actor) return next(new AppError('auth/unauthenticated', '请先登录'));
    if (!req.actor.roles.some((held) => roles.includes(held))) return next(new AppError('auth/forbidden', `需要角色: ${roles.join(' / ')}`));
    next();
  };
}

export function actorOf(req: Request): Actor {
  if (!req.actor) throw new AppError('auth/unauthenticated', '请先登录');
  return req.actor;
}

export function sessionOf(req: Request): SessionInfo {
  if (!req.authSession) throw new AppError('auth/unauthenticated', '请先登录');
  return req.authSession;
}
