import type { MigrationInterface, QueryRunner } from 'typeorm';

/**
 * A person's visit preferences become editable (`PUT /api/persons/:id/dispatch-prefs`): the row gets an
 * optimistic `version` (the second of two concurrent editors is refused with 409) and who changed it last.
 * A person without a row reads as version 0. Append-only: never edit, add a new migration.
 */
export class PersonDispatchPrefVersion1797013000000 implements MigrationInterface {
  name = 'PersonDispatchPrefVersion1797013000000';

  async up(q: QueryRunner): Promise<void> {
    await q.query(`ALTER TABLE person_dispatch_pref ADD COLUMN version integer NOT NULL DEFAULT 1`);
    await q.query(`ALTER TABLE person_dispatch_pref ADD COLUMN updated_by uuid`);
  }

  async down(q: QueryRunner): Promise<void> {
    await q.query(`ALTER TABLE person_dispatch_pref DROP COLUMN updated_by`);
    await q.query(`ALTER TABLE person_dispatch_pref DROP COLUMN version`);
  }
}
