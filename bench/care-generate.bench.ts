/**
 * Care task generation and claims (issue 10): today's tasks for BENCH_PLANS care plans (target: 1,000,000 in
 * under 30 s on PostgreSQL, memory bounded), a rerun that creates nothing, then BENCH_AGENTS concurrent agents
 * claiming BENCH_CLAIMS tasks each through the real claim path.
 *
 * In-process against BENCH_DATABASE_URL (PostgreSQL; unset → embedded PGlite in a temporary directory):
 * BENCH_PLANS persons and plans due today are written with set-based INSERTs, then `CarePlanService.generate()`
 * (the scheduler job's work: batches claimed with SKIP LOCKED, one task per plan and slot, ON CONFLICT DO
 * NOTHING, plans moved on, timeline rows) is timed, then run again. RSS is sampled every 100 ms.
 * Floor, in the same run and database: one INSERT … SELECT of the same number of bare task rows into a copy
 * of the table (the database's own write speed without the generator's logic).
 * Claims: `CareTaskService.claimNext` (the claim-next endpoint's work: the most urgent open task locked with
 * FOR UPDATE SKIP LOCKED and leased in a transaction with its timeline row, then the task read back), each agent
 * one claim after another, all agents at once through the same pool as a server node (10 connections);
 * claims/s, p50/p99 latency, and a check that no task was claimed twice. Floor, same run: as many bare
 * `SELECT … FOR UPDATE SKIP LOCKED LIMIT 1` + `UPDATE` transactions on a two-column table, same agents and pool.
 * Env: BENCH_PLANS (1000000), BENCH_AGENTS (50), BENCH_CLAIMS (100 per agent), BENCH_DATABASE_URL.
 */
import { randomUUID } from 'node:crypto';
import fs from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { performance } from 'node:perf_hooks';
import { openDatabase } from '../db/src/database';
import type { DataSource } from 'typeorm';
import type { AuditService } from '../server/src/audit/audit.service';
import type { Actor } from '../server/src/auth/auth.service';
import { createLogger } from '../server/src/config/logger';
import { CarePlanService } from '../server/src/care/care-plan.service';
import { atLocal, shanghaiDate } from '../server/src/care/care-recurrence';
import type { CareSurveys } from '../server/src/care/care-survey';
import { CareTaskService, type ClickToCallPort } from '../server/src/care/care-task.service';
import { DomainEvents } from '../server/src/shared/domain-events';
import { makeDistricts } from '../server/test/support/test-app';
import { line, ms, summarize } from './support/stats';

const PLANS = Number(process.env.BENCH_PLANS ?? 1_000_000);
const AGENTS = Number(process.env.BENCH_AGENTS ?? 50);
const CLAIMS = Number(process.env.BENCH_CLAIMS ?? 100);
const DB_URL = process.env.BENCH_DATABASE_URL;

/** Peak RSS (MB) while `work` runs, sampled every 100 ms. */
async function withRss<T>(work: () => Promise<T>): Promise<{ result: T; ms: number; peakRssMb: number }> {
  let peak = process.memoryUsage().rss;
  const timer = setInterval(() => (peak = Math.max(peak, process.memoryUsage().rss)), 100);
  const start = performance.now();
  try {
    const result = await work();
    return { result, ms: performance.now() - start, peakRssMb: Math.round(Math.max(peak, process.memoryUsage().rss) / 2 ** 20) };
  } finally {
    clearInterval(timer);
  }
}

/** AGENTS agents at once, each running `claim` CLAIMS times in a row: claims/s, latency and the ids claimed. */
async function claimRun(claim: (agent: number) => Promise<string | null>): Promise<{ ms: number; perSecond: number; latency: ReturnType<typeof summarize>; ids: string[] }> {
  const latencies: number[] = [];
  const ids: string[] = [];
  const start = performance.now();
  await Promise.all(
    Array.from({ length: AGENTS }, async (_, agent) => {
      for (let i = 0; i < CLAIMS; i++) {
        const t0 = performance.now();
        const id = await claim(agent);
        latencies.push(performance.now() - t0);
        if (id) ids.push(id);
      }
    }),
  );
  const total = performance.now() - start;
  return { ms: total, perSecond: (AGENTS * CLAIMS) / (total / 1000), latency: summarize(latencies), ids };
}

