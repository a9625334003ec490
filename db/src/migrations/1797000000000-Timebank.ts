import type { MigrationInterface, QueryRunner } from 'typeorm';

/**
 * The time bank (时间银行, issue 11): the append-only double-entry ledger of time coins with cached balances,
 * corrections waiting for a second person, the shop (goods and services) and its redemptions, activities and
 * their rosters, public volunteer sign-ups, training records, the volunteer portal's one-time links and
 * sessions, a durable throttle for the public routes, and donations (donors, gifts, allocations).
 * Foreign keys to dispatch's `volunteer` and `service_job` come in the next migration.
 * Append-only: never edit, add a new migration.
 */
export class Timebank1797000000000 implements MigrationInterface {
  name = 'Timebank1797000000000';

  async up(q: QueryRunner): Promise<void> {
    await q.query(`
      CREATE TABLE time_coin_entry (
        seq bigserial PRIMARY KEY,
        transaction_id varchar(80) NOT NULL,
        leg varchar(6) NOT NULL CHECK (leg IN ('debit', 'credit')),
        account_id varchar(80) NOT NULL,
        counterparty_account_id varchar(80) NOT NULL,
        units integer NOT NULL CHECK (units <> 0 AND ((leg = 'debit') = (units < 0))),
        kind varchar(16) NOT NULL CHECK (kind IN ('earn', 'redeem_goods', 'redeem_service', 'transfer', 'donate', 'expire', 'adjustment', 'reversal', 'refund')),
        at timestamptz NOT NULL,
        idempotency_key varchar(200),
        reference varchar(200),
        reverses_transaction_id varchar(80),
        maker_id varchar(64),
        checker_id varchar(64),
        note varchar(500),
        CHECK (account_id <> counterparty_account_id),
        CHECK (checker_id IS NULL OR checker_id <> maker_id)
      )`);
    await q.query(`CREATE UNIQUE INDEX time_coin_entry_leg ON time_coin_entry (transaction_id, leg)`);
    await q.query(`CREATE UNIQUE INDEX time_coin_entry_key ON time_coin_entry (idempotency_key, leg) WHERE idempotency_key IS NOT NULL`);
    await q.query(`CREATE INDEX time_coin_entry_account ON time_coin_entry (account_id, seq)`);
    await q.query(`CREATE UNIQUE INDEX time_coin_entry_undone ON time_coin_entry (reverses_transaction_id, leg) WHERE reverses_transaction_id IS NOT NULL`);
    await q.query(`CREATE INDEX time_coin_entry_at ON time_coin_entry (at)`);
    // Append-only: a correction is a new pair of entries, never an edit.
    await q.query(`
      CREATE FUNCTION time_coin_entry_append_only() RETURNS trigger LANGUAGE plpgsql AS $$
      BEGIN
        RAISE EXCEPTION 'time_coin_entry is append-only';
      END $$`);
    await q.query(`CREATE TRIGGER time_coin_entry_no_change BEFORE UPDATE OR DELETE ON time_coin_entry FOR EACH ROW EXECUTE FUNCTION time_coin_entry_append_only()`);
    await q.query(`
      CREATE TABLE time_coin_balance (
        account_id varchar(80) PRIMARY KEY,
        units bigint NOT NULL DEFAULT 0 CHECK (units >= 0),
        updated_at timestamptz NOT NULL DEFAULT now()
      )`);

    await q.query(`
      CREATE TABLE timebank_approval (
        id uuid PRIMARY KEY DEFAULT gen_random_uuid(),
        type varchar(8) NOT NULL CHECK (type IN ('adjust', 'reverse')),
        status varchar(10) NOT NULL DEFAULT 'pending' CHECK (status IN ('pending', 'approved', 'rejected')),
        account_id varchar(80) NOT NULL,
        volunteer_id uuid,
        district_code varchar(12),
        units integer NOT NULL,
        transaction_id varchar(80),
        note varchar(200) NOT NULL,
        maker_id uuid NOT NULL REFERENCES staff_user(id),
        requested_at timestamptz NOT NULL,
        checker_id uuid REFERENCES staff_user(id),
        decided_at timestamptz,
        reject_reason varchar(200),
        result_transaction_id varchar(80),
        CHECK ((type = 'reverse') = (transaction_id IS NOT NULL))
      )`);
    await q.query(`CREATE INDEX timebank_approval_status ON timebank_approval (status, requested_at)`);

    await q.query(`
      CREATE TABLE shop_item (
        id uuid PRIMARY KEY DEFAULT gen_random_uuid(),
        kind varchar(8) NOT NULL CHECK (kind IN ('goods', 'service')),
        name varchar(100) NOT NULL,
        description varchar(1000),
        price_units integer NOT NULL CHECK (price_units > 0),
        stock integer CHECK (stock >= 0),
        service_type varchar(24),
        active boolean NOT NULL DEFAULT true,
        created_at timestamptz NOT NULL DEFAULT now(),
        updated_at timestamptz NOT NULL DEFAULT now(),
        CHECK ((kind = 'goods') = (stock IS NOT NULL)),
        CHECK ((kind = 'service') = (service_type IS NOT NULL))
      )`);
    await q.query(`
      CREATE TABLE shop_redemption (
        id uuid PRIMARY KEY DEFAULT gen_random_uuid(),
        volunteer_id uuid NOT NULL,
        district_code varchar(12) NOT NULL,
        item_id uuid NOT NULL REFERENCES shop_item(id),
        kind varchar(8) NOT NULL CHECK (kind IN ('goods', 'service')),
        quantity smallint NOT NULL CHECK (quantity BETWEEN 1 AND 20),
        units integer NOT NULL CHECK (units > 0),
        status varchar(10) NOT NULL DEFAULT 'placed' CHECK (status IN ('placed', 'cancelled')),
        transaction_id varchar(80) NOT NULL UNIQUE,
        refund_transaction_id varchar(80) UNIQUE,
        recipient_person_id uuid REFERENCES person(id),
        ticket_id uuid REFERENCES ticket(id),
        idempotency_key varchar(100) NOT NULL UNIQUE,
        placed_at timestamptz NOT NULL,
        placed_by uuid REFERENCES staff_user(id),
        cancelled_at timestamptz,
        cancelled_by uuid REFERENCES staff_user(id),
        cancel_reason varchar(200)
      )`);
    await q.query(`CREATE INDEX shop_redemption_volunteer ON shop_redemption (volunteer_id, placed_at)`);

    await q.query(`
      CREATE TABLE timebank_activity (
        id uuid PRIMARY KEY DEFAULT gen_random_uuid(),
        title varchar(100) NOT NULL,
        description varchar(2000),
        district_code varchar(12) NOT NULL REFERENCES district(code),
        location varchar(200) NOT NULL,
        starts_at timestamptz NOT NULL,
        ends_at timestamptz NOT NULL,
        capacity integer NOT NULL CHECK (capacity BETWEEN 1 AND 10000),
        signed_up integer NOT NULL DEFAULT 0,
        status varchar(8) NOT NULL DEFAULT 'open' CHECK (status IN ('open', 'closed')),
        created_by uuid NOT NULL REFERENCES staff_user(id),
        attendance_confirmed_by uuid REFERENCES staff_user(id),
        credited_at timestamptz,
        created_at timestamptz NOT NULL DEFAULT now(),
        CHECK (starts_at < ends_at),
        CHECK (signed_up BETWEEN 0 AND capacity)
      )`);
    await q.query(`CREATE INDEX timebank_activity_district ON timebank_activity (district_code, starts_at)`);
    await q.query(`
      CREATE TABLE timebank_activity_signup (
        activity_id uuid NOT NULL REFERENCES timebank_activity(id),
        volunteer_id uuid NOT NULL,
        signed_up_at timestamptz NOT NULL,
        attended boolean,
        check_in_at timestamptz,
        check_out_at timestamptz,
        credited_units integer,
        transaction_id varchar(80),
        PRIMARY KEY (activity_id, volunteer_id),
        CHECK (check_in_at IS NULL OR check_out_at > check_in_at)
      )`);

    await q.query(`
      CREATE TABLE volunteer_signup (
        id uuid PRIMARY KEY DEFAULT gen_random_uuid(),
        name varchar(30) NOT NULL,
        phone_e164 varchar(20) NOT NULL,
        district_code varchar(12) NOT NULL REFERENCES district(code),
        skills varchar(32)[] NOT NULL DEFAULT '{}',
        availability varchar(200),
        note varchar(500),
        status varchar(10) NOT NULL DEFAULT 'pending' CHECK (status IN ('pending', 'approved', 'rejected')),
        created_at timestamptz NOT NULL,
        decided_at timestamptz,
        decided_by uuid REFERENCES staff_user(id),
        reject_reason varchar(200),
        volunteer_id uuid
      )`);
    await q.query(`CREATE UNIQUE INDEX volunteer_signup_pending_phone ON volunteer_signup (phone_e164) WHERE status = 'pending'`);
    await q.query(`CREATE INDEX volunteer_signup_status ON volunteer_signup (status, district_code, created_at)`);
    await q.query(`
      CREATE TABLE volunteer_training (
        id uuid PRIMARY KEY DEFAULT gen_random_uuid(),
        volunteer_id uuid NOT NULL,
        course varchar(100) NOT NULL,
        hours numeric(5,1) NOT NULL CHECK (hours > 0 AND hours <= 200),
        completed_on date NOT NULL,
        organiser varchar(100),
        recorded_by uuid NOT NULL REFERENCES staff_user(id),
        created_at timestamptz NOT NULL DEFAULT now()
      )`);
    await q.query(`CREATE INDEX volunteer_training_volunteer ON volunteer_training (volunteer_id)`);
    await q.query(`
      CREATE TABLE volunteer_portal_link (
        code_hash varchar(64) PRIMARY KEY,
        volunteer_id uuid NOT NULL,
        created_by uuid NOT NULL REFERENCES staff_user(id),
        created_at timestamptz NOT NULL,
        expires_at timestamptz NOT NULL,
        used_at timestamptz
      )`);
    await q.query(`
      CREATE TABLE volunteer_portal_session (
        token_hash varchar(64) PRIMARY KEY,
        volunteer_id uuid NOT NULL,
        created_at timestamptz NOT NULL,
        expires_at timestamptz NOT NULL,
        ended_at timestamptz
      )`);
    await q.query(`
      CREATE TABLE timebank_throttle (
        key varchar(64) PRIMARY KEY,
        window_start timestamptz NOT NULL,
        count integer NOT NULL
      )`);

    await q.query(`
      CREATE TABLE donor (
        id uuid PRIMARY KEY DEFAULT gen_random_uuid(),
        kind varchar(12) NOT NULL CHECK (kind IN ('person', 'organisation')),
        name varchar(100) NOT NULL,
        phone_e164 varchar(20),
        contact varchar(100),
        district_code varchar(12) NOT NULL REFERENCES district(code),
        note varchar(500),
        created_by uuid NOT NULL REFERENCES staff_user(id),
        created_at timestamptz NOT NULL DEFAULT now()
      )`);
    await q.query(`CREATE INDEX donor_district ON donor (district_code, name)`);
    await q.query(`
      CREATE TABLE donation_gift (
        id uuid PRIMARY KEY DEFAULT gen_random_uuid(),
        donor_id uuid NOT NULL REFERENCES donor(id),
        kind varchar(6) NOT NULL CHECK (kind IN ('goods', 'money')),
        district_code varchar(12) NOT NULL REFERENCES district(code),
        received_on date NOT NULL,
        items jsonb,
        amount_fen bigint CHECK (amount_fen > 0),
        channel varchar(16),
        receipt_no varchar(50),
        note varchar(500),
        created_by uuid NOT NULL REFERENCES staff_user(id),
        created_at timestamptz NOT NULL DEFAULT now(),
        CHECK ((kind = 'goods') = (items IS NOT NULL)),
        CHECK ((kind = 'money') = (amount_fen IS NOT NULL AND channel IS NOT NULL AND receipt_no IS NOT NULL))
      )`);
    await q.query(`CREATE UNIQUE INDEX donation_gift_receipt ON donation_gift (receipt_no) WHERE receipt_no IS NOT NULL`);
    await q.query(`CREATE INDEX donation_gift_donor ON donation_gift (donor_id)`);
    await q.query(`
      CREATE TABLE donation_allocation (
        id uuid PRIMARY KEY DEFAULT gen_random_uuid(),
        gift_id uuid NOT NULL REFERENCES donation_gift(id),
        destination_kind varchar(12) NOT NULL CHECK (destination_kind IN ('person', 'activity', 'shop_stock')),
        destination_id uuid NOT NULL,
        item_id varchar(40),
        quantity integer CHECK (quantity <> 0),
        amount_fen bigint CHECK (amount_fen <> 0),
        returns_allocation_id uuid REFERENCES donation_allocation(id),
        note varchar(500),
        at timestamptz NOT NULL,
        by_id uuid NOT NULL REFERENCES staff_user(id),
        CHECK ((quantity IS NULL) <> (amount_fen IS NULL))
      )`);
    await q.query(`CREATE INDEX donation_allocation_gift ON donation_allocation (gift_id, at)`);
    await q.query(`CREATE INDEX donation_allocation_destination ON donation_allocation (destination_kind, destination_id)`);
  }

  async down(q: QueryRunner): Promise<void> {
    for (const t of [
      'donation_allocation',
      'donation_gift',
      'donor',
      'timebank_throttle',
      'volunteer_portal_session',
      'volunteer_portal_link',
      'volunteer_training',
      'volunteer_signup',
      'timebank_activity_signup',
      'timebank_activity',
      'shop_redemption',
      'shop_item',
      'timebank_approval',
      'time_coin_balance',
      'time_coin_entry',
    ]) {
      await q.query(`DROP TABLE ${t}`);
    }
    await q.query(`DROP FUNCTION time_coin_entry_append_only()`);
  }
}
