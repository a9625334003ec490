import type { MigrationInterface, QueryRunner } from 'typeorm';

/** The spine: districts, people, staff, calls, work orders, audit. Append-only: never edit, add a new one. */
export class Spine1795400000000 implements MigrationInterface {
  name = 'Spine1795400000000';

  async up(q: QueryRunner): Promise<void> {
    await q.query(`
      CREATE TABLE district (
        code varchar(12) PRIMARY KEY,
        name varchar(100) NOT NULL,
        level varchar(16) NOT NULL CHECK (level IN ('city','district','street','community')),
        parent_code varchar(12) REFERENCES district(code)
      )`);
    await q.query(`CREATE INDEX idx_district_parent ON district(parent_code)`);
    await q.query(`
      CREATE TABLE staff_user (
        id uuid PRIMARY KEY DEFAULT gen_random_uuid(),
        username varchar(64) NOT NULL UNIQUE,
        display_name varchar(100) NOT NULL,
        password_hash varchar(100) NOT NULL,
        role varchar(20) NOT NULL CHECK (role IN ('agent','dispatcher','supervisor','admin','security_admin','auditor')),
        skills text[] NOT NULL DEFAULT '{}',
        sip_extension varchar(20) UNIQUE,
        district_code varchar(12) NOT NULL REFERENCES district(code),
        failed_logins int NOT NULL DEFAULT 0,
        locked_until timestamptz,
        active boolean NOT NULL DEFAULT true,
        created_at timestamptz NOT NULL DEFAULT now()
      )`);
    await q.query(`
      CREATE TABLE staff_session (
        token_hash varchar(64) PRIMARY KEY,
        user_id uuid NOT NULL REFERENCES staff_user(id) ON DELETE CASCADE,
        expires_at timestamptz NOT NULL,
        created_at timestamptz NOT NULL DEFAULT now()
      )`);
    await q.query(`
      CREATE TABLE person (
        id uuid PRIMARY KEY DEFAULT gen_random_uuid(),
        name varchar(50) NOT NULL,
        gender varchar(1) NOT NULL CHECK (gender IN ('M','F')),
        birth_date date,
        id_number_enc text,
        id_number_hash varchar(64),
        cert_number_enc text,
        cert_number_hash varchar(64),
        disability_category smallint CHECK (disability_category BETWEEN 1 AND 7),
        disability_level smallint CHECK (disability_level BETWEEN 1 AND 4),
        sub_disabilities smallint[] NOT NULL DEFAULT '{}',
        living_situation varchar(20),
        risk_tier varchar(10) NOT NULL DEFAULT 'general' CHECK (risk_tier IN ('high','key','general')),
        district_code varchar(12) NOT NULL REFERENCES district(code),
        address varchar(200),
        lat double precision,
        lng double precision,
        communication_need varchar(24) NOT NULL DEFAULT 'voice',
        dialect varchar(30),
        medical_notes_enc text,
        created_at timestamptz NOT NULL DEFAULT now(),
        updated_at timestamptz NOT NULL DEFAULT now()
      )`);
    await q.query(`CREATE UNIQUE INDEX idx_person_id_hash ON person(id_number_hash)`);
    await q.query(`CREATE UNIQUE INDEX idx_person_cert_hash ON person(cert_number_hash)`);
    await q.query(`CREATE INDEX idx_person_district ON person(district_code)`);
    await q.query(`CREATE INDEX idx_person_name ON person(name)`);
    await q.query(`
      CREATE TABLE contact (
        id uuid PRIMARY KEY DEFAULT gen_random_uuid(),
        person_id uuid NOT NULL REFERENCES person(id) ON DELETE CASCADE,
        name varchar(50) NOT NULL,
        relation varchar(20) NOT NULL,
        is_guardian boolean NOT NULL DEFAULT false,
        priority smallint NOT NULL DEFAULT 1,
        notify_on_emergency boolean NOT NULL DEFAULT true,
        phone_e164 varchar(20) NOT NULL
      )`);
    await q.query(`CREATE INDEX idx_contact_person ON contact(person_id)`);
    await q.query(`
      CREATE TABLE phone_number (
        id uuid PRIMARY KEY DEFAULT gen_random_uuid(),
        e164 varchar(20) NOT NULL,
        kind varchar(12) NOT NULL CHECK (kind IN ('mobile','landline','sos_device','service')),
        person_id uuid REFERENCES person(id) ON DELETE CASCADE,
        contact_id uuid REFERENCES contact(id) ON DELETE CASCADE,
        CHECK ((person_id IS NULL) <> (contact_id IS NULL))
      )`);
    await q.query(`CREATE INDEX idx_phone_e164 ON phone_number(e164)`);
    await q.query(`CREATE INDEX idx_phone_person ON phone_number(person_id)`);
    await q.query(`
      CREATE TABLE device (
        id uuid PRIMARY KEY DEFAULT gen_random_uuid(),
        person_id uuid NOT NULL REFERENCES person(id) ON DELETE CASCADE,
        kind varchar(20) NOT NULL,
        serial varchar(64) NOT NULL UNIQUE,
        mode varchar(8) NOT NULL DEFAULT 'home' CHECK (mode IN ('home','away','sleep')),
        armed boolean NOT NULL DEFAULT true,
        battery smallint,
        last_heartbeat_at timestamptz,
        phone_e164 varchar(20)
      )`);
    await q.query(`CREATE INDEX idx_device_person ON device(person_id)`);
    await q.query(`
      CREATE TABLE call (
        id uuid PRIMARY KEY DEFAULT gen_random_uuid(),
        call_key varchar(100) NOT NULL UNIQUE,
        direction varchar(10) NOT NULL CHECK (direction IN ('inbound','outbound')),
        status varchar(12) NOT NULL,
        from_raw varchar(40),
        from_e164 varchar(20),
        to_e164 varchar(20),
        person_id uuid REFERENCES person(id) ON DELETE SET NULL,
        ivr_choice varchar(8),
        queue varchar(40),
        priority smallint NOT NULL DEFAULT 0,
        is_sos boolean NOT NULL DEFAULT false,
        agent_extension varchar(20),
        agent_user_id uuid REFERENCES staff_user(id) ON DELETE SET NULL,
        offered_at timestamptz,
        answered_at timestamptz,
        ended_at timestamptz,
        wait_seconds int,
        talk_seconds int,
        hangup_cause smallint,
        end_reason varchar(16),
        recording_ref varchar(200),
        ami_linked_id varchar(40),
        twilio_call_sid varchar(40),
        originate_request_id varchar(64),
        needs_follow_up boolean NOT NULL DEFAULT false,
        created_at timestamptz NOT NULL DEFAULT now(),
        updated_at timestamptz NOT NULL DEFAULT now()
      )`);
    await q.query(`CREATE INDEX idx_call_from ON call(from_e164)`);
    await q.query(`CREATE INDEX idx_call_person ON call(person_id, offered_at DESC)`);
    await q.query(`CREATE INDEX idx_call_offered ON call(offered_at DESC)`);
    await q.query(`CREATE INDEX idx_call_follow_up ON call(needs_follow_up) WHERE needs_follow_up`);
    await q.query(`
      CREATE TABLE ticket (
        id uuid PRIMARY KEY DEFAULT gen_random_uuid(),
        number varchar(16) NOT NULL UNIQUE,
        category varchar(16) NOT NULL,
        service_type varchar(24),
        priority varchar(2) NOT NULL CHECK (priority IN ('P0','P1','P2','P3')),
        status varchar(20) NOT NULL,
        person_id uuid REFERENCES person(id) ON DELETE SET NULL,
        caller_relation varchar(12) NOT NULL,
        channel varchar(16) NOT NULL,
        summary text NOT NULL,
        district_code varchar(12) NOT NULL REFERENCES district(code),
        sla_due_at timestamptz,
        assignee_id uuid REFERENCES staff_user(id),
        created_by_id uuid NOT NULL REFERENCES staff_user(id),
        confidential boolean NOT NULL DEFAULT false,
        satisfaction varchar(24),
        closed_at timestamptz,
        version int NOT NULL DEFAULT 1,
        created_at timestamptz NOT NULL DEFAULT now(),
        updated_at timestamptz NOT NULL DEFAULT now()
      )`);
    await q.query(`CREATE INDEX idx_ticket_status ON ticket(status)`);
    await q.query(`CREATE INDEX idx_ticket_person ON ticket(person_id)`);
    await q.query(`CREATE INDEX idx_ticket_created ON ticket(created_at DESC)`);
    await q.query(`
      CREATE TABLE ticket_call (
        ticket_id uuid NOT NULL REFERENCES ticket(id) ON DELETE CASCADE,
        call_id uuid NOT NULL REFERENCES call(id) ON DELETE CASCADE,
        PRIMARY KEY (ticket_id, call_id)
      )`);
    await q.query(`CREATE INDEX idx_ticket_call_call ON ticket_call(call_id)`);
    await q.query(`
      CREATE TABLE ticket_event (
        id bigserial PRIMARY KEY,
        ticket_id uuid NOT NULL REFERENCES ticket(id) ON DELETE CASCADE,
        at timestamptz NOT NULL,
        actor_id uuid REFERENCES staff_user(id),
        kind varchar(20) NOT NULL,
        from_status varchar(20),
        to_status varchar(20),
        note text
      )`);
    await q.query(`CREATE INDEX idx_ticket_event_ticket ON ticket_event(ticket_id, id)`);
    await q.query(`
      CREATE TABLE ticket_number_counter (
        day varchar(8) PRIMARY KEY,
        last int NOT NULL
      )`);
    await q.query(`
      CREATE TABLE audit_log (
        id bigserial PRIMARY KEY,
        at timestamptz NOT NULL,
        actor_id uuid,
        actor_username varchar(64),
        action varchar(40) NOT NULL,
        subject_type varchar(20),
        subject_id varchar(64),
        purpose varchar(200),
        outcome varchar(12) NOT NULL,
        ip varchar(64),
        prev_hash varchar(64) NOT NULL,
        hash varchar(64) NOT NULL
      )`);
    await q.query(`CREATE INDEX idx_audit_subject ON audit_log(subject_type, subject_id)`);
  }

  async down(q: QueryRunner): Promise<void> {
    for (const t of ['audit_log', 'ticket_number_counter', 'ticket_event', 'ticket_call', 'ticket', 'call', 'device', 'phone_number', 'contact', 'person', 'staff_session', 'staff_user', 'district']) {
      await q.query(`DROP TABLE IF EXISTS ${t}`);
    }
  }
}
