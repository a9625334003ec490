import type { DataSource } from 'typeorm';
import type { AuditService } from '../audit/audit.service';
import { inScope, type Actor } from '../auth/auth.service';
import { AppError } from '../shared/app-error';
import type { Clock } from '../shared/clock';
import type { DomainEvents } from '../shared/domain-events';
import { birthdaysOn, FESTIVAL_TIERS, festivalsOn, heatRank } from './campaign';
import { districtsOf, insertTasks, TARGET_COLUMNS, TARGET_JOIN, windowOfTarget, type CallTarget } from './campaign-tasks';
import { dueAtOf, nextCallTime, riskRank, shanghaiDate } from './care-recurrence';

export interface HeatWarningView {
  id: string;
  districtCode: string;
  note: string;
  day: string;
  tasks: number;
  raisedAt: string;
}

const BATCH = 5000;

/**
 * Event calls: a birthday call for every person with an active care plan whose birthday is today, festival
 * calls (the configured list, see `FESTIVALS`) for 高风险 and 重点 people, and the heat warning a supervisor
 * raises for a district (高风险 people living alone first). One task per person, event and day: reruns and a
 * second warning the same day create nothing twice.
 */
export class CareEventsService {
  constructor(
    private readonly ds: DataSource,
    private readonly audit: AuditService,
    private readonly events: DomainEvents,
    private readonly clock: Clock,
  ) {}

  /** Today's birthday and festival tasks (run by the `care-generate` job). Returns how many were created. */
  async generate(): Promise<number> {
    const now = this.clock.now();
    const today = shanghaiDate(now);
    let created = await this.forCohort(`to_char(p.birth_date, 'MM-DD') = ANY($1::text[])`, [birthdaysOn(today)], 'birthday', today, now, '生日关怀');
    for (const f of festivalsOn(today)) created += await this.forCohort(`p.risk_tier = ANY($1::text[])`, [FESTIVAL_TIERS], `festival:${f.key}`, today, now, `${f.name}关怀`);
    return created;
  }

  /** Raise a heat (or weather) warning for a district in scope: tasks due now for its at-risk people. */
  async raiseHeatWarning(actor: Actor, input: { districtCode: string; note: string }): Promise<HeatWarningView> {
    const now = this.clock.now();
    const today = shanghaiDate(now);
    const result = await this.ds.transaction(async (m) => {
      const [d] = await m.query(`SELECT 1 FROM district WHERE code = $1`, [input.districtCode]);
      if (!d || !inScope(actor, input.districtCode)) throw new AppError('district/not-found', `区划 ${input.districtCode} 不存在`);
      const [w]: Array<{ id: string }> = await m.query(`INSERT INTO care_heat_warning (district_code, note, day, raised_by_id, raised_at) VALUES ($1, $2, $3, $4, $5) RETURNING id`, [input.districtCode, input.note, today, actor.userId, now]);
      let tasks = 0;
      const districts = new Set<string>();
      for (let after = '00000000-0000-0000-0000-000000000000'; ; ) {
        const targets: CallTarget[] = await m.query(
          `SELECT ${TARGET_COLUMNS} FROM person p ${TARGET_JOIN}
            WHERE p.status = 'active' AND p.district_code LIKE $1 || '%' AND (p.risk_tier IN ('high', 'key') OR p.living_situation = 'alone') AND p.id > $2
            ORDER BY p.id LIMIT ${BATCH}`,
          [input.districtCode, after],
        );
        const inserted = await insertTasks(
          m,
          targets.map((t) => ({ kind: 'event', campaignId: null, event: 'heat', heatWarningId: w!.id, slot: today, personId: t.id, districtCode: t.district_code, riskRank: heatRank(t.risk_tier, t.living_situation), dueAt: nextCallTime(now, windowOfTarget(t)) })),
          `高温预警：${input.note}`,
          now,
        );
        tasks += inserted.length;
        for (const dc of districtsOf(inserted)) districts.add(dc);
        if (targets.length < BATCH) break;
        after = targets.at(-1)!.id;
      }
      await m.query(`UPDATE care_heat_warning SET tasks = $2 WHERE id = $1`, [w!.id, tasks]);
      await this.audit.record({ actorId: actor.userId, actorUsername: actor.username, action: 'care.heat-warning.raise', subjectType: 'care_heat_warning', subjectId: w!.id, outcome: 'ok' }, m);
      return { view: { id: w!.id, districtCode: input.districtCode, note: input.note, day: today, tasks, raisedAt: now.toISOString() }, districts };
    });
    for (const d of result.districts) this.events.emit('care.tasks-changed', { districtCode: d, reason: 'heat-warning' });
    return result.view;
  }

  /** Recent warnings in the actor's districts (no personal data). */
  async listHeatWarnings(actor: Actor): Promise<HeatWarningView[]> {
    const rows: Array<{ id: string; district_code: string; note: string; day: string; tasks: number; raised_at: Date }> = await this.ds.query(
      `SELECT id, district_code, note, day::text AS day, tasks, raised_at FROM care_heat_warning WHERE district_code LIKE $1 || '%' ORDER BY raised_at DESC, id LIMIT 50`,
      [actor.scopePrefix ?? ''],
    );
    return rows.map((r) => ({ id: r.id, districtCode: r.district_code, note: r.note, day: r.day, tasks: r.tasks, raisedAt: new Date(r.raised_at).toISOString() }));
  }

  private async forCohort(where: string, params: unknown[], event: string, today: string, now: Date, note: string): Promise<number> {
    let created = 0;
    for (let after = '00000000-0000-0000-0000-000000000000'; ; ) {
      const batch = await this.ds.transaction(async (m) => {
        const targets: CallTarget[] = await m.query(
          `SELECT ${TARGET_COLUMNS} FROM person p JOIN care_plan pl ON pl.person_id = p.id AND pl.active
            WHERE p.status = 'active' AND ${where} AND p.id > $2 ORDER BY p.id LIMIT ${BATCH}`,
          [...params, after],
        );
        const inserted = await insertTasks(m, targets.map((t) => ({ kind: 'event', campaignId: null, event, heatWarningId: null, slot: today, personId: t.id, districtCode: t.district_code, riskRank: riskRank(t.risk_tier), dueAt: dueAtOf(today, windowOfTarget(t)) })), note, now);
        return { targets, inserted };
      });
      created += batch.inserted.length;
      for (const d of districtsOf(batch.inserted)) this.events.emit('care.tasks-changed', { districtCode: d, reason: 'generated' });
      if (batch.targets.length < BATCH) return created;
      after = batch.targets.at(-1)!.id;
    }
  }
}
