import { createHash } from 'node:crypto';
import fs from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { Writable } from 'node:stream';
import pino from 'pino';
import type { DataSource, EntityManager } from 'typeorm';
import { TEST_DATA_KEY, testDataSource, TestClock, uniq } from '../../test/support/test-app';
import { CheckpointFile } from './audit-checkpoints';
import { auditKeysFromSecret } from './audit-crypto';
import { AuditService, type AuditEntry } from './audit.service';

const keys = auditKeysFromSecret(TEST_DATA_KEY);
let ds: DataSource;
beforeAll(async () => {
  ds = await testDataSource();
});
afterAll(() => ds.destroy());

const tmpFile = () => path.join(os.tmpdir(), `anxin-audit-test-${process.pid}-${uniq()}.jsonl`);

/** A service like the server's: the test key, its own checkpoint file, an optional log to read. */
function service(opts: { log?: pino.Logger; checkpoints?: CheckpointFile | null } = {}): AuditService {
  return new AuditService(ds, new TestClock(), { keys, checkpoints: opts.checkpoints === undefined ? new CheckpointFile(tmpFile(), keys) : opts.checkpoints, log: opts.log });
}

const ROLLBACK = new Error('rolled back on purpose');

/**
 * Tamper as a DBA could (triggers off, sealers held off by the seal lock), check, and roll everything back so
 * the other test files sharing the database never see it.
 */
async function asDba(work: (m: EntityManager) => Promise<void>): Promise<void> {
  await expect(
    ds.transaction(async (m) => {
      await m.query('SELECT pg_advisory_xact_lock(7201001)');
      await m.query('SET LOCAL session_replication_role = replica');
      await work(m);
      throw ROLLBACK;
    }),
  ).rejects.toBe(ROLLBACK);
}

const entry = (tag: string, i: number, extra: Partial<AuditEntry> = {}): AuditEntry => ({ actorId: null, actorUsername: tag, action: 'person.read', subjectType: 'person', subjectId: `s${i}`, outcome: 'ok', ...extra });

async function mine(m: Pick<DataSource, 'query'>, tag: string): Promise<{ id: string; seq: string; hash: string; purpose: string | null }[]> {
  return m.query('SELECT id, seq, hash, purpose FROM audit_log WHERE actor_username = $1 ORDER BY id', [tag]);
}

