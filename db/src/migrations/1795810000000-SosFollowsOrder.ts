import type { MigrationInterface, QueryRunner } from 'typeorm';

/**
 * An SOS follows its order: a new SOS status `cancelled` (its order was cancelled), and the SOS left open on
 * orders that are already over (completed, closed, cancelled, invalid) are closed the way the order ended.
 * Order creation takes an idempotency key per user (`ticket_idempotency`).
 * Append-only: never edit, add a new migration.
 */
export class SosFollowsOrder1795810000000 implements MigrationInterface {
  name = 'SosFollowsOrder1795810000000';

  async up(q: QueryRunner): Promise<void> {
    await q.query('ALTER TABLE sos_incident DROP CONSTRAINT sos_incident_status_check');
    await q.query(`ALTER TABLE sos_incident ADD CONSTRAINT sos_incident_status_check CHECK (status IN ('active','acknowledged','resolved','false_alarm','cancelled'))`);
    await q.query(`
      UPDATE sos_incident s SET
        status = CASE t.status WHEN 'cancelled' THEN 'cancelled' WHEN 'invalid' THEN 'false_alarm' ELSE 'resolved' END,
        closed_at = COALESCE(t.closed_at, t.updated_at), next_step_at = NULL
      FROM ticket t
      WHERE t.id = s.ticket_id AND s.status IN ('active','acknowledged')
        AND t.status IN ('done','callback_pending','callback_done','closed','cancelled','invalid')`);
    await q.query(`
      CREATE TABLE ticket_idempotency (
        user_id uuid NOT NULL REFERENCES staff_user(id) ON DELETE CASCADE,
        key varchar(100) NOT NULL,
        request_hash char(64) NOT NULL,
        ticket_id uuid REFERENCES ticket(id) ON DELETE CASCADE,
        created_at timestamptz NOT NULL,
        PRIMARY KEY (user_id, key)
      )`);
    await q.query('CREATE INDEX idx_ticket_idempotency_created ON ticket_idempotency(created_at)');
  }

  async down(q: QueryRunner): Promise<void> {
    await q.query('DROP TABLE ticket_idempotency');
    await q.query(`UPDATE sos_incident SET status = 'false_alarm' WHERE status = 'cancelled'`);
    await q.query('ALTER TABLE sos_incident DROP CONSTRAINT sos_incident_status_check');
    await q.query(`ALTER TABLE sos_incident ADD CONSTRAINT sos_incident_status_check CHECK (status IN ('active','acknowledged','resolved','false_alarm'))`);
  }
}
