import type { MigrationInterface, QueryRunner } from 'typeorm';

/**
 * Import of the persons register from CSV/XLSX. `register_import` is the job (progress, row errors);
 * `register_import_row` stages the checked rows, already encrypted, so the final write is one short
 * set-based transaction (all rows or none) instead of a long one that would hold the database.
 * Append-only: never edit, add a new migration.
 */
export class RegisterImport1795890000000 implements MigrationInterface {
  name = 'RegisterImport1795890000000';

  async up(q: QueryRunner): Promise<void> {
    await q.query(`
      CREATE TABLE register_import (
        id uuid PRIMARY KEY,
        created_at timestamptz NOT NULL DEFAULT now(),
        actor jsonb NOT NULL,
        file_name varchar(200) NOT NULL,
        format varchar(4) NOT NULL CHECK (format IN ('csv', 'xlsx')),
        file_bytes bigint NOT NULL,
        mode varchar(8) NOT NULL CHECK (mode IN ('dry-run', 'commit')),
        status varchar(10) NOT NULL CHECK (status IN ('queued', 'checking', 'applying', 'done', 'failed')),
        outcome varchar(10) CHECK (outcome IN ('checked', 'rejected', 'imported')),
        rows_read integer NOT NULL DEFAULT 0,
        rows_valid integer NOT NULL DEFAULT 0,
        error_count integer NOT NULL DEFAULT 0,
        errors jsonb NOT NULL DEFAULT '[]',
        persons_written integer NOT NULL DEFAULT 0,
        failure varchar(200),
        started_at timestamptz,
        finished_at timestamptz
      )`);
    await q.query(`CREATE INDEX idx_register_import_open ON register_import (created_at) WHERE status IN ('queued', 'checking', 'applying')`);
    await q.query(`CREATE INDEX idx_register_import_actor ON register_import ((actor->>'userId'), created_at DESC)`);
    await q.query(`
      CREATE TABLE register_import_row (
        import_id uuid NOT NULL REFERENCES register_import(id) ON DELETE CASCADE,
        line integer NOT NULL,
        person jsonb NOT NULL,
        PRIMARY KEY (import_id, line)
      )`);
  }

  async down(q: QueryRunner): Promise<void> {
    await q.query('DROP TABLE register_import_row');
    await q.query('DROP TABLE register_import');
  }
}
