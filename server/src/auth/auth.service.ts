import { createHash, randomBytes } from 'node:crypto';
import { setTimeout as sleep } from 'node:timers/promises';
import { In, IsNull, LessThanOrEqual, type DataSource, type EntityManager } from 'typeorm';
import type { AuditService } from '../audit/audit.service';
import { District } from '../districts/district.entity';
import { AppError } from '../shared/app-error';
import type { Clock } from '../shared/clock';
import type { DomainEvents, SessionEndReason } from '../shared/domain-events';
import type { FieldCrypto } from '../shared/field-crypto';
import { StaffUser, type StaffRole } from '../staff/staff-user.entity';
import { StaffRecoveryCode } from './recovery-code.entity';
import { enrolmentOf, isRecoveryCodeShape, newRecoveryCodes, newTotpSecret, recoveryCodeHash, TOTP_ROLES, totpCodeValid } from './totp';
import { LoginThrottle } from './login-throttle';
import { ConcurrencyGate } from '../shared/concurrency-gate';
import { hashPassword, needsRehash, SCRYPT_CONCURRENCY, verifyDummy, verifyPassword } from './password-hash';
import { passwordProblem } from './password-policy';
import { StaffSession } from './session.entity';

export { hashPassword } from './password-hash';
export { MIN_PASSWORD_LENGTH, passwordProblem } from './password-policy';

/** Who is asking: resolved from a session token on every request and socket. */
export interface Actor {
  userId: string;
  username: string;
  displayName: string;
  /** The primary role (the first of `roles`). Role checks read `roles`. */
  role: StaffRole;
  /** Every role held; a permission held by any of them is held. */
  roles: StaffRole[];
  sipExtension: string | null;
  districtCode: string;
  /**
   * Prefix of district codes this actor may see; null = the whole city (only for users of a city-level
   * district). A user whose district row is missing gets {@link NO_SCOPE_PREFIX}, which matches no code.
   */
  scopePrefix: string | null;
}

/** A prefix no district code starts with (codes are digits): the scope of a user whose district is missing. */
export const NO_SCOPE_PREFIX = '!none';

/** A resolved session: who, which session, and whether the password must be changed first. */
export interface SessionInfo {
  actor: Actor;
  sessionId: string;
  mustChangePassword: boolean;
  /** The user's roles require a second factor and none is enrolled: only enrolment is open. */
  mustEnrolTotp: boolean;
}

export interface LoginResult {
  token: string;
  expiresAt: Date;
  actor: Actor;
  mustChangePassword: boolean;
  mustEnrolTotp: boolean;
}

export interface AuthPolicy {
  sessionTtlMinutes: number;
  idleMinutes: number;
  maxSessionsPerUser: number;
  maxFailures: number;
  lockMinutes: number;
  ipMaxFailures: number;
  accountMaxDelaySeconds: number;
  /** Every user must enrol TOTP (else only {@link TOTP_ROLES}). */
  totpRequiredForAll?: boolean;
}

/** A TOTP enrolment in progress: the secret as text and as a QR code, to be confirmed with a code. */
export interface TotpEnrolment {
  secret: string;
  uri: string;
  qrDataUrl: string;
}

/** `last_seen_at` is written at most this often per session (not once per request). */
export const TOUCH_EVERY_MS = 30_000;

const sha256 = (s: string) => createHash('sha256').update(s).digest('hex');

/**
 * Password login with throttling (see login-throttle.ts), and opaque bearer sessions stored (hashed) in the
 * database so any server node can check them. A session has an absolute lifetime and an idle timeout, a user
 * at most `maxSessionsPerUser` of them; every end of a session is announced (`session.ended`) so the realtime
 * hub disconnects its sockets.
 */
export class AuthService {
  private readonly throttle: LoginThrottle;
  /**
   * Logins in progress at once (database reads, hash, session write). A burst of 200 waits here instead of
   * queueing hundreds of queries ahead of the alarm API; hashing is the bottleneck anyway.
   */
  private readonly loginGate = new ConcurrencyGate(2 * SCRYPT_CONCURRENCY);

