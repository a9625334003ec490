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

/**
 * Append-only, hash-chained audit trail. Each row's hash covers the previous row's hash and its own
 * fields, so editing or deleting a row breaks the chain and `verify()` finds it.
 */
export class AuditService {
  constructor(
    private readonly ds: DataSource,
    private readonly clock: Clock,
  ) {}

  /**
   * Append an entry. Pass the transaction's manager to make it part of that transaction.
   * @example await audit.record({ actorId, actorUsername, action: 'person.read', subjectType: 'person', subjectId, outcome: 'ok' });
   */
  async record(entry: AuditEntry, manager?: EntityManager): Promise<void> {
    const write = async (m: EntityManager) => {
      await m.query('SELECT pg_advisory_xact_lock($1)', [AUDIT_CHAIN_LOCK]);
      const last: { hash: string }[] = await m.query('SELECT hash FROM audit_log ORDER BY id DESC LIMIT 1');
      const prevHash = last[0]?.hash ?? GENESIS;
      const row = m.create(AuditLog, {
        at: this.clock.now(),
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
      row.hash = chainHash(row);
      await m.insert(AuditLog, row);
    };
    if (manager) await write(manager);
    else await this.ds.transaction(write);
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
