import { Router } from 'express';
import { PERMISSIONS } from '../auth/permissions';
import { actorOf, requireRole } from '../http/auth.middleware';
import { csvCell } from '../audit/audit-search';
import type { CareStats, CareStatsRow, CareStatsService } from './care-stats.service';
import { careStatsSchema } from './care-stats.schema';

/**
 * `/api/care/stats` (supervisors, `care.plan`, scoped to their districts):
 * - `GET /?month=YYYY-MM&district=&groupBy=district|street|community` → {@link CareStats}
 * - `GET /export.csv?…same` → the same figures as CSV (UTF-8 with a BOM for Excel), audited as `care.stats.export`
 */
export function careStatsRoutes(stats: CareStatsService): Router {
  const r = Router();
  r.use(requireRole(...PERMISSIONS['care.plan']));
  r.get('/', async (req, res) => {
    res.json(await stats.figures(actorOf(req), careStatsSchema.parse(req.query)));
  });
  r.get('/export.csv', async (req, res) => {
    const figures = await stats.exportFigures(actorOf(req), careStatsSchema.parse(req.query));
    res.status(200);
    res.setHeader('content-type', 'text/csv; charset=utf-8');
    res.setHeader('content-disposition', `attachment; filename="care-stats-${figures.month}${figures.district ? `-${figures.district.code}` : ''}.csv"`);
    res.write(`\ufeff${CSV_HEADER.map(csvCell).join(',')}\r\n`);
    for (const line of csvLines(figures)) res.write(line);
    res.end();
  });
  return r;
}

export const CSV_HEADER = [
  '月份', '区划代码', '区划', '应访', '已访', '未接通', '已升级', '待处理',
  '探访率(%)', '高风险应访', '高风险已访', '高风险探访率(%)', '重点应访', '重点已访', '重点探访率(%)', '一般应访', '一般已访', '一般探访率(%)',
  '计入回访', '满意', '满意率(%)', '接通回访', '已解决', '解决率(%)', '回访失败',
];

/** The rows, then the total (区划 “合计”), each CRLF-terminated. */
export function csvLines(s: CareStats): string[] {
  const line = (r: CareStatsRow) => {
    const v = r.visits;
    const cells = [
      s.month, r.code ?? '', r.code === null ? '合计' : (r.name ?? ''), r.progress.due, r.progress.done, r.progress.unreached, r.progress.escalated, r.progress.pending,
      v.all.rate, v.high.due, v.high.done, v.high.rate, v.key.due, v.key.done, v.key.rate, v.general.due, v.general.done, v.general.rate,
      r.surveys.counted, r.surveys.satisfied, r.surveys.satisfactionRate, r.surveys.reached, r.surveys.resolved, r.surveys.resolutionRate, r.surveys.failed,
    ];
    return `${cells.map(csvCell).join(',')}\r\n`;
  };
  return [...s.rows.map(line), line(s.total)];
}
