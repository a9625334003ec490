import type { MigrationInterface, QueryRunner } from 'typeorm';

/**
 * Sessions and login (issue 7): the idle timeout (`staff_session.last_seen_at`), the per-user session cap
 * (index on user_id), the one-time password of a production first start (`staff_user.must_change_password`)
 * and login throttling shared by every node (`login_throttle`, keys are SHA-256 of pair/IP/account).
 * Append-only: never edit, add a new migration.
 */
export class SessionTrust1795820000000 implements MigrationInterface {
  name = 'SessionTrust1795820000000';

  async up(q: QueryRunner): Promise<void> {
    await q.query('ALTER TABLE staff_session ADD COLUMN last_seen_at timestamptz NOT NULL DEFAULT now()');
    await q.query('CREATE INDEX idx_staff_session_user ON staff_session (user_id)');
    await q.query('ALTER TABLE staff_user ADD COLUMN must_change_password boolean NOT NULL DEFAULT false');
    await q.query(`
      CREATE TABLE login_throttle (
        key varchar(64) PRIMARY KEY,
        failures int NOT NULL,
        window_started_at timestamptz NOT NULL,
        blocked_until timestamptz
      )`);
  }

  async down(q: QueryRunner): Promise<void> {
    await q.query('DROP TABLE login_throttle');
    await q.query('ALTER TABLE staff_user DROP COLUMN must_change_password');
    await q.query('DROP INDEX idx_staff_session_user');
    await q.query('ALTER TABLE staff_session DROP COLUMN last_seen_at');
  }
}
