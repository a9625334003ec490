import type { DataSource, EntityManager } from 'typeorm';
import type { AuditService } from '../audit/audit.service';
import { inScope, type Actor } from '../auth/auth.service';
import { AppError } from '../shared/app-error';
import type { Clock } from '../shared/clock';
import type { DomainEvents } from '../shared/domain-events';
import { answersProblem, maskName, type CampaignRepeat, type CampaignStatus, type Question } from './campaign';
import { COHORT_WHERE, cohortParams, districtsOf, insertTasks, TARGET_COLUMNS, TARGET_JOIN, windowOfTarget, type CallTarget, type Cohort } from './campaign-tasks';
import type { CreateCampaignInput, UpdateCampaignInput } from './campaign.schema';
import { dueAtOf, riskRank, shanghaiDate, slotAfter, slotOnOrAfter } from './care-recurrence';
import type { CareTask } from './care.entity';

/** A campaign as the API shows it (no personal data). */
export interface CampaignView {
  id: string;
  name: string;
  districtCode: string;
  filters: Cohort['filters'];
  status: CampaignStatus;
  repeat: CampaignRepeat;
  startDay: string;
  endDay: string;
  nextRunDay: string | null;
  questionnaireVersion: number;
  version: number;
  questions: Question[];
  tasks: { open: number; done: number; other: number };
}

export interface CohortPreview {
  count: number;
  /** Up to five persons, masked to the surname, with tier and district only. */
  sample: Array<{ name: string; riskTier: string; districtCode: string }>;
}

const BATCH = 5000;

/**
 * Campaigns: a cohort by filters evaluated in SQL (a live count before launch), a versioned questionnaire
 * (an edit makes a new version; answers keep the version asked), a schedule up to an end date, launch, pause
 * and resume. The generator (run by the `care-generate` job) creates one task per person and run day,
 * idempotently, due at the first open minute of the person's window.
 */
export class CampaignService {
  constructor(
    private readonly ds: DataSource,
    private readonly audit: AuditService,
    private readonly events: DomainEvents,
    private readonly clock: Clock,
  ) {}

  /** Count the cohort and show a masked sample; out-of-scope districts answer 404. An audited read of the sample. */
  async preview(actor: Actor, cohort: Cohort): Promise<CohortPreview> {
    await this.districtInScope(this.ds.manager, actor, cohort.districtCode);
    const now = this.clock.now();
    const params = cohortParams(cohort, shanghaiDate(now), now);
    const [{ count }]: Array<{ count: string }> = await this.ds.query(`SELECT count(*) AS count FROM person p WHERE ${COHORT_WHERE}`, params);
    const rows: Array<{ id: string; name: string; risk_tier: string; district_code: string }> = await this.ds.query(`SELECT p.id, p.name, p.risk_tier, p.district_code FROM person p WHERE ${COHORT_WHERE} ORDER BY p.id LIMIT 5`, params);
    await this.audit.record({ actorId: actor.userId, actorUsername: actor.username, action: 'care.campaign.preview', subjects: rows.map((r) => ({ type: 'person', id: r.id })), outcome: 'ok' });
    return { count: Number(count), sample: rows.map((r) => ({ name: maskName(r.name), riskTier: r.risk_tier, districtCode: r.district_code })) };
  }

  /** Create a draft campaign with questionnaire version 1. */
  async create(actor: Actor, input: CreateCampaignInput): Promise<CampaignView> {
    const id = await this.ds.transaction(async (m) => {
      await this.districtInScope(m, actor, input.districtCode);
      const [row]: Array<{ id: string }> = await m.query(
        `INSERT INTO campaign (name, district_code, filters, repeat, start_day, end_day, created_by_id) VALUES ($1, $2, $3, $4, $5, $6, $7) RETURNING id`,
        [input.name, input.districtCode, JSON.stringify(input.filters), input.repeat, input.startDay, input.endDay, actor.userId],
      );
      await m.query(`INSERT INTO campaign_questionnaire (campaign_id, version, questions, created_by_id) VALUES ($1, 1, $2, $3)`, [row!.id, JSON.stringify(input.questions), actor.userId]);
      await this.audit.record({ actorId: actor.userId, actorUsername: actor.username, action: 'care.campaign.create', subjectType: 'campaign', subjectId: row!.id, outcome: 'ok' }, m);
      return row!.id;
    });
    return this.get(actor, id);
  }