  constructor(
    private readonly ds: DataSource,
    private readonly audit: AuditService,
    private readonly clock: Clock,
    private readonly events: DomainEvents,
    private readonly policy: AuthPolicy,
    private readonly crypto: FieldCrypto,
  ) {
    this.throttle = new LoginThrottle(ds, { windowMinutes: policy.lockMinutes, pairLimit: policy.maxFailures, ipLimit: policy.ipMaxFailures, maxDelaySeconds: policy.accountMaxDelaySeconds });
  }

  /**
   * @returns a new session token and the actor.
   * A user with a second factor also sends `code`: the current TOTP code or an unused recovery code (spent by
   * this login). Without it the answer is auth/totp-required; a wrong code counts as a failed login.
   * @throws AppError auth/invalid-credentials (unknown user, inactive user and wrong password alike; a wrong
   *   code), auth/totp-required or auth/throttled.
   */
  async login(username: string, password: string, ip?: string, code?: string): Promise<LoginResult> {
    const from = ip ?? 'unknown';
    const verdict = await this.loginGate.run(() => this.throttle.check(username, from, this.clock.now()));
    if (verdict.blockedUntil) {
      await this.audit.record({ actorId: null, actorUsername: username, action: 'auth.login', outcome: 'denied', purpose: 'auth/throttled', ip });
      throw new AppError('auth/throttled', '登录尝试过于频繁，请稍后再试', { retryAfterSeconds: Math.max(1, Math.ceil((verdict.blockedUntil.getTime() - this.clock.now().getTime()) / 1000)) });
    }
    if (verdict.delayMs > 0) await sleep(verdict.delayMs);
    return this.loginGate.run(() => this.attempt(username, password, from, ip, code));
  }

  private async attempt(username: string, password: string, from: string, ip: string | undefined, code: string | undefined): Promise<LoginResult> {
    const users = this.ds.getRepository(StaffUser);
    const user = await users.findOneBy({ username });
    const ok = user && user.active ? await verifyPassword(password, user.passwordHash) : (await verifyDummy(password), false);
    const now = this.clock.now();
    if (!user || !ok) {
      await this.throttle.failed(username, from, now);
      await this.audit.record({ actorId: user?.id ?? null, actorUsername: username, action: 'auth.login', outcome: 'denied', purpose: 'auth/invalid-credentials', ip });
      throw new AppError('auth/invalid-credentials', '用户名或密码错误');
    }
    const secondFactor = user.totpEnabledAt ? await this.secondFactor(user, code, from, ip, now) : null;
    await this.throttle.succeeded(username, from, now);
    const rehash = needsRehash(user.passwordHash) ? await hashPassword(password) : null;
    const token = randomBytes(32).toString('base64url');
    const expiresAt = new Date(now.getTime() + this.policy.sessionTtlMinutes * 60_000);
    const ended = await this.ds.transaction(async (m) => {
      // Serialise logins of one user, so the session cap holds under concurrent logins.
      await m.query('SELECT id FROM staff_user WHERE id = $1 FOR UPDATE', [user.id]);
      if (secondFactor?.recoveryCodeId) {
        // Spent exactly once, even by two logins racing with the same code.
        const spent = await m.update(StaffRecoveryCode, { id: secondFactor.recoveryCodeId, usedAt: IsNull() }, { usedAt: now });
        if (!spent.affected) throw new AppError('auth/invalid-credentials', '验证码错误', [{ path: 'code', message: '验证码错误', reason: 'invalid-code' }]);
      }
      if (rehash) await m.update(StaffUser, user.id, { passwordHash: rehash });
      await m.delete(StaffSession, { userId: user.id, expiresAt: LessThanOrEqual(now) });
      const tokenHash = sha256(token);
      await m.insert(StaffSession, { tokenHash, userId: user.id, expiresAt, lastSeenAt: now });
      // The cap keeps the newest sessions (created_at is the database's own clock, so the order is exact).
      const sessions = await m.find(StaffSession, { where: { userId: user.id }, order: { createdAt: 'DESC' } });
      const over = sessions.filter((s) => s.tokenHash !== tokenHash).slice(this.policy.maxSessionsPerUser - 1).map((s) => s.tokenHash);
      if (over.length) await m.delete(StaffSession, { tokenHash: In(over) });
      await this.audit.record({ actorId: user.id, actorUsername: user.username, action: 'auth.login', outcome: 'ok', ip, purpose: secondFactor ? (secondFactor.recoveryCodeId ? 'second factor: recovery code' : 'second factor: totp') : undefined }, m);
      return over;
    });
    if (ended.length) this.events.emit('session.ended', { userId: user.id, sessionIds: ended, reason: 'replaced' });
    return { token, expiresAt, actor: await this.toActor(user), mustChangePassword: user.mustChangePassword, mustEnrolTotp: this.mustEnrolTotp(user) };
  }

