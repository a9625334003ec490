import type { MigrationInterface, QueryRunner } from 'typeorm';

/**
 * Staff administration and the second factor:
 * - `staff_user.roles` (text[]): a user may hold several roles; `role` stays as the primary role (the first of
 *   `roles`), kept in step by a trigger so older readers and writers of `role` still mean the same thing.
 * - TOTP: the secret encrypted with the field crypto (`totp_secret`), the time it was confirmed
 *   (`totp_enabled_at`; null = not enrolled), and one-time recovery codes stored as SHA-256 hashes.
 * Append-only: never edit, add a new migration.
 */
export class StaffAccess1796600000000 implements MigrationInterface {
  name = 'StaffAccess1796600000000';

  async up(q: QueryRunner): Promise<void> {
    await q.query(`ALTER TABLE staff_user ADD COLUMN roles text[] NOT NULL DEFAULT '{}'`);
    await q.query('UPDATE staff_user SET roles = ARRAY[role]');
    await q.query(`
      CREATE FUNCTION anxin_staff_roles_sync() RETURNS trigger LANGUAGE plpgsql AS $$
      BEGIN
        IF cardinality(NEW.roles) = 0 THEN
          NEW.roles := ARRAY[NEW.role];
        ELSIF TG_OP = 'UPDATE' AND NEW.role IS DISTINCT FROM OLD.role AND NEW.roles = OLD.roles THEN
          NEW.roles := ARRAY[NEW.role];
        END IF;
        NEW.role := NEW.roles[1];
        RETURN NEW;
      END $$`);
    await q.query('CREATE TRIGGER staff_user_roles_sync BEFORE INSERT OR UPDATE ON staff_user FOR EACH ROW EXECUTE FUNCTION anxin_staff_roles_sync()');
    await q.query(`ALTER TABLE staff_user ADD CONSTRAINT staff_user_roles_known CHECK (
      cardinality(roles) BETWEEN 1 AND 6
      AND roles <@ ARRAY['agent','dispatcher','supervisor','admin','security_admin','auditor']::text[]
      AND (cardinality(roles) = 1 OR NOT (roles && ARRAY['security_admin','auditor']::text[])))`);
    await q.query('ALTER TABLE staff_user ADD COLUMN totp_secret text');
    await q.query('ALTER TABLE staff_user ADD COLUMN totp_enabled_at timestamptz');
    await q.query(`
      CREATE TABLE staff_recovery_code (
        id uuid PRIMARY KEY DEFAULT gen_random_uuid(),
        user_id uuid NOT NULL REFERENCES staff_user(id) ON DELETE CASCADE,
        code_hash varchar(64) NOT NULL,
        used_at timestamptz,
        created_at timestamptz NOT NULL DEFAULT now()
      )`);
    await q.query('CREATE INDEX staff_recovery_code_user ON staff_recovery_code (user_id)');
    // The account a throttle row counts against (hashed like the key), so a security admin can unlock it.
    await q.query('ALTER TABLE login_throttle ADD COLUMN account_key varchar(64)');
    await q.query('CREATE INDEX login_throttle_account ON login_throttle (account_key)');
  }

  async down(q: QueryRunner): Promise<void> {
    await q.query('ALTER TABLE login_throttle DROP COLUMN account_key');
    await q.query('DROP TABLE staff_recovery_code');
    await q.query('ALTER TABLE staff_user DROP COLUMN totp_enabled_at');
    await q.query('ALTER TABLE staff_user DROP COLUMN totp_secret');
    await q.query('ALTER TABLE staff_user DROP CONSTRAINT staff_user_roles_known');
    await q.query('DROP TRIGGER staff_user_roles_sync ON staff_user');
    await q.query('DROP FUNCTION anxin_staff_roles_sync()');
    await q.query('ALTER TABLE staff_user DROP COLUMN roles');
  }
}
