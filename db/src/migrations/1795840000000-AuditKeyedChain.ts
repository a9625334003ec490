import type { MigrationInterface, QueryRunner } from 'typeorm';

/**
 * The keyed audit chain and an append-only `audit_log`.
 *
 * - `nonce`, `mac`: each row's MAC, made at write time with a key the database does not hold (AuditService).
 * - `audit_chain_boundary`: rows written before this migration have no MAC and were (or will be) chained under
 *   the old unkeyed SHA-256 rule; `legacy_seq` is the last chain position that rule covers (the sealed rows plus
 *   those still waiting to be sealed), `legacy_max_id` the last row id that may still be sealed by it. Every
 *   later position is keyed. Checkpoints carry `legacy_seq`, so moving the boundary later is caught.
 * - Triggers (they fire for superusers and the owner too): DELETE and TRUNCATE are always refused; UPDATE only
 *   when it is the sealer setting `seq`, `prev_hash`, `hash` of an unsealed row and nothing else changes. The
 *   boundary table refuses every change. Only someone who can disable triggers (a DBA) can tamper, and
 *   `verify()` then finds it.
 * - A separate application role `anxin_app` (see README, "Running with a separate database role") loses
 *   UPDATE / DELETE / TRUNCATE on both tables and keeps only UPDATE of the three chain columns.
 *
 * Append-only: never edit, add a new migration.
 */
export class AuditKeyedChain1795840000000 implements MigrationInterface {
  name = 'AuditKeyedChain1795840000000';

  async up(q: QueryRunner): Promise<void> {
    await q.query('ALTER TABLE audit_log ADD COLUMN nonce varchar(32), ADD COLUMN mac varchar(64)');
    await q.query('CREATE UNIQUE INDEX idx_audit_mac ON audit_log (mac)');
    // The auditor's searches (GET /api/audit): by actor, by time; by subject uses idx_audit_subjects.
    await q.query('CREATE INDEX idx_audit_actor ON audit_log (actor_username, id)');
    await q.query('CREATE INDEX idx_audit_at ON audit_log (at)');
    await q.query(`CREATE TABLE audit_chain_boundary (legacy_seq bigint NOT NULL, legacy_max_id bigint NOT NULL, recorded_at timestamptz NOT NULL DEFAULT now())`);
    await q.query(`INSERT INTO audit_chain_boundary (legacy_seq, legacy_max_id)
      SELECT COALESCE(max(seq), 0) + count(*) FILTER (WHERE seq IS NULL), COALESCE(max(id), 0) FROM audit_log`);
    await q.query(`
      CREATE FUNCTION anxin_audit_refuse() RETURNS trigger LANGUAGE plpgsql AS $$
      BEGIN
        RAISE EXCEPTION 'audit trail is append-only: % on % refused', TG_OP, TG_TABLE_NAME USING ERRCODE = 'insufficient_privilege';
      END $$`);
    await q.query(`
      CREATE FUNCTION anxin_audit_guard_update() RETURNS trigger LANGUAGE plpgsql AS $$
      BEGIN
        IF OLD.seq IS NULL AND NEW.seq IS NOT NULL AND NEW.prev_hash IS NOT NULL AND NEW.hash IS NOT NULL
           AND OLD.prev_hash IS NULL AND OLD.hash IS NULL
           AND (to_jsonb(NEW) - 'seq' - 'prev_hash' - 'hash') = (to_jsonb(OLD) - 'seq' - 'prev_hash' - 'hash') THEN
          RETURN NEW;
        END IF;
        RAISE EXCEPTION 'audit trail is append-only: only sealing an unsealed row may update audit_log (row %)', OLD.id USING ERRCODE = 'insufficient_privilege';
      END $$`);
    await q.query('CREATE TRIGGER audit_log_guard_update BEFORE UPDATE ON audit_log FOR EACH ROW EXECUTE FUNCTION anxin_audit_guard_update()');
    await q.query('CREATE TRIGGER audit_log_refuse_delete BEFORE DELETE ON audit_log FOR EACH ROW EXECUTE FUNCTION anxin_audit_refuse()');
    await q.query('CREATE TRIGGER audit_log_refuse_truncate BEFORE TRUNCATE ON audit_log FOR EACH STATEMENT EXECUTE FUNCTION anxin_audit_refuse()');
    await q.query('CREATE TRIGGER audit_boundary_refuse BEFORE INSERT OR UPDATE OR DELETE ON audit_chain_boundary FOR EACH ROW EXECUTE FUNCTION anxin_audit_refuse()');
    await q.query('CREATE TRIGGER audit_boundary_refuse_truncate BEFORE TRUNCATE ON audit_chain_boundary FOR EACH STATEMENT EXECUTE FUNCTION anxin_audit_refuse()');
    await q.query(`
      DO $$
      BEGIN
        IF EXISTS (SELECT 1 FROM pg_roles WHERE rolname = 'anxin_app') THEN
          REVOKE UPDATE, DELETE, TRUNCATE ON audit_log, audit_chain_boundary FROM anxin_app;
          GRANT SELECT, INSERT ON audit_log TO anxin_app;
          GRANT SELECT ON audit_chain_boundary TO anxin_app;
          GRANT UPDATE (seq, prev_hash, hash) ON audit_log TO anxin_app;
        END IF;
      END $$`);
  }

  async down(q: QueryRunner): Promise<void> {
    await q.query('DROP TRIGGER audit_boundary_refuse_truncate ON audit_chain_boundary');
    await q.query('DROP TRIGGER audit_boundary_refuse ON audit_chain_boundary');
    await q.query('DROP TRIGGER audit_log_refuse_truncate ON audit_log');
    await q.query('DROP TRIGGER audit_log_refuse_delete ON audit_log');
    await q.query('DROP TRIGGER audit_log_guard_update ON audit_log');
    await q.query('DROP FUNCTION anxin_audit_guard_update()');
    await q.query('DROP FUNCTION anxin_audit_refuse()');
    await q.query('DROP TABLE audit_chain_boundary');
    await q.query('DROP INDEX idx_audit_at');
    await q.query('DROP INDEX idx_audit_actor');
    await q.query('DROP INDEX idx_audit_mac');
    await q.query('ALTER TABLE audit_log DROP COLUMN mac, DROP COLUMN nonce');
  }
}