  /**
   * Check the second factor of a login whose password was right: a TOTP code, or an unused recovery code
   * (returned, to be spent in the session transaction).
   */
  private async secondFactor(user: StaffUser, code: string | undefined, from: string, ip: string | undefined, now: Date): Promise<{ recoveryCodeId: string | null }> {
    if (!code) {
      await this.audit.record({ actorId: user.id, actorUsername: user.username, action: 'auth.login', outcome: 'denied', purpose: 'auth/totp-required', ip });
      throw new AppError('auth/totp-required', '请输入动态验证码或恢复码');
    }
    if (user.totpSecret && totpCodeValid(this.crypto.decrypt(user.totpSecret), code, now)) return { recoveryCodeId: null };
    if (isRecoveryCodeShape(code)) {
      const found = await this.ds.getRepository(StaffRecoveryCode).findOneBy({ userId: user.id, codeHash: recoveryCodeHash(code), usedAt: IsNull() });
      if (found) return { recoveryCodeId: found.id };
    }
    await this.throttle.failed(user.username, from, now);
    await this.audit.record({ actorId: user.id, actorUsername: user.username, action: 'auth.login', outcome: 'denied', purpose: 'auth/invalid-code', ip });
    throw new AppError('auth/invalid-credentials', '验证码错误', [{ path: 'code', message: '验证码错误', reason: 'invalid-code' }]);
  }

  /** Whether this user must enrol a second factor before doing anything else. */
  private mustEnrolTotp(user: StaffUser): boolean {
    if (user.totpEnabledAt) return false;
    const roles = user.roles?.length ? user.roles : [user.role];
    return this.policy.totpRequiredForAll === true || roles.some((r) => TOTP_ROLES.includes(r));
  }

  /**
   * Start (or restart) TOTP enrolment: a new secret is stored encrypted, not yet in force, and returned as text
   * and a QR code. Refused when a second factor is already in force (a security admin resets a lost one).
   */
  async startTotpEnrolment(info: SessionInfo): Promise<TotpEnrolment> {
    const user = await this.ds.getRepository(StaffUser).findOneByOrFail({ id: info.actor.userId });
    if (user.totpEnabledAt) throw new AppError('conflict', '已绑定动态验证码', { reason: 'already-enrolled' });
    const secret = newTotpSecret();
    await this.ds.transaction(async (m) => {
      await m.update(StaffUser, user.id, { totpSecret: this.crypto.encrypt(secret) });
      await this.audit.record({ actorId: user.id, actorUsername: user.username, action: 'auth.totp-enrol-start', outcome: 'ok', subjectType: 'staff', subjectId: user.id }, m);
    });
    return { secret, ...enrolmentOf(secret, user.username) };
  }

