/**
 * The embedded server under concurrency, through the real pg driver. On PostgreSQL the same
 * assertions hold, so the test runs on both (on PG it checks our expectations, on PGlite our server).
 */
import { Client } from 'pg';

const url = () => process.env.ANXIN_TEST_DATABASE_URL!;

async function client(): Promise<Client> {
  const c = new Client({ connectionString: url() });
  await c.connect();
  return c;
}

describe('embedded PostgreSQL server', () => {
  it('when many clients run parameterised queries at once, then each gets its own answer', async () => {
    const clients = await Promise.all(Array.from({ length: 8 }, () => client()));
    try {
      const results = (
        await Promise.all(
          clients.map(async (c, i) => {
            const ok: boolean[] = [];
            for (let j = 0; j < 25; j++) {
              const uuid = `00000000-0000-4000-8000-${String(i * 100 + j).padStart(12, '0')}`;
              const r = await c.query('SELECT $1::uuid AS id, $2::text AS phone, $3::int AS n', [uuid, `+86199${i}${j}`, i * j]);
              ok.push(r.rows[0].id === uuid && r.rows[0].phone === `+86199${i}${j}` && r.rows[0].n === i * j);
            }
            return ok;
          }),
        )
      ).flat();
      expect(results).toHaveLength(200);
      expect(results.every(Boolean)).toBe(true);
    } finally {
      await Promise.all(clients.map((c) => c.end()));
    }
  });

  it('when transactions increment one counter concurrently, then no update is lost', async () => {
    const setup = await client();
    const table = `counter_${process.pid}_${Date.now()}`;
    await setup.query(`CREATE TABLE ${table} (id int PRIMARY KEY, n int NOT NULL)`);
    await setup.query(`INSERT INTO ${table} VALUES (1, 0)`);
    const clients = await Promise.all(Array.from({ length: 5 }, () => client()));
    try {
      await Promise.all(
        clients.map(async (c) => {
          for (let k = 0; k < 10; k++) {
            await c.query('BEGIN');
            const { rows } = await c.query(`SELECT n FROM ${table} WHERE id = 1 FOR UPDATE`);
            await new Promise((r) => setImmediate(r));
            await c.query(`UPDATE ${table} SET n = $1 WHERE id = 1`, [rows[0].n + 1]);
            await c.query('COMMIT');
          }
        }),
      );
      const { rows } = await setup.query(`SELECT n FROM ${table} WHERE id = 1`);
      expect(rows[0].n).toBe(50);
    } finally {
      await Promise.all(clients.map((c) => c.end()));
      await setup.query(`DROP TABLE ${table}`);
      await setup.end();
    }
  });

  it('when a client drops inside a transaction, then its work is rolled back and others go on', async () => {
    const a = await client();
    const b = await client();
    const table = `dropped_${process.pid}_${Date.now()}`;
    await b.query(`CREATE TABLE ${table} (v int)`);
    try {
      await a.query('BEGIN');
      await a.query(`INSERT INTO ${table} VALUES (1)`);
      a.on('error', () => undefined);
      (a as unknown as { connection: { stream: { destroy(): void } } }).connection.stream.destroy();
      const { rows } = await b.query(`SELECT count(*)::int AS n FROM ${table}`);
      expect(rows[0].n).toBe(0);
    } finally {
      await b.query(`DROP TABLE ${table}`);
      await b.end();
    }
  });
});
