import { createHash } from 'node:crypto';
import type { DataSource, EntityManager } from 'typeorm';
import type { Clock } from '../shared/clock';
import { AuditLog } from './audit-log.entity';

export interface AuditEntry {
  actorId: string | null;
  actorUsername: string | null;
  action: string;
  subjectType?: string;
  subjectId?: string;
  purpose?: string;
  outcome: AuditLog['outcome'];
  ip?: string;
}

const GENESIS = '0'.repeat(64);
/** Any constant: serializes writers of the hash chain across server nodes. */
const AUDIT_CHAIN_LOCK = 7_201_001;

interface Waiting {
  entry: AuditEntry;
  resolve(): void;
  reject(error: unknown): void;
}

/** Most entries one transaction appends (a burst beyond it continues in the next). */
const MAX_BATCH = 500;

/**
 * Append-only, hash-chained audit trail. Each row's hash covers the previous row's hash and its own
 * fields, so editing or deleting a row breaks the chain and `verify()` finds it.
 *
 * Entries recorded on their own are group-committed: the first starts a transaction at once, and those
 * recorded while it is in flight go together into the next one (one lock, one read of the chain's end, one
 * INSERT). Each `record()` resolves once its entry is committed.
 */
export class AuditService {
  private readonly waiting: Waiting[] = [];
  private flushing = false;

  constructor(
    private readonly ds: DataSource,
    private readonly clock: Clock,
  ) {}

  /**
   * Append an entry. Pass the transaction's manager to make it part of that transaction.
   * @example await audit.record({ actorId, actorUsername, action: 'person.read', subjectType: 'person', subjectId, outcome: 'ok' });
   */
  record(entry: AuditEntry, manager?: EntityManager): Promise<void> {
    if (manager) return this.append(manager, [entry]);
    return new Promise((resolve, reject) => {
      this.waiting.push({ entry, resolve, reject });
      if (!this.flushing) void this.flush();
    });
  }

  private async flush(): Promise<void> {
    this.flushing = true;
    while (this.waiting.length) {
      const batch = this.waiting.splice(0, MAX_BATCH);
      try {
        await this.ds.transaction((m) => this.append(m, batch.map((w) => w.entry)));
        for (const w of batch) w.resolve();
      } catch (error) {
        for (const w of batch) w.reject(error);
      }
    }
    this.flushing = false;
  }

  private async append(m: EntityManager, entries: AuditEntry[]): Promise<void> {
    await m.query('SELECT pg_advisory_xact_lock($1)', [AUDIT_CHAIN_LOCK]);
    const last: { hash: string }[] = await m.query('SELECT hash FROM audit_log ORDER BY id DESC LIMIT 1');
    let prevHash = last[0]?.hash ?? GENESIS;
    const at = this.clock.now();
    const rows = entries.map((entry) => {
      const row = m.create(AuditLog, {
        at,
        actorId: entry.actorId,
        actorUsername: entry.actorUsername,
        action: entry.action,
        subjectType: entry.subjectType ?? null,
        subjectId: entry.subjectId ?? null,
        purpose: entry.purpose ?? null,
        outcome: entry.outcome,
        ip: entry.ip ?? null,
        prevHash,
        hash: '',
      });
      prevHash = row.hash = chainHash(row);
      return row;
    });
    await m.insert(AuditLog, rows);
  }

  /** Walk the chain; returns the id of the first broken row, or null when intact. */
  async verify(): Promise<string | null> {
    const rows = await this.ds.getRepository(AuditLog).find({ order: { id: 'ASC' } });
    let prev = GENESIS;
    for (const row of rows) {
      if (row.prevHash !== prev || chainHash(row) !== row.hash) return row.id;
      prev = row.hash;
    }
    return null;
  }
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
