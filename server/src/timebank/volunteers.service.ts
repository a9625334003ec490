import type { EntityManager } from 'typeorm';
import { calendarYear, countsTowardCap } from '../../../dispatch/src/ledger';
import { inScope, type Actor } from '../auth/auth.service';
import { maskPhone } from '../persons/phone-number';
import { AppError } from '../shared/app-error';
import type { ApproveSignupInput, ListSignupsQuery, ListVolunteersQuery, SignupInput, TrainingInput } from './timebank.schema';
import { auditActor, type TimebankContext } from './timebank-context';
import { notFound, scopeFilter, volunteerInScope } from './timebank-scope';
import type { TimebankThrottle } from './timebank-throttle';

const summaryOf = (r: Record<string, any>) => ({
  volunteerId: r.id as string,
  name: r.name as string,
  phoneMasked: r.phone_e164 ? maskPhone(r.phone_e164) : null,
  districtCode: r.district_code as string,
  active: r.status === 'active',
  balanceUnits: Number(r.balance ?? 0),
});
export type VolunteerAccountSummary = ReturnType<typeof summaryOf>;

const trainingOf = (r: Record<string, any>) => ({ id: r.id as string, volunteerId: r.volunteer_id as string, course: r.course as string, hours: Number(r.hours), completedOn: r.completed_day as string, organiser: r.organiser as string | null, recordedBy: r.recorded_by as string, createdAt: r.created_at as Date });

const signupOf = (r: Record<string, any>) => ({
  id: r.id as string,
  name: r.name as string,
  phoneMasked: maskPhone(r.phone_e164),
  districtCode: r.district_code as string,
  skills: r.skills as string[],
  availability: r.availability as string | null,
  note: r.note as string | null,
  status: r.status as 'pending' | 'approved' | 'rejected',
  createdAt: r.created_at as Date,
  decidedAt: r.decided_at as Date | null,
  decidedBy: r.decided_by as string | null,
  rejectReason: r.reject_reason as string | null,
  volunteerId: r.volunteer_id as string | null,
});
export type SignupView = ReturnType<typeof signupOf>;

const VOLUNTEER_SELECT = `SELECT v.id, v.name, v.phone_e164, v.district_code, v.status, v.gender, v.skills, v.certifications, coalesce(b.units, 0) AS balance
  FROM volunteer v LEFT JOIN time_coin_balance b ON b.account_id = 'volunteer:' || v.id::text`;

/**
 * Volunteers as the time bank sees them: accounts with balances, the profile with training records and
 * service totals, the service history (jobs and activities with hours and coins), and public sign-ups that
 * staff approve into dispatch's `volunteer` table. Staff registration itself is dispatch's people API.
 */
export class TimebankVolunteers {
  constructor(
    private readonly ctx: TimebankContext,
    private readonly throttle: TimebankThrottle,
  ) {}

  async list(actor: Actor, q: ListVolunteersQuery): Promise<{ items: VolunteerAccountSummary[]; total: number }> {
    const scope = scopeFilter(actor, 'v.district_code', 3);
    const where = `WHERE ($1::varchar IS NULL OR v.name LIKE '%' || $1 || '%' OR ($2::varchar IS NOT NULL AND right(v.phone_e164, 4) = $2)) AND ${scope.sql}`;
    const last4 = q.q && /^\d{4}$/.test(q.q) ? q.q : null;
    const params = [q.q ?? null, last4, ...scope.params];
    const rows = await this.ctx.ds.query(`${VOLUNTEER_SELECT} ${where} ORDER BY v.name, v.id LIMIT $${params.length + 1} OFFSET $${params.length + 2}`, [...params, q.limit, q.offset]);
    const [{ n }] = await this.ctx.ds.query(`SELECT count(*)::int AS n FROM volunteer v ${where}`, params);
    await this.ctx.audit.record({ ...auditActor(actor), action: 'timebank.volunteer.list', subjects: rows.map((r: { id: string }) => ({ type: 'volunteer', id: r.id })), outcome: 'ok' });
    return { items: rows.map(summaryOf), total: n };
  }

