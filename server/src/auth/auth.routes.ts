import { Router } from 'express';
import { z } from 'zod';
import { actorOf, requireAuth, sessionOf, tokenFrom } from '../http/auth.middleware';
import { SESSION_COOKIE } from '../realtime/realtime-hub';
import type { AuthService } from './auth.service';

const loginSchema = z
  .object({
    username: z.string().trim().min(1, '请输入用户名').max(64),
    password: z.string().min(1, '请输入密码').max(200),
  })
  .strict();

const changePasswordSchema = z
  .object({
    currentPassword: z.string().min(1, '请输入当前密码').max(200),
    newPassword: z.string().min(1, '请输入新密码').max(200),
  })
  .strict();

/** Login, logout, who am I, change password. */
export function authRoutes(auth: AuthService, secureCookies: boolean): Router {
  const r = Router();
  const pending = requireAuth(auth, { allowPendingPasswordChange: true });
  r.post('/login', async (req, res) => {
    const { username, password } = loginSchema.parse(req.body ?? {});
    const session = await auth.login(username, password, req.ip);
    res.cookie(SESSION_COOKIE, session.token, { httpOnly: true, sameSite: 'strict', secure: secureCookies, expires: session.expiresAt });
    res.json({ token: session.token, expiresAt: session.expiresAt, user: session.actor, mustChangePassword: session.mustChangePassword });
  });
  r.post('/logout', pending, async (req, res) => {
    const token = tokenFrom(req);
    if (token) await auth.logout(token);
    res.clearCookie(SESSION_COOKIE);
    res.status(204).end();
  });
  r.get('/me', pending, (req, res) => {
    res.json({ user: actorOf(req), mustChangePassword: sessionOf(req).mustChangePassword });
  });
  r.post('/password', pending, async (req, res) => {
    const { currentPassword, newPassword } = changePasswordSchema.parse(req.body ?? {});
    await auth.changePassword(sessionOf(req), currentPassword, newPassword);
    res.status(204).end();
  });
  return r;
}
