import type { MigrationInterface, QueryRunner } from 'typeorm';

/** "Last contact older than N days" (campaign cohorts): the done care tasks of a person by time. Append-only. */
export class CareTaskPersonDone1796850000001 implements MigrationInterface {
  name = 'CareTaskPersonDone1796850000001';

  async up(q: QueryRunner): Promise<void> {
    await q.query(`CREATE INDEX care_task_person_done ON care_task (person_id, updated_at) WHERE status = 'done'`);
  }

  async down(q: QueryRunner): Promise<void> {
    await q.query(`DROP INDEX care_task_person_done`);
  }
}