  async profile(actor: Actor, volunteerId: string) {
    const now = this.ctx.clock.now();
    return this.ctx.ds.transaction(async (m) => {
      const v = await volunteerInScope(m, actor, volunteerId);
      const [row] = await m.query(`${VOLUNTEER_SELECT} WHERE v.id = $1`, [v.id]);
      const trainings = (await m.query(`SELECT *, to_char(completed_on, 'YYYY-MM-DD') AS completed_day FROM volunteer_training WHERE volunteer_id = $1 ORDER BY completed_on DESC`, [v.id])).map(trainingOf);
      const history = await serviceHistory(m, v.id, null);
      const credits = await m.query(
        `SELECT e.kind, e.at, e.units FROM time_coin_entry e WHERE e.account_id = $1 AND e.leg = 'credit'
           AND NOT EXISTS (SELECT 1 FROM time_coin_entry r WHERE r.reverses_transaction_id = e.transaction_id AND r.leg = 'credit')`,
        [v.accountId],
      );
      const year = calendarYear(now, this.ctx.ledger.settings);
      const capped = credits.filter((c: { kind: never }) => countsTowardCap(c.kind));
      const today = new Date(now).toISOString().slice(0, 10);
      await this.ctx.audit.record({ ...auditActor(actor), action: 'timebank.volunteer.read', subjectType: 'volunteer', subjectId: v.id, outcome: 'ok' }, m);
      return {
        ...summaryOf(row),
        gender: row.gender as string | null,
        skills: row.skills as string[],
        certifications: ((row.certifications ?? []) as Record<string, any>[]).map((c) => {
          const expiresOn = (c.expiresOn ?? c.validUntil ?? null) as string | null;
          return { name: String(c.name ?? c.kind ?? ''), number: (c.number ?? null) as string | null, expiresOn, expired: expiresOn !== null && expiresOn < today };
        }),
        trainings,
        service: {
          jobs: history.items.filter((i) => i.kind === 'job').length,
          activities: history.items.filter((i) => i.kind === 'activity').length,
          minutes: history.totalMinutes,
          units: history.totalUnits,
        },
        creditedThisYearUnits: capped.filter((c: { at: Date }) => calendarYear(new Date(c.at), this.ctx.ledger.settings) === year).reduce((s: number, c: { units: number }) => s + Number(c.units), 0),
        creditedLifetimeUnits: capped.reduce((s: number, c: { units: number }) => s + Number(c.units), 0),
      };
    });
  }

  async addTraining(actor: Actor, volunteerId: string, input: TrainingInput) {
    return this.ctx.ds.transaction(async (m) => {
      const v = await volunteerInScope(m, actor, volunteerId);
      const [row] = await m.query(
        `INSERT INTO volunteer_training (volunteer_id, course, hours, completed_on, organiser, recorded_by) VALUES ($1, $2, $3, $4, $5, $6) RETURNING *, to_char(completed_on, 'YYYY-MM-DD') AS completed_day`,
        [v.id, input.course, input.hours, input.completedOn, input.organiser ?? null, actor.userId],
      );
      await this.ctx.audit.record({ ...auditActor(actor), action: 'timebank.volunteer.training', subjectType: 'volunteer', subjectId: v.id, outcome: 'ok' }, m);
      return trainingOf(row);
    });
  }

  async history(actor: Actor, volunteerId: string, year: number | null) {
    return this.ctx.ds.transaction(async (m) => {
      const v = await volunteerInScope(m, actor, volunteerId);
      await this.ctx.audit.record({ ...auditActor(actor), action: 'timebank.volunteer.history', subjectType: 'volunteer', subjectId: v.id, outcome: 'ok' }, m);
      return serviceHistory(m, v.id, year, this.ctx.ledger.settings.utcOffsetMinutes);
    });
  }

