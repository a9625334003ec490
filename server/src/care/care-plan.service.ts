import type { DataSource, EntityManager } from 'typeorm';
import type { AuditService } from '../audit/audit.service';
import { inScope, type Actor } from '../auth/auth.service';
import { Person } from '../persons/person.entity';
import { AppError } from '../shared/app-error';
import type { Clock } from '../shared/clock';
import { channelFor } from './care';
import { DEFAULT_WINDOW, defaultCadence, shanghaiDate, slotAfter, slotOnOrAfter, type CallWindow } from './care-recurrence';
import { dueAtSql, riskRankSql, slotAfterSql } from './care-recurrence-sql';
import { CareEvent, CarePlan } from './care.entity';
import { usableWindow, type ListPlansQuery, type SavePlanInput } from './care.schema';

/** A plan as the API shows it, with the person's name and risk tier (no identifiers). */
export interface PlanView extends CarePlan {
  personName: string;
  riskTier: string;
}

/** The plan's window as the recurrence functions take it. */
export function windowOf(p: Pick<CarePlan, 'windowStart' | 'windowEnd' | 'quietStart' | 'quietEnd'>): CallWindow {
  return { start: p.windowStart, end: p.windowEnd, quietStart: p.quietStart, quietEnd: p.quietEnd };
}

/** How many plans one generation statement takes (its own transaction: they stay locked until it commits). */
const GENERATE_BATCH = 20_000;

/** A run creating this many tasks refreshes care_task's planner statistics (autovacuum may take minutes). */
const ANALYZE_AFTER = 10_000;

/**
 * One batch of generation as one statement, nothing computed in JavaScript: up to $2 plans due on or before
 * today ($1) are locked with SKIP LOCKED (another node's batch is skipped, not waited for, and a plan is
 * never generated twice), each moves to its first slot after today, its due slot becomes one task (unique per
 * plan and slot: ON CONFLICT DO NOTHING) due at the window's first open minute, and each new task goes on
 * the person's timeline. A missed slot still becomes one (overdue) task. $3 is the clock's now.
 */
const GENERATE_SQL = `
  WITH due AS (
    SELECT p.id, p.person_id, p.district_code, p.next_due_day AS slot,
           ${dueAtSql('p', 'p.next_due_day')} AS due_at,
           ${riskRankSql('per.risk_tier')} AS risk_rank
      FROM care_plan p JOIN person per ON per.id = p.person_id
     WHERE p.active AND p.next_due_day <= $1::date
     ORDER BY p.next_due_day
     LIMIT $2
     FOR UPDATE OF p SKIP LOCKED
  ), moved AS (
    UPDATE care_plan p SET next_due_day = ${slotAfterSql('p', '$1::date')}, updated_at = $3 WHERE p.id = ANY (ARRAY(SELECT id FROM due))
  ), made AS (
    INSERT INTO care_task (kind, plan_id, slot, person_id, district_code, risk_rank, due_at, created_at, updated_at)
    SELECT 'care', id, to_char(slot, 'YYYY-MM-DD'), person_id, district_code, risk_rank, due_at, $3, $3 FROM due
    ON CONFLICT DO NOTHING
    RETURNING id, person_id, slot
  ), logged AS (
    INSERT INTO care_event (person_id, task_id, at, kind, note) SELECT person_id, id, $3, 'task_generated', '关怀任务 ' || slot FROM made
  )
  SELECT (SELECT count(*) FROM due)::int AS plans, (SELECT count(*) FROM made)::int AS created`;

/**
 * Care plans (supervisors manage them) and the generator that turns due plan slots into care tasks.
 * Generation is idempotent: one task per plan and slot day (unique index, `ON CONFLICT DO NOTHING`), and a
 * plan's `next_due_day` moves on in the same statement, so a rerun or a second node creates nothing twice.
 */
export class CarePlanService {
  constructor(
    private readonly ds: DataSource,
    private readonly audit: AuditService,
    private readonly clock: Clock,
  ) {}

