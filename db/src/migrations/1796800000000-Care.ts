import type { MigrationInterface, QueryRunner } from 'typeorm';

/**
 * Proactive care (主动关怀) and 回访: a care plan per person, the care/survey tasks generated from plans and
 * finished orders (one row per plan and due slot, per order and survey round: generation is idempotent),
 * claim leases, retries and the no-answer escalation as due-time columns, and the person's care timeline.
 * Append-only: never edit, add a new migration.
 */
export class Care1796800000000 implements MigrationInterface {
  name = 'Care1796800000000';

  async up(q: QueryRunner): Promise<void> {
    await q.query(`
      CREATE TABLE care_plan (
        id uuid PRIMARY KEY DEFAULT gen_random_uuid(),
        person_id uuid NOT NULL UNIQUE REFERENCES person(id),
        district_code varchar(12) NOT NULL,
        team varchar(50),
        cadence varchar(16) NOT NULL CHECK (cadence IN ('weekly', 'twice_weekly', 'monthly', 'quarterly', 'custom')),
        interval_days smallint CHECK (interval_days BETWEEN 1 AND 366),
        anchor_day date NOT NULL,
        next_due_day date,
        window_start smallint NOT NULL,
        window_end smallint NOT NULL,
        quiet_start smallint,
        quiet_end smallint,
        channel varchar(10) NOT NULL CHECK (channel IN ('voice', 'sms', 'guardian')),
        script text,
        active boolean NOT NULL DEFAULT true,
        closed_reason text,
        version integer NOT NULL DEFAULT 1,
        created_at timestamptz NOT NULL DEFAULT now(),
        updated_at timestamptz NOT NULL DEFAULT now(),
        CHECK (window_start >= 0 AND window_end <= 1440 AND window_start < window_end),
        CHECK ((cadence = 'custom') = (interval_days IS NOT NULL))
      )`);
    await q.query(`CREATE INDEX care_plan_due ON care_plan (next_due_day) WHERE active`);
    await q.query(`CREATE INDEX care_plan_district ON care_plan (district_code)`);
    await q.query(`
      CREATE TABLE care_task (
        id uuid PRIMARY KEY DEFAULT gen_random_uuid(),
        kind varchar(8) NOT NULL CHECK (kind IN ('care', 'survey')),
        plan_id uuid REFERENCES care_plan(id),
        ticket_id uuid REFERENCES ticket(id),
        slot varchar(16) NOT NULL,
        person_id uuid REFERENCES person(id),
        district_code varchar(12) NOT NULL,
        risk_rank smallint NOT NULL,
        due_at timestamptz NOT NULL,
        status varchar(10) NOT NULL DEFAULT 'open' CHECK (status IN ('open', 'escalating', 'done', 'failed', 'cancelled')),
        attempts smallint NOT NULL DEFAULT 0,
        claimed_by_id uuid,
        lease_until timestamptz,
        outcome varchar(20),
        escalation_step smallint NOT NULL DEFAULT 0,
        next_step_at timestamptz,
        satisfaction varchar(20),
        resolved boolean,
        comment text,
        dial_request_id varchar(60),
        call_id uuid,
        opened_ticket_id uuid,
        created_at timestamptz NOT NULL DEFAULT now(),
        updated_at timestamptz NOT NULL DEFAULT now(),
        CHECK ((kind = 'care') = (plan_id IS NOT NULL)),
        CHECK ((kind = 'survey') = (ticket_id IS NOT NULL))
      )`);
    await q.query(`CREATE UNIQUE INDEX care_task_plan_slot ON care_task (plan_id, slot) WHERE plan_id IS NOT NULL`);
    await q.query(`CREATE UNIQUE INDEX care_task_ticket_slot ON care_task (ticket_id, slot) WHERE ticket_id IS NOT NULL`);
    await q.query(`CREATE INDEX care_task_work ON care_task (risk_rank, due_at) WHERE status = 'open'`);
    await q.query(`CREATE INDEX care_task_escalation ON care_task (next_step_at) WHERE status = 'escalating'`);
    await q.query(`CREATE INDEX care_task_dial ON care_task (dial_request_id) WHERE dial_request_id IS NOT NULL`);
    await q.query(`
      CREATE TABLE care_event (
        id bigserial PRIMARY KEY,
        person_id uuid REFERENCES person(id),
        task_id uuid REFERENCES care_task(id),
        at timestamptz NOT NULL,
        actor_id uuid,
        kind varchar(24) NOT NULL,
        note text
      )`);
    await q.query(`CREATE INDEX care_event_person ON care_event (person_id, at)`);
    await q.query(`CREATE INDEX care_event_task ON care_event (task_id)`);
  }

  async down(q: QueryRunner): Promise<void> {
    await q.query('DROP TABLE care_event');
    await q.query('DROP TABLE care_task');
    await q.query('DROP TABLE care_plan');
  }
}
