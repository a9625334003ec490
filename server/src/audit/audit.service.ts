import { randomBytes } from 'node:crypto';
import type { DataSource, EntityManager } from 'typeorm';
import type { Logger } from '../config/logger';
import type { Clock } from '../shared/clock';
import { keyedChainHash, legacyChainHash, rowMac, type AuditKeys } from './audit-crypto';
import type { CheckpointFile } from './audit-checkpoints';
import { AuditLog } from './audit-log.entity';
import { AUDIT_LIMITS, safeOptional, safeText, safeUuid } from './audit-text';
import { fieldsOfStored, GENESIS, macHolds, ROW_COLUMNS, verifyChain, type ChainBoundary, type StoredRow, type VerifyResult } from './audit-verify';

export type { VerifyResult } from './audit-verify';

export interface AuditEntry {
  actorId: string | null;
  actorUsername: string | null;
  action: string;
  subjectType?: string;
  subjectId?: string;
  /**
   * Every subject the entry is about (a search names each person it returned). The primary subject
   * (`subjectType`/`subjectId`) is included automatically.
   */
  subjects?: ReadonlyArray<{ type: string; id: string }>;
  purpose?: string;
  outcome: AuditLog['outcome'];
  ip?: string;
}

export interface AuditOptions {
  /** From `auditKeysFromSecret(config.dataKey)`: the database never holds them. */
  keys: AuditKeys;
  /** Signed checkpoints outside the database; null: none (verify then checks the chain alone). */
  checkpoints?: CheckpointFile | null;
  /** At most one checkpoint this often while rows are being sealed (and one at shutdown). Default 10 s. */
  checkpointEveryMs?: number;
  /** Tampering (rows the sealer refuses) and checkpoints are logged here. */
  log?: Logger;
}

/** Any constant: one sealer at a time across server nodes. */
const AUDIT_SEAL_LOCK = 7_201_001;
/** Most rows one INSERT (standalone entries) or one sealing transaction takes; more continue in the next. */
const MAX_BATCH = 500;
const OUTCOMES: ReadonlySet<string> = new Set(['ok', 'denied', 'failed']);

interface Waiting {
  row: AuditLog;
  resolve(): void;
  reject(error: unknown): void;
}

/**
 * Append-only, keyed hash-chained audit trail.
 *
 * Writing an entry is a plain INSERT, inside the caller's transaction when one is given (so the entry commits
 * or rolls back with the change it describes), else group-committed with the other standalone entries of the
 * moment; a group whose INSERT fails is retried row by row, so one bad entry fails alone. Every text field is
 * made safe and cut to its column first. Each row carries a MAC over all its fields, made with a key the
 * database does not hold.
 *
 * The chain is made by `seal()`, one sealer at a time: it gives the committed, unsealed rows whose MAC holds
 * (oldest first) the next positions `seq` and a keyed hash over the previous hash, the position, the fields
 * and the MAC. A row without a valid MAC was not written by us: it stays unsealed, is logged as tampering,
 * and `verify()` reports it. Signed checkpoints of the chain's head go to a file outside the database and to
 * the log, so deleting the newest rows is caught too. The table itself refuses UPDATE (except the sealing),
 * DELETE and TRUNCATE (migration AuditKeyedChain).
 */
export class AuditService {
  private readonly waiting: Waiting[] = [];
  private flushing = false;
  private sealing: Promise<number> | null = null;
  private boundary: ChainBoundary | null = null;
  private readonly reported = new Set<string>();
  private lastCheckpoint: { seq: string; at: number } | null = null;
  /** Rows were sealed since the last checkpoint. */
  private uncheckpointed = false;
  private readonly keys: AuditKeys;
  private readonly checkpoints: CheckpointFile | null;

  constructor(
    private readonly ds: DataSource,
    private readonly clock: Clock,
    private readonly options: AuditOptions,
  ) {
    this.keys = options.keys;
    this.checkpoints = options.checkpoints ?? null;
  }

  /**
   * Append an entry. Pass the transaction's manager to make it part of that transaction.
   * @example await audit.record({ actorId, actorUsername, action: 'person.read', subjectType: 'person', subjectId, outcome: 'ok' });
   */
  async record(entry: AuditEntry, manager?: EntityManager): Promise<void> {
    const row = this.prepare(entry);
    if (manager) return void (await manager.insert(AuditLog, row));
    return new Promise((resolve, reject) => {
      this.waiting.push({ row, resolve, reject });
      if (!this.flushing) void this.flush();
    });
  }

