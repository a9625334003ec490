import type { MigrationInterface, QueryRunner } from 'typeorm';

/**
 * The scheduler's status per job and node (last run, last error kind, lag, counts), written every few seconds
 * by each node for health. The work the jobs do keeps its own durable state (due-time columns, outbox rows).
 * Append-only: never edit, add a new migration.
 */
export class SchedulerState1796300000000 implements MigrationInterface {
  name = 'SchedulerState1796300000000';

  async up(q: QueryRunner): Promise<void> {
    await q.query(`
      CREATE TABLE scheduler_job_state (
        name varchar(63) NOT NULL,
        node_id varchar(100) NOT NULL,
        spec varchar(60) NOT NULL,
        single_node boolean NOT NULL,
        state varchar(10) NOT NULL CHECK (state IN ('idle', 'running', 'standby', 'off')),
        last_started_at timestamptz,
        last_finished_at timestamptz,
        last_ok_at timestamptz,
        last_error_at timestamptz,
        last_error varchar(100),
        last_duration_ms integer,
        lag_ms integer,
        runs bigint NOT NULL DEFAULT 0,
        failures bigint NOT NULL DEFAULT 0,
        overlaps_skipped bigint NOT NULL DEFAULT 0,
        overdue boolean NOT NULL DEFAULT false,
        updated_at timestamptz NOT NULL DEFAULT now(),
        PRIMARY KEY (name, node_id)
      )`);
  }

  async down(q: QueryRunner): Promise<void> {
    await q.query('DROP TABLE scheduler_job_state');
  }
}
