import schedule from 'node-schedule';
import type { DataSource } from 'typeorm';
import type { Logger } from '../config/logger';
import { AppError } from '../shared/app-error';
import { systemClock, type Clock } from '../shared/clock';
import { everySeconds, periodOf } from './cadence';
import type { Leadership } from './leadership';

/** A recurring job as its module registers it. */
export interface JobDefinition {
  /** Unique, kebab-case: `sos-escalation`, `outbox`. */
  name: string;
  /** node-schedule cron spec with seconds (see `everySeconds`). */
  spec: string;
  /** Runs only on the node that holds the leadership (several nodes on one PostgreSQL). */
  singleNode: boolean;
  /**
   * A domain timer (SOS escalation, outbox, sealing …): off when the process runs without background jobs
   * (`BACKGROUND_JOBS=off`, the default under tests). Node duties such as the session sweep say `false`.
   */
  background?: boolean;
  run(): Promise<unknown>;
}

export type JobState = 'idle' | 'running' | 'standby' | 'off';

/** What health shows of a job on one node. */
export interface JobStatus {
  name: string;
  node: string;
  spec: string;
  singleNode: boolean;
  state: JobState;
  lastStartedAt: string | null;
  lastFinishedAt: string | null;
  lastOkAt: string | null;
  lastErrorAt: string | null;
  /** The kind of the last error (an AppError code or the error's class), never its message. */
  lastError: string | null;
  lastDurationMs: number | null;
  /** How late the last run started after its scheduled instant. */
  lagMs: number | null;
  runs: number;
  failures: number;
  /** Ticks skipped because the previous run was still going. */
  overlapsSkipped: number;
  /** Should have run here but has not for three periods. */
  overdue: boolean;
}

export interface SchedulerOptions {
  nodeId: string;
  backgroundJobs: boolean;
  /** How often leadership is checked or taken (a dead leader's jobs move within about this long). */
  leadershipSeconds?: number;
  /** How often this node writes its jobs' status to `scheduler_job_state`. */
  persistSeconds?: number;
  clock?: Clock;
}

interface Entry {
  def: Required<JobDefinition>;
  job: schedule.Job | null;
  running: Promise<void> | null;
  status: JobStatus;
}

/**
 * The one scheduler of a server node. Every recurring job registers here with a name, a cadence and whether
 * it must run on one node only; node-schedule ticks in-process, the work itself keeps its state in
 * PostgreSQL (due-time columns claimed with SKIP LOCKED), so a restart loses nothing and a tick fires nothing
 * twice. Runs of one job never overlap on a node. Single-node jobs run only where the leadership
 * ({@link Leadership}: a PostgreSQL advisory lock, or always in embedded mode) is held; another node takes it
 * within `leadershipSeconds` when the leader dies. Each node's job status is written to `scheduler_job_state`
 * for health.
 *
 * @example
 * const scheduler = new Scheduler(ds, leadership, log, { nodeId: 'web-1', backgroundJobs: true });
 * scheduler.register({ name: 'outbox', spec: everySeconds(5), singleNode: false, run: () => worker.kick() });
 * scheduler.start();
 */
export class Scheduler {
  private readonly entries = new Map<string, Entry>();
  private readonly internal: schedule.Job[] = [];
  private started = false;
  private startedAt = 0;
  private readonly clock: Clock;

  constructor(
    private readonly ds: DataSource,
    private readonly leadership: Leadership,
    private readonly log: Logger,
    private readonly opts: SchedulerOptions,
  ) {
    this.clock = opts.clock ?? systemClock;
  }

  get nodeId(): string {
    return this.opts.nodeId;
  }

  /** Whether single-node jobs run here now. */
  get leader(): boolean {
    return this.leadership.held;
  }

  register(definition: JobDefinition): void {
    const def = { background: true, ...definition };
    if (this.entries.has(def.name)) throw new Error(`scheduler: job ${def.name} registered twice`);
    if (!/^[a-z][a-z0-9-]{1,62}$/.test(def.name)) throw new Error(`scheduler: bad job name ${JSON.stringify(def.name)}`);
    const probe = schedule.scheduleJob(def.spec, () => undefined);
    if (!probe) throw new Error(`scheduler: job ${def.name} has an invalid cron spec ${JSON.stringify(def.spec)}`);
    probe.cancel();
    const entry: Entry = { def, job: null, running: null, status: this.emptyStatus(def) };
    this.entries.set(def.name, entry);
    if (this.started) this.schedule(entry);
  }

