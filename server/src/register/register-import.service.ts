import { randomUUID } from 'node:crypto';
import fs from 'node:fs';
import path from 'node:path';
import { Transform, type Readable } from 'node:stream';
import { pipeline } from 'node:stream/promises';
import { setImmediate as yieldToEventLoop } from 'node:timers/promises';
import type { DataSource, EntityManager } from 'typeorm';
import type { AuditService } from '../audit/audit.service';
import { inScope, type Actor } from '../auth/auth.service';
import type { Clock } from '../shared/clock';
import type { Logger } from '../config/logger';
import { AppError } from '../shared/app-error';
import type { FieldCrypto } from '../shared/field-crypto';
import { mapHeaders, type RegisterField } from './register-columns';
import { MAX_STORED_ERRORS, RegisterImport, type ImportActor, type ImportMode } from './register-import.entity';
import { parseRegisterRow, type RegisterRow, type RowError } from './register-row';
import { readSheet, type SheetFormat } from './spreadsheet-reader';

/** Thrown inside a job when the server shuts down: the job stays open and resumes at the next start. */
class ShuttingDown extends Error {}

/** Rows checked against the database and staged per round trip. */
const BATCH = 500;

export interface ImportUpload {
  fileName: string;
  format: SheetFormat;
  mode: ImportMode;
  body: Readable;
}

export interface RegisterImportOptions {
  /** Where uploaded files are kept until their job ends. */
  dir: string;
  maxBytes: number;
}

/** A person as staged: already encrypted, with the ids the final write uses. */
interface StagedPerson {
  id: string;
  name: string;
  gender: 'M' | 'F';
  birthDate: string | null;
  idNumberEnc: string | null;
  idNumberHash: string | null;
  certNumberEnc: string | null;
  certNumberHash: string | null;
  disabilityCategory: number | null;
  disabilityLevel: number | null;
  districtCode: string;
  address: string | null;
  livingSituation: string | null;
  riskTier: string;
  communicationNeed: string;
  dialect: string | null;
  phones: { e164: string; kind: string }[];
  contacts: { id: string; name: string; relation: string; phoneE164: string; isGuardian: boolean; priority: number }[];
  device: { serial: string; kind: string; phoneE164: string | null } | null;
}

/**
 * Import of the persons register (with phones, contacts and a device) from CSV or XLSX.
 *
 * The upload is written to disk and answered at once with a job; the job streams the file (memory stays
 * bounded whatever its size), checks every row, and stages the good ones already encrypted. A dry run stops
 * there. A real run writes nothing when any row has an error; otherwise it moves the staged rows into the
 * register in one set-based transaction that also marks the job done, so a crash leaves either all rows or
 * none, and a job interrupted by a crash is run again from its file when the server starts.
 */
export class RegisterImportService {
  private queue: Promise<void> = Promise.resolve();
  private closed = false;

  constructor(
    private readonly ds: DataSource,
    private readonly crypto: FieldCrypto,
    private readonly audit: AuditService,
    private readonly clock: Clock,
    private readonly log: Logger,
    private readonly options: RegisterImportOptions,
  ) {}

  /**
   * Store the uploaded file and queue its job.
   * @throws AppError import/too-large
   */
  async accept(actor: Actor, upload: ImportUpload): Promise<RegisterImport> {
    const id = randomUUID();
    await fs.promises.mkdir(this.options.dir, { recursive: true, mode: 0o700 });
    const file = this.fileOf(id, upload.format);
    let bytes = 0;
    const limit = this.options.maxBytes;
    const counter = new Transform({
      transform(chunk: Buffer, _enc, done) {
        bytes += chunk.length;
        done(bytes > limit ? new AppError('import/too-large', `文件超过 ${Math.floor(limit / 1024 / 1024)} MB`) : null, chunk);
      },
    });
    try {
      await pipeline(upload.body, counter, fs.createWriteStream(file, { mode: 0o600 }));
    } catch (err) {
      await fs.promises.rm(file, { force: true });
      throw err;
    }
    const job = await this.ds.transaction(async (m) => {
      const saved = await m.save(RegisterImport, m.create(RegisterImport, {
        id,
        actor: { userId: actor.userId, username: actor.username, scopePrefix: actor.scopePrefix },
        fileName: upload.fileName,
        format: upload.format,
        fileBytes: String(bytes),
        mode: upload.mode,
        status: 'queued',
      }));
      await this.audit.record({ actorId: actor.userId, actorUsername: actor.username, action: 'register.import', subjectType: 'register_import', subjectId: id, purpose: upload.mode, outcome: 'ok' }, m);
      return saved;
    });
    this.enqueue(id);
    return job;
  }

