import type { MigrationInterface, QueryRunner } from 'typeorm';

/**
 * Two things the console's telephony needed (issue 12).
 *
 * `sos_call`: every call that raised an SOS or pressed it again (`sos_incident.call_key` holds only the first): a second
 * call from the same pendant is found by its own key, linked to the SOS order, and answering it acknowledges
 * an SOS still waiting. The key is the call's (`asterisk:<Linkedid>`, `twilio:<CallSid>`), one SOS per call.
 *
 * `agent_presence.softphone` / `softphone_reason`: whether the agent's browser softphone is registered
 * (null: not reported, e.g. a desk phone) and why not; an available agent whose softphone is not registered
 * is paused in the queue.
 *
 * Append-only: never edit, add a new migration.
 */
export class TelephonyConsole1796550000000 implements MigrationInterface {
  name = 'TelephonyConsole1796550000000';

  async up(q: QueryRunner): Promise<void> {
    await q.query(`
      CREATE TABLE sos_call (
        call_key varchar(100) PRIMARY KEY,
        sos_id uuid NOT NULL REFERENCES sos_incident(id) ON DELETE CASCADE,
        at timestamptz NOT NULL
      )`);
    await q.query('CREATE INDEX idx_sos_call_sos ON sos_call (sos_id)');
    await q.query('INSERT INTO sos_call (call_key, sos_id, at) SELECT call_key, id, raised_at FROM sos_incident WHERE call_key IS NOT NULL');
    await q.query(`ALTER TABLE agent_presence ADD COLUMN softphone varchar(12) CHECK (softphone IN ('registered', 'unregistered')), ADD COLUMN softphone_reason varchar(20)`);
  }

  async down(q: QueryRunner): Promise<void> {
    await q.query('ALTER TABLE agent_presence DROP COLUMN softphone, DROP COLUMN softphone_reason');
    await q.query('DROP TABLE sos_call');
  }
}
