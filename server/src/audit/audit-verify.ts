import { keyedChainHash, legacyChainHash, rowMac, sameDigest, type AuditFields, type AuditKeys } from './audit-crypto';
import type { AuditCheckpoint, CheckpointFile } from './audit-checkpoints';

export const GENESIS = '0'.repeat(64);
/** Rows read per page: verify never holds more than this many rows of the log. */
const PAGE = 1000;
const MAX_FORGED_IDS = 20;

export type VerifyReason =
  | 'seq-gap'
  | 'prev-hash-mismatch'
  | 'hash-mismatch'
  | 'row-mac-invalid'
  | 'checkpoint-mismatch'
  | 'checkpoint-missing'
  | 'checkpoint-signature'
  | 'boundary-moved'
  | 'forged-unsealed';

export interface VerifyResult {
  ok: boolean;
  /** Sealed rows walked. */
  checkedRows: number;
  /** Chain position of the first row (or checkpoint) that does not hold. */
  firstBrokenSeq?: string;
  reason?: VerifyReason;
  /** Checkpoints of the file compared with the table. */
  checkpointsChecked: number;
  /** Unsealed rows whose MAC does not verify: written by someone without the key (refused by the sealer). */
  unsealedForged: number;
  /** Ids of the first few of them. */
  forgedIds?: string[];
}

/** Where the keyed chain starts: rows up to `legacySeq` were sealed under the old SHA-256 rule. */
export interface ChainBoundary {
  legacySeq: bigint;
  legacyMaxId: bigint;
}

/** What verify reads through: a DataSource or a transaction's EntityManager. */
export interface Queryable {
  query(sql: string, params?: unknown[]): Promise<any>;
}

export interface StoredRow {
  id: string;
  at: Date;
  actor_id: string | null;
  actor_username: string | null;
  action: string;
  subject_type: string | null;
  subject_id: string | null;
  subjects: string[] | null;
  purpose: string | null;
  outcome: string;
  ip: string | null;
  nonce: string | null;
  mac: string | null;
  seq: string | null;
  prev_hash: string | null;
  hash: string | null;
}

export const ROW_COLUMNS = 'id, at, actor_id, actor_username, action, subject_type, subject_id, subjects, purpose, outcome, ip, nonce, mac, seq, prev_hash, hash';

/** The covered fields of a stored row. */
export function fieldsOfStored(r: StoredRow): AuditFields {
  return {
    at: r.at,
    actorId: r.actor_id,
    actorUsername: r.actor_username,
    action: r.action,
    subjectType: r.subject_type,
    subjectId: r.subject_id,
    subjects: r.subjects ?? [],
    purpose: r.purpose,
    outcome: r.outcome,
    ip: r.ip,
    nonce: r.nonce,
  };
}

/** Whether a stored row carries the MAC only the key's holder could have made. */
export function macHolds(keys: AuditKeys, r: StoredRow): boolean {
  return r.mac !== null && sameDigest(r.mac, rowMac(keys, fieldsOfStored(r)));
}

/**
 * Walk the sealed chain in pages of {@link PAGE} rows by `seq`, comparing each checkpoint of the file as its
 * position passes, then count the unsealed rows whose MAC fails. Stops the walk at the first broken row.
 */
