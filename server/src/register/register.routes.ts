import { Router, type Request } from 'express';
import { PERMISSIONS } from '../auth/permissions';
import { actorOf, requireRole } from '../http/auth.middleware';
import { AppError } from '../shared/app-error';
import { TEMPLATE_HEADERS } from './register-columns';
import type { RegisterExport } from './register-export';
import type { RegisterImport } from './register-import.entity';
import type { RegisterImportService } from './register-import.service';
import { exportQuerySchema, FORMAT_OF_TYPE, importIdSchema, importQuerySchema } from './register.schema';

/** What the console sees of a job. */
export function importView(job: RegisterImport) {
  return {
    id: job.id,
    createdAt: job.createdAt.toISOString(),
    fileName: job.fileName,
    format: job.format,
    fileBytes: Number(job.fileBytes),
    mode: job.mode,
    status: job.status,
    outcome: job.outcome,
    rowsRead: job.rowsRead,
    rowsValid: job.rowsValid,
    errorCount: job.errorCount,
    errors: job.errors,
    personsWritten: job.personsWritten,
    failure: job.failure,
    startedAt: job.startedAt?.toISOString() ?? null,
    finishedAt: job.finishedAt?.toISOString() ?? null,
  };
}
export type RegisterImportView = ReturnType<typeof importView>;

function formatOf(req: Request): 'csv' | 'xlsx' {
  const type = (req.headers['content-type'] ?? '').split(';')[0]!.trim().toLowerCase();
  const format = FORMAT_OF_TYPE[type];
  if (!format) throw new AppError('import/unsupported-format', '请上传 CSV 或 XLSX 文件');
  return format;
}

/**
 * The persons register (`/api/register`):
 * - `POST /imports?mode=dry-run|commit&fileName` with the file as the body (text/csv or XLSX) → 202 job
 * - `GET /imports` → the caller's latest jobs; `GET /imports/:id` → one job with its progress and row errors
 * - `GET /template.csv` → the column layout, empty
 * - `GET /export.xlsx?district&purpose` → the district's register, audited per person
 */
export function registerRoutes(imports: RegisterImportService, exporter: RegisterExport): Router {
  const r = Router();
  const mayImport = requireRole(...PERMISSIONS['register.import']);
  r.post('/imports', mayImport, async (req, res) => {
    const query = importQuerySchema.parse(req.query);
    const job = await imports.accept(actorOf(req), { fileName: query.fileName, mode: query.mode, format: formatOf(req), body: req });
    res.status(202).location(`/api/register/imports/${job.id}`).json(importView(job));
  });
  r.get('/imports', mayImport, async (req, res) => {
    res.json({ items: (await imports.list(actorOf(req))).map(importView) });
  });
  r.get('/imports/:id', mayImport, async (req, res) => {
    const { id } = importIdSchema.parse(req.params);
    res.json(importView(await imports.get(actorOf(req), id)));
  });
  r.get('/template.csv', mayImport, (_req, res) => {
    res.setHeader('content-type', 'text/csv; charset=utf-8');
    res.setHeader('content-disposition', 'attachment; filename="anxin-register-template.csv"');
    res.send(`\ufeff${TEMPLATE_HEADERS.join(',')}\r\n`);
  });
  r.get('/export.xlsx', requireRole(...PERMISSIONS['register.export']), async (req, res) => {
    const query = exportQuerySchema.parse(req.query);
    await exporter.prepare(actorOf(req), query.district, query.purpose, req.ip);
    res.status(200);
    res.setHeader('content-type', 'application/vnd.openxmlformats-officedocument.spreadsheetml.sheet');
    res.setHeader('content-disposition', `attachment; filename="register-${query.district}.xlsx"`);
    try {
      await exporter.write(query.district, res);
    } catch (err) {
      res.destroy(err as Error); // headers are gone: cut the download short rather than end it as if complete
    }
  });
  return r;
}