  /** A public sign-up (no login): throttled per client address; the same phone pending twice is one sign-up. */
  async submitSignup(input: SignupInput, clientKey: string): Promise<{ signupId: string; status: 'pending'; districtCode: string; created: boolean }> {
    await this.throttle.hit(`signup:${clientKey}`);
    return this.ctx.ds.transaction(async (m) => {
      const [district] = await m.query(`SELECT code FROM district WHERE code = $1`, [input.districtCode]);
      if (!district) throw new AppError('validation/invalid', '所选街道/社区不存在');
      const [prior] = await m.query(`SELECT id FROM volunteer_signup WHERE phone_e164 = $1 AND status = 'pending'`, [input.phone]);
      if (prior) return { signupId: prior.id, status: 'pending' as const, districtCode: input.districtCode, created: false };
      const [row] = await m.query(
        `INSERT INTO volunteer_signup (name, phone_e164, district_code, skills, availability, note, created_at) VALUES ($1, $2, $3, $4, $5, $6, $7) ON CONFLICT DO NOTHING RETURNING id`,
        [input.name, input.phone, input.districtCode, input.skills ?? [], input.availability ?? null, input.note ?? null, this.ctx.clock.now()],
      );
      if (!row) throw new AppError('conflict', '该手机号已有待审核的报名');
      await this.ctx.audit.record({ actorId: null, actorUsername: 'public', action: 'timebank.signup.submit', subjectType: 'volunteer_signup', subjectId: row.id, outcome: 'ok' }, m);
      return { signupId: row.id, status: 'pending' as const, districtCode: input.districtCode, created: true };
    });
  }

  async listSignups(actor: Actor, q: ListSignupsQuery): Promise<{ items: SignupView[]; total: number }> {
    const scope = scopeFilter(actor, 'district_code', 2);
    const where = `WHERE ($1::varchar IS NULL OR status = $1) AND ${scope.sql}`;
    const params = [q.status ?? null, ...scope.params];
    const rows = await this.ctx.ds.query(`SELECT * FROM volunteer_signup ${where} ORDER BY created_at DESC LIMIT $${params.length + 1} OFFSET $${params.length + 2}`, [...params, q.limit, q.offset]);
    const [{ n }] = await this.ctx.ds.query(`SELECT count(*)::int AS n FROM volunteer_signup ${where}`, params);
    await this.ctx.audit.record({ ...auditActor(actor), action: 'timebank.signup.list', subjects: rows.map((r: { id: string }) => ({ type: 'volunteer_signup', id: r.id })), outcome: 'ok' });
    return { items: rows.map(signupOf), total: n };
  }

  /**
   * Approve a sign-up: the volunteer is created in dispatch's table in the sign-up's district, with the
   * gender and service area the reviewing staff member completes (no field PIN yet: dispatch's `…/pin` sets it).
   */
  async approveSignup(actor: Actor, signupId: string, input: ApproveSignupInput): Promise<{ signup: SignupView; volunteerId: string }> {
    const now = this.ctx.clock.now();
    return this.ctx.ds.transaction(async (m) => {
      const s = await this.pendingSignup(m, actor, signupId);
      const [existing] = await m.query(`SELECT id FROM volunteer WHERE phone_e164 = $1`, [s.phone_e164]);
      if (existing) throw new AppError('timebank/volunteer-duplicate', '已有使用该手机号的志愿者');
      const [v] = await m.query(
        `INSERT INTO volunteer (name, gender, phone_e164, district_code, skills, centre_lat, centre_lng, radius_km, pin_hash) VALUES ($1, $2, $3, $4, $5, $6, $7, $8, '!') RETURNING id`,
        [s.name, input.gender, s.phone_e164, s.district_code, s.skills, input.centreLat, input.centreLng, input.radiusKm],
      );
      await m.query(`UPDATE volunteer_signup SET status = 'approved', decided_at = $2, decided_by = $3, volunteer_id = $4 WHERE id = $1`, [s.id, now, actor.userId, v.id]);
      await this.ctx.audit.record({ ...auditActor(actor), action: 'timebank.signup.approve', subjectType: 'volunteer_signup', subjectId: s.id, subjects: [{ type: 'volunteer', id: v.id }], outcome: 'ok' }, m);
      const [row] = await m.query(`SELECT * FROM volunteer_signup WHERE id = $1`, [s.id]);
      return { signup: signupOf(row), volunteerId: v.id as string };
    });
  }