  async list(actor: Actor, q: { limit: number; offset: number }): Promise<{ items: CampaignView[]; total: number }> {
    const rows: CampaignRow[] = await this.ds.query(`${CAMPAIGN_SELECT} WHERE c.district_code LIKE $1 || '%' ORDER BY c.created_at DESC, c.id LIMIT $2 OFFSET $3`, [actor.scopePrefix ?? '', q.limit, q.offset]);
    return { items: rows.map(viewOf), total: Number(rows[0]?.total ?? 0) };
  }

  async get(actor: Actor, id: string): Promise<CampaignView> {
    const [row]: CampaignRow[] = await this.ds.query(`${CAMPAIGN_SELECT} WHERE c.id = $1 AND c.district_code LIKE $2 || '%'`, [id, actor.scopePrefix ?? '']);
    if (!row) throw new AppError('care/not-found', `活动 ${id} 不存在`);
    return viewOf(row);
  }

  /** Edit name, filters, end date or questions (a new questionnaire version); the version read must be current. */
  async update(actor: Actor, id: string, input: UpdateCampaignInput): Promise<CampaignView> {
    await this.ds.transaction(async (m) => {
      const c = await this.lock(m, actor, id);
      if (c.version !== input.version) throw new AppError('conflict', `活动已被他人修改（版本 ${c.version}），请刷新后重试`);
      if (c.status === 'ended') throw new AppError('conflict', '活动已结束，不能再修改');
      if (input.filters) await this.districtInScope(m, actor, c.district_code);
      if (input.endDay && input.endDay < c.start_day) throw new AppError('validation/invalid', '结束日期不能早于开始日期');
      let qv = c.questionnaire_version;
      if (input.questions) {
        const [cur]: Array<{ questions: Question[] }> = await m.query(`SELECT questions FROM campaign_questionnaire WHERE campaign_id = $1 AND version = $2`, [id, qv]);
        if (JSON.stringify(cur?.questions) !== JSON.stringify(input.questions)) {
          qv += 1;
          await m.query(`INSERT INTO campaign_questionnaire (campaign_id, version, questions, created_by_id) VALUES ($1, $2, $3, $4)`, [id, qv, JSON.stringify(input.questions), actor.userId]);
        }
      }
      await m.query(
        `UPDATE campaign SET name = COALESCE($2, name), filters = COALESCE($3::jsonb, filters), end_day = COALESCE($4::date, end_day), questionnaire_version = $5, version = version + 1, updated_at = $6 WHERE id = $1`,
        [id, input.name ?? null, input.filters ? JSON.stringify(input.filters) : null, input.endDay ?? null, qv, this.clock.now()],
      );
      await this.audit.record({ actorId: actor.userId, actorUsername: actor.username, action: 'care.campaign.update', subjectType: 'campaign', subjectId: id, outcome: 'ok' }, m);
    });
    return this.get(actor, id);
  }

  /** draft → active: the first run is the start day (or today when that has passed). */
  async launch(actor: Actor, id: string): Promise<CampaignView> {
    return this.transition(actor, id, 'launch', ['draft'], (c, today) => {
      const first = c.repeat === 'once' ? (c.start_day > today ? c.start_day : today) : slotOnOrAfter({ cadence: c.repeat, anchorDay: c.start_day }, today);
      if (first > c.end_day) throw new AppError('conflict', '活动已过结束日期，不能启动');
      return { status: 'active', nextRunDay: first };
    });
  }

  /** active → paused: generates nothing, and its open tasks leave the work list until resumed. */
  async pause(actor: Actor, id: string): Promise<CampaignView> {
    return this.transition(actor, id, 'pause', ['active'], (c) => ({ status: 'paused', nextRunDay: c.next_run_day }));
  }

  /** paused → active: the next run is kept (a run missed meanwhile happens today, once). */
  async resume(actor: Actor, id: string): Promise<CampaignView> {
    return this.transition(actor, id, 'resume', ['paused'], (c) => ({ status: 'active', nextRunDay: c.next_run_day }));
  }