describe('audit trail: writing and sealing', () => {
  it('when entries are written concurrently, alone and inside transactions, then sealing chains every one of them', async () => {
    const audit = service();
    const tag = `chain-${uniq()}`;
    await Promise.all([
      ...Array.from({ length: 20 }, (_, i) => audit.record(entry(tag, i))),
      ...Array.from({ length: 5 }, (_, i) => ds.transaction((m) => audit.record(entry(tag, 100 + i), m))),
    ]);
    // A transaction that rolls back leaves no entry behind.
    await expect(ds.transaction(async (m) => {
      await audit.record(entry(tag, 999), m);
      throw new Error('rolled back');
    })).rejects.toThrow('rolled back');
    await Promise.all([audit.seal(), audit.seal()]); // concurrent seals share one run
    const rows = await mine(ds, tag);
    expect(rows).toHaveLength(25);
    expect(rows.every((r) => r.seq !== null)).toBe(true);
    const chain: { seq: string; prev_hash: string; hash: string }[] = await ds.query('SELECT seq, prev_hash, hash FROM audit_log WHERE seq IS NOT NULL ORDER BY seq');
    for (let i = 1; i < chain.length; i++) {
      expect(BigInt(chain[i]!.seq)).toBe(BigInt(chain[i - 1]!.seq) + 1n);
      expect(chain[i]!.prev_hash).toBe(chain[i - 1]!.hash);
    }
    expect(await audit.verify()).toMatchObject({ ok: true, unsealedForged: 0 });
  });

  it('when 300 entries share a group commit and one of them makes its INSERT fail, then only that one fails', async () => {
    const audit = service();
    const tag = `batch-${uniq()}`;
    const fn = `anxin_test_poison_${uniq()}`;
    // A database-side failure for exactly one row (sanitizing cannot prevent every failure: this is the fallback).
    await ds.query(`CREATE FUNCTION ${fn}() RETURNS trigger LANGUAGE plpgsql AS $$ BEGIN IF NEW.purpose = 'poison-${tag}' THEN RAISE EXCEPTION 'poisoned'; END IF; RETURN NEW; END $$`);
    await ds.query(`CREATE TRIGGER ${fn} BEFORE INSERT ON audit_log FOR EACH ROW EXECUTE FUNCTION ${fn}()`);
    try {
      const results = await Promise.allSettled(Array.from({ length: 300 }, (_, i) => audit.record(entry(tag, i, { purpose: i === 150 ? `poison-${tag}` : '回访' }))));
      expect(results.filter((r) => r.status === 'rejected')).toHaveLength(1);
      expect(results[150]!.status).toBe('rejected');
    } finally {
      await ds.query(`DROP TRIGGER ${fn} ON audit_log`);
      await ds.query(`DROP FUNCTION ${fn}()`);
    }
    expect(await mine(ds, tag)).toHaveLength(299);
  });

  it('when an entry holds control characters and oversized fields, then it is stored escaped and cut to its columns, and seals', async () => {
    const audit = service();
    const tag = `text-${uniq()}`;
    await audit.record(entry(tag, 0, { purpose: `a\u0000b\u001b[31m${'长'.repeat(300)}`, action: `person.read\u0000${'x'.repeat(100)}`, subjects: [{ type: 'person', id: `\u0007${'y'.repeat(200)}` }], ip: '1'.repeat(100) }));
    const [row] = await ds.query('SELECT action, purpose, subjects, ip FROM audit_log WHERE actor_username = $1', [tag]);
    expect(row.purpose.startsWith('a\\u0000b\\u001b[31m长')).toBe(true);
    expect(Array.from(row.purpose as string)).toHaveLength(200);
    expect(row.action).toHaveLength(40);
    expect(row.subjects[1]).toHaveLength(80);
    expect(row.ip).toHaveLength(64);
    await audit.seal();
    expect((await mine(ds, tag))[0]!.seq).not.toBeNull();
  });
});

describe('audit trail: the database refuses changes', () => {
  it('when anyone, even the owner, updates, deletes or truncates audit_log, then the database refuses', async () => {
    const audit = service();
    const tag = `append-${uniq()}`;
    await audit.record(entry(tag, 0, { purpose: '核对' }));
    await audit.seal();
    const [row] = await mine(ds, tag);
    await expect(ds.query("UPDATE audit_log SET purpose = '篡改' WHERE id = $1", [row!.id])).rejects.toThrow(/append-only/);
    await expect(ds.query('UPDATE audit_log SET seq = NULL, prev_hash = NULL, hash = NULL WHERE id = $1', [row!.id])).rejects.toThrow(/append-only/);
    await expect(ds.query('UPDATE audit_log SET hash = $2 WHERE id = $1', [row!.id, '0'.repeat(64)])).rejects.toThrow(/append-only/);
    await expect(ds.query('DELETE FROM audit_log WHERE id = $1', [row!.id])).rejects.toThrow(/append-only/);
    await expect(ds.query('UPDATE audit_chain_boundary SET legacy_seq = legacy_seq + 1000')).rejects.toThrow(/append-only/);
    await expect(ds.transaction(async (m) => {
      await m.query('TRUNCATE audit_log');
    })).rejects.toThrow(/append-only/);
    expect(await mine(ds, tag)).toEqual([row]);
  });

  it('when an unsealed row is updated other than by sealing, then the database refuses', async () => {
    const tag = `unsealed-${uniq()}`;
    await asDba(async (m) => {
      await m.query('SET LOCAL session_replication_role = origin'); // triggers on again, inside the same transaction
      await m.query("INSERT INTO audit_log (at, actor_username, action, outcome) VALUES (now(), $1, 'person.read', 'ok')", [tag]);
      const [row] = await mine(m, tag);
      await expect(m.query("UPDATE audit_log SET seq = 999999999, prev_hash = 'a', hash = 'b', purpose = 'x' WHERE id = $1", [row!.id])).rejects.toThrow(/append-only/);
    });
  });
});

