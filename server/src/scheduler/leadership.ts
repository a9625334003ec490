import { Client } from 'pg';
import type { Logger } from '../config/logger';

/**
 * Who runs the single-node jobs. `check()` is called before every single-node run and by the scheduler's own
 * heartbeat; it answers whether this node holds the leadership now, taking it when it is free.
 */
export interface Leadership {
  readonly kind: 'embedded' | 'advisory-lock';
  check(): Promise<boolean>;
  /** Whether this node held the leadership at the last check. */
  readonly held: boolean;
  release(): Promise<void>;
}

/** Embedded PGlite is one process (its data directory is locked): this node always leads. */
export class EmbeddedLeadership implements Leadership {
  readonly kind = 'embedded' as const;
  readonly held = true;
  async check(): Promise<boolean> {
    return true;
  }
  async release(): Promise<void> {}
}

/** The advisory-lock key of the scheduler's leadership (any bigint; this one spells "anxin" + 1). */
export const LEADER_LOCK_KEY = '6195616265726901';

/**
 * Leadership by a PostgreSQL session-level advisory lock, held on a connection of its own (outside the
 * pool, so no query of the application can release it by accident). The lock lives as long as the
 * connection: when this process dies — kill -9 included — PostgreSQL drops the connection and the lock, and
 * the next `check()` of another node takes it (the scheduler checks every couple of seconds).
 *
 * A connection that fails is dropped and leadership counts as lost at once; the next check reconnects.
 */
export class AdvisoryLockLeadership implements Leadership {
  readonly kind = 'advisory-lock' as const;
  private client: Client | null = null;
  private holding = false;
  private pending: Promise<boolean> | null = null;

  constructor(
    private readonly url: string,
    private readonly log: Logger,
    /** Advisory locks are per database; tests sharing one database pass keys of their own. */
    private readonly key: string = LEADER_LOCK_KEY,
  ) {}

  get held(): boolean {
    return this.holding;
  }

  check(): Promise<boolean> {
    // One check at a time: the connection serves one query at a time anyway.
    this.pending ??= this.tryHold().finally(() => (this.pending = null));
    return this.pending;
  }

  private async tryHold(): Promise<boolean> {
    try {
      const client = await this.connection();
      if (this.holding) {
        await client.query('SELECT 1'); // still connected means still holding
        return true;
      }
      const { rows } = await client.query<{ ok: boolean }>('SELECT pg_try_advisory_lock($1::bigint) AS ok', [this.key]);
      this.holding = rows[0]?.ok === true;
      if (this.holding) this.log.info('scheduler leadership taken: single-node jobs run here');
      return this.holding;
    } catch (err) {
      this.lost(err);
      return false;
    }
  }

  private async connection(): Promise<Client> {
    if (this.client) return this.client;
    const client = new Client({ connectionString: this.url, application_name: 'anxin-scheduler-leader' });
    client.on('error', (err) => this.lost(err));
    client.on('end', () => this.client === client && this.lost(new Error('leader connection ended')));
    await client.connect();
    this.client = client;
    return client;
  }

  private lost(err: unknown): void {
    if (this.holding) this.log.warn({ err }, 'scheduler leadership lost');
    this.holding = false;
    const client = this.client;
    this.client = null;
    client?.end().catch(() => undefined);
  }

  async release(): Promise<void> {
    await this.pending?.catch(() => undefined);
    const client = this.client;
    this.client = null;
    this.holding = false;
    if (!client) return;
    try {
      await client.query('SELECT pg_advisory_unlock_all()');
    } finally {
      await client.end().catch(() => undefined);
    }
  }
}

/** The leadership for a database: an advisory lock on PostgreSQL, none needed on embedded PGlite. */
export function leadershipFor(ds: { options: object }, kind: 'pglite' | 'postgres', log: Logger): Leadership {
  if (kind === 'pglite') return new EmbeddedLeadership();
  const url = (ds.options as { url?: string }).url;
  if (!url) throw new Error('scheduler: the PostgreSQL data source has no url for the leadership connection');
  return new AdvisoryLockLeadership(url, log);
}
