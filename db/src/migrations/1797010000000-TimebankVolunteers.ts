import type { MigrationInterface, QueryRunner } from 'typeorm';

/**
 * The time bank's links to dispatch (issue 9's `volunteer` and `service_job`): foreign keys from the time
 * bank's volunteer columns, and the recipient's confirmation of a volunteer's job (what, with check-in and
 * check-out, makes the job earn coins; the 回访 is the other confirmation).
 * Append-only: never edit, add a new migration.
 */
export class TimebankVolunteers1797010000000 implements MigrationInterface {
  name = 'TimebankVolunteers1797010000000';

  async up(q: QueryRunner): Promise<void> {
    for (const t of ['shop_redemption', 'timebank_activity_signup', 'volunteer_training', 'volunteer_portal_link', 'volunteer_portal_session', 'timebank_approval', 'volunteer_signup']) {
      await q.query(`ALTER TABLE ${t} ADD CONSTRAINT ${t}_volunteer_fk FOREIGN KEY (volunteer_id) REFERENCES volunteer(id)`);
    }
    await q.query(`
      CREATE TABLE timebank_job_confirmation (
        job_id uuid PRIMARY KEY REFERENCES service_job(id),
        confirmed_by varchar(10) NOT NULL CHECK (confirmed_by IN ('recipient')),
        at timestamptz NOT NULL,
        actor_id uuid REFERENCES staff_user(id),
        note varchar(500)
      )`);
  }

  async down(q: QueryRunner): Promise<void> {
    await q.query(`DROP TABLE timebank_job_confirmation`);
    for (const t of ['shop_redemption', 'timebank_activity_signup', 'volunteer_training', 'volunteer_portal_link', 'volunteer_portal_session', 'timebank_approval', 'volunteer_signup']) {
      await q.query(`ALTER TABLE ${t} DROP CONSTRAINT ${t}_volunteer_fk`);
    }
  }
}
