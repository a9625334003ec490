import type { DataSource } from 'typeorm';
import type { AuditService } from '../audit/audit.service';
import { inScope, type Actor } from '../auth/auth.service';
import { AppError } from '../shared/app-error';
import type { Clock } from '../shared/clock';
import { shanghaiDate } from './care-recurrence';
import type { CareStatsQuery, StatsGroup } from './care-stats.schema';

/** Care outcomes that count as a visit made (探访): the person (or their guardian) was reached. */
export const VISITED_OUTCOMES = ['reached_fine', 'reached_needs_help', 'visit_needed', 'refused', 'deceased_moved'] as const;

/** 满意: the two top levels of the 好差评 scale. */
export const SATISFIED_LEVELS = ['very_satisfied', 'satisfied'] as const;

export const RISK_TIERS = ['high', 'key', 'general'] as const;

/** A share in percent with one decimal, or null when nothing was counted. */
export type Rate = number | null;

/** One row of the supervisor's figures: an area (or the total, `code` null) for one month. */
export interface CareStatsRow {
  code: string | null;
  name: string | null;
  /** Care calls due in the month: made (visited), unanswered and still retrying, escalated, not yet tried. */
  progress: { due: number; done: number; unreached: number; escalated: number; pending: number };
  /** 探访率 per risk tier: visits made / care calls due (target 100%). */
  visits: Record<(typeof RISK_TIERS)[number] | 'all', { due: number; done: number; rate: Rate }>;
  /** 回访 of the orders whose counted survey (the latest finished round) falls in the month. */
  surveys: { counted: number; satisfied: number; reached: number; resolved: number; failed: number; satisfactionRate: Rate; resolutionRate: Rate };
}

export interface CareStats {
  month: string;
  /** The month's bounds as instants (Asia/Shanghai midnight). */
  from: string;
  to: string;
  groupBy: StatsGroup;
  district: { code: string; name: string } | null;
  rows: CareStatsRow[];
  total: CareStatsRow;
}

const GROUP_LENGTH: Record<StatsGroup, number> = { district: 6, street: 9, community: 12 };
const GROUP_OF_LENGTH: Record<number, StatsGroup> = { 6: 'district', 9: 'street', 12: 'community' };

/**
 * The supervisor's care figures, computed in SQL over the actor's districts (nothing outside them is read:
 * the scope prefix is the first filter of every row): progress, 探访率 per risk tier, 满意率, 解决率 and
 * 回访失败 per area for one month (Asia/Shanghai). Care calls count in the month of their plan slot; a 回访
 * counts once per order, by its latest finished round (after rework the second rating is the one that counts),
 * in the month that round was due; 回访失败 is counted and never satisfied.
 */
export class CareStatsService {
  constructor(
    private readonly ds: DataSource,
    private readonly audit: AuditService,
    private readonly clock: Clock,
  ) {}

  /** @example await stats.figures(supervisor, { month: '2026-03' }) // rows per street of the supervisor's district */
  async figures(actor: Actor, q: CareStatsQuery): Promise<CareStats> {
    const month = q.month ?? shanghaiDate(this.clock.now()).slice(0, 7);
    const district = q.district ? await this.districtInScope(actor, q.district) : null;
    // The rows' filter: the chosen district (a city by its 4-digit prefix), else the actor's own scope.
    const prefix = district ? (district.level === 'city' ? district.code.slice(0, 4) : district.code) : (actor.scopePrefix ?? '');
    if (actor.scopePrefix !== null && !prefix.startsWith(actor.scopePrefix)) throw new AppError('district/not-found', `区划 ${q.district ?? ''} 不存在`);
    const below = prefix.length < 6 ? 6 : Math.min(12, prefix.length + 3);
    const length = Math.max(q.groupBy ? GROUP_LENGTH[q.groupBy] : below, prefix.length < 6 ? 6 : prefix.length);
    const { from, to, fromDay, toDay } = monthBounds(month);
    const rows: SqlRow[] = await this.ds.query(STATS_SQL, [prefix, length, fromDay, toDay, from, to, VISITED_OUTCOMES, SATISFIED_LEVELS]);
    const mapped = rows.map(rowOf);
    return {
      month,
      from: from.toISOString(),
      to: to.toISOString(),
      groupBy: GROUP_OF_LENGTH[length]!,
      district: district ? { code: district.code, name: district.name } : null,
      rows: mapped.filter((r) => r.code !== null),
      total: mapped.find((r) => r.code === null)!,
    };
  }

  /** The same figures for the CSV export, recorded in the audit trail (what was exported, by whom). */
  async exportFigures(actor: Actor, q: CareStatsQuery): Promise<CareStats> {
    const stats = await this.figures(actor, q);
    await this.audit.record({ actorId: actor.userId, actorUsername: actor.username, action: 'care.stats.export', purpose: `month=${stats.month} district=${stats.district?.code ?? 'scope'} groupBy=${stats.groupBy}`, outcome: 'ok' });
    return stats;
  }

  private async districtInScope(actor: Actor, code: string): Promise<{ code: string; name: string; level: string }> {
    const [d]: Array<{ code: string; name: string; level: string }> = await this.ds.query(`SELECT code, name, level FROM district WHERE code = $1`, [code]);
    if (!d || !inScope(actor, d.code)) throw new AppError('district/not-found', `区划 ${code} 不存在`);
    return d;
  }
}

/**
 * A month's bounds: the instants of its first and the next month's first midnight in Asia/Shanghai, and the
 * same as days (plan slots are Shanghai days).
 * @example monthBounds('2026-12').to // 2026-12-31T16:00:00.000Z
 */