  /** The job, for its uploader only (anyone else: not found). */
  async get(actor: Actor, id: string): Promise<RegisterImport> {
    const job = await this.ds.getRepository(RegisterImport).findOneBy({ id });
    if (!job || job.actor.userId !== actor.userId) throw new AppError('import/not-found', '导入任务不存在');
    return job;
  }

  /** The uploader's latest jobs, newest first. */
  async list(actor: Actor, limit = 20): Promise<RegisterImport[]> {
    return this.ds.getRepository(RegisterImport).createQueryBuilder('j').where(`j.actor->>'userId' = :u`, { u: actor.userId }).orderBy('j.created_at', 'DESC').limit(limit).getMany();
  }

  /** At start: run again every job a previous process left unfinished (its file is still on disk). */
  async resumeUnfinished(): Promise<number> {
    const open = await this.ds.getRepository(RegisterImport).createQueryBuilder('j').where(`j.status IN ('queued', 'checking', 'applying')`).orderBy('j.created_at').getMany();
    for (const job of open) this.enqueue(job.id);
    return open.length;
  }

  /** Resolves when every queued job has run (tests, shutdown). */
  idle(): Promise<void> {
    return this.queue;
  }

  /** Stop after the current batch; an open job resumes at the next start. */
  async close(): Promise<void> {
    this.closed = true;
    await this.queue;
  }

  private enqueue(id: string): void {
    // One job at a time per node: an import is CPU work (parsing, encryption) beside the hotline.
    this.queue = this.queue.then(() => (this.closed ? undefined : this.run(id))).catch((err) => this.log.error({ err, importId: id }, 'register import failed'));
  }

  private fileOf(id: string, format: SheetFormat): string {
    return path.join(this.options.dir, `${id}.${format}`);
  }

  private async run(id: string): Promise<void> {
    const repo = this.ds.getRepository(RegisterImport);
    const job = await repo.findOneBy({ id });
    if (!job || job.status === 'done' || job.status === 'failed') return;
    const file = this.fileOf(id, job.format);
    try {
      await this.ds.query('DELETE FROM register_import_row WHERE import_id = $1', [id]);
      await repo.update({ id }, { status: 'checking', startedAt: this.clock.now(), rowsRead: 0, rowsValid: 0, errorCount: 0, errors: [], failure: null });
      const checked = await this.check(job, file);
      if (checked.errorCount > 0 || job.mode === 'dry-run') {
        await repo.update({ id }, { status: 'done', outcome: checked.errorCount > 0 ? 'rejected' : 'checked', finishedAt: this.clock.now() });
      } else {
        await repo.update({ id }, { status: 'applying' });
        await this.apply(job);
      }
      await this.ds.query('DELETE FROM register_import_row WHERE import_id = $1', [id]);
      await fs.promises.rm(file, { force: true });
    } catch (err) {
      if (err instanceof ShuttingDown) return;
      const failure = err instanceof AppError ? err.message : '导入中断：文件无法读取或数据库出错';
      this.log.warn({ err, importId: id }, 'register import failed');
      await repo.update({ id }, { status: 'failed', failure: failure.slice(0, 200), finishedAt: this.clock.now() });
      await this.ds.query('DELETE FROM register_import_row WHERE import_id = $1', [id]).catch(() => undefined);
      await fs.promises.rm(file, { force: true });
    }
  }