  /**
   * Create or change a person's plan; unspecified fields keep the stored value or take the person's defaults.
   * @example await plans.save(supervisor, personId, { cadence: 'twice_weekly' });
   */
  async save(actor: Actor, personId: string, input: SavePlanInput): Promise<CarePlan> {
    const now = this.clock.now();
    const today = shanghaiDate(now);
    return this.ds.transaction(async (m) => {
      const person = await personInScope(m, actor, personId);
      const prior = await m.findOne(CarePlan, { where: { personId }, lock: { mode: 'pessimistic_write' } });
      if (prior && input.version !== undefined && input.version !== prior.version) throw new AppError('conflict', `关怀计划已被他人修改（版本 ${prior.version}），请刷新后重试`);
      const cadence = input.cadence ?? prior?.cadence ?? defaultCadence(person.riskTier);
      const plan = m.create(CarePlan, {
        ...(prior ?? {}),
        personId,
        districtCode: person.districtCode,
        team: input.team !== undefined ? input.team : (prior?.team ?? null),
        cadence,
        intervalDays: cadence === 'custom' ? (input.intervalDays ?? prior?.intervalDays ?? null) : null,
        anchorDay: input.startDay ?? prior?.anchorDay ?? today,
        windowStart: input.windowStart ?? prior?.windowStart ?? DEFAULT_WINDOW.start,
        windowEnd: input.windowEnd ?? prior?.windowEnd ?? DEFAULT_WINDOW.end,
        quietStart: input.quietStart !== undefined ? input.quietStart : prior ? prior.quietStart : DEFAULT_WINDOW.quietStart!,
        quietEnd: input.quietEnd !== undefined ? input.quietEnd : prior ? prior.quietEnd : DEFAULT_WINDOW.quietEnd!,
        channel: input.channel ?? prior?.channel ?? channelFor(person.communicationNeed),
        script: input.script !== undefined ? input.script : (prior?.script ?? null),
        active: true,
        closedReason: null,
      });
      if (plan.cadence === 'custom' && !plan.intervalDays) throw new AppError('validation/invalid', '自定义周期 (custom) 需要 intervalDays');
      const bad = usableWindow({ start: plan.windowStart, end: plan.windowEnd, quietStart: plan.quietStart, quietEnd: plan.quietEnd });
      if (bad) throw new AppError('validation/invalid', bad);
      // The next slot without a task: from today (or the new anchor), after the last generated slot.
      const [last]: { slot: string }[] = prior ? await m.query(`SELECT max(slot) AS slot FROM care_task WHERE plan_id = $1`, [prior.id]) : [];
      const from = last?.slot && last.slot >= today ? slotAfter(plan, last.slot) : today;
      plan.nextDueDay = slotOnOrAfter(plan, from);
      const saved = await m.save(CarePlan, plan);
      await m.insert(CareEvent, { personId, taskId: null, at: now, actorId: actor.userId, kind: prior ? 'plan_changed' : 'plan_created', note: `${saved.cadence}${saved.intervalDays ? `/${saved.intervalDays}天` : ''}，下次 ${saved.nextDueDay}` });
      await this.audit.record({ actorId: actor.userId, actorUsername: actor.username, action: prior ? 'care.plan.update' : 'care.plan.create', subjectType: 'person', subjectId: personId, outcome: 'ok' }, m);
      return saved;
    });
  }

  /** Close a plan (去世, 迁出 …) with a reason; its open tasks are cancelled. */
  async close(actor: Actor, personId: string, reason: string): Promise<CarePlan> {
    const now = this.clock.now();
    return this.ds.transaction(async (m) => {
      await personInScope(m, actor, personId);
      const plan = await m.findOne(CarePlan, { where: { personId }, lock: { mode: 'pessimistic_write' } });
      if (!plan) throw new AppError('care/not-found', '该服务对象没有关怀计划');
      await closePlanIn(m, plan, actor.userId, reason, now);
      await this.audit.record({ actorId: actor.userId, actorUsername: actor.username, action: 'care.plan.close', subjectType: 'person', subjectId: personId, outcome: 'ok' }, m);
      return m.findOneByOrFail(CarePlan, { id: plan.id });
    });
  }

  /** One person's plan (audited read: the plan is about that person). */
  async get(actor: Actor, personId: string): Promise<CarePlan> {
    const plan = await this.ds.transaction(async (m) => {
      await personInScope(m, actor, personId);
      const p = await m.findOneBy(CarePlan, { personId });
      if (!p) throw new AppError('care/not-found', '该服务对象没有关怀计划');
      return p;
    });
    await this.audit.record({ actorId: actor.userId, actorUsername: actor.username, action: 'care.plan.read', subjectType: 'person', subjectId: personId, outcome: 'ok' });
    return plan;
  }