  start(): void {
    if (this.started) return;
    this.started = true;
    this.startedAt = this.clock.now().getTime();
    const check = () => void this.leadership.check().catch((err) => this.log.warn({ err }, 'scheduler leadership check failed'));
    check();
    this.internal.push(schedule.scheduleJob(everySeconds(this.opts.leadershipSeconds ?? 2), check));
    this.internal.push(schedule.scheduleJob(everySeconds(this.opts.persistSeconds ?? 10), () => void this.persist()));
    for (const entry of this.entries.values()) this.schedule(entry);
  }

  /** Stop ticking, wait for runs in progress, write the last status and give up the leadership. */
  async stop(): Promise<void> {
    if (!this.started) return;
    this.started = false;
    for (const job of this.internal.splice(0)) job.cancel();
    for (const entry of this.entries.values()) {
      entry.job?.cancel();
      entry.job = null;
    }
    await Promise.all([...this.entries.values()].map((e) => e.running));
    await this.persist();
    await this.leadership.release().catch((err) => this.log.warn({ err }, 'scheduler leadership release failed'));
  }

  /** Run a job now on this node (tests, operators), with the same no-overlap rule. */
  async runNow(name: string): Promise<void> {
    const entry = this.entries.get(name);
    if (!entry) throw new Error(`scheduler: no job ${name}`);
    await this.fire(entry, this.clock.now());
  }

  /** This node's jobs, as they stand now. */
  status(): JobStatus[] {
    const now = this.clock.now().getTime();
    return [...this.entries.values()].map((e) => ({ ...e.status, state: this.stateOf(e), overdue: this.isOverdue(e, now) }));
  }

  /** Every node's jobs: this node's live status and the others' last written rows (fresh within 5 minutes). */
  async statusAll(): Promise<JobStatus[]> {
    const mine = this.status();
    const rows: StateRow[] = await this.ds.query(
      `SELECT name, node_id, spec, single_node, state, last_started_at, last_finished_at, last_ok_at, last_error_at, last_error,
              last_duration_ms, lag_ms, runs, failures, overlaps_skipped, overdue
         FROM scheduler_job_state WHERE node_id <> $1 AND updated_at > now() - interval '5 minutes' ORDER BY name, node_id`,
      [this.opts.nodeId],
    );
    return [...mine, ...rows.map(fromRow)];
  }

  private schedule(entry: Entry): void {
    if (entry.def.background && !this.opts.backgroundJobs) return;
    entry.job = schedule.scheduleJob(entry.def.name, entry.def.spec, (fireDate: Date) => void this.fire(entry, fireDate));
  }

  private fire(entry: Entry, fireDate: Date): Promise<void> {
    const s = entry.status;
    if (entry.running) {
      s.overlapsSkipped++;
      return entry.running;
    }
    if (entry.def.singleNode && !this.leadership.held) return Promise.resolve();
    const started = this.clock.now();
    s.lastStartedAt = started.toISOString();
    s.lagMs = Math.max(0, started.getTime() - fireDate.getTime());
    entry.running = Promise.resolve()
      .then(() => entry.def.run())
      .then(
        () => {
          s.lastOkAt = this.clock.now().toISOString();
        },
        (err: unknown) => {
          s.failures++;
          s.lastErrorAt = this.clock.now().toISOString();
          s.lastError = err instanceof AppError ? err.code : err instanceof Error ? err.constructor.name : 'unknown';
          this.log.error({ err, job: entry.def.name }, 'scheduled job failed');
        },
      )
      .finally(() => {
        const finished = this.clock.now();
        s.runs++;
        s.lastFinishedAt = finished.toISOString();
        s.lastDurationMs = finished.getTime() - started.getTime();
        entry.running = null;
      });
    return entry.running;
  }

  private stateOf(entry: Entry): JobState {
    if (!entry.job) return 'off';
    if (entry.running) return 'running';
    if (entry.def.singleNode && !this.leadership.held) return 'standby';
    return 'idle';
  }

