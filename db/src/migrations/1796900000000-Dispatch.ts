import type { MigrationInterface, QueryRunner } from 'typeorm';

/**
 * Dispatch (issue 9): service providers and their field workers, volunteers, the dispatchable jobs of a work
 * order, the offers sent for them, a person's dispatch preferences and the durable dispatch timers (offer
 * timeouts, SLA overdue), claimed once with `fired_at`.
 *
 * Candidate search narrows in SQL with a btree on the service-area centre (lat, lng) of active candidates:
 * a bounding box around the job, then the exact radius check, before the engine ranks in memory. It works
 * the same on PGlite and PostgreSQL 15 (no extension needed).
 * Append-only: never edit, add a new migration.
 */
export class Dispatch1796900000000 implements MigrationInterface {
  name = 'Dispatch1796900000000';

  async up(q: QueryRunner): Promise<void> {
    await q.query(`
      CREATE TABLE provider (
        id uuid PRIMARY KEY DEFAULT gen_random_uuid(),
        name varchar(100) NOT NULL,
        credit_code varchar(18) NOT NULL UNIQUE,
        contact_name varchar(50) NOT NULL,
        contact_phone_e164 varchar(20) NOT NULL,
        district_code varchar(12) NOT NULL REFERENCES district(code),
        services varchar(24)[] NOT NULL DEFAULT '{}',
        centre_lat double precision NOT NULL CHECK (centre_lat BETWEEN -90 AND 90),
        centre_lng double precision NOT NULL CHECK (centre_lng BETWEEN -180 AND 180),
        radius_km real NOT NULL CHECK (radius_km > 0 AND radius_km <= 30),
        status varchar(10) NOT NULL DEFAULT 'active' CHECK (status IN ('active', 'suspended', 'inactive')),
        version integer NOT NULL DEFAULT 1,
        created_at timestamptz NOT NULL DEFAULT now(),
        updated_at timestamptz NOT NULL DEFAULT now()
      )`);
    await q.query(`CREATE INDEX provider_district ON provider (district_code)`);
    await q.query(`CREATE INDEX provider_name ON provider (name)`);

    // Field workers and volunteers share the candidate columns the engine reads.
    const candidateColumns = `
        name varchar(50) NOT NULL,
        gender varchar(6) NOT NULL CHECK (gender IN ('female', 'male')),
        phone_e164 varchar(20) NOT NULL,
        district_code varchar(12) NOT NULL REFERENCES district(code),
        skills varchar(32)[] NOT NULL DEFAULT '{}',
        certifications jsonb NOT NULL DEFAULT '[]',
        weekly jsonb NOT NULL DEFAULT '[]',
        absences jsonb NOT NULL DEFAULT '[]',
        crew_size smallint NOT NULL DEFAULT 1 CHECK (crew_size BETWEEN 1 AND 4),
        max_concurrent_jobs smallint NOT NULL DEFAULT 1 CHECK (max_concurrent_jobs BETWEEN 1 AND 20),
        centre_lat double precision NOT NULL CHECK (centre_lat BETWEEN -90 AND 90),
        centre_lng double precision NOT NULL CHECK (centre_lng BETWEEN -180 AND 180),
        radius_km real NOT NULL CHECK (radius_km > 0 AND radius_km <= 30),
        rating real CHECK (rating BETWEEN 1 AND 5),
        rating_count integer NOT NULL DEFAULT 0,
        last_offered_at timestamptz,
        pin_hash varchar(100) NOT NULL,
        status varchar(10) NOT NULL DEFAULT 'active' CHECK (status IN ('active', 'suspended', 'inactive')),
        version integer NOT NULL DEFAULT 1,
        created_at timestamptz NOT NULL DEFAULT now(),
        updated_at timestamptz NOT NULL DEFAULT now()`;
    await q.query(`
      CREATE TABLE field_worker (
        id uuid PRIMARY KEY DEFAULT gen_random_uuid(),
        provider_id uuid NOT NULL REFERENCES provider(id),
        ${candidateColumns}
      )`);
    await q.query(`
      CREATE TABLE volunteer (
        id uuid PRIMARY KEY DEFAULT gen_random_uuid(),
        staff_user_id uuid REFERENCES staff_user(id),
        ${candidateColumns}
      )`);
    for (const t of ['field_worker', 'volunteer']) {
      await q.query(`CREATE INDEX ${t}_area ON ${t} (centre_lat, centre_lng) WHERE status = 'active'`);
      await q.query(`CREATE INDEX ${t}_district ON ${t} (district_code)`);
      await q.query(`CREATE INDEX ${t}_name ON ${t} (name)`);
    }
    await q.query(`CREATE INDEX field_worker_provider ON field_worker (provider_id)`);
    await q.query(`CREATE UNIQUE INDEX volunteer_staff_user ON volunteer (staff_user_id) WHERE staff_user_id IS NOT NULL`);

    await q.query(`
      CREATE TABLE person_dispatch_pref (
        person_id uuid PRIMARY KEY REFERENCES person(id),
        gender_preference varchar(6) CHECK (gender_preference IN ('female', 'male')),
        two_person_visit boolean NOT NULL DEFAULT false,
        no_lone_volunteer boolean NOT NULL DEFAULT false,
        blocked_candidate_ids uuid[] NOT NULL DEFAULT '{}',
        updated_at timestamptz NOT NULL DEFAULT now()
      )`);

    await q.query(`
      CREATE TABLE service_job (
        id uuid PRIMARY KEY DEFAULT gen_random_uuid(),
        ticket_id uuid NOT NULL REFERENCES ticket(id),
        person_id uuid REFERENCES person(id),
        district_code varchar(12) NOT NULL REFERENCES district(code),
        service varchar(24) NOT NULL,
        task varchar(40),
        priority varchar(2) NOT NULL CHECK (priority IN ('P0','P1','P2','P3')),
        life_or_property boolean NOT NULL DEFAULT false,
        window_start timestamptz NOT NULL,
        window_end timestamptz NOT NULL,
        location_text varchar(200) NOT NULL,
        area_text varchar(60) NOT NULL,
        lat double precision NOT NULL CHECK (lat BETWEEN -90 AND 90),
        lng double precision NOT NULL CHECK (lng BETWEEN -180 AND 180),
        needs text,
        requirements jsonb NOT NULL DEFAULT '{}',
        status varchar(16) NOT NULL DEFAULT 'open'
          CHECK (status IN ('open', 'offering', 'with_dispatcher', 'assigned', 'en_route', 'on_site', 'completed', 'failed', 'cancelled')),
        parallel smallint NOT NULL DEFAULT 1 CHECK (parallel BETWEEN 1 AND 10),
        offer_timeout_seconds integer NOT NULL DEFAULT 120 CHECK (offer_timeout_seconds BETWEEN 10 AND 86400),
        queue uuid[] NOT NULL DEFAULT '{}',
        return_cause varchar(16),
        dispatch_due_at timestamptz NOT NULL,
        sla_alerted_at timestamptz,
        assignee_kind varchar(10) CHECK (assignee_kind IN ('provider', 'volunteer')),
        assignee_id uuid,
        assigned_via varchar(10) CHECK (assigned_via IN ('offer', 'dispatcher')),
        assigned_at timestamptz,
        en_route_at timestamptz,
        check_in_at timestamptz,
        check_in_lat double precision,
        check_in_lng double precision,
        check_out_at timestamptz,
        check_out_lat double precision,
        check_out_lng double precision,
        outcome_notes text,
        failure_reason text,
        duration_minutes integer,
        created_by_id uuid REFERENCES staff_user(id),
        version integer NOT NULL DEFAULT 1,
        created_at timestamptz NOT NULL DEFAULT now(),
        updated_at timestamptz NOT NULL DEFAULT now(),
        CHECK (window_start < window_end),
        CHECK ((assignee_id IS NULL) = (assignee_kind IS NULL))
      )`);
    await q.query(`CREATE INDEX service_job_ticket ON service_job (ticket_id)`);
    await q.query(`CREATE INDEX service_job_board ON service_job (district_code, priority, dispatch_due_at) WHERE status NOT IN ('completed', 'failed', 'cancelled')`);
    await q.query(`CREATE INDEX service_job_assignee ON service_job (assignee_id, status) WHERE assignee_id IS NOT NULL`);
    await q.query(`CREATE INDEX service_job_person ON service_job (person_id, assignee_id) WHERE person_id IS NOT NULL`);

    await q.query(`
      CREATE TABLE job_offer (
        id uuid PRIMARY KEY DEFAULT gen_random_uuid(),
        job_id uuid NOT NULL REFERENCES service_job(id),
        seq smallint NOT NULL,
        candidate_kind varchar(10) NOT NULL CHECK (candidate_kind IN ('provider', 'volunteer')),
        candidate_id uuid NOT NULL,
        channel varchar(8) NOT NULL CHECK (channel IN ('sms', 'voice', 'direct')),
        status varchar(10) NOT NULL DEFAULT 'open' CHECK (status IN ('open', 'accepted', 'declined', 'timed_out', 'withdrawn')),
        sent_at timestamptz NOT NULL,
        expires_at timestamptz NOT NULL,
        answered_at timestamptz,
        ended_at timestamptz,
        answered_via varchar(8) CHECK (answered_via IN ('sms', 'link', 'dispatcher')),
        withdraw_reason varchar(20),
        decline_note text,
        token_hash varchar(64) UNIQUE,
        pin_failures smallint NOT NULL DEFAULT 0,
        field_session_hash varchar(64) UNIQUE,
        field_session_expires_at timestamptz,
        sms_reply_code varchar(8),
        UNIQUE (job_id, seq)
      )`);
    await q.query(`CREATE INDEX job_offer_candidate ON job_offer (candidate_id, status)`);

    await q.query(`
      CREATE TABLE dispatch_timer (
        id bigserial PRIMARY KEY,
        kind varchar(16) NOT NULL CHECK (kind IN ('offer_timeout', 'sla_overdue')),
        job_id uuid NOT NULL REFERENCES service_job(id),
        offer_id uuid REFERENCES job_offer(id),
        due_at timestamptz NOT NULL,
        fired_at timestamptz,
        cancelled_at timestamptz,
        created_at timestamptz NOT NULL DEFAULT now()
      )`);
    await q.query(`CREATE INDEX dispatch_timer_due ON dispatch_timer (due_at) WHERE fired_at IS NULL AND cancelled_at IS NULL`);
    await q.query(`CREATE UNIQUE INDEX dispatch_timer_offer ON dispatch_timer (offer_id) WHERE offer_id IS NOT NULL`);
    await q.query(`CREATE UNIQUE INDEX dispatch_timer_sla ON dispatch_timer (job_id) WHERE kind = 'sla_overdue'`);
  }

  async down(q: QueryRunner): Promise<void> {
    for (const t of ['dispatch_timer', 'job_offer', 'service_job', 'person_dispatch_pref', 'volunteer', 'field_worker', 'provider']) {
      await q.query(`DROP TABLE IF EXISTS ${t}`);
    }
  }
}
