import fs from 'node:fs';
import path from 'node:path';
import { PGlite } from '@electric-sql/pglite';
import { PgliteServer } from './pglite-server';

export interface EmbeddedPostgres {
  /** postgres:// URL any pg client (TypeORM, psql) can use. */
  url: string;
  close(): Promise<void>;
}

/**
 * Take an exclusive lock on a data directory. A lock left by a process that no longer runs (kill -9)
 * is taken over; a live owner makes this throw, so two servers never open the same PGlite files.
 */
export function lockDataDir(dir: string): () => void {
  fs.mkdirSync(dir, { recursive: true });
  const lockPath = path.join(dir, 'anxin.lock');
  for (let attempt = 0; attempt < 2; attempt++) {
    try {
      const fd = fs.openSync(lockPath, 'wx');
      fs.writeSync(fd, String(process.pid));
      fs.closeSync(fd);
      return () => fs.rmSync(lockPath, { force: true });
    } catch (err) {
      if ((err as NodeJS.ErrnoException).code !== 'EEXIST') throw err;
      const owner = Number(fs.readFileSync(lockPath, 'utf8').trim());
      if (owner && owner !== process.pid && isAlive(owner)) {
        throw new Error(`data directory ${dir} is in use by process ${owner} (lock file ${lockPath})`);
      }
      fs.rmSync(lockPath, { force: true });
    }
  }
  throw new Error(`could not lock ${lockPath}`);
}

function isAlive(pid: number): boolean {
  try {
    process.kill(pid, 0);
    return true;
  } catch (err) {
    return (err as NodeJS.ErrnoException).code === 'EPERM';
  }
}

/**
 * Start PGlite (PostgreSQL compiled to WASM) in this process and serve it on a loopback port, so the
 * normal `pg` driver and TypeORM connect by URL. PGlite is a single session: `PgliteServer` gives it to
 * one client at a time, per protocol pipeline and per open transaction, so transactions are serialized.
 *
 * @param dataDir a directory (persistent, locked) or `memory://` for a throw-away database.
 * @example const pg = await startEmbeddedPostgres('./data/pg'); // pg.url → postgres://…
 */
export async function startEmbeddedPostgres(dataDir: string): Promise<EmbeddedPostgres> {
  const inMemory = dataDir.startsWith('memory://');
  const unlock = inMemory ? () => undefined : lockDataDir(dataDir);
  try {
    const db = await PGlite.create(inMemory ? undefined : path.join(dataDir, 'pg'));
    const server = new PgliteServer(db);
    const port = await server.listen(0);
    return {
      url: `postgres://postgres:postgres@127.0.0.1:${port}/postgres`,
      async close() {
        await server.close();
        await db.close();
        unlock();
      },
    };
  } catch (err) {
    unlock();
    throw err;
  }
}
