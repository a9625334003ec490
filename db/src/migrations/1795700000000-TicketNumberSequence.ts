import type { MigrationInterface, QueryRunner } from 'typeorm';

/**
 * Work-order numbers (`YYYYMMDD-NNNN`) come from one sequence per day instead of the per-day counter row.
 *
 * Why: the counter row was locked by every ticket-creating transaction until its COMMIT, so all of them
 * (each SOS alarm among them) queued behind one row. `nextval` takes no lock that lasts. The price: a
 * transaction that rolls back leaves a gap in the day's numbers, as any sequence does.
 *
 * `anxin_next_ticket_seq(day)` creates the day's sequence on its first use (starting after that day's
 * counter, so a day that began under the old scheme carries on without reusing a number); a concurrent first
 * use waits for the creator, then takes its next value. Append-only: never edit, add a new migration.
 */
export class TicketNumberSequence1795700000000 implements MigrationInterface {
  name = 'TicketNumberSequence1795700000000';

  async up(q: QueryRunner): Promise<void> {
    await q.query(`
      CREATE FUNCTION anxin_next_ticket_seq(day text) RETURNS bigint LANGUAGE plpgsql AS $$
      DECLARE
        seq_name text := 'ticket_no_' || day;
        start_at bigint;
      BEGIN
        IF day !~ '^[0-9]{8}$' THEN
          RAISE EXCEPTION 'ticket number day must be YYYYMMDD, got %', day USING ERRCODE = '22023';
        END IF;
        BEGIN
          RETURN nextval(seq_name);
        EXCEPTION WHEN undefined_table THEN
          SELECT COALESCE((SELECT last FROM ticket_number_counter c WHERE c.day = anxin_next_ticket_seq.day), 0) + 1 INTO start_at;
          BEGIN
            EXECUTE format('CREATE SEQUENCE %I START %s', seq_name, start_at);
          EXCEPTION WHEN duplicate_table OR unique_violation THEN
            NULL; -- another transaction created it first
          END;
          RETURN nextval(seq_name);
        END;
      END $$`);
  }

  async down(q: QueryRunner): Promise<void> {
    await q.query('DROP FUNCTION anxin_next_ticket_seq(text)');
  }
}
