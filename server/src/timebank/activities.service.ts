import { randomUUID } from 'node:crypto';
import type { EntityManager } from 'typeorm';
import { volunteerAccount, type Attendance } from '../../../dispatch/src/ledger';
import { inScope, type Actor } from '../auth/auth.service';
import { AppError } from '../shared/app-error';
import type { ActivityInput, AttendanceInput, ListActivitiesQuery } from './timebank.schema';
import { auditActor, type TimebankContext } from './timebank-context';
import { districtInScope, notFound, scopeFilter, volunteerInScope } from './timebank-scope';

export interface ActivityView {
  id: string;
  title: string;
  description: string | null;
  districtCode: string;
  location: string;
  startsAt: Date;
  endsAt: Date;
  capacity: number;
  signedUp: number;
  status: 'open' | 'closed';
  createdBy: string;
  attendanceConfirmedBy: string | null;
  creditedAt: Date | null;
}

export interface RosterLine {
  volunteerId: string;
  name: string;
  signedUpAt: Date;
  attended: boolean | null;
  checkInAt: Date | null;
  checkOutAt: Date | null;
  creditedUnits: number | null;
  transactionId: string | null;
}

const viewOf = (r: Record<string, any>): ActivityView => ({
  id: r.id,
  title: r.title,
  description: r.description,
  districtCode: r.district_code,
  location: r.location,
  startsAt: r.starts_at,
  endsAt: r.ends_at,
  capacity: Number(r.capacity),
  signedUp: Number(r.signed_up),
  status: r.status,
  createdBy: r.created_by,
  attendanceConfirmedBy: r.attendance_confirmed_by,
  creditedAt: r.credited_at,
});

const lineOf = (r: Record<string, any>): RosterLine => ({
  volunteerId: r.volunteer_id,
  name: r.name,
  signedUpAt: r.signed_up_at,
  attended: r.attended,
  checkInAt: r.check_in_at,
  checkOutAt: r.check_out_at,
  creditedUnits: r.credited_units === null ? null : Number(r.credited_units),
  transactionId: r.transaction_id,
});

const ROSTER = `SELECT s.*, v.name FROM timebank_activity_signup s JOIN volunteer v ON v.id = s.volunteer_id`;

/**
 * Volunteer activities (志愿助残活动): created per district with a capacity, volunteers signed up (the activity
 * row is locked, so the capacity holds under concurrency), attendance recorded per volunteer, and coins
 * credited to each attendee by their own check-in and check-out through the pure rule (once per attendee).
 */
export class TimebankActivities {
  constructor(private readonly ctx: TimebankContext) {}

  async create(actor: Actor, input: ActivityInput): Promise<ActivityView> {
    return this.ctx.ds.transaction(async (m) => {
      await districtInScope(m, actor, input.districtCode);
      const [row] = await m.query(
        `INSERT INTO timebank_activity (title, description, district_code, location, starts_at, ends_at, capacity, created_by) VALUES ($1, $2, $3, $4, $5, $6, $7, $8) RETURNING *`,
        [input.title, input.description ?? null, input.districtCode, input.location, input.startsAt, input.endsAt, input.capacity, actor.userId],
      );
      await this.ctx.audit.record({ ...auditActor(actor), action: 'timebank.activity.create', subjectType: 'timebank_activity', subjectId: row.id, outcome: 'ok' }, m);
      return viewOf(row);
    });
  }

  async list(actor: Actor, q: ListActivitiesQuery): Promise<{ items: ActivityView[]; total: number }> {
    const scope = scopeFilter(actor, 'district_code', 2);
    const where = `WHERE ($1::varchar IS NULL OR status = $1) AND ${scope.sql}`;
    const params = [q.status ?? null, ...scope.params];
    const rows = await this.ctx.ds.query(`SELECT * FROM timebank_activity ${where} ORDER BY starts_at DESC LIMIT $${params.length + 1} OFFSET $${params.length + 2}`, [...params, q.limit, q.offset]);
    const [{ n }] = await this.ctx.ds.query(`SELECT count(*)::int AS n FROM timebank_activity ${where}`, params);
    return { items: rows.map(viewOf), total: n };
  }

