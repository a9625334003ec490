/**
 * Care task generation (issue 10): today's tasks for BENCH_PLANS care plans (target: 1,000,000 in under 30 s
 * on PostgreSQL, memory bounded), and a rerun that creates nothing.
 *
 * In-process against BENCH_DATABASE_URL (PostgreSQL; unset → embedded PGlite in a temporary directory):
 * BENCH_PLANS persons and plans due today are written with set-based INSERTs, then `CarePlanService.generate()`
 * (the scheduler job's work: batches claimed with SKIP LOCKED, one task per plan and slot, ON CONFLICT DO
 * NOTHING, plans moved on, timeline rows) is timed, then run again. RSS is sampled every 100 ms.
 * Floor, in the same run and database: one INSERT … SELECT of the same number of bare task rows into a copy
 * of the table (the database's own write speed without the generator's logic).
 * Env: BENCH_PLANS (1000000), BENCH_DATABASE_URL.
 */
import fs from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { performance } from 'node:perf_hooks';
import { openDatabase } from '../db/src/database';
import type { AuditService } from '../server/src/audit/audit.service';
import { CarePlanService } from '../server/src/care/care-plan.service';
import { shanghaiDate } from '../server/src/care/care-recurrence';
import { makeDistricts } from '../server/test/support/test-app';
import { line } from './support/stats';

const PLANS = Number(process.env.BENCH_PLANS ?? 1_000_000);
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

    // Leave the database as it was (a shared PostgreSQL may run this again).
    await ds.query(`DELETE FROM care_event WHERE person_id IN (SELECT id FROM person WHERE district_code = $1)`, [tree.community]);
    await ds.query(`DELETE FROM care_task WHERE district_code = $1`, [tree.community]);
    await ds.query(`DELETE FROM care_plan WHERE district_code = $1`, [tree.community]);
    await ds.query(`DELETE FROM person WHERE district_code = $1`, [tree.community]);
  } finally {
    await db.close();
    if (dataDir) fs.rmSync(dataDir, { recursive: true, force: true });
  }
}

main().catch((err) => {
  console.error(err);
  process.exit(1);
});
