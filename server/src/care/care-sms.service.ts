import type { DataSource, EntityManager } from 'typeorm';
import type { AuditService } from '../audit/audit.service';
import type { Actor } from '../auth/auth.service';
import type { Logger } from '../config/logger';
import type { Outbox } from '../outbox/outbox.service';
import type { Clock } from '../shared/clock';
import type { DomainEvents } from '../shared/domain-events';
import { AfterCommit } from '../sos/after-commit';
import type { SystemActor } from '../sos/system-actor';
import { careOutcomeEffect, surveyOutcomeEffect } from './care';
import { openCareOrder } from './care-orders';
import { DEFAULT_WINDOW, nextAttemptAt, type CallWindow } from './care-recurrence';
import { parseSmsReply, SMS_LATE_DAYS, SMS_NEEDS, SMS_REPLY_MINUTES, smsQuestion } from './care-sms';
import type { CareSurveys } from './care-survey';
import { CareEvent } from './care.entity';

/** What the inbound SMS path does with a reply that belongs to a care task. */
export interface CareSmsReplyResult {
  outcome: 'care_reply' | 'care_late';
  reply: string;
}

/** The inbound SMS service asks this first: a reply to a texted care question, or null (handle as usual). */
export interface CareSmsReplyPort {
  reply(m: EntityManager, actor: Actor, fromE164: string | null, body: string, after: AfterCommit): Promise<CareSmsReplyResult | null>;
}

interface TaskRow {
  id: string;
  kind: 'care' | 'survey';
  person_id: string | null;
  ticket_id: string | null;
  district_code: string;
  attempts: number;
  status: string;
  reply_due_at: Date | null;
  plan_id: string | null;
  window_start: number | null;
  window_end: number | null;
  quiet_start: number | null;
  quiet_end: number | null;
}

const BATCH = 100;

/**
 * Care calls and 回访 by SMS for people who cannot take a voice call (plan channel `sms`; for a 回访 without a
 * plan, the person's communication needs). A due task texts its question through the outbox and waits for
 * the reply until `reply_due_at` (a durable column, ticked by the scheduler); meanwhile the task is held
 * from the agents' list. A reply code records the outcome (care: 好 / 需要帮助 → a work order; 回访: the
 * rating on the order, rework when dissatisfied); no reply in time is an unanswered attempt: retry, then the
 * same escalation (care) or 回访失败 (回访) as voice. A late reply is recorded and reopens nothing.
 */
export class CareSmsService implements CareSmsReplyPort {
  constructor(
    private readonly ds: DataSource,
    private readonly system: SystemActor,
    private readonly audit: AuditService,
    private readonly surveys: CareSurveys,
    private readonly outbox: Outbox,
    private readonly events: DomainEvents,
    private readonly clock: Clock,
    private readonly log: Logger,
    private readonly hotline: string,
  ) {}

  /**
   * Text every due SMS task its question, then time out every unanswered one; returns how many were handled.
   * @example clock.advance(SMS_REPLY_MINUTES * 60_000); await sms.tick(); // the unanswered question counts as an attempt
   */
  async tick(): Promise<number> {
    let handled = 0;
    for (;;) {
      const sent = await this.ds.transaction((m) => this.sendBatch(m));
      handled += sent;
      if (sent < BATCH) break;
    }
    const due: unknown[] = await this.ds.query(`SELECT 1 FROM care_task WHERE reply_due_at <= $1 AND status = 'open' LIMIT 1`, [this.clock.now()]);
    if (!due.length) return handled;
    const actor = await this.system.get(); // before any transaction (PGlite: one session)
    for (;;) {
      const after = new AfterCommit(this.log);
      const did = await this.ds.transaction((m) => this.timeOutOne(m, actor));
      after.run();
      if (!did) return handled;
      handled++;
    }
  }