  /** Read, check and stage every row; progress and errors go to the job row as it goes. */
  private async check(job: RegisterImport, file: string): Promise<{ errorCount: number }> {
    const districts = await this.districtsFor(job.actor);
    const errors: RowError[] = [];
    let errorCount = 0;
    let rowsRead = 0;
    let rowsValid = 0;
    const addErrors = (list: RowError[]) => {
      errorCount += list.length;
      for (const e of list) if (errors.length < MAX_STORED_ERRORS) errors.push(e);
    };
    const seen = { id: new Map<string, number>(), cert: new Map<string, number>(), serial: new Map<string, number>() };
    let fields: Map<number, RegisterField> | null = null;
    let batch: StagedPerson[] = [];
    let batchLines: number[] = [];

    const flush = async () => {
      if (batch.length) {
        const clash = await this.clashes(batch);
        const keep: StagedPerson[] = [];
        const lines: number[] = [];
        batch.forEach((p, i) => {
          const line = batchLines[i]!;
          const rowErrors: RowError[] = [];
          if (p.idNumberHash && clash.id.has(p.idNumberHash)) rowErrors.push({ row: line, field: 'idNumber', code: 'duplicate-in-database' });
          if (p.certNumberHash && clash.cert.has(p.certNumberHash)) rowErrors.push({ row: line, field: 'certNumber', code: 'duplicate-in-database' });
          if (p.device && clash.serial.has(p.device.serial)) rowErrors.push({ row: line, field: 'deviceSerial', code: 'device-serial-taken' });
          if (rowErrors.length) addErrors(rowErrors);
          else {
            keep.push(p);
            lines.push(line);
          }
        });
        // Only a real run stages, and once there is an error it writes nothing, so staging more is wasted work.
        if (keep.length && errorCount === 0 && job.mode === 'commit') await this.stage(job.id, keep, lines);
        rowsValid += keep.length;
        batch = [];
        batchLines = [];
      }
      await this.ds.getRepository(RegisterImport).update({ id: job.id }, { rowsRead, rowsValid, errorCount, errors });
      await yieldToEventLoop();
    };

    for await (const { line, cells } of readSheet(file, job.format)) {
      if (this.closed) throw new ShuttingDown();
      if (!fields) {
        const header = mapHeaders(cells);
        if (header.missing.length) {
          addErrors(header.missing.map((field) => ({ row: line, field, code: 'required' as const })));
          break;
        }
        fields = header.fields;
        continue;
      }
      rowsRead++;
      const record: Partial<Record<RegisterField, string>> = {};
      for (const [i, field] of fields) record[field] = cells[i] ?? '';
      const parsed = parseRegisterRow(line, record, districts);
      if (!parsed.ok) addErrors(parsed.errors);
      else {
        const p = this.toStaged(parsed.value);
        const dup: RowError[] = [];
        const firstId = p.idNumberHash ? seen.id.get(p.idNumberHash) : undefined;
        const firstCert = p.certNumberHash ? seen.cert.get(p.certNumberHash) : undefined;
        const firstSerial = p.device ? seen.serial.get(p.device.serial) : undefined;
        if (firstId !== undefined) dup.push({ row: line, field: 'idNumber', code: 'duplicate-in-file' });
        if (firstCert !== undefined) dup.push({ row: line, field: 'certNumber', code: 'duplicate-in-file' });
        if (firstSerial !== undefined) dup.push({ row: line, field: 'deviceSerial', code: 'duplicate-in-file' });
        if (p.idNumberHash) seen.id.set(p.idNumberHash, line);
        if (p.certNumberHash) seen.cert.set(p.certNumberHash, line);
        if (p.device) seen.serial.set(p.device.serial, line);
        if (dup.length) addErrors(dup);
        else {
          batch.push(p);
          batchLines.push(line);
        }
      }
      if (batch.length >= BATCH || rowsRead % BATCH === 0) await flush();
    }
    if (!fields && errorCount === 0) addErrors([{ row: 1, field: 'name', code: 'required' }]); // an empty file
    await flush();
    return { errorCount };
  }

  private toStaged(row: RegisterRow): StagedPerson {
    const c = this.crypto;
    return {
      id: randomUUID(),
      name: row.name,
      gender: row.gender,
      birthDate: row.birthDate,
      idNumberEnc: row.idNumber ? c.encrypt(row.idNumber) : null,
      idNumberHash: row.idNumber ? c.hash(row.idNumber) : null,
      certNumberEnc: row.certNumber ? c.encrypt(row.certNumber) : null,
      certNumberHash: row.certNumber ? c.hash(row.certNumber) : null,
      disabilityCategory: row.disabilityCategory,
      disabilityLevel: row.disabilityLevel,
      districtCode: row.districtCode,
      address: row.address,
      livingSituation: row.livingSituation,
      riskTier: row.riskTier,
      communicationNeed: row.communicationNeed,
      dialect: row.dialect,
      phones: row.phones,
      contacts: row.contacts.map((k, i) => ({ id: randomUUID(), ...k, priority: i + 1 })),
      device: row.device,
    };
  }

  /** District codes the importer may register persons in (retired ones are not). */
  private async districtsFor(actor: ImportActor): Promise<Set<string>> {
    const rows: { code: string }[] = await this.ds.query('SELECT code FROM district WHERE retired_at IS NULL');
    const scoped = { scopePrefix: actor.scopePrefix } as Actor;
    return new Set(rows.map((r) => r.code).filter((code) => inScope(scoped, code)));
  }

