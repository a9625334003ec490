import { Router } from 'express';
import { z } from 'zod';
import { actorOf, requireAuth, sessionOf, tokenFrom } from '../http/auth.middleware';
import { SESSION_COOKIE } from '../realtime/realtime-hub';
import type { AuthService } from './auth.service';

const loginSchema = z
  .object({
    username: z.string().trim().min(1, '请输入用户名').max(64),
    password: z.string().min(1, '请输入密码').max(200),
    /** Second factor: a 6-digit TOTP code or a recovery code (`xxxxx-xxxxx`). */
    code: z.string().trim().regex(/^(\d{6}|[A-Za-z0-9]{5}-?[A-Za-z0-9]{5})$/, '验证码为 6 位数字或恢复码').optional(),
  })
  .strict();

const totpConfirmSchema = z.object({ code: z.string().trim().regex(/^\d{6}$/, '验证码为 6 位数字') }).strict();

const changePasswordSchema = z
  .object({
    currentPassword: z.string().min(1, '请输入当前密码').max(200),
    newPassword: z.string().min(1, '请输入新密码').max(200),
  })
  .strict();

/** Login (with a second factor when enrolled), logout, who am I, change password, TOTP enrolment. */
export function authRoutes(auth: AuthService, secureCookies: boolean): Router {
  const r = Router();
  const pending = requireAuth(auth, { allowPendingPasswordChange: true, allowPendingTotp: true });
  const enrolling = requireAuth(auth, { allowPendingTotp: true });
  r.post('/login', async (req, res) => {
    const { username, password, code } = loginSchema.parse(req.body ?? {});
    const session = await auth.login(username, password, req.ip, code);
    res.cookie(SESSION_COOKIE, session.token, { httpOnly: true, sameSite: 'strict', secure: secureCookies, expires: session.expiresAt });
    res.json({ token: session.token, expiresAt: session.expiresAt, user: session.actor, mustChangePassword: session.mustChangePassword, mustEnrolTotp: session.mustEnrolTotp });
  });
  r.post('/logout', pending, async (req, res) => {
    const token = tokenFrom(req);
    if (token) await auth.logout(token);
    res.clearCookie(SESSION_COOKIE);
    res.status(204).end();
  });
  r.get('/me', pending, async (req, res) => {
    const session = sessionOf(req);
    const totp = await auth.totpStatus(session.actor.userId);
    res.json({ user: actorOf(req), mustChangePassword: session.mustChangePassword, mustEnrolTotp: session.mustEnrolTotp, ...totp });
  });
  r.post('/totp/enrolment', enrolling, async (req, res) => {
    res.json(await auth.startTotpEnrolment(sessionOf(req)));
  });
  r.post('/totp/confirm', enrolling, async (req, res) => {
    const { code } = totpConfirmSchema.parse(req.body ?? {});
    res.json(await auth.confirmTotpEnrolment(sessionOf(req), code, req.ip));
  });
  r.post('/totp/recovery-codes', requireAuth(auth), async (req, res) => {
    const { code } = totpConfirmSchema.parse(req.body ?? {});
    res.json(await auth.regenerateRecoveryCodes(sessionOf(req), code, req.ip));
  });
  r.post('/password', pending, async (req, res) => {
    const { currentPassword, newPassword } = changePasswordSchema.parse(req.body ?? {});
    await auth.changePassword(sessionOf(req), currentPassword, newPassword);
    res.status(204).end();
  });
  return r;
}
