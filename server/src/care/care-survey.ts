/**
 * 回访 (callback surveys) of finished orders: every order reaching 服务完成 or 直接答复 gets a survey task
 * (next day by default), a rating moves the order to 已回访 — 不满意 / 非常不满意 send it back for rework (重办)
 * and the next completion gets a second survey whose rating is the one that counts — and three unanswered
 * attempts make it 回访失败, recorded on the order and never counted as satisfied.
 */
import type { DataSource, EntityManager } from 'typeorm';
import type { AuditService } from '../audit/audit.service';
import type { Actor } from '../auth/auth.service';
import type { Clock } from '../shared/clock';
import { addTimeline, applyTicketAction } from '../sos/ticket-writer';
import type { CallbackState, Satisfaction, TicketAction, TicketCategory } from '../tickets/ticket';
import type { TicketCallbackPort } from '../tickets/ticket-callback.port';
import { Ticket } from '../tickets/ticket.entity';
import { DISSATISFIED } from './care';
import { addDays, atLocal, DEFAULT_WINDOW, nextCallTime, riskRank, shanghaiDate } from './care-recurrence';
import { CareEvent } from './care.entity';
import { updatedRows } from './sql-rows';

/** Days after completion a 回访 is due, per category (emergencies: within 24 hours). */
export const SURVEY_DELAY_DAYS: Readonly<Record<TicketCategory, number>> = { life_service: 1, order: 1, emergency: 1, inquiry: 1, complaint: 1 };

/** Order states that want a 回访. */
const FINISHED = ['done', 'answered'] as const;

const SATISFACTION_LABEL: Record<Satisfaction, string> = {
  very_satisfied: '非常满意',
  satisfied: '满意',
  basically_satisfied: '基本满意',
  dissatisfied: '不满意',
  very_dissatisfied: '非常不满意',
};

export class CareSurveys implements TicketCallbackPort {
  constructor(
    private readonly ds: DataSource,
    private readonly audit: AuditService,
    private readonly clock: Clock,
  ) {}

  async stateOf(m: EntityManager, ticketId: string): Promise<CallbackState> {
    const [latest]: { status: string }[] = await m.query(`SELECT status FROM care_task WHERE ticket_id = $1 AND status <> 'cancelled' ORDER BY created_at DESC, slot DESC LIMIT 1`, [ticketId]);
    if (!latest) return 'none';
    return latest.status === 'done' ? 'done' : latest.status === 'failed' ? 'failed' : 'pending';
  }

  async follow(m: EntityManager, actor: Actor, ticket: Ticket, action: TicketAction, now: Date): Promise<void> {
    if ((FINISHED as readonly string[]).includes(ticket.status)) {
      await this.schedule(m, ticket, now);
      return;
    }
    if (action === 'record_callback' && ticket.satisfaction) {
      // A 回访 recorded on the order itself settles the open survey task the same way.
      const rows = updatedRows<{ id: string }>(await m.query(
        `UPDATE care_task SET status = 'done', outcome = 'reached', satisfaction = $2, lease_until = NULL, updated_at = $3 WHERE ticket_id = $1 AND status = 'open' RETURNING id`,
        [ticket.id, ticket.satisfaction, now],
      ));
      for (const r of rows) await m.insert(CareEvent, { personId: ticket.personId, taskId: r.id, at: now, actorId: actor.userId, kind: 'survey_done', note: `工单 ${ticket.number} 回访：${SATISFACTION_LABEL[ticket.satisfaction as Satisfaction] ?? ticket.satisfaction}` });
      await this.reworkIfDissatisfied(m, actor, ticket.id, ticket.satisfaction as Satisfaction, now);
    }
  }

  /**
   * Give every finished order without its 回访 one (orders finished by other paths, e.g. an SOS resolved).
   * Returns how many were created; idempotent.
   */
  async sweep(): Promise<number> {
    const now = this.clock.now();
    const rows: { id: string }[] = await this.ds.query(
      `SELECT t.id FROM ticket t
        WHERE t.status IN ('done', 'answered')
          AND NOT EXISTS (SELECT 1 FROM care_task c WHERE c.ticket_id = t.id
                           AND c.slot = 'survey-' || (1 + (SELECT count(*) FROM ticket_event e WHERE e.ticket_id = t.id AND e.kind = 'rework')))
        LIMIT 500`,
    );
    let created = 0;
    for (const { id } of rows) {
      created += await this.ds.transaction(async (m) => {
        const t = await m.findOne(Ticket, { where: { id }, lock: { mode: 'pessimistic_write' } });
        return t && (FINISHED as readonly string[]).includes(t.status) ? Number(await this.schedule(m, t, now)) : 0;
      });
    }
    return created;
  }

