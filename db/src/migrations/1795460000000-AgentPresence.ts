import type { MigrationInterface, QueryRunner } from 'typeorm';

/** Agent presence (available / break / wrap-up / offline), one row per staff user. Append-only: never edit. */
export class AgentPresence1795460000000 implements MigrationInterface {
  name = 'AgentPresence1795460000000';

  async up(q: QueryRunner): Promise<void> {
    await q.query(`
      CREATE TABLE agent_presence (
        user_id uuid PRIMARY KEY REFERENCES staff_user(id) ON DELETE CASCADE,
        state varchar(12) NOT NULL CHECK (state IN ('available','break','wrap_up','offline')),
        reason varchar(60),
        extension varchar(20),
        queue_synced boolean NOT NULL DEFAULT false,
        changed_at timestamptz NOT NULL
      )`);
  }

  async down(q: QueryRunner): Promise<void> {
    await q.query('DROP TABLE IF EXISTS agent_presence');
  }
}
