import { createHash } from 'node:crypto';
import { IsNull, Not, type DataSource, type EntityManager } from 'typeorm';
import type { Clock } from '../shared/clock';
import { AuditLog } from './audit-log.entity';

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

const GENESIS = '0'.repeat(64);
/** Any constant: one sealer at a time across server nodes. */
const AUDIT_SEAL_LOCK = 7_201_001;
/** Most rows one INSERT (standalone entries) or one sealing transaction takes; more continue in the next. */
const MAX_BATCH = 500;

interface Waiting {
  row: AuditLog;
  resolve(): void;
  reject(error: unknown): void;
}

/**
 * Append-only, hash-chained audit trail.
 *
 * Writing an entry is a plain INSERT, inside the caller's transaction when one is given (so the entry commits
 * or rolls back with the change it describes), else group-committed with the other standalone entries of the
 * moment. Writers take no lock: an audited action never waits for another one.
 *
 * The chain is made by `seal()`, one sealer at a time: it gives the committed, unsealed rows (oldest first)
 * the next positions `seq` and a hash over the previous row's hash and their own fields. Editing or deleting
 * a sealed row breaks the chain and `verify()` names it. The server seals every second; an entry is unsealed
 * (protected only by the database's permissions) for about that long.
 */
export class AuditService {
  private readonly waiting: Waiting[] = [];
  private flushing = false;
  private sealing: Promise<number> | null = null;

  constructor(
    private readonly ds: DataSource,
    private readonly clock: Clock,
  ) {}

  /**
   * Append an entry. Pass the transaction's manager to make it part of that transaction.
   * @example await audit.record({ actorId, actorUsername, action: 'person.read', subjectType: 'person', subjectId, outcome: 'ok' });
   */
  async record(entry: AuditEntry, manager?: EntityManager): Promise<void> {
    const row = this.row(entry);
    if (manager) return void (await manager.insert(AuditLog, row));
    return new Promise((resolve, reject) => {
      this.waiting.push({ row, resolve, reject });
      if (!this.flushing) void this.flush();
    });
  }

  /**
   * Chain every committed entry not yet chained; resolves with how many were sealed. Concurrent calls share
   * one run.
   * @example await audit.seal(); // before an export, or let the server's once-a-second job do it
   */
  seal(): Promise<number> {
    this.sealing ??= this.sealAll().finally(() => (this.sealing = null));
    return this.sealing;
  }

  /** Seal, then walk the chain; returns the id of the first broken row, or null when intact. */
  async verify(): Promise<string | null> {
    await this.seal();
    const rows = await this.ds.getRepository(AuditLog).find({ where: { seq: Not(IsNull()) }, order: { seq: 'ASC' } });
    let prev = GENESIS;
    for (const row of rows) {
      if (row.prevHash !== prev || chainHash(row) !== row.hash) return row.id;
      prev = row.hash!;
    }
    return null;
  }

  private row(entry: AuditEntry): AuditLog {
    return Object.assign(new AuditLog(), {
      at: this.clock.now(),
      actorId: entry.actorId,
      actorUsername: entry.actorUsername,
      action: entry.action,
      subjectType: entry.subjectType ?? null,
      subjectId: entry.subjectId ?? null,
      subjects: subjectsOf(entry),
      purpose: entry.purpose ?? null,
      outcome: entry.outcome,
      ip: entry.ip ?? null,
      seq: null,
      prevHash: null,
      hash: null,
    });
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
        for (const w of batch) w.reject(error);
      }
    }
    this.flushing = false;
  }

  private async sealAll(): Promise<number> {
    let total = 0;
    for (;;) {
      const sealed = await this.ds.transaction(async (m) => {
        await m.query('SELECT pg_advisory_xact_lock($1)', [AUDIT_SEAL_LOCK]);
        const pending = await m.getRepository(AuditLog).find({ where: { seq: IsNull() }, order: { id: 'ASC' }, take: MAX_BATCH });
        if (!pending.length) return 0;
        const [last]: { seq: string; hash: string }[] = await m.query('SELECT seq, hash FROM audit_log WHERE seq IS NOT NULL ORDER BY seq DESC LIMIT 1');
        let prevHash = last?.hash ?? GENESIS;
        let seq = BigInt(last?.seq ?? 0);
        for (const row of pending) {
          row.seq = String(++seq);
          row.prevHash = prevHash;
          prevHash = row.hash = chainHash(row);
        }
        await m.query(
          `UPDATE audit_log a SET seq = v.seq, prev_hash = v.prev_hash, hash = v.hash
             FROM (SELECT unnest($1::bigint[]) AS id, unnest($2::bigint[]) AS seq, unnest($3::varchar[]) AS prev_hash, unnest($4::varchar[]) AS hash) v
            WHERE a.id = v.id`,
          [pending.map((r) => r.id), pending.map((r) => r.seq), pending.map((r) => r.prevHash), pending.map((r) => r.hash)],
        );
        return pending.length;
      });
      total += sealed;
      if (sealed < MAX_BATCH) return total;
    }
  }
}

/** `type:id` for every subject, the primary one first, without repeats. */
function subjectsOf(entry: AuditEntry): string[] {
  const all = entry.subjectType && entry.subjectId ? [{ type: entry.subjectType, id: entry.subjectId }, ...(entry.subjects ?? [])] : [...(entry.subjects ?? [])];
  return [...new Set(all.map((s) => `${s.type}:${s.id}`))];
}

function chainHash(row: AuditLog): string {
  const body = [
    row.prevHash,
    new Date(row.at).toISOString(),
    row.actorId ?? '',
    row.actorUsername ?? '',
    row.action,
    row.subjectType ?? '',
    row.subjectId ?? '',
    row.purpose ?? '',
    row.outcome,
    row.ip ?? '',
  ].join('\u001f');
  return createHash('sha256').update(body).digest('hex');
}
