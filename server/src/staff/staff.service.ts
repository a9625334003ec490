import { randomInt } from 'node:crypto';
import type { DataSource, EntityManager } from 'typeorm';
import type { AuditService } from '../audit/audit.service';
import { inScope, type Actor, type AuthService } from '../auth/auth.service';
import { hashPassword } from '../auth/password-hash';
import { passwordProblem } from '../auth/password-policy';
import { StaffRecoveryCode } from '../auth/recovery-code.entity';
import { District } from '../districts/district.entity';
import { AppError } from '../shared/app-error';
import type { SessionEndReason } from '../shared/domain-events';
import { soleRoleProblem, type CreateStaffInput, type ListStaffQuery, type UpdateStaffInput } from './staff.schema';
import { StaffUser, type StaffRole } from './staff-user.entity';
import type { StaffDirectory } from './staff-directory';

/** A staff user as the security admin sees it: never a password hash or a TOTP secret. */
export interface StaffView {
  id: string;
  username: string;
  displayName: string;
  roles: StaffRole[];
  districtCode: string;
  sipExtension: string | null;
  skills: string[];
  active: boolean;
  mustChangePassword: boolean;
  totpEnrolled: boolean;
  createdAt: Date;
}

/** A one-time password, shown once to the security admin (never stored in clear, never audited). */
export interface OneTimePassword {
  oneTimePassword: string;
}

const OTP_ALPHABET = 'ABCDEFGHJKLMNPQRSTUVWXYZabcdefghijkmnopqrstuvwxyz23456789';

/** A random one-time password (4 groups of 4, ~93 bits) that passes the password policy. */
export function generateOneTimePassword(username: string): string {
  for (;;) {
    const groups = Array.from({ length: 4 }, () => Array.from({ length: 4 }, () => OTP_ALPHABET[randomInt(OTP_ALPHABET.length)]).join(''));
    const candidate = groups.join('-');
    if (!passwordProblem(candidate, username)) return candidate;
  }
}

const view = (u: StaffUser): StaffView => ({
  id: u.id,
  username: u.username,
  displayName: u.displayName,
  roles: u.roles.length ? u.roles : [u.role],
  districtCode: u.districtCode,
  sipExtension: u.sipExtension,
  skills: u.skills,
  active: u.active,
  mustChangePassword: u.mustChangePassword,
  totpEnrolled: u.totpEnabledAt !== null,
  createdAt: u.createdAt,
});

/** `old → new` for the audit trail (staff fields only; never a password or secret). Bounded to the column. */
function changeSummary(before: StaffUser, after: Partial<StaffUser>): string {
  const parts: string[] = [];
  const show = (v: unknown) => (Array.isArray(v) ? v.join(',') || '-' : v === null || v === undefined ? '-' : String(v));
  for (const key of ['displayName', 'roles', 'districtCode', 'sipExtension', 'skills'] as const) {
    if (!(key in after)) continue;
    const a = show(before[key]);
    const b = show(after[key]);
    if (a !== b) parts.push(`${key}: ${a} → ${b}`);
  }
  const text = parts.join('; ');
  return text.length > 200 ? `${text.slice(0, 199)}…` : text;
}

/**
 * Staff administration for the security admin: list, create, edit roles / district scope / extension / skills,
 * deactivate and reactivate, unlock, reset the password or the second factor. Every change is audited (actor,
 * the staff id as subject, old → new); a user outside the security admin's district scope answers like a
 * missing one. Changes of access end the user's sessions and sockets at once.
 */
export class StaffService {
  constructor(
    private readonly ds: DataSource,
    private readonly auth: AuthService,
    private readonly audit: AuditService,
    private readonly directory: StaffDirectory,
  ) {}

  /**
   * Staff in the actor's scope, filtered by name/username/extension, role and active flag; audited as a read.
   * @example await staff.list(secAdmin, { q: '李', limit: 50, offset: 0 })
   */
  async list(actor: Actor, query: ListStaffQuery): Promise<{ items: StaffView[]; total: number }> {
    const qb = this.ds.getRepository(StaffUser).createQueryBuilder('u').orderBy('u.username', 'ASC').take(query.limit).skip(query.offset);
    if (actor.scopePrefix !== null) qb.andWhere('u.district_code LIKE :scope', { scope: `${actor.scopePrefix}%` });
    if (query.q) {
      const like = `%${query.q.replace(/[\\%_]/g, (c) => `\\${c}`)}%`;
      qb.andWhere('(u.username ILIKE :like OR u.display_name ILIKE :like OR u.sip_extension = :exact)', { like, exact: query.q });
    }
    if (query.role) qb.andWhere(':role = ANY(u.roles)', { role: query.role });
    if (query.active) qb.andWhere('u.active = :active', { active: query.active === 'true' });
    const [rows, total] = await qb.getManyAndCount();
    await this.audit.record({ actorId: actor.userId, actorUsername: actor.username, action: 'staff.read', outcome: 'ok', subjects: rows.map((u) => ({ type: 'staff', id: u.id })) });
    return { items: rows.map(view), total };
  }

