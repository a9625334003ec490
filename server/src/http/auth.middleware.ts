import type { NextFunction, Request, RequestHandler, Response } from 'express';
import type { Actor, AuthService } from '../auth/auth.service';
import { SESSION_COOKIE } from '../realtime/realtime-hub';
import { AppError } from '../shared/app-error';
import type { StaffRole } from '../staff/staff-user.entity';

declare module 'express-serve-static-core' {
  interface Request {
    actor?: Actor;
  }
}

/** Bearer token from `Authorization` or the session cookie. */
export function tokenFrom(req: Request): string | null {
  const header = req.headers.authorization;
  if (header?.startsWith('Bearer ')) return header.slice(7).trim();
  const cookies = (req as Request & { cookies?: Record<string, string> }).cookies;
  return cookies?.[SESSION_COOKIE] ?? null;
}

export function requireAuth(auth: AuthService): RequestHandler {
  return (req, _res, next) => {
    const token = tokenFrom(req);
    if (!token) return next(new AppError('auth/unauthenticated', '请先登录'));
    auth
      .authenticate(token)
      .then((actor) => {
        if (!actor) return next(new AppError('auth/unauthenticated', '会话已过期，请重新登录'));
        req.actor = actor;
        next();
      })
      .catch(next);
  };
}

/** Role check per endpoint. */
export function requireRole(...roles: StaffRole[]): RequestHandler {
  return (req: Request, _res: Response, next: NextFunction) => {
    if (!req.actor) return next(new AppError('auth/unauthenticated', '请先登录'));
    if (!roles.includes(req.actor.role)) return next(new AppError('auth/forbidden', `需要角色: ${roles.join(' / ')}`));
    next();
  };
}

export function actorOf(req: Request): Actor {
  if (!req.actor) throw new AppError('auth/unauthenticated', '请先登录');
  return req.actor;
}