  /**
   * The row `record()` would insert: safe text, the time, a nonce and the row MAC. For a caller that writes the
   * row in its own statement (the SOS path's one-statement order opening); it must store these values unchanged.
   */
  prepare(entry: AuditEntry, at: Date = this.clock.now()): AuditLog {
    const row = Object.assign(new AuditLog(), {
      at: new Date(at.getTime()),
      actorId: safeUuid(entry.actorId),
      actorUsername: safeOptional(entry.actorUsername, AUDIT_LIMITS.actorUsername),
      action: safeText(String(entry.action ?? ''), AUDIT_LIMITS.action),
      subjectType: safeOptional(entry.subjectType, AUDIT_LIMITS.subjectType),
      subjectId: safeOptional(entry.subjectId, AUDIT_LIMITS.subjectId),
      subjects: subjectsOf(entry),
      purpose: safeOptional(entry.purpose, AUDIT_LIMITS.purpose),
      outcome: OUTCOMES.has(entry.outcome) ? entry.outcome : 'failed',
      ip: safeOptional(entry.ip, AUDIT_LIMITS.ip),
      nonce: randomBytes(16).toString('hex'),
      seq: null,
      prevHash: null,
      hash: null,
    });
    row.mac = rowMac(this.keys, row);
    return row;
  }

  /**
   * Chain every committed entry not yet chained; resolves with how many were sealed. Concurrent calls share
   * one run. With a manager, seals inside that transaction (what it sees, under its lock).
   * @example await audit.seal(); // before an export, or let the server's once-a-second job do it
   */
  seal(manager?: EntityManager): Promise<number> {
    if (manager) return this.sealIn(manager);
    this.sealing ??= this.sealAll().finally(() => (this.sealing = null));
    return this.sealing;
  }

  /**
   * Seal (unless `seal: false`), then walk the whole chain in pages and compare every checkpoint. A manager
   * runs it inside that transaction.
   * @example const result = await audit.verify(); if (!result.ok) alert(result.reason, result.firstBrokenSeq);
   */
  async verify(opts: { manager?: EntityManager; seal?: boolean } = {}): Promise<VerifyResult> {
    if (opts.seal !== false) await this.seal(opts.manager);
    const q = opts.manager ?? this.ds;
    return verifyChain(q, this.keys, await this.boundaryOf(q), this.checkpoints);
  }

  /**
   * Write a signed checkpoint of the chain's head to the checkpoint file and the log, unless nothing was sealed
   * since the last one. The server calls it after sealing (at most every `checkpointEveryMs`) and at shutdown.
   */
  async checkpoint(): Promise<void> {
    if (!this.checkpoints) return;
    const [head]: { seq: string; hash: string }[] = await this.ds.query('SELECT seq, hash FROM audit_log WHERE seq IS NOT NULL ORDER BY seq DESC LIMIT 1');
    if (!head || head.seq === this.lastCheckpoint?.seq) return void (this.uncheckpointed = false);
    const boundary = await this.boundaryOf(this.ds);
    const signed = await this.checkpoints.append({ seq: String(head.seq), hash: head.hash, at: this.clock.now().toISOString(), legacySeq: String(boundary.legacySeq) });
    this.lastCheckpoint = { seq: signed.seq, at: Date.now() };
    this.uncheckpointed = false;
    this.options.log?.info({ auditCheckpoint: signed }, 'audit checkpoint');
  }

  /** Group commit: the first waiting entry is written at once; those recorded meanwhile go in the next INSERT. */
  private async flush(): Promise<void> {
    this.flushing = true;
    while (this.waiting.length) {
      const batch = this.waiting.splice(0, MAX_BATCH);
      try {
        await this.ds.getRepository(AuditLog).insert(batch.map((w) => w.row));
        for (const w of batch) w.resolve();
      } catch (error) {
        if (batch.length === 1) batch[0]!.reject(error);
        // One bad row must not fail its neighbours: write them one by one.
        else for (const w of batch) await this.ds.getRepository(AuditLog).insert(w.row).then(() => w.resolve(), (e: unknown) => w.reject(e));
      }
    }
    this.flushing = false;
  }

  private async sealAll(): Promise<number> {
    let total = 0;
    let after = '0';
    for (;;) {
      const batch = await this.ds.transaction((m) => this.sealBatch(m, after));
      total += batch.sealed;
      after = batch.lastId;
      if (batch.read < MAX_BATCH) break;
    }
    if (total > 0) this.uncheckpointed = true;
    const every = this.options.checkpointEveryMs ?? 10_000;
    if (this.uncheckpointed && (!this.lastCheckpoint || Date.now() - this.lastCheckpoint.at >= every)) {
      await this.checkpoint().catch((err) => this.options.log?.error({ err }, 'audit checkpoint could not be written'));
    }
    return total;
  }