  /** One staff user with the failed logins counted against them now; 404 when missing or out of scope. */
  async get(actor: Actor, id: string): Promise<StaffView & { failedLogins: number }> {
    const user = await this.find(this.ds.manager, actor, id);
    await this.audit.record({ actorId: actor.userId, actorUsername: actor.username, action: 'staff.read', outcome: 'ok', subjectType: 'staff', subjectId: id });
    return { ...view(user), failedLogins: await this.auth.failuresOf(user.username) };
  }

  /**
   * Create a staff user with a one-time password (shown once; it must be changed at the first login).
   * @throws AppError staff/duplicate (username or extension taken), validation/invalid (sole role, district).
   */
  async create(actor: Actor, input: CreateStaffInput): Promise<StaffView & OneTimePassword> {
    this.checkRoles(input.roles);
    await this.checkDistrict(actor, input.districtCode);
    const oneTimePassword = generateOneTimePassword(input.username);
    const passwordHash = await hashPassword(oneTimePassword);
    const created = await this.ds.transaction(async (m) => {
      await this.checkUnique(m, input.username, input.sipExtension, null);
      const repo = m.getRepository(StaffUser);
      const user = await repo.save(
        repo.create({ username: input.username, displayName: input.displayName, passwordHash, role: input.roles[0]!, roles: input.roles, districtCode: input.districtCode, sipExtension: input.sipExtension, skills: input.skills, mustChangePassword: true }),
      );
      const summary = changeSummary({ roles: [], districtCode: null, sipExtension: null, skills: [], displayName: null } as unknown as StaffUser, input);
      await this.record(m, actor, 'staff.create', user.id, summary);
      return repo.findOneByOrFail({ id: user.id });
    });
    this.directory.invalidate();
    return { ...view(created), oneTimePassword };
  }

  /**
   * Edit name, roles, district scope, SIP extension, skills. A change of roles or scope ends the user's
   * sessions (the next login gets the new access). One cannot change one's own roles or scope.
   */
  async update(actor: Actor, id: string, input: UpdateStaffInput): Promise<StaffView> {
    if (input.roles) this.checkRoles(input.roles);
    if (input.districtCode) await this.checkDistrict(actor, input.districtCode);
    const { user, ended } = await this.ds.transaction(async (m) => {
      const before = await this.find(m, actor, id, true);
      const accessChanged = (input.roles && input.roles.join(',') !== before.roles.join(',')) || (input.districtCode && input.districtCode !== before.districtCode);
      if (accessChanged && id === actor.userId) throw new AppError('conflict', '不能修改自己的角色或辖区', { reason: 'self' });
      if (input.sipExtension !== undefined) await this.checkUnique(m, null, input.sipExtension, id);
      const patch: Partial<StaffUser> = {};
      if (input.displayName !== undefined) patch.displayName = input.displayName;
      if (input.roles) Object.assign(patch, { roles: input.roles, role: input.roles[0] });
      if (input.districtCode) patch.districtCode = input.districtCode;
      if (input.sipExtension !== undefined) patch.sipExtension = input.sipExtension;
      if (input.skills) patch.skills = input.skills;
      const summary = changeSummary(before, patch);
      if (!summary) return { user: before, ended: [] };
      await m.update(StaffUser, id, patch);
      await this.record(m, actor, 'staff.update', id, summary);
      const ended = accessChanged ? await this.auth.endAllSessions(m, id) : [];
      return { user: await m.findOneByOrFail(StaffUser, { id }), ended };
    });
    this.directory.invalidate();
    this.announce(id, ended, 'access-changed');
    return view(user);
  }

  /** Deactivate: every session and socket of the user ends at once (see AuthService.deactivate). */
  async deactivate(actor: Actor, id: string): Promise<void> {
    if (id === actor.userId) {
      await this.find(this.ds.manager, actor, id);
      throw new AppError('conflict', '不能停用自己的账号', { reason: 'self' });
    }
    await this.find(this.ds.manager, actor, id);
    await this.auth.deactivate(id, actor);
    this.directory.invalidate();
  }