export async function verifyChain(q: Queryable, keys: AuditKeys, boundary: ChainBoundary, checkpoints: CheckpointFile | null): Promise<VerifyResult> {
  const cps = checkpoints ? checkpoints.read()[Symbol.asyncIterator]() : null;
  let checkpointsChecked = 0;
  let broken: { seq: string; reason: VerifyReason } | null = null;
  let cp: AuditCheckpoint | null = null;
  const nextCheckpoint = async (): Promise<void> => {
    cp = null;
    if (!cps || broken) return;
    const step = await cps.next();
    if (step.done) return;
    const { checkpoint, valid } = step.value;
    if (!valid) broken = { seq: /^\d+$/.test(String(checkpoint?.seq)) ? String(checkpoint.seq) : '0', reason: 'checkpoint-signature' };
    else if (BigInt(checkpoint.legacySeq) !== boundary.legacySeq) broken = { seq: checkpoint.seq, reason: 'boundary-moved' };
    else cp = checkpoint;
  };
  await nextCheckpoint();

  let checkedRows = 0;
  let prev = GENESIS;
  let prevSeq: bigint | null = null;
  let after = '0';
  walk: while (!broken) {
    const page: StoredRow[] = await q.query(`SELECT ${ROW_COLUMNS} FROM audit_log WHERE seq IS NOT NULL AND seq > $1 ORDER BY seq LIMIT ${PAGE}`, [after]);
    for (const row of page) {
      const seq = BigInt(row.seq!);
      while (cp && BigInt((cp as AuditCheckpoint).seq) < seq) {
        broken = { seq: (cp as AuditCheckpoint).seq, reason: 'checkpoint-missing' }; // a signed position the table no longer has
        break walk;
      }
      checkedRows++;
      const fields = fieldsOfStored(row);
      if (seq <= boundary.legacySeq) {
        if (row.prev_hash !== prev) broken = { seq: row.seq!, reason: 'prev-hash-mismatch' };
        else if (row.hash !== legacyChainHash(prev, fields)) broken = { seq: row.seq!, reason: 'hash-mismatch' };
      } else {
        const expected: bigint = prevSeq !== null && prevSeq > boundary.legacySeq ? prevSeq + 1n : boundary.legacySeq + 1n;
        if (seq !== expected) broken = { seq: row.seq!, reason: 'seq-gap' };
        else if (!macHolds(keys, row)) broken = { seq: row.seq!, reason: 'row-mac-invalid' };
        else if (row.prev_hash !== prev) broken = { seq: row.seq!, reason: 'prev-hash-mismatch' };
        else if (!sameDigest(row.hash, keyedChainHash(keys, prev, row.seq!, fields, row.mac!))) broken = { seq: row.seq!, reason: 'hash-mismatch' };
      }
      if (broken) break walk;
      if (cp && BigInt((cp as AuditCheckpoint).seq) === seq) {
        checkpointsChecked++;
        if ((cp as AuditCheckpoint).hash !== row.hash) {
          broken = { seq: row.seq!, reason: 'checkpoint-mismatch' };
          break walk;
        }
        await nextCheckpoint();
        while (cp && BigInt((cp as AuditCheckpoint).seq) === seq) {
          // Several checkpoints of one position (nothing sealed in between).
          checkpointsChecked++;
          if ((cp as AuditCheckpoint).hash !== row.hash) {
            broken = { seq: row.seq!, reason: 'checkpoint-mismatch' };
            break walk;
          }
          await nextCheckpoint();
        }
        if (broken) break walk;
      }
      prev = row.hash!;
      prevSeq = seq;
      after = row.seq!;
    }
    if (page.length < PAGE) break;
  }
  // A checkpoint beyond the last row: the newest rows were deleted.
  if (!broken && cp) broken = { seq: (cp as AuditCheckpoint).seq, reason: 'checkpoint-missing' };

  const forged = await countForged(q, keys, boundary);
  if (!broken && forged.count > 0) broken = { seq: '0', reason: 'forged-unsealed' };
  return {
    ok: !broken,
    checkedRows,
    ...(broken ? { firstBrokenSeq: broken.seq === '0' ? undefined : broken.seq, reason: broken.reason } : {}),
    checkpointsChecked,
    unsealedForged: forged.count,
    ...(forged.ids.length ? { forgedIds: forged.ids } : {}),
  };
}

/** Unsealed rows (keyset pages by id) whose MAC fails; pre-key rows still waiting for the legacy seal do not count. */
async function countForged(q: Queryable, keys: AuditKeys, boundary: ChainBoundary): Promise<{ count: number; ids: string[] }> {
  let count = 0;
  const ids: string[] = [];
  let after = '0';
  for (;;) {
    const page: StoredRow[] = await q.query(`SELECT ${ROW_COLUMNS} FROM audit_log WHERE seq IS NULL AND id > $1 ORDER BY id LIMIT ${PAGE}`, [after]);
    for (const row of page) {
      after = row.id;
      if (row.mac === null && BigInt(row.id) <= boundary.legacyMaxId) continue;
      if (macHolds(keys, row)) continue;
      count++;
      if (ids.length < MAX_FORGED_IDS) ids.push(row.id);
    }
    if (page.length < PAGE) return { count, ids };
  }
}
