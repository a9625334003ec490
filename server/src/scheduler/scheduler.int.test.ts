import { randomInt } from 'node:crypto';
import pino from 'pino';
import { Client } from 'pg';
import type { DataSource } from 'typeorm';
import { testDataSource, uniq } from '../../test/support/test-app';
import { until } from '../../test/support/until';
import { everySeconds } from './cadence';
import { AdvisoryLockLeadership, EmbeddedLeadership } from './leadership';
import { Scheduler } from './scheduler';

const log = pino({ level: 'silent' });
const onPostgres = process.env.ANXIN_TEST_DB_KIND === 'postgres';
const sleep = (ms: number) => new Promise((r) => setTimeout(r, ms));

let ds: DataSource;
const running: Scheduler[] = [];
beforeAll(async () => {
  ds = await testDataSource();
});
afterEach(async () => {
  await Promise.all(running.splice(0).map((s) => s.stop()));
});
afterAll(async () => {
  await ds.destroy();
});

function scheduler(opts: { backgroundJobs?: boolean; leadership?: AdvisoryLockLeadership | EmbeddedLeadership; persistSeconds?: number } = {}): Scheduler {
  const s = new Scheduler(ds, opts.leadership ?? new EmbeddedLeadership(), log, { nodeId: `test-${uniq()}`, backgroundJobs: opts.backgroundJobs ?? true, leadershipSeconds: 1, persistSeconds: opts.persistSeconds ?? 1 });
  running.push(s);
  return s;
}

describe('scheduler', () => {
  it('when a job is registered every second, then it runs on the clock, its runs and lag are shown, and its status row is written', async () => {
    const s = scheduler();
    let runs = 0;
    s.register({ name: 'tick', spec: everySeconds(1), singleNode: false, run: async () => void runs++ });
    s.start();
    await until(() => runs >= 2, 4000);
    const [job] = s.status();
    expect(job).toMatchObject({ name: 'tick', node: s.nodeId, singleNode: false, lastError: null, failures: 0, overdue: false });
    expect(job!.runs).toBeGreaterThanOrEqual(2);
    expect(job!.lagMs).toBeGreaterThanOrEqual(0);
    expect(job!.lagMs).toBeLessThan(1000);
    const rows = await until(async () => {
      const r: { runs: string; state: string }[] = await ds.query('SELECT runs, state FROM scheduler_job_state WHERE name = $1 AND node_id = $2', ['tick', s.nodeId]);
      return r.length && Number(r[0]!.runs) >= 1 ? r : null;
    }, 4000);
    expect(['idle', 'running']).toContain(rows[0]!.state);
  });

  it('when a run takes longer than the cadence, then runs never overlap and the skipped ticks are counted', async () => {
    const s = scheduler();
    let inFlight = 0;
    let maxInFlight = 0;
    let done = 0;
    s.register({
      name: 'slow',
      spec: everySeconds(1),
      singleNode: false,
      run: async () => {
        maxInFlight = Math.max(maxInFlight, ++inFlight);
        await sleep(2200);
        inFlight--;
        done++;
      },
    });
    s.start();
    await until(() => done >= 1 && s.status()[0]!.overlapsSkipped >= 1, 6000);
    expect(maxInFlight).toBe(1);
  });

  it('when a run fails, then the failure is counted with the kind of error (never its message) and the next tick runs again', async () => {
    const s = scheduler();
    let attempts = 0;
    s.register({
      name: 'flaky',
      spec: everySeconds(1),
      singleNode: false,
      run: async () => {
        attempts++;
        if (attempts === 1) throw new TypeError('secret detail 13800138000');
      },
    });
    s.start();
    await until(() => attempts >= 2 && s.status()[0]!.lastOkAt, 4000);
    const [job] = s.status();
    expect(job).toMatchObject({ failures: 1, lastError: 'TypeError' });
    expect(JSON.stringify(s.status())).not.toContain('13800138000');
  });

  it('when background jobs are off, then domain timers stay off and node duties still run', async () => {
    const s = scheduler({ backgroundJobs: false });
    let timer = 0;
    let duty = 0;
    s.register({ name: 'domain-timer', spec: everySeconds(1), singleNode: true, run: async () => void timer++ });
    s.register({ name: 'node-duty', spec: everySeconds(1), singleNode: false, background: false, run: async () => void duty++ });
    s.start();
    await until(() => duty >= 1, 3000);
    expect(timer).toBe(0);
    expect(s.status().find((j) => j.name === 'domain-timer')!.state).toBe('off');
  });

  it('when a job is registered twice or with a bad spec or name, then registration throws naming it', () => {
    const s = scheduler();
    s.register({ name: 'once', spec: everySeconds(5), singleNode: false, run: async () => undefined });
    expect(() => s.register({ name: 'once', spec: everySeconds(5), singleNode: false, run: async () => undefined })).toThrow(/once registered twice/);
    expect(() => s.register({ name: 'bad-spec', spec: 'every now and then', singleNode: false, run: async () => undefined })).toThrow(/bad-spec has an invalid cron spec/);
    expect(() => s.register({ name: 'Bad Name', spec: everySeconds(5), singleNode: false, run: async () => undefined })).toThrow(/bad job name/);
  });

  (onPostgres ? it : it.skip)('when two nodes share PostgreSQL, then a single-node job runs on one of them only, and the other takes over within seconds when the leader’s connection dies', async () => {
    const url = process.env.ANXIN_TEST_DATABASE_URL!;
    const key = String(randomInt(1, 2 ** 47));
    const nodes = [0, 1].map(() => {
      const leadership = new AdvisoryLockLeadership(url, log, key);
      const s = scheduler({ leadership });
      const counter = { runs: 0 };
      s.register({ name: 'single', spec: everySeconds(1), singleNode: true, run: async () => void counter.runs++ });
      return { s, counter, leadership };
    });
    for (const n of nodes) n.s.start();
    await until(() => nodes.some((n) => n.counter.runs >= 3), 6000);
    const leader = nodes.find((n) => n.s.leader)!;
    const follower = nodes.find((n) => n !== leader)!;
    expect(follower.s.leader).toBe(false);
    expect(follower.counter.runs).toBe(0);
    expect(follower.s.status()[0]!.state).toBe('standby');

    // The leader's backend dies as it would if its process were killed: PostgreSQL drops the lock with it.
    const admin = new Client({ connectionString: url });
    await admin.connect();
    try {
      const terminated = await admin.query(`SELECT pg_terminate_backend(pid) FROM pg_locks WHERE locktype = 'advisory' AND granted AND ((classid::bigint << 32) | objid::bigint) = $1::bigint`, [key]);
      expect(terminated.rowCount).toBe(1);
    } finally {
      await admin.end();
    }
    await leader.s.stop(); // and the process is gone: it never comes back for the lock
    const stoppedAt = leader.counter.runs;
    await until(() => follower.counter.runs >= 2, 8000);
    expect(follower.s.leader).toBe(true);
    expect(follower.s.status()[0]!.state).not.toBe('standby');
    expect(leader.counter.runs).toBe(stoppedAt);
  });
});