/** The claim floor: bare SKIP LOCKED claims on a table of two columns. */
async function claimFloor(ds: DataSource, agentIds: string[]): Promise<Awaited<ReturnType<typeof claimRun>>> {
  await ds.query(`CREATE TABLE bench_claim_floor (id bigint PRIMARY KEY, claimed_by uuid)`);
  try {
    await ds.query(`INSERT INTO bench_claim_floor (id) SELECT i FROM generate_series(1, $1::int) AS i`, [AGENTS * CLAIMS]);
    await ds.query(`ANALYZE bench_claim_floor`);
    return await claimRun((agent) =>
      ds.transaction(async (m) => {
        const [row]: { id: string }[] = await m.query(`SELECT id FROM bench_claim_floor WHERE claimed_by IS NULL ORDER BY id LIMIT 1 FOR UPDATE SKIP LOCKED`);
        if (!row) return null;
        await m.query(`UPDATE bench_claim_floor SET claimed_by = $2 WHERE id = $1`, [row.id, agentIds[agent]]);
        return row.id;
      }),
    );
  } finally {
    await ds.query(`DROP TABLE bench_claim_floor`);
  }
}

async function main(): Promise<void> {
  console.log(`Care generation: ${PLANS.toLocaleString('en')} plans on ${DB_URL ? 'PostgreSQL' : 'embedded PGlite'}`);
  const dataDir = DB_URL ? '' : fs.mkdtempSync(path.join(os.tmpdir(), 'anxin-bench-care-'));
  const db = await openDatabase({ url: DB_URL, dataDir: dataDir || './data' });
  const ds = db.ds;
  const today = shanghaiDate(new Date());
  try {
    const tree = await makeDistricts(ds);
    const seed = performance.now();
    await ds.query(
      `INSERT INTO person (name, gender, district_code, risk_tier)
       SELECT '关怀压测' || i, CASE WHEN i % 2 = 0 THEN 'F' ELSE 'M' END, $1, (ARRAY['high', 'key', 'general'])[1 + i % 3]
         FROM generate_series(1, $2::int) AS i`,
      [tree.community, PLANS],
    );
    await ds.query(
      `INSERT INTO care_plan (person_id, district_code, cadence, anchor_day, next_due_day, window_start, window_end, quiet_start, quiet_end, channel)
       SELECT id, district_code, CASE risk_tier WHEN 'high' THEN 'weekly' WHEN 'key' THEN 'monthly' ELSE 'quarterly' END, $2::date, $2::date, 540, 1080, 720, 840, 'voice'
         FROM person WHERE district_code = $1`,
      [tree.community, today],
    );
    line('seed persons + plans', `${((performance.now() - seed) / 1000).toFixed(1)} s`);

    // The floor: the same number of bare task rows in one statement.
    await ds.query(`CREATE TABLE bench_care_task_floor (LIKE care_task INCLUDING DEFAULTS)`);
    const floorStart = performance.now();
    await ds.query(
      `INSERT INTO bench_care_task_floor (kind, plan_id, slot, person_id, district_code, risk_rank, due_at)
       SELECT 'care', p.id, $2, p.person_id, p.district_code, 1, now() FROM care_plan p WHERE p.district_code = $1`,
      [tree.community, today],
    );
    const floorMs = performance.now() - floorStart;
    await ds.query(`DROP TABLE bench_care_task_floor`);

    // generate() writes no audit row (a system job): the audit service is not used on this path.
    const plans = new CarePlanService(ds, undefined as unknown as AuditService, { now: () => new Date() });
    const first = await withRss(() => plans.generate());
    const rerun = await withRss(() => plans.generate());
    const [{ n }] = await ds.query(`SELECT count(*)::int AS n FROM care_task c JOIN care_plan p ON p.id = c.plan_id WHERE p.district_code = $1 AND c.slot = $2`, [tree.community, today]);

    line('floor: one INSERT … SELECT of the rows', `${(floorMs / 1000).toFixed(2)} s`);
    line('generate today\'s tasks', `${(first.ms / 1000).toFixed(2)} s (${first.result.toLocaleString('en')} created, ${(first.ms / floorMs).toFixed(1)}× floor)`);
    line('  rate', `${Math.round(first.result / (first.ms / 1000)).toLocaleString('en')} tasks/s`);
    line('  peak RSS', `${first.peakRssMb} MB`);
    line('rerun (must create nothing)', `${(rerun.ms / 1000).toFixed(2)} s, ${rerun.result} created, peak RSS ${rerun.peakRssMb} MB`);
    line('tasks for today in the table', `${n.toLocaleString('en')} (expected ${PLANS.toLocaleString('en')})`);
    if (rerun.result !== 0 || n !== PLANS) process.exitCode = 1;

    // Claims: agents of the bench district, a clock at the end of today (every task due), a pool of 10.
    console.log(`Claims: ${AGENTS} agents × ${CLAIMS} claims at once, pool of 10 connections`);
    const agents: Actor[] = Array.from({ length: AGENTS }, (_, i) => ({
      userId: randomUUID(), username: `bench-agent-${i}`, displayName: `压测坐席${i}`, role: 'agent', roles: ['agent'], sipExtension: null, districtCode: tree.district, scopePrefix: tree.district,
    }));
    // claimNext uses none of the audit, survey and click-to-call services.
    const tasks = new CareTaskService(ds, undefined as unknown as AuditService, undefined as unknown as CareSurveys, undefined as unknown as ClickToCallPort, new DomainEvents(), { now: () => atLocal(today, 1439) }, createLogger('silent'));
    const claims = await claimRun(async (agent) => (await tasks.claimNext(agents[agent]!))?.id ?? null);
    const [held] = await ds.query(
      `SELECT count(*)::int AS tasks, count(DISTINCT claimed_by_id)::int AS agents,
              (SELECT count(*)::int FROM (SELECT e.task_id FROM care_event e JOIN care_task c ON c.id = e.task_id WHERE c.district_code = $1 AND e.kind = 'claimed' GROUP BY e.task_id HAVING count(*) > 1) twice) AS twice
         FROM care_task WHERE district_code = $1 AND claimed_by_id IS NOT NULL`,
      [tree.community],
    );
    const floor = await claimFloor(ds, agents.map((a) => a.userId));
    const twiceInRun = claims.ids.length - new Set(claims.ids).size;
    line('floor: bare SKIP LOCKED claim + UPDATE', `${Math.round(floor.perSecond).toLocaleString('en')} claims/s, p50 ${ms(floor.latency.p50)}, p99 ${ms(floor.latency.p99)} (${new Set(floor.ids).size.toLocaleString('en')} distinct of ${floor.ids.length.toLocaleString('en')})`);
    line('claimNext (lease, timeline row, read back)', `${Math.round(claims.perSecond).toLocaleString('en')} claims/s (${(floor.perSecond / claims.perSecond).toFixed(1)}× slower than the floor), ${(claims.ms / 1000).toFixed(2)} s`);
    line('  latency', `p50 ${ms(claims.latency.p50)} (${(claims.latency.p50 / floor.latency.p50).toFixed(1)}× floor), p99 ${ms(claims.latency.p99)} (${(claims.latency.p99 / floor.latency.p99).toFixed(1)}× floor), max ${ms(claims.latency.max)}`);
    line('  claimed twice', `${twiceInRun} in the run; in the table ${held.tasks.toLocaleString('en')} tasks held by ${held.agents} agents, ${held.twice} with two claims`);
    if (claims.ids.length !== AGENTS * CLAIMS || twiceInRun !== 0 || held.twice !== 0 || held.tasks !== AGENTS * CLAIMS) process.exitCode = 1;

    // Leave the database as it was (a shared PostgreSQL may run this again). Vacuum between the deletes: each
    // deleted person's foreign-key check scans care_task by person_id (no index), dead rows included.
    await ds.query(`DELETE FROM care_event WHERE person_id IN (SELECT id FROM person WHERE district_code = $1)`, [tree.community]);
    await ds.query(`DELETE FROM care_task WHERE district_code = $1`, [tree.community]);
    await ds.query(`DELETE FROM care_plan WHERE district_code = $1`, [tree.community]);
    for (const table of ['care_event', 'care_task', 'care_plan']) await ds.query(`VACUUM ${table}`);
    // person.merged_into_id has no index either: each deleted person's self-reference check scans person.
    // Nothing refers to these persons any more; skip the checks where the role may (a superuser's local run).
    await ds.transaction(async (m) => {
      const [{ superuser }] = await m.query(`SELECT rolsuper AS superuser FROM pg_roles WHERE rolname = current_user`);
      if (superuser) await m.query(`SET LOCAL session_replication_role = replica`);
      await m.query(`DELETE FROM person WHERE district_code = $1`, [tree.community]);
    });
  } finally {
    await db.close();
    if (dataDir) fs.rmSync(dataDir, { recursive: true, force: true });
  }
}

main().catch((err) => {
  console.error(err);
  process.exit(1);
});