  async rejectSignup(actor: Actor, signupId: string, reason: string): Promise<SignupView> {
    const now = this.ctx.clock.now();
    return this.ctx.ds.transaction(async (m) => {
      const s = await this.pendingSignup(m, actor, signupId);
      await m.query(`UPDATE volunteer_signup SET status = 'rejected', decided_at = $2, decided_by = $3, reject_reason = $4 WHERE id = $1`, [s.id, now, actor.userId, reason]);
      await this.ctx.audit.record({ ...auditActor(actor), action: 'timebank.signup.reject', subjectType: 'volunteer_signup', subjectId: s.id, outcome: 'ok' }, m);
      const [row] = await m.query(`SELECT * FROM volunteer_signup WHERE id = $1`, [s.id]);
      return signupOf(row);
    });
  }

  private async pendingSignup(m: EntityManager, actor: Actor, signupId: string): Promise<Record<string, any>> {
    const [s] = await m.query(`SELECT * FROM volunteer_signup WHERE id = $1 FOR UPDATE`, [signupId]);
    if (!s || !inScope(actor, s.district_code)) throw notFound('报名');
    if (s.status !== 'pending') throw new AppError('timebank/signup-not-pending', '该报名已经处理过了');
    return s;
  }
}

/** Completed jobs and attended activities of a volunteer, with minutes and the units credited for each. */
async function serviceHistory(m: EntityManager, volunteerId: string, year: number | null, offsetMinutes = 480) {
  const offset = `${offsetMinutes} minutes`;
  const rows: Record<string, any>[] = await m.query(
    `SELECT 'job' AS kind, j.id AS ref_id, j.service AS title, to_char(j.check_out_at + $2::interval, 'YYYY-MM-DD') AS day,
            (extract(epoch FROM j.check_out_at - j.check_in_at) / 60)::int AS minutes,
            (SELECT e.units FROM time_coin_entry e WHERE e.idempotency_key = 'earn:job:' || j.id::text AND e.leg = 'credit') AS units
       FROM service_job j WHERE j.assignee_kind = 'volunteer' AND j.assignee_id = $1 AND j.status = 'completed' AND j.check_in_at IS NOT NULL AND j.check_out_at IS NOT NULL
     UNION ALL
     SELECT 'activity', a.id, a.title, to_char(s.check_out_at + $2::interval, 'YYYY-MM-DD'), (extract(epoch FROM s.check_out_at - s.check_in_at) / 60)::int, s.credited_units
       FROM timebank_activity_signup s JOIN timebank_activity a ON a.id = s.activity_id WHERE s.volunteer_id = $1 AND s.attended
     ORDER BY 4 DESC`,
    [volunteerId, offset],
  );
  const items = rows
    .filter((r) => year === null || String(r.day).startsWith(String(year)))
    .map((r) => ({ kind: r.kind as 'job' | 'activity', refId: r.ref_id as string, title: r.title as string, day: r.day as string, minutes: Number(r.minutes), units: r.units === null ? null : Number(r.units) }));
  return { items, totalMinutes: items.reduce((s, i) => s + i.minutes, 0), totalUnits: items.reduce((s, i) => s + (i.units ?? 0), 0) };
}
