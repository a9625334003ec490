import { once } from 'node:events';
import { Router } from 'express';
import { PERMISSIONS } from '../auth/permissions';
import { actorOf, requireRole } from '../http/auth.middleware';
import { csvHeader, csvLine, type AuditSearch } from './audit-search';
import { auditSearchSchema } from './audit.schema';
import type { AuditService } from './audit.service';

/**
 * The auditor's API (permission `audit.read`):
 * - `GET /api/audit?actor&person&action&from&to&purpose&outcome&limit&before` → `{ items, nextCursor }`
 * - `POST /api/audit/verify` → the chain check (`VerifyResult`), recorded as `audit.verify`
 * - `GET /api/audit/export.csv?…same filters` → CSV stream, recorded as `audit.export`
 */
export function auditRoutes(search: AuditSearch, audit: AuditService): Router {
  const r = Router();
  r.use(requireRole(...PERMISSIONS['audit.read']));
  r.get('/', async (req, res) => {
    const query = auditSearchSchema.parse(req.query);
    res.setHeader('cache-control', 'no-store');
    res.json(await search.search(actorOf(req), query));
  });
  r.post('/verify', async (req, res) => {
    const actor = actorOf(req);
    const result = await audit.verify();
    const summary = result.ok ? `ok rows=${result.checkedRows} checkpoints=${result.checkpointsChecked}` : `broken ${result.reason} seq=${result.firstBrokenSeq ?? '-'} forged=${result.unsealedForged}`;
    await audit.record({ actorId: actor.userId, actorUsername: actor.username, action: 'audit.verify', purpose: summary, outcome: result.ok ? 'ok' : 'failed' });
    res.setHeader('cache-control', 'no-store');
    res.json(result);
  });
  r.get('/export.csv', async (req, res) => {
    const query = auditSearchSchema.parse(req.query);
    const rows = search.export(actorOf(req), query);
    const first = await rows.next(); // the export is audited before anything is sent
    res.status(200);
    res.setHeader('content-type', 'text/csv; charset=utf-8');
    res.setHeader('content-disposition', `attachment; filename="audit-${new Date().toISOString().slice(0, 10)}.csv"`);
    res.setHeader('cache-control', 'no-store');
    res.write(`\ufeff${csvHeader()}`);
    try {
      for (let step = first; !step.done && !res.destroyed; step = await rows.next()) {
        if (!res.write(csvLine(step.value))) await Promise.race([once(res, 'drain'), once(res, 'close')]);
      }
      res.end();
    } catch (err) {
      res.destroy(err as Error); // headers are gone: cut the download short rather than end it as if complete
    } finally {
      await rows.return(undefined);
    }
  });
  return r;
}
