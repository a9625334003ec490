import type { MigrationInterface, QueryRunner } from 'typeorm';

/**
 * Care campaigns (a cohort by filters, a versioned questionnaire, a schedule and an end date; pause/resume),
 * event calls (birthday, festivals, a supervisor's heat warning for a district) and the answers of a task,
 * tied to the questionnaire version asked. Care tasks gain the kinds `campaign` and `event`; generation stays
 * idempotent through unique indexes. Append-only: never edit, add a new migration.
 */
export class CareCampaigns1796850000000 implements MigrationInterface {
  name = 'CareCampaigns1796850000000';

  async up(q: QueryRunner): Promise<void> {
    await q.query(`
      CREATE TABLE campaign (
        id uuid PRIMARY KEY DEFAULT gen_random_uuid(),
        name varchar(100) NOT NULL,
        district_code varchar(12) NOT NULL,
        filters jsonb NOT NULL DEFAULT '{}',
        status varchar(10) NOT NULL DEFAULT 'draft' CHECK (status IN ('draft', 'active', 'paused', 'ended')),
        repeat varchar(10) NOT NULL CHECK (repeat IN ('once', 'weekly', 'monthly')),
        start_day date NOT NULL,
        end_day date NOT NULL,
        next_run_day date,
        questionnaire_version integer NOT NULL DEFAULT 1,
        version integer NOT NULL DEFAULT 1,
        created_by_id uuid REFERENCES staff_user(id) ON DELETE SET NULL,
        created_at timestamptz NOT NULL DEFAULT now(),
        updated_at timestamptz NOT NULL DEFAULT now(),
        CHECK (start_day <= end_day)
      )`);
    await q.query(`CREATE INDEX campaign_due ON campaign (next_run_day) WHERE status = 'active'`);
    await q.query(`CREATE INDEX campaign_district ON campaign (district_code)`);
    await q.query(`
      CREATE TABLE campaign_questionnaire (
        id uuid PRIMARY KEY DEFAULT gen_random_uuid(),
        campaign_id uuid NOT NULL REFERENCES campaign(id),
        version integer NOT NULL,
        questions jsonb NOT NULL,
        created_by_id uuid REFERENCES staff_user(id) ON DELETE SET NULL,
        created_at timestamptz NOT NULL DEFAULT now(),
        UNIQUE (campaign_id, version)
      )`);
    await q.query(`
      CREATE TABLE care_heat_warning (
        id uuid PRIMARY KEY DEFAULT gen_random_uuid(),
        district_code varchar(12) NOT NULL,
        note text NOT NULL,
        day date NOT NULL,
        tasks integer NOT NULL DEFAULT 0,
        raised_by_id uuid REFERENCES staff_user(id) ON DELETE SET NULL,
        raised_at timestamptz NOT NULL
      )`);
    await q.query(`CREATE INDEX care_heat_warning_district ON care_heat_warning (district_code, raised_at)`);
    await q.query(`ALTER TABLE care_task ADD COLUMN campaign_id uuid REFERENCES campaign(id)`);
    await q.query(`ALTER TABLE care_task ADD COLUMN event varchar(24)`);
    await q.query(`ALTER TABLE care_task ADD COLUMN heat_warning_id uuid REFERENCES care_heat_warning(id)`);
    await q.query(`ALTER TABLE care_task ADD COLUMN questionnaire_id uuid REFERENCES campaign_questionnaire(id)`);
    await q.query(`ALTER TABLE care_task ADD COLUMN answers jsonb`);
    // The kind checks of the Care migration were unnamed: drop every CHECK on care_task and state them again.
    await q.query(`
      DO $$
      DECLARE r record;
      BEGIN
        FOR r IN SELECT conname FROM pg_constraint WHERE conrelid = 'care_task'::regclass AND contype = 'c' LOOP
          EXECUTE format('ALTER TABLE care_task DROP CONSTRAINT %I', r.conname);
        END LOOP;
      END $$`);
    await q.query(`ALTER TABLE care_task ADD CONSTRAINT care_task_kind_check CHECK (kind IN ('care', 'survey', 'campaign', 'event'))`);
    await q.query(`ALTER TABLE care_task ADD CONSTRAINT care_task_status_check CHECK (status IN ('open', 'escalating', 'done', 'failed', 'cancelled'))`);
    await q.query(`ALTER TABLE care_task ADD CONSTRAINT care_task_plan_kind CHECK ((kind = 'care') = (plan_id IS NOT NULL))`);
    await q.query(`ALTER TABLE care_task ADD CONSTRAINT care_task_ticket_kind CHECK ((kind = 'survey') = (ticket_id IS NOT NULL))`);
    await q.query(`ALTER TABLE care_task ADD CONSTRAINT care_task_campaign_kind CHECK ((kind = 'campaign') = (campaign_id IS NOT NULL))`);
    await q.query(`ALTER TABLE care_task ADD CONSTRAINT care_task_event_kind CHECK ((kind = 'event') = (event IS NOT NULL))`);
    await q.query(`CREATE UNIQUE INDEX care_task_campaign_slot ON care_task (campaign_id, person_id, slot) WHERE campaign_id IS NOT NULL`);
    await q.query(`CREATE UNIQUE INDEX care_task_event_slot ON care_task (person_id, event, slot) WHERE event IS NOT NULL`);
  }

  async down(q: QueryRunner): Promise<void> {
    await q.query(`DELETE FROM care_event WHERE task_id IN (SELECT id FROM care_task WHERE kind IN ('campaign', 'event'))`);
    await q.query(`DELETE FROM care_task WHERE kind IN ('campaign', 'event')`);
    await q.query(`DROP INDEX care_task_event_slot`);
    await q.query(`DROP INDEX care_task_campaign_slot`);
    for (const c of ['care_task_event_kind', 'care_task_campaign_kind']) await q.query(`ALTER TABLE care_task DROP CONSTRAINT ${c}`);
    await q.query(`ALTER TABLE care_task DROP CONSTRAINT care_task_kind_check`);
    await q.query(`ALTER TABLE care_task ADD CONSTRAINT care_task_kind_check CHECK (kind IN ('care', 'survey'))`);
    for (const col of ['answers', 'questionnaire_id', 'heat_warning_id', 'event', 'campaign_id']) await q.query(`ALTER TABLE care_task DROP COLUMN ${col}`);
    await q.query('DROP TABLE care_heat_warning');
    await q.query('DROP TABLE campaign_questionnaire');
    await q.query('DROP TABLE campaign');
  }
}
