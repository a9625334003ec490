import type { MigrationInterface, QueryRunner } from 'typeorm';

/**
 * `job_offer.answered_via` was varchar(8), too short for its own allowed value `dispatcher` (an offer the
 * dispatcher settled: a direct assignment). Widen it. Append-only: never edit, add a new migration.
 */
export class DispatchAnsweredVia1796900000001 implements MigrationInterface {
  name = 'DispatchAnsweredVia1796900000001';

  async up(q: QueryRunner): Promise<void> {
    await q.query(`ALTER TABLE job_offer ALTER COLUMN answered_via TYPE varchar(12)`);
  }

  async down(q: QueryRunner): Promise<void> {
    await q.query(`ALTER TABLE job_offer ALTER COLUMN answered_via TYPE varchar(8)`);
  }
}
