import type { MigrationInterface, QueryRunner } from 'typeorm';

/**
 * Administration of districts and persons (issue 8): a district is retired, never deleted; a person's
 * status (active, deceased, merged into another record) with its history of hand-overs, deaths (and their
 * correction: the devices the death disarmed are kept to re-arm them) and merges;
 * PIPL consents (sensitive personal information, notifying contacts) with their withdrawals. Nothing here is
 * ever deleted: withdrawal and retirement are columns. Append-only: never edit, add a new migration.
 */
export class AdminPeople1796750000000 implements MigrationInterface {
  name = 'AdminPeople1796750000000';

  async up(q: QueryRunner): Promise<void> {
    await q.query(`ALTER TABLE district ADD COLUMN retired_at timestamptz`);
    await q.query(`ALTER TABLE district ADD COLUMN retired_by_id uuid REFERENCES staff_user(id) ON DELETE SET NULL`);
    await q.query(`ALTER TABLE person ADD COLUMN status varchar(10) NOT NULL DEFAULT 'active' CHECK (status IN ('active','deceased','merged'))`);
    await q.query(`ALTER TABLE person ADD COLUMN died_on date`);
    await q.query(`ALTER TABLE person ADD COLUMN merged_into_id uuid REFERENCES person(id)`);
    await q.query(`ALTER TABLE person ADD CONSTRAINT chk_person_merged CHECK ((status = 'merged') = (merged_into_id IS NOT NULL))`);
    await q.query(`
      CREATE TABLE person_status_event (
        id uuid PRIMARY KEY DEFAULT gen_random_uuid(),
        seq bigint GENERATED ALWAYS AS IDENTITY,
        person_id uuid NOT NULL REFERENCES person(id),
        at timestamptz NOT NULL DEFAULT now(),
        kind varchar(12) NOT NULL CHECK (kind IN ('moved','deceased','reactivated','merged_into','merged_from')),
        actor_id uuid REFERENCES staff_user(id) ON DELETE SET NULL,
        from_district_code varchar(12),
        to_district_code varchar(12),
        other_person_id uuid REFERENCES person(id),
        died_on date,
        moved_rows jsonb,
        disarmed_device_ids uuid[],
        note varchar(200) NOT NULL
      )`);
    await q.query(`CREATE INDEX idx_person_status_event_person ON person_status_event(person_id, seq)`);
    await q.query(`
      CREATE TABLE person_consent (
        id uuid PRIMARY KEY DEFAULT gen_random_uuid(),
        person_id uuid NOT NULL REFERENCES person(id),
        kind varchar(16) NOT NULL CHECK (kind IN ('sensitive_info','notify_contacts')),
        given_on date NOT NULL,
        method varchar(16) NOT NULL CHECK (method IN ('oral','written','phone_recording')),
        recorded_by_id uuid REFERENCES staff_user(id) ON DELETE SET NULL,
        recorded_at timestamptz NOT NULL DEFAULT now(),
        withdrawn_on date,
        withdrawal_method varchar(16) CHECK (withdrawal_method IN ('oral','written','phone_recording')),
        withdrawn_by_id uuid REFERENCES staff_user(id) ON DELETE SET NULL,
        withdrawn_at timestamptz,
        CHECK ((withdrawn_on IS NULL) = (withdrawn_at IS NULL))
      )`);
    await q.query(`CREATE INDEX idx_person_consent_person ON person_consent(person_id, kind, recorded_at)`);
  }

  async down(q: QueryRunner): Promise<void> {
    await q.query('DROP TABLE person_consent');
    await q.query('DROP TABLE person_status_event');
    await q.query('ALTER TABLE person DROP CONSTRAINT chk_person_merged');
    await q.query('ALTER TABLE person DROP COLUMN merged_into_id');
    await q.query('ALTER TABLE person DROP COLUMN died_on');
    await q.query('ALTER TABLE person DROP COLUMN status');
    await q.query('ALTER TABLE district DROP COLUMN retired_by_id');
    await q.query('ALTER TABLE district DROP COLUMN retired_at');
  }
}
