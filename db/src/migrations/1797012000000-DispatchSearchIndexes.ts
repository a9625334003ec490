import type { MigrationInterface, QueryRunner } from 'typeorm';

/**
 * Candidate search at city scale (issue 9's benchmark: 100,000 volunteers, 5,000 providers' field workers).
 * The search widens a box around the job step by step and picks the nearest centres by id before reading
 * whole rows, so:
 * - the area btree on `(centre_lat, centre_lng)` of active rows now also carries the columns the search
 *   filters on (id, radius, skills, district, provider): the nearest are found by an index-only scan instead of
 *   one random table page per candidate in the box (the rows have no order on disk); it replaces `*_area`;
 * - a btree on `radius_km` of active rows gives the widest stored service area (`max()`) from one index page:
 *   the box never grows past it;
 * - a GIN on `skills` of active rows lets a rare skill (no volunteer does 配送 `delivery`) skip the box's rows.
 * All work the same on PGlite and PostgreSQL 15.
 * Append-only: never edit, add a new migration.
 */
export class DispatchSearchIndexes1797012000000 implements MigrationInterface {
  name = 'DispatchSearchIndexes1797012000000';

  async up(q: QueryRunner): Promise<void> {
    for (const t of ['field_worker', 'volunteer']) {
      const carried = t === 'field_worker' ? 'id, radius_km, skills, district_code, provider_id' : 'id, radius_km, skills, district_code';
      await q.query(`CREATE INDEX ${t}_near ON ${t} (centre_lat, centre_lng) INCLUDE (${carried}) WHERE status = 'active'`);
      await q.query(`DROP INDEX ${t}_area`);
      await q.query(`CREATE INDEX ${t}_radius ON ${t} (radius_km) WHERE status = 'active'`);
      await q.query(`CREATE INDEX ${t}_skills ON ${t} USING gin (skills) WHERE status = 'active'`);
    }
  }

  async down(q: QueryRunner): Promise<void> {
    for (const t of ['field_worker', 'volunteer']) {
      await q.query(`DROP INDEX IF EXISTS ${t}_skills`);
      await q.query(`DROP INDEX IF EXISTS ${t}_radius`);
      await q.query(`CREATE INDEX ${t}_area ON ${t} (centre_lat, centre_lng) WHERE status = 'active'`);
      await q.query(`DROP INDEX IF EXISTS ${t}_near`);
    }
  }
}
