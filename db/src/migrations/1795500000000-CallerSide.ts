import type { MigrationInterface, QueryRunner } from 'typeorm';

/**
 * The caller side: SOS incidents with their escalation chain, the device alarm API (per-device keys,
 * idempotent receipts), device maintenance orders, the durable outbox and inbound SMS receipts.
 * Append-only: never edit, add a new migration.
 */
export class CallerSide1795500000000 implements MigrationInterface {
  name = 'CallerSide1795500000000';

  async up(q: QueryRunner): Promise<void> {
    await q.query(`
      CREATE TABLE sos_incident (
        id uuid PRIMARY KEY DEFAULT gen_random_uuid(),
        ticket_id uuid NOT NULL UNIQUE REFERENCES ticket(id) ON DELETE CASCADE,
        person_id uuid REFERENCES person(id) ON DELETE SET NULL,
        device_id uuid REFERENCES device(id) ON DELETE SET NULL,
        source varchar(16) NOT NULL CHECK (source IN ('device_call','alarm_api','sensor','sms','twilio_call')),
        call_key varchar(100) UNIQUE,
        from_e164 varchar(20),
        district_code varchar(12) NOT NULL REFERENCES district(code),
        silent boolean NOT NULL DEFAULT false,
        status varchar(16) NOT NULL CHECK (status IN ('active','acknowledged','resolved','false_alarm')),
        step int NOT NULL DEFAULT 0,
        next_step_at timestamptz,
        repeat_count int NOT NULL DEFAULT 0,
        raised_at timestamptz NOT NULL,
        acknowledged_at timestamptz,
        acknowledged_by_id uuid REFERENCES staff_user(id) ON DELETE SET NULL,
        closed_at timestamptz
      )`);
    await q.query(`CREATE INDEX idx_sos_due ON sos_incident(next_step_at) WHERE status = 'active'`);
    // One open SOS per person: a further press joins it (concurrent first presses: the loser retries).
    await q.query(`CREATE UNIQUE INDEX idx_sos_person_open ON sos_incident(person_id) WHERE status IN ('active','acknowledged')`);
    await q.query(`CREATE INDEX idx_sos_raised ON sos_incident(raised_at DESC)`);

    await q.query(`
      CREATE TABLE device_alarm_key (
        device_id uuid PRIMARY KEY REFERENCES device(id) ON DELETE CASCADE,
        key_enc text NOT NULL,
        key_hint varchar(8) NOT NULL,
        issued_at timestamptz NOT NULL,
        issued_by_id uuid REFERENCES staff_user(id) ON DELETE SET NULL
      )`);
    await q.query(`
      CREATE TABLE device_alarm (
        id uuid PRIMARY KEY DEFAULT gen_random_uuid(),
        device_id uuid NOT NULL REFERENCES device(id) ON DELETE CASCADE,
        idempotency_key varchar(100) NOT NULL,
        request_hash varchar(64) NOT NULL,
        type varchar(20) NOT NULL,
        occurred_at timestamptz,
        received_at timestamptz NOT NULL,
        outcome varchar(20) NOT NULL,
        ticket_id uuid REFERENCES ticket(id) ON DELETE SET NULL,
        sos_id uuid REFERENCES sos_incident(id) ON DELETE SET NULL,
        response_status smallint NOT NULL,
        response_body jsonb NOT NULL,
        UNIQUE (device_id, idempotency_key)
      )`);
    await q.query(`CREATE INDEX idx_device_alarm_received ON device_alarm(received_at DESC)`);

    await q.query(`
      CREATE TABLE device_maintenance (
        id uuid PRIMARY KEY DEFAULT gen_random_uuid(),
        device_id uuid NOT NULL REFERENCES device(id) ON DELETE CASCADE,
        reason varchar(20) NOT NULL CHECK (reason IN ('low_battery','heartbeat_lost')),
        ticket_id uuid NOT NULL REFERENCES ticket(id) ON DELETE CASCADE,
        opened_at timestamptz NOT NULL
      )`);
    await q.query(`CREATE INDEX idx_device_maintenance_device ON device_maintenance(device_id, reason)`);

    await q.query(`
      CREATE TABLE outbox (
        id uuid PRIMARY KEY DEFAULT gen_random_uuid(),
        kind varchar(16) NOT NULL CHECK (kind IN ('sms','call')),
        idempotency_key varchar(200) NOT NULL UNIQUE,
        payload jsonb NOT NULL,
        status varchar(12) NOT NULL CHECK (status IN ('pending','sending','sent','dead','cancelled')),
        attempts int NOT NULL DEFAULT 0,
        max_attempts int NOT NULL,
        next_attempt_at timestamptz NOT NULL,
        lease_until timestamptz,
        last_error text,
        provider_ref varchar(100),
        ticket_id uuid REFERENCES ticket(id) ON DELETE SET NULL,
        created_at timestamptz NOT NULL,
        sent_at timestamptz
      )`);
    await q.query(`CREATE INDEX idx_outbox_due ON outbox(next_attempt_at) WHERE status IN ('pending','sending')`);
    await q.query(`CREATE INDEX idx_outbox_ticket ON outbox(ticket_id)`);

    await q.query(`
      CREATE TABLE sms_inbound (
        message_sid varchar(64) PRIMARY KEY,
        from_e164 varchar(20),
        body text NOT NULL,
        person_id uuid REFERENCES person(id) ON DELETE SET NULL,
        ticket_id uuid REFERENCES ticket(id) ON DELETE SET NULL,
        outcome varchar(16) NOT NULL,
        reply text NOT NULL,
        received_at timestamptz NOT NULL
      )`);
  }

  async down(q: QueryRunner): Promise<void> {
    for (const table of ['sms_inbound', 'outbox', 'device_maintenance', 'device_alarm', 'device_alarm_key', 'sos_incident']) {
      await q.query(`DROP TABLE IF EXISTS ${table}`);
    }
  }
}