  /**
   * Confirm the enrolment with a code from the app: the second factor is in force from now on, and ten
   * recovery codes are returned (once; stored hashed). Wrong codes are throttled like failed logins.
   * @throws AppError validation/invalid (`code`, reason invalid-code), conflict (nothing to confirm), auth/throttled.
   */
  async confirmTotpEnrolment(info: SessionInfo, code: string, ip?: string): Promise<{ recoveryCodes: string[] }> {
    const user = await this.ds.getRepository(StaffUser).findOneByOrFail({ id: info.actor.userId });
    const from = ip ?? 'unknown';
    const now = this.clock.now();
    await this.refuseIfThrottled(user.username, from, now);
    if (user.totpEnabledAt || !user.totpSecret) throw new AppError('conflict', '没有待确认的绑定', { reason: 'no-enrolment' });
    return this.withValidCode(user, code, from, ip, now, 'auth.totp-enrol', async (m) => {
      await m.update(StaffUser, user.id, { totpEnabledAt: now });
    });
  }

  /**
   * Replace the recovery codes (the old ones stop working), proven by a current TOTP code.
   * @throws AppError validation/invalid (`code`, reason invalid-code), conflict (no second factor), auth/throttled.
   */
  async regenerateRecoveryCodes(info: SessionInfo, code: string, ip?: string): Promise<{ recoveryCodes: string[] }> {
    const user = await this.ds.getRepository(StaffUser).findOneByOrFail({ id: info.actor.userId });
    const from = ip ?? 'unknown';
    const now = this.clock.now();
    await this.refuseIfThrottled(user.username, from, now);
    if (!user.totpEnabledAt || !user.totpSecret) throw new AppError('conflict', '尚未绑定动态验证码', { reason: 'no-enrolment' });
    return this.withValidCode(user, code, from, ip, now, 'auth.recovery-codes', async () => undefined);
  }

  private async refuseIfThrottled(username: string, from: string, now: Date): Promise<void> {
    const verdict = await this.throttle.check(username, from, now);
    if (verdict.blockedUntil) {
      throw new AppError('auth/throttled', '尝试过于频繁，请稍后再试', { retryAfterSeconds: Math.max(1, Math.ceil((verdict.blockedUntil.getTime() - now.getTime()) / 1000)) });
    }
  }

  /** Check a TOTP code (a wrong one is throttled and audited), then write ten fresh recovery codes with `also`. */
  private async withValidCode(user: StaffUser, code: string, from: string, ip: string | undefined, now: Date, action: string, also: (m: EntityManager) => Promise<void>): Promise<{ recoveryCodes: string[] }> {
    if (!totpCodeValid(this.crypto.decrypt(user.totpSecret!), code, now)) {
      await this.throttle.failed(user.username, from, now);
      await this.audit.record({ actorId: user.id, actorUsername: user.username, action, outcome: 'denied', purpose: 'auth/invalid-code', subjectType: 'staff', subjectId: user.id, ip });
      // 400, not 401: the session itself is fine.
      throw new AppError('validation/invalid', '验证码错误', [{ path: 'code', message: '验证码错误', reason: 'invalid-code' }]);
    }
    const recoveryCodes = newRecoveryCodes();
    await this.ds.transaction(async (m) => {
      await also(m);
      await m.delete(StaffRecoveryCode, { userId: user.id });
      await m.insert(StaffRecoveryCode, recoveryCodes.map((c) => ({ userId: user.id, codeHash: recoveryCodeHash(c) })));
      await this.audit.record({ actorId: user.id, actorUsername: user.username, action, outcome: 'ok', subjectType: 'staff', subjectId: user.id, ip }, m);
    });
    await this.throttle.succeeded(user.username, from, now);
    return { recoveryCodes };
  }

