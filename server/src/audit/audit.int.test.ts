import type { DataSource } from 'typeorm';
import { testDataSource, TestClock } from '../../test/support/test-app';
import { AuditService } from './audit.service';

let ds: DataSource;
beforeAll(async () => {
  ds = await testDataSource();
});
afterAll(() => ds.destroy());

describe('audit trail', () => {
  it('when entries are written concurrently, alone and inside transactions, then sealing chains every one of them', async () => {
    const audit = new AuditService(ds, new TestClock());
    const entry = (i: number) => ({ actorId: null, actorUsername: 'chain-test', action: 'person.read', subjectType: 'person', subjectId: `s${i}`, outcome: 'ok' as const });
    await Promise.all([
      ...Array.from({ length: 20 }, (_, i) => audit.record(entry(i))),
      ...Array.from({ length: 5 }, (_, i) => ds.transaction((m) => audit.record(entry(100 + i), m))),
    ]);
    // A transaction that rolls back leaves no entry behind.
    await expect(ds.transaction(async (m) => {
      await audit.record(entry(999), m);
      throw new Error('rolled back');
    })).rejects.toThrow('rolled back');
    await Promise.all([audit.seal(), audit.seal()]); // concurrent seals share one run
    const mine: { seq: string | null }[] = await ds.query("SELECT seq FROM audit_log WHERE actor_username = 'chain-test'");
    expect(mine).toHaveLength(25);
    expect(mine.every((r) => r.seq !== null)).toBe(true);
    const rows: { seq: string; prev_hash: string; hash: string }[] = await ds.query('SELECT seq, prev_hash, hash FROM audit_log WHERE seq IS NOT NULL ORDER BY seq');
    for (let i = 1; i < rows.length; i++) {
      expect(BigInt(rows[i]!.seq)).toBe(BigInt(rows[i - 1]!.seq) + 1n);
      expect(rows[i]!.prev_hash).toBe(rows[i - 1]!.hash);
    }
  });

  it('when a sealed row is deleted, then verify() names the row after the gap', async () => {
    const audit = new AuditService(ds, new TestClock());
    await audit.record({ actorId: null, actorUsername: 'delete-test', action: 'person.read', subjectId: 'a', outcome: 'ok' });
    await audit.record({ actorId: null, actorUsername: 'delete-test', action: 'person.read', subjectId: 'b', outcome: 'ok' });
    await audit.seal();
    const [a, b] = await ds.query("SELECT * FROM audit_log WHERE actor_username = 'delete-test' ORDER BY seq");
    await ds.query('DELETE FROM audit_log WHERE id = $1', [a.id]);
    try {
      expect(await audit.verify()).toBe(String(b.id));
    } finally {
      await ds.query('INSERT INTO audit_log (id, at, actor_id, actor_username, action, subject_type, subject_id, purpose, outcome, ip, seq, prev_hash, hash) VALUES ($1,$2,$3,$4,$5,$6,$7,$8,$9,$10,$11,$12,$13)',
        [a.id, a.at, a.actor_id, a.actor_username, a.action, a.subject_type, a.subject_id, a.purpose, a.outcome, a.ip, a.seq, a.prev_hash, a.hash]);
    }
    expect(await audit.verify()).toBeNull();
  });

  it('when a sealed row is edited afterwards, then verify() names it', async () => {
    const audit = new AuditService(ds, new TestClock());
    await audit.record({ actorId: null, actorUsername: 'tamper-test', action: 'person.reveal', subjectType: 'person', subjectId: 'x', purpose: '核对', outcome: 'ok' });
    await audit.record({ actorId: null, actorUsername: 'tamper-test', action: 'person.read', outcome: 'ok' });
    await audit.seal();
    const [row] = await ds.query("SELECT id FROM audit_log WHERE actor_username = 'tamper-test' AND action = 'person.reveal' ORDER BY id DESC LIMIT 1");
    try {
      await ds.query("UPDATE audit_log SET purpose = '篡改' WHERE id = $1", [row.id]);
      expect(await audit.verify()).toBe(String(row.id));
    } finally {
      await ds.query("UPDATE audit_log SET purpose = '核对' WHERE id = $1", [row.id]);
    }
    expect(await audit.verify()).toBeNull();
  });
});
