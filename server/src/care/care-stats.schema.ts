import { z } from 'zod';

/** The month a figure belongs to: `YYYY-MM` (Asia/Shanghai), 2000-01 … 2099-12. */
const month = z.string().regex(/^20\d{2}-(0[1-9]|1[0-2])$/, '月份格式应为 YYYY-MM');

/** How the rows are grouped: by district (区), street (街道) or community (社区). */
export const STATS_GROUPS = ['district', 'street', 'community'] as const;
export type StatsGroup = (typeof STATS_GROUPS)[number];

/**
 * `GET /api/care/stats` and `/api/care/stats/export.csv`: one month, optionally one district (and what lies
 * under it) of the actor's scope, grouped one level down by default.
 */
export const careStatsSchema = z
  .object({
    month: month.optional(),
    district: z.string().regex(/^\d{6}(\d{3}){0,2}$/, '区划代码应为 6、9 或 12 位数字').optional(),
    groupBy: z.enum(STATS_GROUPS).optional(),
  })
  .strict();
export type CareStatsQuery = z.infer<typeof careStatsSchema>;
