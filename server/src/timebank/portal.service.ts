import { createHash, randomBytes } from 'node:crypto';
import type { Actor } from '../auth/auth.service';
import { AppError } from '../shared/app-error';
import { auditActor, type TimebankContext } from './timebank-context';
import { volunteerInScope } from './timebank-scope';
import type { TimebankThrottle } from './timebank-throttle';

const LINK_HOURS = 24;
const SESSION_HOURS = 12;
const hash = (s: string) => createHash('sha256').update(s).digest('hex');

/**
 * The volunteer portal's own minimal session (not the staff login, not dispatch's job link): staff issue a
 * one-time link (24 h, usable once), the volunteer's page exchanges it for a bearer token (12 h) that reads
 * only that volunteer's statement and the shop. Codes and tokens are stored hashed.
 */
export class VolunteerPortal {
  constructor(
    private readonly ctx: TimebankContext,
    private readonly throttle: TimebankThrottle,
  ) {}

  async issueLink(actor: Actor, volunteerId: string): Promise<{ code: string; path: string; expiresAt: Date }> {
    const now = this.ctx.clock.now();
    const code = randomBytes(24).toString('base64url');
    const expiresAt = new Date(now.getTime() + LINK_HOURS * 3600_000);
    await this.ctx.ds.transaction(async (m) => {
      const v = await volunteerInScope(m, actor, volunteerId);
      await m.query(`INSERT INTO volunteer_portal_link (code_hash, volunteer_id, created_by, created_at, expires_at) VALUES ($1, $2, $3, $4, $5)`, [hash(code), v.id, actor.userId, now, expiresAt]);
      await this.ctx.audit.record({ ...auditActor(actor), action: 'timebank.portal.link', subjectType: 'volunteer', subjectId: v.id, outcome: 'ok' }, m);
    });
    return { code, path: `/v/${code}`, expiresAt };
  }

  /** Exchange a one-time code for a session; an unknown, used or expired code is 401 `timebank/link-invalid`. */
  async open(code: string, clientKey: string): Promise<{ token: string; expiresAt: Date; volunteer: { volunteerId: string; name: string } }> {
    await this.throttle.hit(`portal:${clientKey}`);
    const now = this.ctx.clock.now();
    return this.ctx.ds.transaction(async (m) => {
      const [link] = await m.query(`SELECT l.volunteer_id, v.name FROM volunteer_portal_link l JOIN volunteer v ON v.id = l.volunteer_id WHERE l.code_hash = $1 AND l.used_at IS NULL AND l.expires_at > $2 FOR UPDATE OF l`, [hash(code), now]);
      if (!link) throw new AppError('timebank/link-invalid', '链接无效或已过期，请向工作人员索取新的链接');
      await m.query(`UPDATE volunteer_portal_link SET used_at = $2 WHERE code_hash = $1`, [hash(code), now]);
      const token = randomBytes(32).toString('base64url');
      const expiresAt = new Date(now.getTime() + SESSION_HOURS * 3600_000);
      await m.query(`INSERT INTO volunteer_portal_session (token_hash, volunteer_id, created_at, expires_at) VALUES ($1, $2, $3, $4)`, [hash(token), link.volunteer_id, now, expiresAt]);
      await this.ctx.audit.record({ actorId: null, actorUsername: `volunteer:${link.volunteer_id}`, action: 'timebank.portal.open', subjectType: 'volunteer', subjectId: link.volunteer_id, outcome: 'ok' }, m);
      return { token, expiresAt, volunteer: { volunteerId: link.volunteer_id as string, name: link.name as string } };
    });
  }

  /** The volunteer of a live session token, or 401 `timebank/portal-unauthenticated`. */
  async resolve(token: string | null): Promise<string> {
    if (!token) throw new AppError('timebank/portal-unauthenticated', '请重新打开链接');
    const [row] = await this.ctx.ds.query(`SELECT volunteer_id FROM volunteer_portal_session WHERE token_hash = $1 AND ended_at IS NULL AND expires_at > $2`, [hash(token), this.ctx.clock.now()]);
    if (!row) throw new AppError('timebank/portal-unauthenticated', '页面已过期，请重新打开链接');
    return row.volunteer_id;
  }

  async end(token: string): Promise<void> {
    await this.ctx.ds.query(`UPDATE volunteer_portal_session SET ended_at = $2 WHERE token_hash = $1 AND ended_at IS NULL`, [hash(token), this.ctx.clock.now()]);
  }
}