  private async sendBatch(m: EntityManager): Promise<number> {
    const now = this.clock.now();
    const tasks: Array<{ id: string; kind: 'care' | 'survey'; person_id: string; attempts: number; mobile: string | null }> = await m.query(
      `SELECT c.id, c.kind, c.person_id, c.attempts,
              (SELECT ph.e164 FROM phone_number ph WHERE ph.person_id = c.person_id AND ph.kind = 'mobile' ORDER BY ph.id LIMIT 1) AS mobile
         FROM care_task c
         JOIN person per ON per.id = c.person_id
         LEFT JOIN care_plan p ON p.person_id = c.person_id
        WHERE c.status = 'open' AND c.due_at <= $1 AND c.sms_sent_at IS NULL
          AND (c.lease_until IS NULL OR c.lease_until < $1)
          AND COALESCE(p.channel, CASE WHEN per.communication_need = ANY($2::text[]) THEN 'sms' END) = 'sms'
        ORDER BY c.risk_rank, c.due_at, c.id
        LIMIT ${BATCH}
        FOR UPDATE OF c SKIP LOCKED`,
      [now, SMS_NEEDS],
    );
    for (const t of tasks) {
      if (!t.mobile) {
        // Nothing to text: the task stays on the agents' list (a guardian, a video relay …).
        await m.query(`UPDATE care_task SET sms_sent_at = $2, updated_at = $2 WHERE id = $1`, [t.id, now]);
        await m.insert(CareEvent, { personId: t.person_id, taskId: t.id, at: now, actorId: null, kind: 'sms_no_number', note: '没有可接收短信的手机号，转人工处理' });
        continue;
      }
      const replyDue = new Date(now.getTime() + SMS_REPLY_MINUTES * 60_000);
      await this.outbox.enqueue(m, { kind: 'sms', idempotencyKey: `care-sms:${t.id}:${t.attempts + 1}`, payload: { to: t.mobile, body: smsQuestion(t.kind, this.hotline) } });
      // The reply deadline doubles as a lease without a holder: no agent takes the task while it waits.
      await m.query(`UPDATE care_task SET sms_sent_at = $2, sms_to = $3, reply_due_at = $4, lease_until = $4, claimed_by_id = NULL, updated_at = $2 WHERE id = $1`, [t.id, now, t.mobile, replyDue]);
      await m.insert(CareEvent, { personId: t.person_id, taskId: t.id, at: now, actorId: null, kind: 'sms_sent', note: `第 ${t.attempts + 1} 次短信${t.kind === 'survey' ? '回访' : '问候'}已发送，${SMS_REPLY_MINUTES} 分钟内等待回复` });
    }
    if (tasks.length) this.outbox.committed();
    return tasks.length;
  }

  private async timeOutOne(m: EntityManager, actor: Actor): Promise<boolean> {
    const now = this.clock.now();
    const [t]: TaskRow[] = await m.query(
      `${TASK_SELECT} WHERE c.status = 'open' AND c.reply_due_at <= $1 ORDER BY c.reply_due_at LIMIT 1 FOR UPDATE OF c SKIP LOCKED`,
      [now],
    );
    if (!t) return false;
    const window = windowOf(t);
    const retry = (n: number) => nextAttemptAt(now, n, window);
    const base = `reply_due_at = NULL, lease_until = NULL, claimed_by_id = NULL, outcome = 'no_answer', updated_at = $2`;
    if (t.kind === 'care') {
      const effect = careOutcomeEffect('no_answer', t.attempts, retry);
      if (effect.status === 'open') {
        await m.query(`UPDATE care_task SET ${base}, attempts = $3, due_at = $4, sms_sent_at = NULL WHERE id = $1`, [t.id, now, effect.attempts, effect.retryAt]);
        await this.event(m, t, 'sms_timeout', `第 ${effect.attempts} 次短信未回复；${effect.retryAt.toISOString()} 再发`, now);
      } else {
        // The same no-answer escalation as voice: emergency contacts → home visit → P0 welfare check.
        await m.query(`UPDATE care_task SET ${base}, attempts = $3, status = 'escalating', escalation_step = 0, next_step_at = $2 WHERE id = $1`, [t.id, now, effect.attempts]);
        await this.event(m, t, 'sms_timeout', `第 ${effect.attempts} 次短信未回复；尝试已用完，开始升级处理`, now);
      }
    } else {
      const effect = surveyOutcomeEffect('no_answer', null, t.attempts, retry);
      if (effect.status === 'open') {
        await m.query(`UPDATE care_task SET ${base}, attempts = $3, due_at = $4, sms_sent_at = NULL WHERE id = $1`, [t.id, now, effect.attempts, effect.retryAt]);
        await this.event(m, t, 'sms_timeout', `回访第 ${effect.attempts} 次短信未回复；${effect.retryAt.toISOString()} 再发`, now);
      } else {
        await m.query(`UPDATE care_task SET ${base}, attempts = $3, status = 'failed' WHERE id = $1`, [t.id, now, effect.attempts]);
        await this.surveys.failOnOrder(m, actor.userId, t.ticket_id!, `${effect.attempts} 次短信未回复`, now);
        await this.event(m, t, 'survey_failed', `回访失败：${effect.attempts} 次短信未回复`, now);
      }
    }
    this.log.info({ taskId: t.id, kind: t.kind }, 'care sms reply timed out');
    return true;
  }

