import type { MigrationInterface, QueryRunner } from 'typeorm';

/**
 * Every subject of an audited read: a search that returns 100 persons names all 100 (`person:<uuid>`,
 * `ticket:<uuid>` …), searchable by a GIN index. `subject_type`/`subject_id` stay the primary subject.
 * Append-only: never edit, add a new migration.
 */
export class AuditSubjects1795800000000 implements MigrationInterface {
  name = 'AuditSubjects1795800000000';

  async up(q: QueryRunner): Promise<void> {
    await q.query(`ALTER TABLE audit_log ADD COLUMN subjects varchar(80)[] NOT NULL DEFAULT '{}'`);
    await q.query('CREATE INDEX idx_audit_subjects ON audit_log USING gin (subjects)');
  }

  async down(q: QueryRunner): Promise<void> {
    await q.query('DROP INDEX idx_audit_subjects');
    await q.query('ALTER TABLE audit_log DROP COLUMN subjects');
  }
}