  /** Which of these identifiers and serials the register already holds. */
  private async clashes(batch: StagedPerson[]): Promise<{ id: Set<string>; cert: Set<string>; serial: Set<string> }> {
    const ids = batch.map((p) => p.idNumberHash).filter((h): h is string => !!h);
    const certs = batch.map((p) => p.certNumberHash).filter((h): h is string => !!h);
    const serials = batch.map((p) => p.device?.serial).filter((s): s is string => !!s);
    const [a, b, d] = await Promise.all([
      ids.length ? this.ds.query('SELECT id_number_hash AS h FROM person WHERE id_number_hash = ANY($1)', [ids]) : [],
      certs.length ? this.ds.query('SELECT cert_number_hash AS h FROM person WHERE cert_number_hash = ANY($1)', [certs]) : [],
      serials.length ? this.ds.query('SELECT serial AS h FROM device WHERE serial = ANY($1)', [serials]) : [],
    ]);
    const set = (rows: { h: string }[]) => new Set(rows.map((r) => r.h));
    return { id: set(a), cert: set(b), serial: set(d) };
  }

  private async stage(importId: string, persons: StagedPerson[], lines: number[]): Promise<void> {
    await this.ds.query(
      `INSERT INTO register_import_row (import_id, line, person)
       SELECT $1, x.line, x.person FROM jsonb_to_recordset($2::jsonb) AS x(line integer, person jsonb)`,
      [importId, JSON.stringify(persons.map((person, i) => ({ line: lines[i], person })))],
    );
  }

  /**
   * Move the staged rows into the register, set-based, in one transaction that also ends the job. A twin
   * registered meanwhile fails the unique index and with it the whole import (nothing written).
   */
  private async apply(job: RegisterImport): Promise<void> {
    await this.ds.transaction(async (m) => {
      const [{ count }] = await m.query('SELECT count(*)::int AS count FROM register_import_row WHERE import_id = $1', [job.id]);
      await insertStaged(m, job.id);
      await m.update(RegisterImport, { id: job.id }, { status: 'done', outcome: 'imported', personsWritten: count, finishedAt: this.clock.now() });
      await this.audit.record({ actorId: job.actor.userId, actorUsername: job.actor.username, action: 'person.import', subjectType: 'register_import', subjectId: job.id, purpose: `${count} persons`, outcome: 'ok' }, m);
    });
  }
}

/** The set-based write of a job's staged persons with their phones, contacts and devices. */
async function insertStaged(m: EntityManager, importId: string): Promise<void> {
  const rows = `FROM register_import_row r WHERE r.import_id = $1`;
  await m.query(
    `INSERT INTO person (id, name, gender, birth_date, id_number_enc, id_number_hash, cert_number_enc, cert_number_hash,
       disability_category, disability_level, living_situation, risk_tier, district_code, address, communication_need, dialect)
     SELECT (p->>'id')::uuid, p->>'name', p->>'gender', (p->>'birthDate')::date, p->>'idNumberEnc', p->>'idNumberHash',
       p->>'certNumberEnc', p->>'certNumberHash', (p->>'disabilityCategory')::smallint, (p->>'disabilityLevel')::smallint,
       p->>'livingSituation', p->>'riskTier', p->>'districtCode', p->>'address', p->>'communicationNeed', p->>'dialect'
     FROM (SELECT r.person AS p ${rows}) s`,
    [importId],
  );
  await m.query(
    `INSERT INTO phone_number (e164, kind, person_id)
     SELECT ph->>'e164', ph->>'kind', (r.person->>'id')::uuid ${rows.replace('FROM register_import_row r', 'FROM register_import_row r, jsonb_array_elements(r.person->\'phones\') ph')}`,
    [importId],
  );
  await m.query(
    `INSERT INTO contact (id, person_id, name, relation, is_guardian, priority, notify_on_emergency, phone_e164)
     SELECT (c->>'id')::uuid, (r.person->>'id')::uuid, c->>'name', c->>'relation', (c->>'isGuardian')::boolean, (c->>'priority')::smallint, true, c->>'phoneE164'
     ${rows.replace('FROM register_import_row r', 'FROM register_import_row r, jsonb_array_elements(r.person->\'contacts\') c')}`,
    [importId],
  );
  await m.query(
    `INSERT INTO phone_number (e164, kind, contact_id)
     SELECT c->>'phoneE164', 'mobile', (c->>'id')::uuid
     ${rows.replace('FROM register_import_row r', 'FROM register_import_row r, jsonb_array_elements(r.person->\'contacts\') c')}`,
    [importId],
  );
  await m.query(
    `INSERT INTO device (person_id, kind, serial, phone_e164)
     SELECT (r.person->>'id')::uuid, r.person->'device'->>'kind', r.person->'device'->>'serial', r.person->'device'->>'phoneE164'
     ${rows} AND jsonb_typeof(r.person->'device') = 'object'`,
    [importId],
  );
}