export function monthBounds(month: string): { from: Date; to: Date; fromDay: string; toDay: string } {
  const [y, m] = month.split('-').map(Number) as [number, number];
  const next = m === 12 ? `${y + 1}-01` : `${y}-${String(m + 1).padStart(2, '0')}`;
  return { from: new Date(`${month}-01T00:00:00+08:00`), to: new Date(`${next}-01T00:00:00+08:00`), fromDay: `${month}-01`, toDay: `${next}-01` };
}

interface SqlRow {
  is_total: number;
  area: string | null;
  name: string | null;
  [count: string]: unknown;
}

const n = (v: unknown): number => Number(v ?? 0);
const rate = (v: unknown): Rate => (v === null || v === undefined ? null : Number(v));

function rowOf(r: SqlRow): CareStatsRow {
  const due = n(r.due);
  const done = n(r.done);
  const unreached = n(r.unreached);
  const escalated = n(r.escalated);
  return {
    code: n(r.is_total) ? null : r.area,
    name: n(r.is_total) ? null : r.name,
    progress: { due, done, unreached, escalated, pending: due - done - unreached - escalated },
    visits: {
      high: { due: n(r.due_high), done: n(r.done_high), rate: rate(r.rate_high) },
      key: { due: n(r.due_key), done: n(r.done_key), rate: rate(r.rate_key) },
      general: { due: n(r.due_general), done: n(r.done_general), rate: rate(r.rate_general) },
      all: { due, done, rate: rate(r.rate_all) },
    },
    surveys: { counted: n(r.counted), satisfied: n(r.satisfied), reached: n(r.reached), resolved: n(r.resolved), failed: n(r.failed), satisfactionRate: rate(r.satisfaction_rate), resolutionRate: rate(r.resolution_rate) },
  };
}

/**
 * $1 scope prefix, $2 area code length, $3/$4 the month as days [from, to), $5/$6 as instants, $7 visited
 * outcomes, $8 satisfied levels. One aggregation over care calls and counted 回访, per area and in total.
 */
const STATS_SQL = `
  WITH care AS (
    SELECT left(c.district_code, $2) AS area, c.risk_rank,
           (c.status = 'done' AND c.outcome = ANY($7::text[])) AS visited,
           (c.status = 'escalating' OR c.escalation_step > 0 OR c.outcome = 'escalated') AS escalated,
           c.attempts
      FROM care_task c
     WHERE c.kind = 'care' AND c.status <> 'cancelled' AND c.district_code LIKE $1 || '%'
       AND c.slot >= $3 AND c.slot < $4
  ),
  counted AS (
    SELECT DISTINCT ON (c.ticket_id) c.ticket_id, c.district_code, c.status, c.satisfaction, c.resolved, c.due_at
      FROM care_task c
     WHERE c.kind = 'survey' AND c.status IN ('done', 'failed') AND c.district_code LIKE $1 || '%'
     ORDER BY c.ticket_id, c.created_at DESC, c.id DESC
  ),
  facts AS (
    SELECT area, 'care' AS src, risk_rank, visited, escalated, attempts, NULL::text AS s_status, NULL::text AS satisfaction, NULL::boolean AS resolved FROM care
    UNION ALL
    SELECT left(s.district_code, $2), 'survey', NULL, NULL, NULL, NULL, s.status, s.satisfaction, s.resolved FROM counted s WHERE s.due_at >= $5 AND s.due_at < $6
  ),
  agg AS (
    SELECT GROUPING(area) AS is_total, area,
           count(*) FILTER (WHERE src = 'care') AS due,
           count(*) FILTER (WHERE src = 'care' AND visited) AS done,
           count(*) FILTER (WHERE src = 'care' AND escalated) AS escalated,
           count(*) FILTER (WHERE src = 'care' AND NOT visited AND NOT escalated AND attempts > 0) AS unreached,
           count(*) FILTER (WHERE src = 'care' AND risk_rank = 0) AS due_high,
           count(*) FILTER (WHERE src = 'care' AND risk_rank = 0 AND visited) AS done_high,
           count(*) FILTER (WHERE src = 'care' AND risk_rank = 1) AS due_key,
           count(*) FILTER (WHERE src = 'care' AND risk_rank = 1 AND visited) AS done_key,
           count(*) FILTER (WHERE src = 'care' AND risk_rank = 2) AS due_general,
           count(*) FILTER (WHERE src = 'care' AND risk_rank = 2 AND visited) AS done_general,
           count(*) FILTER (WHERE src = 'survey') AS counted,
           count(*) FILTER (WHERE src = 'survey' AND s_status = 'done' AND satisfaction = ANY($8::text[])) AS satisfied,
           count(*) FILTER (WHERE src = 'survey' AND s_status = 'done') AS reached,
           count(*) FILTER (WHERE src = 'survey' AND s_status = 'done' AND resolved) AS resolved,
           count(*) FILTER (WHERE src = 'survey' AND s_status = 'failed') AS failed
      FROM facts
     GROUP BY GROUPING SETS ((area), ())
  )
  SELECT a.*, d.name,
         round(100.0 * a.done / NULLIF(a.due, 0), 1) AS rate_all,
         round(100.0 * a.done_high / NULLIF(a.due_high, 0), 1) AS rate_high,
         round(100.0 * a.done_key / NULLIF(a.due_key, 0), 1) AS rate_key,
         round(100.0 * a.done_general / NULLIF(a.due_general, 0), 1) AS rate_general,
         round(100.0 * a.satisfied / NULLIF(a.counted, 0), 1) AS satisfaction_rate,
         round(100.0 * a.resolved / NULLIF(a.reached, 0), 1) AS resolution_rate
    FROM agg a LEFT JOIN district d ON d.code = a.area
   ORDER BY a.is_total, a.area`;
