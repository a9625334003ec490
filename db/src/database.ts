import path from 'node:path';
import type { DataSource } from 'typeorm';
import { createDataSource, migrate } from './data-source';
import { startEmbeddedPostgres, type EmbeddedPostgres } from './embedded-postgres';

export interface Database {
  ds: DataSource;
  kind: 'pglite' | 'postgres';
  /** Migrations applied by this open. */
  applied: string[];
  close(): Promise<void>;
}

/**
 * Open the database the configuration names and bring its schema up to date.
 * `DATABASE_URL` → PostgreSQL 15+; otherwise embedded PGlite under `dataDir/pg` (locked).
 */
export async function openDatabase(opts: { url?: string; dataDir: string; logging?: boolean }): Promise<Database> {
  let embedded: EmbeddedPostgres | null = null;
  let url = opts.url;
  if (!url) {
    embedded = await startEmbeddedPostgres(path.resolve(opts.dataDir));
    url = embedded.url;
  }
  const ds = createDataSource({ url, poolSize: embedded ? 4 : 10, logging: opts.logging });
  try {
    await ds.initialize();
    const applied = await migrate(ds);
    return {
      ds,
      kind: embedded ? 'pglite' : 'postgres',
      applied,
      async close() {
        await ds.destroy();
        await embedded?.close();
      },
    };
  } catch (err) {
    if (ds.isInitialized) await ds.destroy();
    await embedded?.close();
    throw err;
  }
}
