import { createHash, randomBytes } from 'node:crypto';
import bcrypt from 'bcryptjs';
import { LessThan, type DataSource } from 'typeorm';
import type { AuditService } from '../audit/audit.service';
import { District } from '../districts/district.entity';
import { AppError } from '../shared/app-error';
import type { Clock } from '../shared/clock';
import { StaffUser, type StaffRole } from '../staff/staff-user.entity';
import { StaffSession } from './session.entity';

/** Who is asking: resolved from a session token on every request and socket. */
export interface Actor {
  userId: string;
  username: string;
  displayName: string;
  role: StaffRole;
  sipExtension: string | null;
  districtCode: string;
  /** Prefix of district codes this actor may see; null = the whole city. */
  scopePrefix: string | null;
}

export interface AuthPolicy {
  sessionTtlMinutes: number;
  maxFailures: number;
  lockMinutes: number;
}

export const BCRYPT_ROUNDS = 10;

export const hashPassword = (plain: string): Promise<string> => bcrypt.hash(plain, BCRYPT_ROUNDS);

const sha256 = (s: string) => createHash('sha256').update(s).digest('hex');

/**
 * Password login with lockout, and opaque bearer sessions stored (hashed) in the database so any
 * server node can check them.
 */
export class AuthService {
  constructor(
    private readonly ds: DataSource,
    private readonly audit: AuditService,
    private readonly clock: Clock,
    private readonly policy: AuthPolicy,
  ) {}

  /**
   * @returns a new session token and the actor.
   * @throws AppError auth/invalid-credentials or auth/locked.
   */
  async login(username: string, password: string, ip?: string): Promise<{ token: string; expiresAt: Date; actor: Actor }> {
    const users = this.ds.getRepository(StaffUser);
    const user = await users.findOneBy({ username });
    const now = this.clock.now();
    const fail = async (code: 'auth/invalid-credentials' | 'auth/locked', message: string) => {
      await this.audit.record({ actorId: user?.id ?? null, actorUsername: username, action: 'auth.login', outcome: 'denied', purpose: code, ip });
      return new AppError(code, message);
    };
    if (!user || !user.active) {
      await bcrypt.compare(password, '$2b$10$invalidinvalidinvalidinvalidinvalidinvalidinvalidinva');
      throw await fail('auth/invalid-credentials', '用户名或密码错误');
    }
    if (user.lockedUntil && user.lockedUntil > now) {
      throw await fail('auth/locked', `账号已锁定，请于 ${user.lockedUntil.toISOString()} 后重试`);
    }
    if (!(await bcrypt.compare(password, user.passwordHash))) {
      const failures = user.failedLogins + 1;
      const lock = failures >= this.policy.maxFailures;
      await users.update(user.id, {
        failedLogins: lock ? 0 : failures,
        lockedUntil: lock ? new Date(now.getTime() + this.policy.lockMinutes * 60_000) : user.lockedUntil,
      });
      throw await fail(lock ? 'auth/locked' : 'auth/invalid-credentials', lock ? `连续 ${failures} 次失败，账号已锁定 ${this.policy.lockMinutes} 分钟` : '用户名或密码错误');
    }
    const token = randomBytes(32).toString('base64url');
    const expiresAt = new Date(now.getTime() + this.policy.sessionTtlMinutes * 60_000);
    await this.ds.transaction(async (m) => {
      await m.update(StaffUser, user.id, { failedLogins: 0, lockedUntil: null });
      await m.insert(StaffSession, { tokenHash: sha256(token), userId: user.id, expiresAt });
      await m.delete(StaffSession, { userId: user.id, expiresAt: LessThan(now) });
      await this.audit.record({ actorId: user.id, actorUsername: user.username, action: 'auth.login', outcome: 'ok', ip }, m);
    });
    return { token, expiresAt, actor: await this.toActor(user) };
  }

  /** Resolve a bearer token; null when unknown or expired. */
  async authenticate(token: string): Promise<Actor | null> {
    if (!token || token.length > 200) return null;
    const session = await this.ds.getRepository(StaffSession).findOneBy({ tokenHash: sha256(token) });
    if (!session || session.expiresAt <= this.clock.now()) return null;
    const user = await this.ds.getRepository(StaffUser).findOneBy({ id: session.userId });
    return user && user.active ? this.toActor(user) : null;
  }

  async logout(token: string): Promise<void> {
    await this.ds.getRepository(StaffSession).delete({ tokenHash: sha256(token) });
  }

  private async toActor(user: StaffUser): Promise<Actor> {
    const district = await this.ds.getRepository(District).findOneBy({ code: user.districtCode });
    return {
      userId: user.id,
      username: user.username,
      displayName: user.displayName,
      role: user.role,
      sipExtension: user.sipExtension,
      districtCode: user.districtCode,
      scopePrefix: !district || district.level === 'city' ? null : user.districtCode,
    };
  }
}

/** Whether an actor may see a record of `districtCode`. */
export function inScope(actor: Actor, districtCode: string): boolean {
  return actor.scopePrefix === null || districtCode.startsWith(actor.scopePrefix);
}