  private isOverdue(entry: Entry, now: number): boolean {
    const state = this.stateOf(entry);
    if (state === 'off' || state === 'standby') return false;
    const period = periodOf(entry.def.spec);
    if (!period) return false;
    const last = entry.status.lastStartedAt ? Date.parse(entry.status.lastStartedAt) : this.startedAt;
    return now - last > 3 * period * 1000 + 1000;
  }

  private emptyStatus(def: Required<JobDefinition>): JobStatus {
    return {
      name: def.name, node: this.opts.nodeId, spec: def.spec, singleNode: def.singleNode, state: 'off',
      lastStartedAt: null, lastFinishedAt: null, lastOkAt: null, lastErrorAt: null, lastError: null,
      lastDurationMs: null, lagMs: null, runs: 0, failures: 0, overlapsSkipped: 0, overdue: false,
    };
  }

  /** Write this node's status rows (one statement); a failure is logged, never thrown. */
  private async persist(): Promise<void> {
    const rows = this.status();
    if (!rows.length) return;
    try {
      await this.ds.query(
        `INSERT INTO scheduler_job_state (name, node_id, spec, single_node, state, last_started_at, last_finished_at, last_ok_at,
                last_error_at, last_error, last_duration_ms, lag_ms, runs, failures, overlaps_skipped, overdue, updated_at)
         SELECT * , now() FROM jsonb_to_recordset($1::jsonb) AS x(name text, node_id text, spec text, single_node boolean, state text,
                last_started_at timestamptz, last_finished_at timestamptz, last_ok_at timestamptz, last_error_at timestamptz,
                last_error text, last_duration_ms integer, lag_ms integer, runs bigint, failures bigint, overlaps_skipped bigint, overdue boolean)
         ON CONFLICT (name, node_id) DO UPDATE SET spec = EXCLUDED.spec, single_node = EXCLUDED.single_node, state = EXCLUDED.state,
                last_started_at = EXCLUDED.last_started_at, last_finished_at = EXCLUDED.last_finished_at, last_ok_at = EXCLUDED.last_ok_at,
                last_error_at = EXCLUDED.last_error_at, last_error = EXCLUDED.last_error, last_duration_ms = EXCLUDED.last_duration_ms,
                lag_ms = EXCLUDED.lag_ms, runs = EXCLUDED.runs, failures = EXCLUDED.failures, overlaps_skipped = EXCLUDED.overlaps_skipped,
                overdue = EXCLUDED.overdue, updated_at = now()`,
        [JSON.stringify(rows.map(toRow))],
      );
    } catch (err) {
      this.log.warn({ err }, 'scheduler status not written');
    }
  }
}

interface StateRow {
  name: string;
  node_id: string;
  spec: string;
  single_node: boolean;
  state: JobState;
  last_started_at: Date | string | null;
  last_finished_at: Date | string | null;
  last_ok_at: Date | string | null;
  last_error_at: Date | string | null;
  last_error: string | null;
  last_duration_ms: number | null;
  lag_ms: number | null;
  runs: string | number;
  failures: string | number;
  overlaps_skipped: string | number;
  overdue: boolean;
}

const iso = (v: Date | string | null): string | null => (v === null ? null : new Date(v).toISOString());

function toRow(s: JobStatus): Record<string, unknown> {
  return {
    name: s.name, node_id: s.node, spec: s.spec, single_node: s.singleNode, state: s.state,
    last_started_at: s.lastStartedAt, last_finished_at: s.lastFinishedAt, last_ok_at: s.lastOkAt, last_error_at: s.lastErrorAt,
    last_error: s.lastError, last_duration_ms: s.lastDurationMs, lag_ms: s.lagMs, runs: s.runs, failures: s.failures,
    overlaps_skipped: s.overlapsSkipped, overdue: s.overdue,
  };
}

function fromRow(r: StateRow): JobStatus {
  return {
    name: r.name, node: r.node_id, spec: r.spec, singleNode: r.single_node, state: r.state,
    lastStartedAt: iso(r.last_started_at), lastFinishedAt: iso(r.last_finished_at), lastOkAt: iso(r.last_ok_at),
    lastErrorAt: iso(r.last_error_at), lastError: r.last_error, lastDurationMs: r.last_duration_ms, lagMs: r.lag_ms,
    runs: Number(r.runs), failures: Number(r.failures), overlapsSkipped: Number(r.overlaps_skipped), overdue: r.overdue,
  };
}
