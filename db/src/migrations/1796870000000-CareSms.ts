import type { MigrationInterface, QueryRunner } from 'typeorm';

/**
 * The SMS channel of care tasks: when the question was texted, to which number, and the durable reply deadline
 * (ticked by the scheduler: a restart neither loses nor double-fires it). Append-only: never edit.
 */
export class CareSms1796870000000 implements MigrationInterface {
  name = 'CareSms1796870000000';

  async up(q: QueryRunner): Promise<void> {
    await q.query(`ALTER TABLE care_task ADD COLUMN sms_sent_at timestamptz, ADD COLUMN sms_to varchar(20), ADD COLUMN reply_due_at timestamptz`);
    await q.query(`CREATE INDEX care_task_sms_reply_due ON care_task (reply_due_at) WHERE reply_due_at IS NOT NULL`);
    await q.query(`CREATE INDEX care_task_sms_to ON care_task (sms_to, sms_sent_at) WHERE sms_to IS NOT NULL`);
  }

  async down(q: QueryRunner): Promise<void> {
    await q.query(`DROP INDEX care_task_sms_to`);
    await q.query(`DROP INDEX care_task_sms_reply_due`);
    await q.query(`ALTER TABLE care_task DROP COLUMN reply_due_at, DROP COLUMN sms_to, DROP COLUMN sms_sent_at`);
  }
}
