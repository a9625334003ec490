import type { MigrationInterface, QueryRunner } from 'typeorm';

/**
 * Audit entries are written without a lock and chained afterwards by a sealer: `seq` is the chain position
 * (null until sealed), and the hashes may be null until then. Rows written before this migration were chained
 * in id order, so their position is their id. Append-only: never edit, add a new migration.
 */
export class AuditSeal1795600000000 implements MigrationInterface {
  name = 'AuditSeal1795600000000';

  async up(q: QueryRunner): Promise<void> {
    await q.query('ALTER TABLE audit_log ADD COLUMN seq bigint');
    await q.query('UPDATE audit_log SET seq = id');
    await q.query('CREATE UNIQUE INDEX idx_audit_seq ON audit_log (seq)');
    await q.query('CREATE INDEX idx_audit_unsealed ON audit_log (id) WHERE seq IS NULL');
    await q.query('ALTER TABLE audit_log ALTER COLUMN prev_hash DROP NOT NULL, ALTER COLUMN hash DROP NOT NULL');
  }

  async down(q: QueryRunner): Promise<void> {
    const [{ n }] = await q.query('SELECT count(*)::int AS n FROM audit_log WHERE seq IS NULL');
    if (n > 0) throw new Error(`${n} audit entries are not sealed yet: start the server once to seal them, then revert`);
    await q.query('ALTER TABLE audit_log ALTER COLUMN prev_hash SET NOT NULL, ALTER COLUMN hash SET NOT NULL');
    await q.query('DROP INDEX idx_audit_unsealed');
    await q.query('DROP INDEX idx_audit_seq');
    await q.query('ALTER TABLE audit_log DROP COLUMN seq');
  }
}