  /** The questionnaire of a campaign task the agent works on (null for other tasks). */
  async questionnaireOf(actor: Actor, taskId: string): Promise<{ campaignId: string; campaignName: string; version: number; questions: Question[] } | null> {
    const [t]: Array<{ campaign_id: string | null; district_code: string }> = await this.ds.query(`SELECT campaign_id, district_code FROM care_task WHERE id = $1`, [taskId]);
    if (!t || !inScope(actor, t.district_code)) throw new AppError('care/not-found', `关怀任务 ${taskId} 不存在`);
    if (!t.campaign_id) return null;
    const [q]: Array<{ name: string; version: number; questions: Question[] }> = await this.ds.query(
      `SELECT c.name, q.version, q.questions FROM campaign c JOIN campaign_questionnaire q ON q.campaign_id = c.id AND q.version = c.questionnaire_version WHERE c.id = $1`,
      [t.campaign_id],
    );
    return { campaignId: t.campaign_id, campaignName: q!.name, version: q!.version, questions: q!.questions };
  }

  /**
   * Create the tasks of every active campaign due today (one per cohort person and run day; a rerun or a
   * crash half-way creates nothing twice) and move each campaign to its next run, or end it after its end day.
   * @example await campaigns.generate(); await campaigns.generate(); // the second run creates 0
   */
  async generate(): Promise<number> {
    const now = this.clock.now();
    const today = shanghaiDate(now);
    const due: CampaignRow[] = await this.ds.query(`${CAMPAIGN_SELECT} WHERE c.status = 'active' AND c.next_run_day <= $1::date ORDER BY c.next_run_day, c.id`, [today]);
    let created = 0;
    for (const c of due) {
      if (today > c.end_day) {
        await this.ds.query(`UPDATE campaign SET status = 'ended', next_run_day = NULL, updated_at = $2 WHERE id = $1 AND status = 'active'`, [c.id, now]);
        continue;
      }
      const cohort: Cohort = { districtCode: c.district_code, filters: c.filters };
      const districts = new Set<string>();
      for (let after = '00000000-0000-0000-0000-000000000000'; ; ) {
        const batch = await this.ds.transaction(async (m) => {
          const [still]: Array<{ status: string }> = await m.query(`SELECT status FROM campaign WHERE id = $1 FOR UPDATE`, [c.id]);
          if (still?.status !== 'active') return null; // paused meanwhile
          const targets: CallTarget[] = await m.query(`SELECT ${TARGET_COLUMNS} FROM person p ${TARGET_JOIN} WHERE ${COHORT_WHERE} AND p.id > $12 ORDER BY p.id LIMIT ${BATCH}`, [...cohortParams(cohort, today, now), after]);
          const inserted = await insertTasks(
            m,
            targets.map((t) => ({ kind: 'campaign', campaignId: c.id, event: null, heatWarningId: null, slot: today, personId: t.id, districtCode: t.district_code, riskRank: riskRank(t.risk_tier), dueAt: dueAtOf(today, windowOfTarget(t)) })),
            `活动「${c.name}」`,
            now,
          );
          return { last: targets.at(-1)?.id ?? null, size: targets.length, inserted };
        });
        if (!batch) break;
        created += batch.inserted.length;
        for (const d of districtsOf(batch.inserted)) districts.add(d);
        if (batch.size < BATCH || !batch.last) break;
        after = batch.last;
      }
      const next = c.repeat === 'once' ? null : slotAfter({ cadence: c.repeat, anchorDay: c.start_day }, today);
      const ended = next === null || next > c.end_day;
      await this.ds.query(`UPDATE campaign SET next_run_day = $2::date, status = CASE WHEN $3::boolean AND status = 'active' THEN 'ended' ELSE status END, updated_at = $4 WHERE id = $1`, [c.id, ended ? null : next, ended, now]);
      for (const d of districts) this.events.emit('care.tasks-changed', { districtCode: d, reason: 'generated' });
    }
    return created;
  }

  private async transition(actor: Actor, id: string, action: string, from: CampaignStatus[], to: (c: CampaignRow, today: string) => { status: CampaignStatus; nextRunDay: string | null }): Promise<CampaignView> {
    const now = this.clock.now();
    const district = await this.ds.transaction(async (m) => {
      const c = await this.lock(m, actor, id);
      if (!from.includes(c.status)) throw new AppError('conflict', `活动当前状态为 ${STATUS_LABEL[c.status]}，不能${ACTION_LABEL[action]}`);
      const next = to(c, shanghaiDate(now));
      await m.query(`UPDATE campaign SET status = $2, next_run_day = $3::date, version = version + 1, updated_at = $4 WHERE id = $1`, [id, next.status, next.nextRunDay, now]);
      await this.audit.record({ actorId: actor.userId, actorUsername: actor.username, action: `care.campaign.${action}`, subjectType: 'campaign', subjectId: id, outcome: 'ok' }, m);
      return c.district_code;
    });
    this.events.emit('care.tasks-changed', { districtCode: district, reason: action });
    return this.get(actor, id);
  }