  /** Create the order's next survey task (round = reworks + 1); false when it already exists. */
  private async schedule(m: EntityManager, ticket: Ticket, now: Date): Promise<boolean> {
    const [{ reworks }]: { reworks: string }[] = await m.query(`SELECT count(*) AS reworks FROM ticket_event WHERE ticket_id = $1 AND kind = 'rework'`, [ticket.id]);
    const round = Number(reworks) + 1;
    const [who]: { risk_tier: string | null; window_start: number | null; window_end: number | null; quiet_start: number | null; quiet_end: number | null }[] = ticket.personId
      ? await m.query(`SELECT per.risk_tier, p.window_start, p.window_end, p.quiet_start, p.quiet_end FROM person per LEFT JOIN care_plan p ON p.person_id = per.id WHERE per.id = $1`, [ticket.personId])
      : [];
    const window = who?.window_start != null ? { start: who.window_start, end: who.window_end!, quietStart: who.quiet_start, quietEnd: who.quiet_end } : DEFAULT_WINDOW;
    const dueAt = nextCallTime(atLocal(addDays(shanghaiDate(now), SURVEY_DELAY_DAYS[ticket.category]), 0), window);
    const inserted: { id: string }[] = await m.query(
      `INSERT INTO care_task (kind, ticket_id, slot, person_id, district_code, risk_rank, due_at, created_at, updated_at)
       VALUES ('survey', $1, $2, $3, $4, $5, $6, $7, $7) ON CONFLICT DO NOTHING RETURNING id`,
      [ticket.id, `survey-${round}`, ticket.personId, ticket.districtCode, riskRank((who?.risk_tier ?? 'general') as 'general'), dueAt, now],
    );
    if (!inserted[0]) return false;
    const label = round > 1 ? `第 ${round} 次回访（重办后，以本次评价为准）` : '回访';
    await m.insert(CareEvent, { personId: ticket.personId, taskId: inserted[0].id, at: now, actorId: null, kind: 'survey_scheduled', note: `工单 ${ticket.number} ${label}` });
    await addTimeline(m, ticket.id, now, null, 'callback_scheduled', `${label}已安排，${dueAt.toISOString()} 起拨打`);
    return true;
  }

  /**
   * Record a reached 回访 on the order: 待回访 → 已回访 with the rating (the latest rating counts), and rework
   * when dissatisfied. Runs in the caller's transaction.
   */
  async recordOnOrder(m: EntityManager, actor: Actor, ticketId: string, satisfaction: Satisfaction, resolved: boolean, comment: string | null, now: Date): Promise<void> {
    await applyTicketAction(m, this.audit, actor, ticketId, 'request_callback', null, now);
    const text = `满意度：${SATISFACTION_LABEL[satisfaction]}；${resolved ? '已解决' : '未解决'}${comment ? `；${comment}` : ''}`;
    const done = await applyTicketAction(m, this.audit, actor, ticketId, 'record_callback', text, now);
    await m.update(Ticket, { id: ticketId }, { satisfaction }); // the latest rating is the one that counts
    if (done) await this.reworkIfDissatisfied(m, actor, ticketId, satisfaction, now);
    else await addTimeline(m, ticketId, now, actor.userId, 'callback_recorded', text);
  }

  /** 回访失败 on the order: recorded, no rating (never counted as satisfied); the order may now be closed. */
  async failOnOrder(m: EntityManager, actorId: string, ticketId: string, reason: string, now: Date): Promise<void> {
    await m.update(Ticket, { id: ticketId }, { satisfaction: null });
    await addTimeline(m, ticketId, now, actorId, 'callback_failed', `回访失败：${reason}`);
  }

  private async reworkIfDissatisfied(m: EntityManager, actor: Actor, ticketId: string, satisfaction: Satisfaction, now: Date): Promise<void> {
    if (!DISSATISFIED.includes(satisfaction)) return;
    const reworked = await applyTicketAction(m, this.audit, actor, ticketId, 'rework', `回访${SATISFACTION_LABEL[satisfaction]}：重办`, now);
    if (!reworked) await addTimeline(m, ticketId, now, actor.userId, 'note', `回访${SATISFACTION_LABEL[satisfaction]}：该类工单不能重办，请主管跟进`);
  }
}
