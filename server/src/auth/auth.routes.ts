import { Router } from 'express';
import { z } from 'zod';
import { actorOf, requireAuth, tokenFrom } from '../http/auth.middleware';
import { SESSION_COOKIE } from '../realtime/realtime-hub';
import type { AuthService } from './auth.service';

const loginSchema = z
  .object({
    username: z.string().trim().min(1, '请输入用户名').max(64),
    password: z.string().min(1, '请输入密码').max(200),
  })
  .strict();

export function authRoutes(auth: AuthService, secureCookies: boolean): Router {
  const r = Router();
  r.post('/login', async (req, res) => {
    const { username, password } = loginSchema.parse(req.body ?? {});
    const session = await auth.login(username, password, req.ip);
    res.cookie(SESSION_COOKIE, session.token, { httpOnly: true, sameSite: 'strict', secure: secureCookies, expires: session.expiresAt });
    res.json({ token: session.token, expiresAt: session.expiresAt, user: session.actor });
  });
  r.post('/logout', requireAuth(auth), async (req, res) => {
    const token = tokenFrom(req);
    if (token) await auth.logout(token);
    res.clearCookie(SESSION_COOKIE);
    res.status(204).end();
  });
  r.get('/me', requireAuth(auth), (req, res) => {
    res.json({ user: actorOf(req) });
  });
  return r;
}
