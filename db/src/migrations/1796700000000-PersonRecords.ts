import type { MigrationInterface, QueryRunner } from 'typeorm';

/**
 * Keeping a person's record right (issue 8): a `version` on `person` for optimistic concurrency, the change
 * history `person_change` (one row per changed field; identifiers, birth date, medical notes and phone
 * numbers stay encrypted in it), the primary phone, and device model / retirement. Append-only: never edit,
 * add a new migration.
 */
export class PersonRecords1796700000000 implements MigrationInterface {
  name = 'PersonRecords1796700000000';

  async up(q: QueryRunner): Promise<void> {
    await q.query(`ALTER TABLE person ADD COLUMN version integer NOT NULL DEFAULT 1`);
    await q.query(`
      CREATE TABLE person_change (
        id uuid PRIMARY KEY DEFAULT gen_random_uuid(),
        person_id uuid NOT NULL REFERENCES person(id) ON DELETE CASCADE,
        version integer NOT NULL,
        field varchar(40) NOT NULL,
        old_value text,
        new_value text,
        encrypted boolean NOT NULL DEFAULT false,
        actor_id uuid REFERENCES staff_user(id),
        actor_username varchar(64),
        changed_at timestamptz NOT NULL DEFAULT now()
      )`);
    await q.query(`CREATE INDEX idx_person_change_person ON person_change(person_id, changed_at DESC)`);
    await q.query(`ALTER TABLE phone_number ADD COLUMN is_primary boolean NOT NULL DEFAULT false`);
    await q.query(`CREATE UNIQUE INDEX idx_phone_primary ON phone_number(person_id) WHERE is_primary`);
    // Existing records: the first own number (mobile before landline before SOS SIM) is the primary.
    await q.query(`
      UPDATE phone_number SET is_primary = true WHERE id IN (
        SELECT DISTINCT ON (person_id) id FROM phone_number WHERE person_id IS NOT NULL
         ORDER BY person_id, CASE kind WHEN 'mobile' THEN 0 WHEN 'landline' THEN 1 ELSE 2 END, id)`);
    await q.query(`ALTER TABLE device ADD COLUMN model varchar(64)`);
    await q.query(`ALTER TABLE device ADD COLUMN retired_at timestamptz`);
    await q.query(`CREATE INDEX idx_device_phone_active ON device(phone_e164) WHERE retired_at IS NULL`);
  }

  async down(q: QueryRunner): Promise<void> {
    await q.query(`DROP INDEX idx_device_phone_active`);
    await q.query(`ALTER TABLE device DROP COLUMN retired_at`);
    await q.query(`ALTER TABLE device DROP COLUMN model`);
    await q.query(`DROP INDEX idx_phone_primary`);
    await q.query(`ALTER TABLE phone_number DROP COLUMN is_primary`);
    await q.query(`DROP TABLE person_change`);
    await q.query(`ALTER TABLE person DROP COLUMN version`);
  }
}