  async detail(actor: Actor, activityId: string): Promise<{ activity: ActivityView; roster: RosterLine[] }> {
    return this.ctx.ds.transaction(async (m) => {
      const activity = await this.inScope(m, actor, activityId, false);
      const roster = (await m.query(`${ROSTER} WHERE s.activity_id = $1 ORDER BY s.signed_up_at`, [activityId])).map(lineOf);
      await this.ctx.audit.record({ ...auditActor(actor), action: 'timebank.activity.read', subjectType: 'timebank_activity', subjectId: activityId, subjects: roster.map((l: RosterLine) => ({ type: 'volunteer', id: l.volunteerId })), outcome: 'ok' }, m);
      return { activity, roster };
    });
  }

  /** Sign a volunteer up (again: the same line, `created: false`); full or closed activities refuse. */
  async signUp(actor: Actor, activityId: string, volunteerId: string): Promise<{ line: RosterLine; created: boolean }> {
    const now = this.ctx.clock.now();
    return this.ctx.ds.transaction(async (m) => {
      const activity = await this.inScope(m, actor, activityId, true);
      const v = await volunteerInScope(m, actor, volunteerId);
      const [prior] = await m.query(`${ROSTER} WHERE s.activity_id = $1 AND s.volunteer_id = $2`, [activityId, v.id]);
      if (prior) return { line: lineOf(prior), created: false };
      if (activity.status !== 'open') throw new AppError('timebank/activity-closed', '活动已结算，不能再报名');
      if (activity.signedUp >= activity.capacity) throw new AppError('timebank/activity-full', '活动名额已满');
      await m.query(`INSERT INTO timebank_activity_signup (activity_id, volunteer_id, signed_up_at) VALUES ($1, $2, $3)`, [activityId, v.id, now]);
      await m.query(`UPDATE timebank_activity SET signed_up = signed_up + 1 WHERE id = $1`, [activityId]);
      await this.ctx.audit.record({ ...auditActor(actor), action: 'timebank.activity.signup', subjectType: 'volunteer', subjectId: v.id, subjects: [{ type: 'timebank_activity', id: activityId }], outcome: 'ok' }, m);
      const [row] = await m.query(`${ROSTER} WHERE s.activity_id = $1 AND s.volunteer_id = $2`, [activityId, v.id]);
      return { line: lineOf(row), created: true };
    });
  }

  async cancelSignup(actor: Actor, activityId: string, volunteerId: string): Promise<void> {
    await this.ctx.ds.transaction(async (m) => {
      const activity = await this.inScope(m, actor, activityId, true);
      if (activity.status !== 'open') throw new AppError('timebank/activity-closed', '活动已结算，不能取消报名');
      const [row] = await m.query(`SELECT volunteer_id FROM timebank_activity_signup WHERE activity_id = $1 AND volunteer_id = $2`, [activityId, volunteerId]);
      if (!row) throw notFound('报名');
      await m.query(`DELETE FROM timebank_activity_signup WHERE activity_id = $1 AND volunteer_id = $2`, [activityId, volunteerId]);
      await m.query(`UPDATE timebank_activity SET signed_up = signed_up - 1 WHERE id = $1`, [activityId]);
      await this.ctx.audit.record({ ...auditActor(actor), action: 'timebank.activity.signup-cancel', subjectType: 'volunteer', subjectId: volunteerId, subjects: [{ type: 'timebank_activity', id: activityId }], outcome: 'ok' }, m);
    });
  }