  /** Plans in the actor's districts, with each person's name and tier; audited with every person listed. */
  async list(actor: Actor, q: ListPlansQuery): Promise<{ items: PlanView[]; total: number }> {
    const params: unknown[] = [actor.scopePrefix === null ? '' : actor.scopePrefix, q.limit, q.offset];
    const rows: Array<Record<string, unknown>> = await this.ds.query(
      `SELECT p.id, p.person_id, p.district_code, p.team, p.cadence, p.interval_days, p.anchor_day::text AS anchor_day, p.next_due_day::text AS next_due_day,
              p.window_start, p.window_end, p.quiet_start, p.quiet_end, p.channel, p.active, p.closed_reason, p.version,
              per.name AS person_name, per.risk_tier, count(*) OVER () AS total
         FROM care_plan p JOIN person per ON per.id = p.person_id
        WHERE p.district_code LIKE $1 || '%'
        ORDER BY p.active DESC, p.next_due_day ASC NULLS LAST, p.id LIMIT $2 OFFSET $3`,
      params,
    );
    const items = rows.map((r) => ({
      id: r.id, personId: r.person_id, districtCode: r.district_code, team: r.team, cadence: r.cadence, intervalDays: r.interval_days,
      anchorDay: r.anchor_day, nextDueDay: r.next_due_day, windowStart: r.window_start, windowEnd: r.window_end, quietStart: r.quiet_start, quietEnd: r.quiet_end,
      channel: r.channel, active: r.active, closedReason: r.closed_reason, version: r.version, personName: r.person_name, riskTier: r.risk_tier,
    })) as unknown as PlanView[];
    await this.audit.record({ actorId: actor.userId, actorUsername: actor.username, action: 'care.plan.list', subjects: items.map((i) => ({ type: 'person', id: i.personId })), outcome: 'ok' });
    return { items, total: Number(rows[0]?.total ?? 0) };
  }

  /**
   * Create the care tasks of every plan whose next slot is today or earlier (a missed slot still becomes one
   * overdue task: nobody drops off the list), and move each plan to its next slot after today.
   * Returns how many tasks were created. Safe to run twice and on several nodes at once.
   * @example await plans.generate(); await plans.generate(); // the second run creates 0
   */
  async generate(): Promise<number> {
    const now = this.clock.now();
    const today = shanghaiDate(now);
    let created = 0;
    for (;;) {
      const [batch]: { plans: number; created: number }[] = await this.ds.query(GENERATE_SQL, [today, GENERATE_BATCH, now]);
      created += batch!.created;
      if (batch!.plans < GENERATE_BATCH) break;
    }
    // The day's claims must not be planned on yesterday's statistics: with a million new tasks unseen, the claim
    // query sorted every open task (seconds per claim) instead of walking the work-list index.
    if (created >= ANALYZE_AFTER) await this.ds.query(`ANALYZE care_task`);
    return created;
  }
}

/** The person, if it is in the actor's districts (out of scope answers as missing). */
export async function personInScope(m: EntityManager, actor: Actor, personId: string): Promise<Person> {
  const person = await m.findOneBy(Person, { id: personId });
  if (!person || !inScope(actor, person.districtCode)) throw new AppError('person/not-found', `服务对象 ${personId} 不存在`);
  return person;
}

/** Deactivate a plan and cancel its open tasks, on the person's timeline. */
export async function closePlanIn(m: EntityManager, plan: CarePlan, actorId: string | null, reason: string, now: Date): Promise<void> {
  await m.update(CarePlan, { id: plan.id }, { active: false, closedReason: reason, nextDueDay: null });
  await m.query(`UPDATE care_task SET status = 'cancelled', lease_until = NULL, next_step_at = NULL, updated_at = $2 WHERE plan_id = $1 AND status IN ('open', 'escalating')`, [plan.id, now]);
  await m.insert(CareEvent, { personId: plan.personId, taskId: null, at: now, actorId, kind: 'plan_closed', note: reason });
}
