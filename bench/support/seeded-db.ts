import { spawnSync } from 'node:child_process';
import path from 'node:path';
import { Client } from 'pg';
import { ROOT } from './processes';

/**
 * Make sure the benchmark database exists and holds `persons` persons of the demo seed; seeds it (once)
 * with the real seeder when not. Refuses to touch any database whose name does not contain "bench".
 */
export async function ensureSeeded(url: string, persons: number): Promise<void> {
  const dbName = new URL(url).pathname.slice(1);
  if (!/bench/.test(dbName)) throw new Error(`refusing to use ${dbName} for benchmarks: its name must contain "bench"`);
  const admin = new URL(url);
  admin.pathname = '/postgres';
  const a = new Client({ connectionString: admin.toString() });
  await a.connect();
  let count = -1;
  try {
    const exists = (await a.query('SELECT 1 FROM pg_database WHERE datname = $1', [dbName])).rowCount;
    if (exists) {
      const c = new Client({ connectionString: url });
      await c.connect();
      count = await c
        .query('SELECT count(*)::int AS n FROM person')
        .then((r) => r.rows[0].n as number)
        .catch(() => -1);
      await c.end();
    }
    if (count === persons) return;
    console.log(`seeding ${dbName} with ${persons.toLocaleString()} persons (once; reused by later runs)…`);
    await a.query(`DROP DATABASE IF EXISTS "${dbName}"`);
    await a.query(`CREATE DATABASE "${dbName}"`);
  } finally {
    await a.end();
  }
  const r = spawnSync(process.execPath, [path.join(ROOT, 'dist/db/src/seed.cli.js'), '--persons', String(persons)], {
    env: { ...process.env, DATABASE_URL: url },
    stdio: 'inherit',
  });
  if (r.status !== 0) throw new Error('seeding failed');
}