  private async sealIn(m: EntityManager): Promise<number> {
    let total = 0;
    let after = '0';
    for (;;) {
      const batch = await this.sealBatch(m, after);
      total += batch.sealed;
      after = batch.lastId;
      if (batch.read < MAX_BATCH) return total;
    }
  }

  /** One sealing step under the lock: the next unsealed rows after `afterId`; rows without a valid MAC are refused. */
  private async sealBatch(m: EntityManager, afterId: string): Promise<{ sealed: number; read: number; lastId: string }> {
    await m.query('SELECT pg_advisory_xact_lock($1)', [AUDIT_SEAL_LOCK]);
    const pending: StoredRow[] = await m.query(`SELECT ${ROW_COLUMNS} FROM audit_log WHERE seq IS NULL AND id > $1 ORDER BY id LIMIT ${MAX_BATCH}`, [afterId]);
    if (!pending.length) return { sealed: 0, read: 0, lastId: afterId };
    const boundary = await this.boundaryOf(m);
    const [last]: { seq: string; hash: string }[] = await m.query('SELECT seq, hash FROM audit_log WHERE seq IS NOT NULL ORDER BY seq DESC LIMIT 1');
    let prevHash = last?.hash ?? GENESIS;
    let seq = BigInt(last?.seq ?? 0);
    const ids: string[] = [];
    const seqs: string[] = [];
    const prevs: string[] = [];
    const hashes: string[] = [];
    for (const row of pending) {
      const fields = fieldsOfStored(row);
      let hash: string;
      if (row.mac === null && BigInt(row.id) <= boundary.legacyMaxId && seq < boundary.legacySeq) {
        seq++; // written before the key existed: the old rule, up to the recorded boundary
        hash = legacyChainHash(prevHash, fields);
      } else if (macHolds(this.keys, row)) {
        if (seq < boundary.legacySeq) seq = boundary.legacySeq; // keyed positions start after the boundary
        seq++;
        hash = keyedChainHash(this.keys, prevHash, String(seq), fields, row.mac!);
      } else {
        this.reportForged(row);
        continue;
      }
      ids.push(row.id);
      seqs.push(String(seq));
      prevs.push(prevHash);
      hashes.push(hash);
      prevHash = hash;
    }
    if (ids.length) {
      await m.query(
        `UPDATE audit_log a SET seq = v.seq, prev_hash = v.prev_hash, hash = v.hash
           FROM (SELECT unnest($1::bigint[]) AS id, unnest($2::bigint[]) AS seq, unnest($3::varchar[]) AS prev_hash, unnest($4::varchar[]) AS hash) v
          WHERE a.id = v.id`,
        [ids, seqs, prevs, hashes],
      );
    }
    return { sealed: ids.length, read: pending.length, lastId: pending[pending.length - 1]!.id };
  }

  private reportForged(row: StoredRow): void {
    if (this.reported.has(row.id)) return;
    this.reported.add(row.id);
    this.options.log?.error(
      { auditTampering: true, auditId: row.id, at: row.at, action: row.action, actorUsername: row.actor_username },
      'AUDIT TAMPERING: an audit_log row without a valid MAC was not written by this server; it is left unsealed',
    );
  }

  private async boundaryOf(q: Pick<DataSource | EntityManager, 'query'>): Promise<ChainBoundary> {
    if (this.boundary) return this.boundary;
    const rows: { legacy_seq: string; legacy_max_id: string }[] = await q.query('SELECT legacy_seq, legacy_max_id FROM audit_chain_boundary');
    const b = rows.length === 1 ? { legacySeq: BigInt(rows[0]!.legacy_seq), legacyMaxId: BigInt(rows[0]!.legacy_max_id) } : { legacySeq: 0n, legacyMaxId: 0n };
    this.boundary = b;
    return b;
  }
}

/** `type:id` for every subject, the primary one first, without repeats, each safe and cut to the column. */
function subjectsOf(entry: AuditEntry): string[] {
  const all = entry.subjectType && entry.subjectId ? [{ type: entry.subjectType, id: entry.subjectId }, ...(entry.subjects ?? [])] : [...(entry.subjects ?? [])];
  const values = [...new Set(all.map((s) => safeText(`${s.type}:${s.id}`, AUDIT_LIMITS.subject)))];
  return values.slice(0, AUDIT_LIMITS.subjects);
}