  /** Whether the user's second factor is in force, and the unused recovery codes left (the settings page). */
  async totpStatus(userId: string): Promise<{ totpEnrolled: boolean; recoveryCodesLeft: number }> {
    const user = await this.ds.getRepository(StaffUser).findOneByOrFail({ id: userId });
    const recoveryCodesLeft = await this.ds.getRepository(StaffRecoveryCode).countBy({ userId, usedAt: IsNull() });
    return { totpEnrolled: user.totpEnabledAt !== null, recoveryCodesLeft };
  }

  /** Resolve a bearer token; null when unknown, expired, idle too long or its user is inactive. */
  async authenticate(token: string): Promise<Actor | null> {
    return (await this.resolve(token))?.actor ?? null;
  }

  /**
   * Resolve a bearer token to its session, and count the request as activity (idle timeout). `last_seen_at`
   * is written at most every {@link TOUCH_EVERY_MS} per session.
   */
  async resolve(token: string, opts: { touch?: boolean } = {}): Promise<SessionInfo | null> {
    if (typeof token !== 'string' || !token || token.length > 200) return null;
    return this.check(sha256(token), opts.touch ?? true);
  }

  /**
   * Re-check a session by id (the realtime hub before each socket command).
   * @returns the session, or null when it has ended for any reason.
   */
  async check(sessionId: string, touch = true): Promise<SessionInfo | null> {
    const session = await this.ds.getRepository(StaffSession).findOneBy({ tokenHash: sessionId });
    const now = this.clock.now();
    if (!session || !this.alive(session, now)) return null;
    const user = await this.ds.getRepository(StaffUser).findOneBy({ id: session.userId });
    if (!user || !user.active) return null;
    if (touch && now.getTime() - session.lastSeenAt.getTime() >= TOUCH_EVERY_MS) {
      await this.ds.getRepository(StaffSession).update({ tokenHash: sessionId }, { lastSeenAt: now });
    }
    return { actor: await this.toActor(user), sessionId, mustChangePassword: user.mustChangePassword, mustEnrolTotp: this.mustEnrolTotp(user) };
  }

  /** Of these session ids, the ones still valid (the hub's periodic sweep of its sockets). */
  async liveSessions(sessionIds: string[]): Promise<Set<string>> {
    if (!sessionIds.length) return new Set();
    const now = this.clock.now();
    const rows: { token_hash: string; expires_at: Date; last_seen_at: Date }[] = await this.ds.query(
      `SELECT s.token_hash, s.expires_at, s.last_seen_at FROM staff_session s JOIN staff_user u ON u.id = s.user_id
       WHERE s.token_hash = ANY($1) AND u.active`,
      [sessionIds],
    );
    return new Set(rows.filter((r) => this.alive({ expiresAt: new Date(r.expires_at), lastSeenAt: new Date(r.last_seen_at) }, now)).map((r) => r.token_hash));
  }

  /** End one session (logout); its sockets are disconnected. */
  async logout(token: string): Promise<void> {
    const session = await this.ds.getRepository(StaffSession).findOneBy({ tokenHash: sha256(token) });
    if (!session) return;
    await this.ds.getRepository(StaffSession).delete({ tokenHash: session.tokenHash });
    this.endSessions(session.userId, [session.tokenHash], 'logout');
  }

  /**
   * Deactivate a user: every session ends at once and the user's sockets are disconnected.
   * @example await auth.deactivate(userId, securityAdmin);
   */
  async deactivate(userId: string, by?: Actor): Promise<void> {
    const ended = await this.ds.transaction(async (m) => {
      await m.update(StaffUser, userId, { active: false });
      const sessions = await m.findBy(StaffSession, { userId });
      await m.delete(StaffSession, { userId });
      await this.audit.record({ actorId: by?.userId ?? null, actorUsername: by?.username ?? 'system', action: 'staff.deactivate', outcome: 'ok', subjectType: 'staff', subjectId: userId, purpose: 'active: true → false' }, m);
      return sessions.map((s) => s.tokenHash);
    });
    this.endSessions(userId, ended, 'deactivated');
  }