  private async lock(m: EntityManager, actor: Actor, id: string): Promise<CampaignRow> {
    const [c]: CampaignRow[] = await m.query(`SELECT c.*, c.start_day::text AS start_day, c.end_day::text AS end_day, c.next_run_day::text AS next_run_day FROM campaign c WHERE c.id = $1 FOR UPDATE`, [id]);
    if (!c || !inScope(actor, c.district_code)) throw new AppError('care/not-found', `活动 ${id} 不存在`);
    return c;
  }

  private async districtInScope(m: EntityManager, actor: Actor, code: string): Promise<void> {
    const [d] = await m.query(`SELECT 1 FROM district WHERE code = $1`, [code]);
    if (!d || !inScope(actor, code)) throw new AppError('district/not-found', `区划 ${code} 不存在`);
  }
}

/**
 * Check and store the answers given with a task's outcome, tied to the questionnaire version asked.
 * A campaign task reached needs its questionnaire answered; unreached or other tasks take no answers.
 */
export async function saveAnswersIn(m: EntityManager, task: CareTask, input: { outcome: string; questionnaireVersion?: number; answers?: Record<string, unknown> }): Promise<void> {
  const reached = input.outcome.startsWith('reached');
  if (task.kind !== 'campaign' || !reached) {
    if (input.answers !== undefined || input.questionnaireVersion !== undefined) throw new AppError('validation/invalid', task.kind !== 'campaign' ? '该任务没有问卷' : '未接通时不能保存问卷答案');
    return;
  }
  if (input.answers === undefined || input.questionnaireVersion === undefined) throw new AppError('validation/invalid', '请先填写问卷 (questionnaireVersion, answers)');
  const [q]: Array<{ id: string; questions: Question[] }> = await m.query(`SELECT id, questions FROM campaign_questionnaire WHERE campaign_id = $1 AND version = $2`, [task.campaignId, input.questionnaireVersion]);
  if (!q) throw new AppError('validation/invalid', `问卷版本 ${input.questionnaireVersion} 不存在`);
  const problem = answersProblem(q.questions, input.answers);
  if (problem) throw new AppError('validation/invalid', problem);
  await m.query(`UPDATE care_task SET questionnaire_id = $2, answers = $3 WHERE id = $1`, [task.id, q.id, JSON.stringify(input.answers)]);
}

const STATUS_LABEL: Record<CampaignStatus, string> = { draft: '草稿', active: '进行中', paused: '已暂停', ended: '已结束' };
const ACTION_LABEL: Record<string, string> = { launch: '启动', pause: '暂停', resume: '恢复' };

interface CampaignRow {
  id: string;
  name: string;
  district_code: string;
  filters: Cohort['filters'];
  status: CampaignStatus;
  repeat: CampaignRepeat;
  start_day: string;
  end_day: string;
  next_run_day: string | null;
  questionnaire_version: number;
  version: number;
  questions: Question[];
  open: string;
  done: string;
  other: string;
  total: string;
}

const CAMPAIGN_SELECT = `
  SELECT c.id, c.name, c.district_code, c.filters, c.status, c.repeat, c.start_day::text AS start_day, c.end_day::text AS end_day,
         c.next_run_day::text AS next_run_day, c.questionnaire_version, c.version, q.questions,
         (SELECT count(*) FROM care_task t WHERE t.campaign_id = c.id AND t.status = 'open') AS open,
         (SELECT count(*) FROM care_task t WHERE t.campaign_id = c.id AND t.status = 'done') AS done,
         (SELECT count(*) FROM care_task t WHERE t.campaign_id = c.id AND t.status NOT IN ('open', 'done')) AS other,
         count(*) OVER () AS total
    FROM campaign c JOIN campaign_questionnaire q ON q.campaign_id = c.id AND q.version = c.questionnaire_version`;

function viewOf(r: CampaignRow): CampaignView {
  return {
    id: r.id, name: r.name, districtCode: r.district_code, filters: r.filters, status: r.status, repeat: r.repeat, startDay: r.start_day, endDay: r.end_day,
    nextRunDay: r.next_run_day, questionnaireVersion: r.questionnaire_version, version: r.version, questions: r.questions,
    tasks: { open: Number(r.open), done: Number(r.done), other: Number(r.other) },
  };
}
