import type { DataSource } from 'typeorm';
import { testDataSource, TestClock } from '../../test/support/test-app';
import { AuditService } from './audit.service';

let ds: DataSource;
beforeAll(async () => {
  ds = await testDataSource();
});
afterAll(() => ds.destroy());

describe('audit trail', () => {
  it('when entries are written concurrently, then they still form one unbroken chain', async () => {
    const audit = new AuditService(ds, new TestClock());
    await Promise.all(Array.from({ length: 20 }, (_, i) => audit.record({ actorId: null, actorUsername: 'chain-test', action: 'person.read', subjectType: 'person', subjectId: `s${i}`, outcome: 'ok' })));
    const rows: { prev_hash: string; hash: string }[] = await ds.query('SELECT prev_hash, hash FROM audit_log ORDER BY id');
    for (let i = 1; i < rows.length; i++) expect(rows[i].prev_hash).toBe(rows[i - 1].hash);
  });

  it('when a row is edited afterwards, then verify() names it', async () => {
    const audit = new AuditService(ds, new TestClock());
    await audit.record({ actorId: null, actorUsername: 'tamper-test', action: 'person.reveal', subjectType: 'person', subjectId: 'x', purpose: '核对', outcome: 'ok' });
    await audit.record({ actorId: null, actorUsername: 'tamper-test', action: 'person.read', outcome: 'ok' });
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
