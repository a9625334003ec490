/**
 * Jest global setup (parent process): one database for the whole run, migrated once.
 * - `DATABASE_URL` set → that PostgreSQL database (CI creates a fresh one).
 * - otherwise → PGlite in memory, served on a loopback port by our PgliteServer (no VM-modules flag needed
 *   in the workers: they connect with the ordinary pg driver).
 * Workers read the URL from `ANXIN_TEST_DATABASE_URL`. Each test creates its own data.
 */
import fs from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { Client } from 'pg';
import { createDataSource, migrate } from '../../../db/src/data-source';
import { startEmbeddedPostgres } from '../../../db/src/embedded-postgres';

export default async function globalSetup(): Promise<void> {
  let url = process.env.DATABASE_URL;
  if (!url) {
    const pg = await startEmbeddedPostgres('memory://');
    (globalThis as { __anxinPg?: { close(): Promise<void> } }).__anxinPg = pg;
    url = pg.url;
    process.env.ANXIN_TEST_DB_KIND = 'pglite';
  } else {
    process.env.ANXIN_TEST_DB_KIND = 'postgres';
  }
  const ds = createDataSource({ url, poolSize: 1 });
  await ds.initialize();
  await migrate(ds);
  await ds.destroy();
  process.env.ANXIN_TEST_DATABASE_URL = url;
  // A PostgreSQL server where tests may create databases of their own (several server processes on one
  // PostgreSQL): the one of DATABASE_URL, else the local one when it answers.
  const admin = adminUrl(process.env.DATABASE_URL ?? 'postgres://postgres@127.0.0.1:5432/postgres');
  if (await answers(admin)) process.env.ANXIN_TEST_PG_ADMIN_URL = admin;
  // Lock files of tests that share the recorded AMI fixture rows (see fixture-people.ts).
  process.env.ANXIN_TEST_LOCK_DIR = fs.mkdtempSync(path.join(os.tmpdir(), 'anxin-test-'));
}

function adminUrl(url: string): string {
  const u = new URL(url);
  u.pathname = '/postgres';
  return u.toString();
}

async function answers(url: string): Promise<boolean> {
  const client = new Client({ connectionString: url, connectionTimeoutMillis: 2000 });
  try {
    await client.connect();
    await client.query('SELECT 1');
    return true;
  } catch {
    return false;
  } finally {
    await client.end().catch(() => undefined);
  }
}