describe('audit trail: tampering is found', () => {
  it('when a sealed row is rewritten and every later hash recomputed without the key, then verify() names the row', async () => {
    const audit = service();
    const tag = `rewrite-${uniq()}`;
    for (let i = 0; i < 3; i++) await audit.record(entry(tag, i, { action: 'person.reveal', purpose: '核对' }));
    await audit.seal();
    const rows = await mine(ds, tag);
    await asDba(async (m) => {
      await m.query("UPDATE audit_log SET purpose = '篡改' WHERE id = $1", [rows[1]!.id]);
      // The forger recomputes the chain from that row on, with the only hash they can make (no key).
      const later: Record<string, any>[] = await m.query('SELECT * FROM audit_log WHERE seq >= $1 ORDER BY seq', [rows[1]!.seq]);
      let prev: string = (await m.query('SELECT hash FROM audit_log WHERE seq = $1', [String(BigInt(rows[1]!.seq) - 1n)]))[0].hash;
      for (const r of later) {
        const hash = createHash('sha256').update(`${prev}|${r.id}|${r.purpose}`).digest('hex');
        await m.query('UPDATE audit_log SET prev_hash = $2, hash = $3 WHERE id = $1', [r.id, prev, hash]);
        prev = hash;
      }
      expect(await audit.verify({ manager: m, seal: false })).toMatchObject({ ok: false, firstBrokenSeq: rows[1]!.seq, reason: 'row-mac-invalid' });
    });
    expect(await audit.verify()).toMatchObject({ ok: true });
  });

  it('when a sealed row is deleted, then verify() names the position of the gap', async () => {
    const audit = service();
    const tag = `gap-${uniq()}`;
    for (let i = 0; i < 3; i++) await audit.record(entry(tag, i));
    await audit.seal();
    const rows = await mine(ds, tag);
    await asDba(async (m) => {
      await m.query('DELETE FROM audit_log WHERE id = $1', [rows[1]!.id]);
      expect(await audit.verify({ manager: m, seal: false })).toMatchObject({ ok: false, firstBrokenSeq: rows[2]!.seq, reason: 'seq-gap' });
    });
  });

  it('when the newest rows are deleted, then the signed checkpoint outside the database shows it', async () => {
    const file = tmpFile();
    const checkpoints = new CheckpointFile(file, keys);
    const logged: string[] = [];
    const log = pino({ level: 'info' }, new Writable({ write: (chunk, _enc, done) => (logged.push(String(chunk)), done()) }));
    const audit = service({ checkpoints, log });
    const tag = `newest-${uniq()}`;
    for (let i = 0; i < 3; i++) await audit.record(entry(tag, i));
    await audit.seal(); // the first seal of a service writes a checkpoint at once
    const lines = fs.readFileSync(file, 'utf8').trim().split('\n').map((l) => JSON.parse(l));
    expect(lines.length).toBeGreaterThanOrEqual(1);
    const head = lines[lines.length - 1];
    expect(head).toEqual({ seq: expect.stringMatching(/^\d+$/), hash: expect.stringMatching(/^[0-9a-f]{64}$/), at: expect.any(String), legacySeq: expect.any(String), sig: expect.stringMatching(/^[0-9a-f]{64}$/) });
    // … and the same checkpoint is in the log (info), for log shipping off the host.
    expect(logged.map((l) => JSON.parse(l)).find((l) => l.msg === 'audit checkpoint')).toMatchObject({ level: 30, auditCheckpoint: head });
    await asDba(async (m) => {
      await m.query('DELETE FROM audit_log WHERE seq >= $1', [String(BigInt(head.seq) - 1n)]);
      // Without the checkpoint the shortened chain is self-consistent …
      expect(await service({ checkpoints: null }).verify({ manager: m, seal: false })).toMatchObject({ ok: true });
      // … with it, the missing position is named.
      expect(await audit.verify({ manager: m, seal: false })).toMatchObject({ ok: false, firstBrokenSeq: head.seq, reason: 'checkpoint-missing' });
    });
    expect(await audit.verify()).toMatchObject({ ok: true, checkpointsChecked: lines.length });
  });

  it('when a checkpoint line is altered, then verify() reports its signature', async () => {
    const file = tmpFile();
    const audit = service({ checkpoints: new CheckpointFile(file, keys) });
    await audit.record(entry(`cp-${uniq()}`, 0));
    await audit.seal();
    const [line] = fs.readFileSync(file, 'utf8').trim().split('\n').map((l) => JSON.parse(l));
    fs.writeFileSync(file, `${JSON.stringify({ ...line, hash: 'f'.repeat(64) })}\n`);
    expect(await audit.verify()).toMatchObject({ ok: false, reason: 'checkpoint-signature' });
  });

  it('when a back-dated row is inserted behind the server, then the sealer refuses it, logs tampering, and verify() reports it', async () => {
    const logged: string[] = [];
    const log = pino({ level: 'info' }, new Writable({ write: (chunk, _enc, done) => (logged.push(String(chunk)), done()) }));
    const audit = service({ log });
    const tag = `forged-${uniq()}`;
    await audit.record(entry(tag, 0));
    await ds.transaction(async (m) => {
      await m.query('SELECT pg_advisory_xact_lock(7201001)');
      const [forged] = await m.query(
        "INSERT INTO audit_log (at, actor_username, action, subject_type, subject_id, outcome, nonce, mac) VALUES (now() - interval '30 days', $1, 'person.read', 'person', 'x', 'ok', $2, $3) RETURNING id",
        [tag, 'ab'.repeat(16), 'cd'.repeat(32)],
      );
      await audit.seal(m);
      const rows = await mine(m, tag);
      expect(rows.find((r) => r.id === forged.id)!.seq).toBeNull();
      expect(rows.find((r) => r.id !== forged.id)!.seq).not.toBeNull();
      const result = await audit.verify({ manager: m, seal: false });
      expect(result).toMatchObject({ ok: false, reason: 'forged-unsealed' });
      expect(result.unsealedForged).toBeGreaterThanOrEqual(1);
      expect(result.forgedIds).toContain(forged.id);
      expect(logged.some((l) => l.includes('AUDIT TAMPERING') && l.includes(`"auditId":"${forged.id}"`) && l.includes('"level":50'))).toBe(true);
      throw ROLLBACK;
    }).catch((e) => expect(e).toBe(ROLLBACK));
  });
});

describe('audit trail: verify streams', () => {
  it('when the log holds thousands of rows, then verify() walks them in pages and finds a break deep in the chain', async () => {
    const audit = service();
    const tag = `bulk-${uniq()}`;
    await Promise.all(Array.from({ length: 3000 }, (_, i) => audit.record(entry(tag, i))));
    await audit.seal();
    const ok = await audit.verify();
    expect(ok).toMatchObject({ ok: true });
    expect(ok.checkedRows).toBeGreaterThanOrEqual(3000);
    const rows = await mine(ds, tag);
    const victim = rows[2600]!;
    await asDba(async (m) => {
      await m.query("UPDATE audit_log SET subjects = ARRAY['person:someone-else']::varchar[] WHERE id = $1", [victim.id]);
      expect(await audit.verify({ manager: m, seal: false })).toMatchObject({ ok: false, firstBrokenSeq: victim.seq, reason: 'row-mac-invalid' });
    });
  }, 60_000);
});
