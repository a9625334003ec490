/**
 * The care task generator on the test database, run directly (the scheduler job's work) with its own clock:
 * several nodes generating at once make each plan's task once, a plan another node holds is skipped and made
 * on the next run, and a plan that missed slots gets one overdue task and moves past today.
 * Its plans live in 2024–2025, before every other test file's clock, and are closed at the end, so the
 * other files' generators (and counts) never meet them.
 */
import type { DataSource } from 'typeorm';
import { CarePlanService } from '../src/care/care-plan.service';
import { makeDistricts, startTestApp, testDataSource, TestClock, type RunningApp } from './support/test-app';

let t: RunningApp;
let ds: DataSource;
let community: string;
/** Monday 2 June 2025, 10:00 in Shanghai. */
const TODAY = '2025-06-02';
const clock = new TestClock(new Date(`${TODAY}T10:00:00+08:00`));

beforeAll(async () => {
  t = await startTestApp({ clock, env: { BACKGROUND_JOBS: 'off' } });
  ds = t.ds;
  community = (await makeDistricts(ds)).community;
});
afterAll(async () => {
  await ds?.query(`UPDATE care_plan SET active = false, next_due_day = NULL, closed_reason = 'test over' WHERE district_code = $1`, [community]);
  await t?.close();
});

/** `n` persons with a plan due on `next` (anchored there unless said), window 09:00–18:00, rest 12:00–14:00. */
async function plans(n: number, plan: { cadence: string; intervalDays?: number; anchor?: string; next: string }): Promise<string[]> {
  const rows: { person_id: string }[] = await ds.query(
    `WITH per AS (
       INSERT INTO person (name, gender, district_code, risk_tier) SELECT '生成测试' || i, 'F', $1, 'high' FROM generate_series(1, $2::int) AS i RETURNING id, district_code)
     INSERT INTO care_plan (person_id, district_code, cadence, interval_days, anchor_day, next_due_day, window_start, window_end, quiet_start, quiet_end, channel)
     SELECT id, district_code, $3, $4, $5::date, $6::date, 540, 1080, 720, 840, 'voice' FROM per
     RETURNING person_id`,
    [community, n, plan.cadence, plan.intervalDays ?? null, plan.anchor ?? plan.next, plan.next],
  );
  return rows.map((r) => r.person_id);
}
const tasksOf = (personIds: string[]) =>
  ds.query(`SELECT person_id, slot, due_at, status, risk_rank FROM care_task WHERE person_id = ANY($1) AND kind = 'care' ORDER BY person_id, slot`, [personIds]);
const nextDue = async (personIds: string[]): Promise<string[]> =>
  (await ds.query(`SELECT next_due_day::text AS next FROM care_plan WHERE person_id = ANY($1)`, [personIds])).map((r: { next: string }) => r.next);
const generated = async (personIds: string[]): Promise<number> =>
  (await ds.query(`SELECT count(*)::int AS n FROM care_event WHERE person_id = ANY($1) AND kind = 'task_generated'`, [personIds]))[0].n;

describe('care task generation', () => {
  it('when three nodes generate at once, then each due plan has exactly one task and one timeline row, and the plans move on once', async () => {
    // Every 366 days: the next slot (2026-06-03) is after every other test file's clock.
    const persons = await plans(60, { cadence: 'custom', intervalDays: 366, next: TODAY });
    const nodes = [ds, await testDataSource(), await testDataSource()];
    try {
      const created = await Promise.all(nodes.map((node) => new CarePlanService(node, t.app.services.audit, clock).generate()));
      expect(created.reduce((a, b) => a + b, 0)).toBeGreaterThanOrEqual(60);
    } finally {
      await Promise.all(nodes.slice(1).map((node) => node.destroy()));
    }
    const tasks = await tasksOf(persons);
    expect(tasks).toHaveLength(60);
    expect(new Set(tasks.map((x: { person_id: string }) => x.person_id)).size).toBe(60);
    for (const task of tasks) expect(task).toMatchObject({ slot: TODAY, status: 'open', risk_rank: 0, due_at: new Date(`${TODAY}T09:00:00+08:00`) });
    expect(await generated(persons)).toBe(60);
    expect(new Set(await nextDue(persons))).toEqual(new Set(['2026-06-03']));
  });

  // PGlite is one session: the generator would wait forever behind the other node's open transaction.
  const onPostgres = process.env.ANXIN_TEST_DB_KIND === 'postgres' ? it : it.skip;
  onPostgres('when another node holds a plan while this one generates, then the plan is skipped, not waited for, and made on the next run', async () => {
    const [held, free] = await plans(2, { cadence: 'custom', intervalDays: 366, next: TODAY });
    const node = await testDataSource();
    const other = node.createQueryRunner();
    try {
      await other.startTransaction();
      await other.query(`SELECT 1 FROM care_plan WHERE person_id = $1 FOR UPDATE`, [held]);
      await t.app.services.care.plans.generate();
      expect((await tasksOf([held!, free!])).map((x: { person_id: string }) => x.person_id)).toEqual([free]);
      expect(await nextDue([held!])).toEqual([TODAY]);
    } finally {
      await other.rollbackTransaction();
      await other.release();
      await node.destroy();
    }
    await t.app.services.care.plans.generate();
    expect(await tasksOf([held!])).toHaveLength(1);
    expect(await generated([held!, free!])).toBe(2);
  });

  it('when a plan missed a year of slots, then it gets one overdue task for the first missed slot and moves to its first slot after today', async () => {
    // Yearly-ish from 31 May 2024: slots 2024-05-31, 2025-06-01 (both missed by 2 June 2025), 2026-06-02.
    const persons = await plans(3, { cadence: 'custom', intervalDays: 366, anchor: '2024-05-31', next: '2024-05-31' });
    await t.app.services.care.plans.generate();
    const tasks = await tasksOf(persons);
    expect(tasks.map((x: { slot: string }) => x.slot)).toEqual(['2024-05-31', '2024-05-31', '2024-05-31']);
    expect(new Date(tasks[0].due_at).getTime()).toBe(new Date('2024-05-31T09:00:00+08:00').getTime());
    expect(await nextDue(persons)).toEqual(['2026-06-02', '2026-06-02', '2026-06-02']);
    expect(await t.app.services.care.plans.generate()).toBe(0);
    expect(await tasksOf(persons)).toHaveLength(3);
  });
});
