import fs from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { CheckpointFile } from './audit-checkpoints';
import { auditKeysFromSecret, keyedChainHash, legacyChainHash, rowMac, type AuditFields } from './audit-crypto';
import { fieldsOfStored, GENESIS, verifyChain, type StoredRow } from './audit-verify';

/**
 * The chain rules on rows held in memory: the legacy boundary cannot be reached with a fresh test database
 * (its boundary is 0), so these rows are built here the way each era wrote them. The in-memory table answers
 * the two keyset queries verifyChain sends.
 */
const keys = auditKeysFromSecret('anxin-test-data-key-0123456789abcdef');

function table(rows: StoredRow[]) {
  return {
    async query(sql: string, params?: unknown[]): Promise<StoredRow[]> {
      const after = String(params?.[0] ?? '0');
      const sealed = /seq IS NOT NULL/.test(sql);
      return rows
        .filter((r) => (sealed ? r.seq !== null && BigInt(r.seq) > BigInt(after) : r.seq === null && BigInt(r.id) > BigInt(after)))
        .sort((a, b) => Number(BigInt(sealed ? a.seq! : a.id) - BigInt(sealed ? b.seq! : b.id)))
        .slice(0, 1000);
    },
  };
}

function fields(i: number): AuditFields {
  return { at: new Date(Date.UTC(2026, 10, 1, 8, 0, i)), actorId: null, actorUsername: `u${i}`, action: 'person.read', subjectType: 'person', subjectId: `p${i}`, subjects: [`person:p${i}`], purpose: null, outcome: 'ok', ip: null, nonce: null };
}

function stored(id: number, f: AuditFields, chain: { seq: number; prev: string; hash: string } | null, mac: string | null): StoredRow {
  return {
    id: String(id), at: f.at, actor_id: f.actorId, actor_username: f.actorUsername, action: f.action, subject_type: f.subjectType, subject_id: f.subjectId, subjects: [...f.subjects], purpose: f.purpose, outcome: f.outcome, ip: f.ip, nonce: f.nonce, mac,
    seq: chain ? String(chain.seq) : null, prev_hash: chain?.prev ?? null, hash: chain?.hash ?? null,
  };
}

/** Two pre-key rows (old rule, ids with a gap as AuditSeal left them), then keyed rows. */
function history(): StoredRow[] {
  const rows: StoredRow[] = [];
  let prev = GENESIS;
  for (const [id, seq] of [[1, 1], [3, 3]] as const) {
    const f = { ...fields(id), subjects: [] };
    const hash = legacyChainHash(prev, f);
    rows.push(stored(id, f, { seq, prev, hash }, null));
    prev = hash;
  }
  for (let i = 0; i < 3; i++) {
    const f = { ...fields(10 + i), nonce: `${i}`.repeat(32) };
    const mac = rowMac(keys, f);
    const seq = 4 + i;
    const hash = keyedChainHash(keys, prev, String(seq), f, mac);
    rows.push(stored(10 + i, f, { seq, prev, hash }, mac));
    prev = hash;
  }
  return rows;
}

const boundary = { legacySeq: 3n, legacyMaxId: 3n };

describe('verifyChain across the legacy boundary', () => {
  it('when pre-key rows follow the old rule up to the boundary and keyed rows follow it, then the chain holds', async () => {
    expect(await verifyChain(table(history()), keys, boundary, null)).toEqual({ ok: true, checkedRows: 5, checkpointsChecked: 0, unsealedForged: 0 });
  });

  it('when a keyed row is rewritten and re-hashed by the old rule, then it is refused', async () => {
    const rows = history();
    const r = rows[2]!;
    r.purpose = '篡改';
    r.mac = null;
    r.hash = legacyChainHash(r.prev_hash!, fieldsOfStored(r));
    expect(await verifyChain(table(rows), keys, boundary, null)).toMatchObject({ ok: false, firstBrokenSeq: '4', reason: 'row-mac-invalid' });
  });

  it('when a pre-key row is rewritten, then the old rule still finds it', async () => {
    const rows = history();
    rows[0]!.actor_username = 'someone';
    expect(await verifyChain(table(rows), keys, boundary, null)).toMatchObject({ ok: false, firstBrokenSeq: '1', reason: 'hash-mismatch' });
  });

  it('when the boundary is moved later than the checkpoints say, then verify reports it', async () => {
    const file = path.join(os.tmpdir(), `anxin-audit-boundary-${process.pid}-${Date.now()}.jsonl`);
    const rows = history();
    await new CheckpointFile(file, keys).append({ seq: '5', hash: rows[3]!.hash!, at: new Date().toISOString(), legacySeq: '3' });
    expect(await verifyChain(table(rows), keys, boundary, new CheckpointFile(file, keys))).toMatchObject({ ok: true, checkpointsChecked: 1 });
    expect(await verifyChain(table(rows), keys, { legacySeq: 6n, legacyMaxId: 20n }, new CheckpointFile(file, keys))).toMatchObject({ ok: false, reason: 'boundary-moved' });
    fs.rmSync(file, { force: true });
  });

  it('when an unsealed row carries no valid MAC, then it is counted as forged, but a pre-key row still waiting is not', async () => {
    const rows = history();
    rows.push(stored(2, fields(2), null, null)); // pre-key, waiting for the legacy seal
    rows.push(stored(20, fields(20), null, 'ab'.repeat(32)));
    expect(await verifyChain(table(rows), keys, boundary, null)).toMatchObject({ ok: false, reason: 'forged-unsealed', unsealedForged: 1, forgedIds: ['20'] });
  });
});
