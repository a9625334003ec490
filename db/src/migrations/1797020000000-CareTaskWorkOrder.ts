import type { MigrationInterface, QueryRunner } from 'typeorm';

/**
 * The work list and claims order open care tasks by (risk_rank, due_at, id). The index had only the first two
 * columns, and a day's generated tasks share one due time (the window's opening), so every claim sorted all of
 * a tier's open tasks to find one (about 300 ms with a million tasks). The index now holds the whole order; the
 * old one is its prefix and goes. Append-only.
 */
export class CareTaskWorkOrder1797020000000 implements MigrationInterface {
  name = 'CareTaskWorkOrder1797020000000';

  async up(q: QueryRunner): Promise<void> {
    await q.query(`CREATE INDEX care_task_work_order ON care_task (risk_rank, due_at, id) WHERE status = 'open'`);
    await q.query(`DROP INDEX care_task_work`);
  }

  async down(q: QueryRunner): Promise<void> {
    await q.query(`CREATE INDEX care_task_work ON care_task (risk_rank, due_at) WHERE status = 'open'`);
    await q.query(`DROP INDEX care_task_work_order`);
  }
}
