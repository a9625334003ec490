import type { DataSource, EntityManager } from 'typeorm';

/**
 * Named (prepared) statements for the alarm path.
 *
 * Why: PGlite (PostgreSQL in WASM) spends most of a small statement's time parsing and planning it; a
 * prepared statement is planned once per connection and then costs a fifth (measured: 0.65 ms → 0.10 ms
 * for the person/open-SOS read). On PostgreSQL it also helps, a little. TypeORM has no prepared
 * statements, so this talks to the transaction's own `pg` client — same connection, same transaction, so
 * PGlite's one-session rule holds.
 *
 * Names are made unique per `pg` connection and process: embedded PGlite serves every connection from ONE
 * backend session, where statement names would otherwise collide. (Behind PgBouncer in transaction mode, turn
 * prepared statements off: `PreparedStatements.enabled = false`.)
 */
interface PgClient {
  query(config: { name?: string; text: string; values: unknown[] }): Promise<{ rows: unknown[] }>;
}

const connectionIds = new WeakMap<object, number>();
let nextConnectionId = 0;
/** Other processes may share the embedded session too (a CLI, test workers): names carry this process's tag. */
const PROCESS_TAG = `${process.pid.toString(36)}${Math.floor(Math.random() * 36 ** 4).toString(36)}`;

export const PreparedStatements = { enabled: true };

function clientOf(m: EntityManager): PgClient | null {
  const client = (m.queryRunner as unknown as { databaseConnection?: PgClient } | undefined)?.databaseConnection;
  return client && typeof client.query === 'function' ? client : null;
}

/**
 * Run `text` as the named statement `name` on the transaction's connection (plain `m.query` when there is
 * none). Same rows as `m.query` for SELECT / INSERT … RETURNING / WITH … SELECT.
 * @example const rows = await prepared<{ id: string }>(m, 'alarm_device', 'SELECT id FROM device WHERE serial = $1', [serial]);
 */
export async function prepared<T>(m: EntityManager, name: string, text: string, values: unknown[]): Promise<T[]> {
  const client = PreparedStatements.enabled ? clientOf(m) : null;
  if (!client) return m.query(text, values);
  let id = connectionIds.get(client);
  if (id === undefined) connectionIds.set(client, (id = ++nextConnectionId));
  const result = await client.query({ name: `anxin_${name}_${PROCESS_TAG}_${id}`, text, values });
  return result.rows as T[];
}

/** A prepared read outside any transaction: borrows a connection for the one statement. */
export async function preparedRead<T>(ds: DataSource, name: string, text: string, values: unknown[]): Promise<T[]> {
  const runner = ds.createQueryRunner();
  try {
    await runner.connect();
    return await prepared<T>(runner.manager, name, text, values);
  } finally {
    await runner.release();
  }
}