  /** Record who came and when (volunteers on the roster only). */
  async recordAttendance(actor: Actor, activityId: string, input: AttendanceInput): Promise<{ activity: ActivityView; roster: RosterLine[] }> {
    await this.ctx.ds.transaction(async (m) => {
      const activity = await this.inScope(m, actor, activityId, true);
      if (activity.status !== 'open') throw new AppError('timebank/activity-closed', '活动已结算，不能再修改签到');
      for (const line of input.lines) {
        const updated = await m.query(
          `UPDATE timebank_activity_signup SET attended = $3, check_in_at = $4, check_out_at = $5 WHERE activity_id = $1 AND volunteer_id = $2 RETURNING volunteer_id`,
          [activityId, line.volunteerId, line.attended, line.attended ? line.checkInAt : null, line.attended ? line.checkOutAt : null],
        );
        if ((Array.isArray(updated[0]) ? updated[0] : updated).length === 0) throw notFound('报名');
      }
      await this.ctx.audit.record({ ...auditActor(actor), action: 'timebank.activity.attendance', subjectType: 'timebank_activity', subjectId: activityId, subjects: input.lines.map((l) => ({ type: 'volunteer', id: l.volunteerId })), outcome: 'ok' }, m);
    });
    return this.detail(actor, activityId);
  }

  /**
   * Confirm the attendance (by the actor) and credit each attendee; crediting again adds nothing (each
   * attendee is listed in `skipped` with `already-credited`). The activity is closed afterwards.
   */
  async credit(actor: Actor, activityId: string): Promise<{ credited: { volunteerId: string; units: number; transactionId: string }[]; skipped: { volunteerId: string; code: string }[]; activity: ActivityView }> {
    const now = this.ctx.clock.now();
    const out = await this.ctx.ds.transaction(async (m) => {
      const activity = await this.inScope(m, actor, activityId, true);
      const rows = await m.query(`SELECT volunteer_id, check_in_at, check_out_at FROM timebank_activity_signup WHERE activity_id = $1 AND attended ORDER BY volunteer_id`, [activityId]);
      const attendees: Attendance[] = rows.map((r: Record<string, any>) => ({ accountId: volunteerAccount(r.volunteer_id), transactionId: randomUUID(), checkInAt: new Date(r.check_in_at), checkOutAt: new Date(r.check_out_at) }));
      const applied = await this.ctx.ledger.apply(m, { type: 'earn_activity', transactionId: randomUUID(), activity: { activityId, attendanceConfirmedBy: actor.userId, attendees } }, attendees.map((a) => a.accountId), now);
      const credited = [];
      for (let i = 0; i < applied.entries.length; i += 2) {
        const credit = applied.entries[i + 1]!;
        const volunteerId = credit.accountId.slice('volunteer:'.length);
        credited.push({ volunteerId, units: credit.units, transactionId: credit.transactionId });
        await m.query(`UPDATE timebank_activity_signup SET credited_units = $3, transaction_id = $4 WHERE activity_id = $1 AND volunteer_id = $2`, [activityId, volunteerId, credit.units, credit.transactionId]);
      }
      await m.query(`UPDATE timebank_activity SET status = 'closed', attendance_confirmed_by = coalesce(attendance_confirmed_by, $2), credited_at = coalesce(credited_at, $3) WHERE id = $1`, [activityId, actor.userId, now]);
      await this.ctx.audit.record({ ...auditActor(actor), action: 'timebank.earn.activity', subjectType: 'timebank_activity', subjectId: activityId, subjects: credited.map((c) => ({ type: 'volunteer', id: c.volunteerId })), outcome: 'ok' }, m);
      const [row] = await m.query(`SELECT * FROM timebank_activity WHERE id = $1`, [activityId]);
      return { credited, skipped: (applied.skipped ?? []).map((s) => ({ volunteerId: s.accountId.slice('volunteer:'.length), code: s.code })), activity: viewOf(row), districtCode: activity.districtCode };
    });
    for (const c of out.credited) this.ctx.events.emit('timebank:credited', out.districtCode, { ...c, source: 'activity' });
    return { credited: out.credited, skipped: out.skipped, activity: out.activity };
  }

  private async inScope(m: EntityManager, actor: Actor, activityId: string, lock: boolean): Promise<ActivityView> {
    const [row] = await m.query(`SELECT * FROM timebank_activity WHERE id = $1${lock ? ' FOR UPDATE' : ''}`, [activityId]);
    if (!row || !inScope(actor, row.district_code)) throw notFound('活动');
    return viewOf(row);
  }
}
