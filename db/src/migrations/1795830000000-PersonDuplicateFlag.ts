import type { MigrationInterface, QueryRunner } from 'typeorm';

/**
 * Registrations refused because the ID or certificate number is registered in a district outside the
 * registering user's scope: the user is told nothing about the other record, an administrator resolves the
 * flag. (`person.id_number_hash` and `cert_number_hash` were unique from the start: concurrent twins lose on
 * the index and are answered 409.) Append-only: never edit, add a new migration.
 */
export class PersonDuplicateFlag1795830000000 implements MigrationInterface {
  name = 'PersonDuplicateFlag1795830000000';

  async up(q: QueryRunner): Promise<void> {
    await q.query(`
      CREATE TABLE person_duplicate_flag (
        id uuid PRIMARY KEY DEFAULT gen_random_uuid(),
        created_at timestamptz NOT NULL DEFAULT now(),
        existing_person_id uuid NOT NULL REFERENCES person(id) ON DELETE CASCADE,
        matched_on varchar(12) NOT NULL CHECK (matched_on IN ('id_number', 'cert_number')),
        attempted_by_id uuid NOT NULL REFERENCES staff_user(id),
        attempted_district_code varchar(12) NOT NULL,
        resolved_at timestamptz,
        resolved_by_id uuid REFERENCES staff_user(id),
        resolution varchar(200)
      )`);
    await q.query('CREATE INDEX idx_person_duplicate_flag_open ON person_duplicate_flag (created_at) WHERE resolved_at IS NULL');
  }

  async down(q: QueryRunner): Promise<void> {
    await q.query('DROP TABLE person_duplicate_flag');
  }
}