  /** A security admin's unlock: forget the failed logins counted against this username (see LoginThrottle). */
  async unlock(username: string): Promise<void> {
    await this.throttle.unlock(username);
  }

  /** Failed logins counted against this username in the current window. */
  async failuresOf(username: string): Promise<number> {
    return this.throttle.accountFailures(username, this.clock.now());
  }

  /**
   * End every session of a user inside the caller's transaction; returns what to pass to {@link announceEnded}
   * after commit (a security admin's reset or change of access).
   */
  async endAllSessions(m: EntityManager, userId: string): Promise<string[]> {
    const sessions = await m.findBy(StaffSession, { userId });
    if (sessions.length) await m.delete(StaffSession, { userId });
    return sessions.map((s) => s.tokenHash);
  }

  /** Announce ended sessions (after commit): the realtime hub disconnects their sockets and the user's. */
  announceEnded(userId: string, sessionIds: string[], reason: SessionEndReason): void {
    this.endSessions(userId, sessionIds, reason);
  }

  /**
   * Change one's own password (current + new). Clears the must-change flag and ends the user's other sessions.
   * @throws AppError validation/invalid: wrong current password (`currentPassword`) or a weak new one (`newPassword`).
   */
  async changePassword(info: SessionInfo, current: string, next: string): Promise<void> {
    const user = await this.ds.getRepository(StaffUser).findOneByOrFail({ id: info.actor.userId });
    if (!(await verifyPassword(current, user.passwordHash))) {
      await this.audit.record({ actorId: user.id, actorUsername: user.username, action: 'auth.password-change', outcome: 'denied', purpose: 'auth/invalid-credentials' });
      // 400, not 401: the session itself is fine (a 401 would sign the console out).
      throw new AppError('validation/invalid', '当前密码不正确', [{ path: 'currentPassword', message: '当前密码不正确', reason: 'wrong-current' }]);
    }
    const weak = passwordProblem(next, user.username, current);
    if (weak) throw new AppError('validation/invalid', weak.message, [{ path: 'newPassword', message: weak.message, reason: weak.reason }]);
    const passwordHash = await hashPassword(next);
    const ended = await this.ds.transaction(async (m: EntityManager) => {
      await m.update(StaffUser, user.id, { passwordHash, mustChangePassword: false });
      const others = (await m.findBy(StaffSession, { userId: user.id })).map((s) => s.tokenHash).filter((id) => id !== info.sessionId);
      if (others.length) await m.delete(StaffSession, { tokenHash: In(others) });
      await this.audit.record({ actorId: user.id, actorUsername: user.username, action: 'auth.password-change', outcome: 'ok' }, m);
      return others;
    });
    this.endSessions(user.id, ended, 'password-changed');
  }

  private endSessions(userId: string, sessionIds: string[], reason: SessionEndReason): void {
    this.events.emit('session.ended', { userId, sessionIds, reason });
  }

  private alive(s: { expiresAt: Date; lastSeenAt: Date }, now: Date): boolean {
    return s.expiresAt > now && now.getTime() - s.lastSeenAt.getTime() < this.policy.idleMinutes * 60_000;
  }

  private async toActor(user: StaffUser): Promise<Actor> {
    const district = await this.ds.getRepository(District).findOneBy({ code: user.districtCode });
    return {
      userId: user.id,
      username: user.username,
      displayName: user.displayName,
      role: user.role,
      roles: user.roles?.length ? user.roles : [user.role],
      sipExtension: user.sipExtension,
      districtCode: user.districtCode,
      // Fail closed: a missing district sees nothing, never the whole city.
      scopePrefix: !district ? NO_SCOPE_PREFIX : district.level === 'city' ? null : user.districtCode,
    };
  }
}

/** Whether an actor may see a record of `districtCode`. */
export function inScope(actor: Actor, districtCode: string): boolean {
  return actor.scopePrefix === null || districtCode.startsWith(actor.scopePrefix);
}