  /** Reactivate a deactivated user (same password state as before; the security admin may reset it). */
  async activate(actor: Actor, id: string): Promise<void> {
    await this.ds.transaction(async (m) => {
      const user = await this.find(m, actor, id, true);
      if (user.active) return;
      await m.update(StaffUser, id, { active: true });
      await this.record(m, actor, 'staff.activate', id, 'active: false → true');
    });
    this.directory.invalidate();
  }

  /** Forget the failed logins counted against the user (every address), so they may log in again at once. */
  async unlock(actor: Actor, id: string): Promise<void> {
    const user = await this.find(this.ds.manager, actor, id);
    await this.auth.unlock(user.username);
    await this.record(this.ds.manager, actor, 'staff.unlock', id, 'login failures cleared');
  }

  /**
   * Reset the password to a new one-time password (returned once, to be changed at the next login); every
   * session of the user ends.
   */
  async resetPassword(actor: Actor, id: string): Promise<OneTimePassword> {
    const target = await this.find(this.ds.manager, actor, id);
    const oneTimePassword = generateOneTimePassword(target.username);
    const passwordHash = await hashPassword(oneTimePassword);
    const ended = await this.ds.transaction(async (m) => {
      await this.find(m, actor, id, true);
      await m.update(StaffUser, id, { passwordHash, mustChangePassword: true });
      await this.record(m, actor, 'staff.password-reset', id, 'mustChangePassword: → true');
      return this.auth.endAllSessions(m, id);
    });
    await this.auth.unlock(target.username);
    this.announce(id, ended, 'password-reset');
    return { oneTimePassword };
  }

  /** Remove a lost second factor (secret and recovery codes); the user enrols again at the next login. */
  async resetTotp(actor: Actor, id: string): Promise<void> {
    const ended = await this.ds.transaction(async (m) => {
      const user = await this.find(m, actor, id, true);
      await m.update(StaffUser, id, { totpSecret: null, totpEnabledAt: null });
      await m.delete(StaffRecoveryCode, { userId: id });
      await this.record(m, actor, 'staff.totp-reset', id, `totp: ${user.totpEnabledAt ? 'enrolled' : 'none'} → none`);
      return this.auth.endAllSessions(m, id);
    });
    this.announce(id, ended, 'access-changed');
  }

  private announce(userId: string, sessionIds: string[], reason: SessionEndReason): void {
    if (sessionIds.length) this.auth.announceEnded(userId, sessionIds, reason);
  }

  private async find(m: EntityManager, actor: Actor, id: string, lock = false): Promise<StaffUser> {
    const user = await m.getRepository(StaffUser).findOne({ where: { id }, ...(lock ? { lock: { mode: 'pessimistic_write' as const } } : {}) });
    if (!user || !inScope(actor, user.districtCode)) throw new AppError('staff/not-found', '该工作人员不存在');
    return user;
  }

  private checkRoles(roles: StaffRole[]): void {
    if (soleRoleProblem(roles)) {
      const message = '安全管理员和审计员只能单独担任，不能兼任其他角色';
      throw new AppError('validation/invalid', message, [{ path: 'roles', message, reason: 'sole-role' }]);
    }
  }

  /** The district must exist and lie within the actor's own scope (else it answers like an unknown one). */
  private async checkDistrict(actor: Actor, code: string): Promise<void> {
    const district = await this.ds.getRepository(District).findOneBy({ code });
    if (!district || !inScope(actor, code)) {
      const message = '辖区不存在或不在您的管理范围内';
      throw new AppError('validation/invalid', message, [{ path: 'districtCode', message, reason: 'unknown-district' }]);
    }
  }

  private async checkUnique(m: EntityManager, username: string | null, sipExtension: string | null, exceptId: string | null): Promise<void> {
    const repo = m.getRepository(StaffUser);
    if (username && (await repo.existsBy({ username }))) {
      throw new AppError('staff/duplicate', '用户名已被使用', [{ path: 'username', message: '用户名已被使用', reason: 'username-taken' }]);
    }
    if (sipExtension) {
      const holder = await repo.findOneBy({ sipExtension });
      if (holder && holder.id !== exceptId) throw new AppError('staff/duplicate', '分机号已被使用', [{ path: 'sipExtension', message: '分机号已被使用', reason: 'extension-taken' }]);
    }
  }

  private record(m: EntityManager, actor: Actor, action: string, staffId: string, change: string): Promise<void> {
    return this.audit.record({ actorId: actor.userId, actorUsername: actor.username, action, outcome: 'ok', subjectType: 'staff', subjectId: staffId, purpose: change }, m);
  }
}
