import type { EntityManager } from 'typeorm';
import type { LivingSituation, RiskTier } from '../persons/person.entity';
import type { CareTaskKind } from './care';
import { DEFAULT_WINDOW, type CallWindow } from './care-recurrence';

/** The cohort query: persons in a district prefix matching the filters. Parameters $1–$11 (see {@link cohortParams}). */
export const COHORT_WHERE = `
  p.status = 'active' AND p.district_code LIKE $1 || '%'
  AND ($2::smallint[] IS NULL OR p.disability_category = ANY($2::smallint[]))
  AND ($3::smallint[] IS NULL OR p.disability_level = ANY($3::smallint[]))
  AND ($4::boolean IS NULL OR (p.living_situation IS NOT DISTINCT FROM 'alone') = $4::boolean)
  AND ($5::int IS NULL OR p.birth_date <= ($10::date - make_interval(years => $5::int))::date)
  AND ($6::int IS NULL OR p.birth_date > ($10::date - make_interval(years => $6::int + 1))::date)
  AND ($7::text[] IS NULL OR p.risk_tier = ANY($7::text[]))
  AND ($8::boolean IS NULL OR EXISTS (SELECT 1 FROM device d WHERE d.person_id = p.id AND d.kind = 'sos_pendant') = $8::boolean)
  AND ($9::int IS NULL OR NOT EXISTS (SELECT 1 FROM care_task t WHERE t.person_id = p.id AND t.status = 'done' AND t.outcome LIKE 'reached%'
                                          AND t.updated_at > $11::timestamptz - make_interval(days => $9::int)))`;

export interface Cohort {
  districtCode: string;
  filters: {
    disabilityCategories?: number[];
    disabilityLevels?: number[];
    livingAlone?: boolean;
    ageMin?: number;
    ageMax?: number;
    riskTiers?: string[];
    hasSosDevice?: boolean;
    lastContactOlderThanDays?: number;
  };
}

/** The eleven parameters of {@link COHORT_WHERE}. */
export function cohortParams(c: Cohort, today: string, now: Date): unknown[] {
  const f = c.filters;
  return [c.districtCode, f.disabilityCategories ?? null, f.disabilityLevels ?? null, f.livingAlone ?? null, f.ageMin ?? null, f.ageMax ?? null, f.riskTiers ?? null, f.hasSosDevice ?? null, f.lastContactOlderThanDays ?? null, today, now];
}

/** A person to call, with the window of their care plan (the default window without one). */
export interface CallTarget {
  id: string;
  district_code: string;
  risk_tier: RiskTier;
  living_situation: LivingSituation | null;
  window_start: number | null;
  window_end: number | null;
  quiet_start: number | null;
  quiet_end: number | null;
}

/** Columns of a {@link CallTarget}; join `care_plan pl` on the person's active plan. */
export const TARGET_COLUMNS = `p.id, p.district_code, p.risk_tier, p.living_situation, pl.window_start, pl.window_end, pl.quiet_start, pl.quiet_end`;
export const TARGET_JOIN = `LEFT JOIN care_plan pl ON pl.person_id = p.id AND pl.active`;

export function windowOfTarget(t: CallTarget): CallWindow {
  return t.window_start != null ? { start: t.window_start, end: t.window_end!, quietStart: t.quiet_start, quietEnd: t.quiet_end } : DEFAULT_WINDOW;
}

export interface NewTask {
  kind: Extract<CareTaskKind, 'campaign' | 'event'>;
  campaignId: string | null;
  event: string | null;
  heatWarningId: string | null;
  slot: string;
  personId: string;
  districtCode: string;
  riskRank: number;
  dueAt: Date;
}

/**
 * Insert campaign or event tasks; an existing (campaign, person, slot) or (person, event, slot) row wins
 * (`ON CONFLICT DO NOTHING`), so a rerun creates nothing. Each new task goes on the person's timeline.
 */
export async function insertTasks(m: EntityManager, rows: NewTask[], note: string, now: Date): Promise<Array<{ id: string; person_id: string; district_code: string }>> {
  if (!rows.length) return [];
  const inserted: Array<{ id: string; person_id: string; district_code: string }> = await m.query(
    `INSERT INTO care_task (kind, campaign_id, event, heat_warning_id, slot, person_id, district_code, risk_rank, due_at, created_at, updated_at)
     SELECT t.kind, t.campaign_id, t.event, t.heat_warning_id, t.slot, t.person_id, t.district_code, t.risk_rank, t.due_at, $10, $10
       FROM unnest($1::text[], $2::uuid[], $3::text[], $4::uuid[], $5::text[], $6::uuid[], $7::text[], $8::smallint[], $9::timestamptz[])
            AS t(kind, campaign_id, event, heat_warning_id, slot, person_id, district_code, risk_rank, due_at)
     ON CONFLICT DO NOTHING
     RETURNING id, person_id, district_code`,
    [rows.map((r) => r.kind), rows.map((r) => r.campaignId), rows.map((r) => r.event), rows.map((r) => r.heatWarningId), rows.map((r) => r.slot), rows.map((r) => r.personId), rows.map((r) => r.districtCode), rows.map((r) => r.riskRank), rows.map((r) => r.dueAt.toISOString()), now],
  );
  if (inserted.length) {
    await m.query(
      `INSERT INTO care_event (person_id, task_id, at, kind, note) SELECT t.person_id, t.task_id, $3, 'task_generated', $4 FROM unnest($1::uuid[], $2::uuid[]) AS t(person_id, task_id)`,
      [inserted.map((i) => i.person_id), inserted.map((i) => i.id), now, note],
    );
  }
  return inserted;
}

/** The distinct districts of new tasks (for the work-list notices). */
export function districtsOf(rows: Array<{ district_code: string }>): string[] {
  return [...new Set(rows.map((r) => r.district_code))];
}
