import { qs, request } from '../../../api/http';

export type Rate = number | null;
export type Tier = 'high' | 'key' | 'general' | 'all';
export const STATS_GROUPS = ['district', 'street', 'community'] as const;
export type StatsGroup = (typeof STATS_GROUPS)[number];

/** One area's (or the total's) figures, as `GET /api/care/stats` answers. */
export interface CareStatsRow {
  code: string | null;
  name: string | null;
  progress: { due: number; done: number; unreached: number; escalated: number; pending: number };
  visits: Record<Tier, { due: number; done: number; rate: Rate }>;
  surveys: { counted: number; satisfied: number; reached: number; resolved: number; failed: number; satisfactionRate: Rate; resolutionRate: Rate };
}

export interface CareStats {
  month: string;
  groupBy: StatsGroup;
  district: { code: string; name: string } | null;
  rows: CareStatsRow[];
  total: CareStatsRow;
}

export interface StatsQuery {
  month: string;
  district?: string;
  groupBy?: StatsGroup;
}

const query = (q: StatsQuery) => qs({ month: q.month, district: q.district || undefined, groupBy: q.groupBy });

export const careStatsApi = {
  figures: (q: StatsQuery) => request<CareStats>('GET', `/api/care/stats${query(q)}`),
  exportHref: (q: StatsQuery) => `/api/care/stats/export.csv${query(q)}`,
};