  /**
   * A text from a number a care question went to in the last days: a reply code settles the waiting task;
   * after the deadline (or once the task is settled) it is recorded as late and changes nothing. Text that is
   * not a reply code is noted on the task and left to the usual inbound handling (null).
   */
  async reply(m: EntityManager, actor: Actor, fromE164: string | null, body: string, after: AfterCommit): Promise<CareSmsReplyResult | null> {
    if (!fromE164) return null;
    const now = this.clock.now();
    const [t]: TaskRow[] = await m.query(
      `${TASK_SELECT} WHERE c.sms_to = $1 AND c.sms_sent_at > $2
        ORDER BY (c.status = 'open' AND c.reply_due_at IS NOT NULL) DESC, c.sms_sent_at DESC LIMIT 1 FOR UPDATE OF c`,
      [fromE164, new Date(now.getTime() - SMS_LATE_DAYS * 86_400_000)],
    );
    if (!t) return null;
    const waiting = t.status === 'open' && t.reply_due_at !== null && new Date(t.reply_due_at) > now;
    const answer = parseSmsReply(t.kind, body);
    const text = body.trim().slice(0, 200);
    if (!answer) {
      await this.event(m, t, 'sms_reply_unknown', `短信回复无法识别（按普通来信处理）：${text}`, now);
      return null;
    }
    if (!waiting) {
      await this.event(m, t, 'sms_reply_late', `迟到的短信回复（已超时，不重开）：${text}`, now);
      return { outcome: 'care_late', reply: '【安心热线】已收到您的回复，谢谢。如需帮助请直接说明，紧急情况请回复 SOS。' };
    }
    const settled = `reply_due_at = NULL, lease_until = NULL, claimed_by_id = NULL, status = 'done', attempts = attempts + 1, comment = $3, updated_at = $2`;
    if (answer.kind === 'care') {
      const effect = careOutcomeEffect(answer.outcome, t.attempts, () => null);
      let opened: string | null = null;
      if (effect.status === 'done' && effect.openOrder) {
        const order = await openCareOrder(m, this.audit, actor, effect.openOrder, { personId: t.person_id, districtCode: t.district_code }, `短信回复：${text}`, now);
        opened = order.id;
        after.add(() => this.events.emit('ticket.created', { ticketId: order.id, number: order.number, districtCode: order.districtCode, priority: order.priority, category: order.category }));
        await this.event(m, t, 'order_opened', `短信回复需要帮助：工单 ${order.number}`, now);
      }
      await m.query(`UPDATE care_task SET ${settled}, outcome = $4, opened_ticket_id = $5 WHERE id = $1`, [t.id, now, text, answer.outcome, opened]);
      await this.event(m, t, 'sms_reply', answer.outcome === 'reached_fine' ? '短信回复：一切都好' : '短信回复：需要帮助', now);
    } else {
      await m.query(`UPDATE care_task SET ${settled}, outcome = 'reached', satisfaction = $4, resolved = $5 WHERE id = $1`, [t.id, now, text, answer.satisfaction, answer.resolved]);
      await this.surveys.recordOnOrder(m, actor, t.ticket_id!, answer.satisfaction, answer.resolved ?? false, `短信回复：${text}`, now);
      await this.event(m, t, 'survey_done', `短信回访：${answer.satisfaction}${answer.resolved === null ? '' : answer.resolved ? '，已解决' : '，未解决'}`, now);
      const [o]: { id: string; number: string; district_code: string; status: string }[] = await m.query(`SELECT id, number, district_code, status FROM ticket WHERE id = $1`, [t.ticket_id]);
      after.add(() => this.events.emit('ticket.updated', { ticketId: o!.id, number: o!.number, districtCode: o!.district_code, status: o!.status }));
    }
    await this.audit.record({ actorId: actor.userId, actorUsername: actor.username, action: 'care.task.sms_reply', subjectType: 'care_task', subjectId: t.id, subjects: t.person_id ? [{ type: 'person', id: t.person_id }] : [], outcome: 'ok' }, m);
    return { outcome: 'care_reply', reply: answer.kind === 'care' && answer.outcome === 'reached_needs_help' ? '【安心热线】已收到，工作人员会尽快联系您。紧急情况请回复 SOS。' : '【安心热线】已收到您的回复，谢谢！' };
  }

  private async event(m: EntityManager, t: TaskRow, kind: string, note: string, at: Date): Promise<void> {
    await m.insert(CareEvent, { personId: t.person_id, taskId: t.id, at, actorId: null, kind, note });
  }
}

const TASK_SELECT = `
  SELECT c.id, c.kind, c.person_id, c.ticket_id, c.district_code, c.attempts, c.status, c.reply_due_at, c.plan_id,
         p.window_start, p.window_end, p.quiet_start, p.quiet_end
    FROM care_task c LEFT JOIN care_plan p ON p.person_id = c.person_id`;

function windowOf(t: TaskRow): CallWindow {
  return t.window_start != null ? { start: t.window_start, end: t.window_end!, quietStart: t.quiet_start, quietEnd: t.quiet_end } : DEFAULT_WINDOW;
}
