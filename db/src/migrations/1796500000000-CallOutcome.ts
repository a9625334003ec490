import type { MigrationInterface, QueryRunner } from 'typeorm';

/**
 * The call log on real traffic: `outcome` of an outbound call (what became of the customer leg, from the
 * Q.850 cause / dial status: answered, busy, no_answer, unreachable, rejected, failed), and for a call that
 * ended while the server was away from the PBX the window it ended in (`ended_after` … `ended_before`, the
 * reconnect) instead of an invented `ended_at`. Append-only: never edit, add a new migration.
 */
export class CallOutcome1796500000000 implements MigrationInterface {
  name = 'CallOutcome1796500000000';

  async up(q: QueryRunner): Promise<void> {
    await q.query(`
      ALTER TABLE call
        ADD COLUMN outcome varchar(12) CHECK (outcome IN ('answered', 'busy', 'no_answer', 'unreachable', 'rejected', 'failed')),
        ADD COLUMN ended_after timestamptz,
        ADD COLUMN ended_before timestamptz,
        ADD CONSTRAINT call_ended_window CHECK (ended_after IS NULL OR (ended_before IS NOT NULL AND ended_after <= ended_before))`);
  }

  async down(q: QueryRunner): Promise<void> {
    await q.query('ALTER TABLE call DROP CONSTRAINT call_ended_window, DROP COLUMN ended_before, DROP COLUMN ended_after, DROP COLUMN outcome');
  }
}
