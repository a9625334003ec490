import type { DataSource, EntityManager } from 'typeorm';
import type { Actor } from '../auth/auth.service';
import type { Logger } from '../config/logger';
import { normalizePhone } from '../persons/phone-number';
import type { Clock } from '../shared/clock';
import type { DomainEvents } from '../shared/domain-events';
import { AfterCommit } from '../sos/after-commit';
import { retryOnUniqueViolation } from '../sos/retry-conflict';
import { ORDER_OVER } from '../sos/sos-order';
import type { SosService } from '../sos/sos.service';
import type { SystemActor } from '../sos/system-actor';
import { addTimeline, openTicket } from '../sos/ticket-writer';
import type { AuditService } from '../audit/audit.service';
import type { CareSmsReplyPort } from '../care/care-sms.service';
import { TERMINAL_STATUSES } from '../tickets/ticket';
import type { InboundSmsOutcome } from './sms-inbound.entity';
import { classifySosText, isSafeReply } from './sms-keywords';

export interface InboundSms {
  /** The carrier's message id (Twilio `SM…`): a retried webhook is answered, not applied twice. */
  messageSid: string;
  from: string;
  body: string;
}

export interface InboundSmsResult {
  outcome: InboundSmsOutcome;
  reply: string;
  ticketNumber: string | null;
}

/**
 * A reply another module answers before the hotline's rules (dispatch offers: `1` / `2`). Runs in the
 * inbound transaction; null: not for it.
 */
export type SmsReplyHandler = (m: EntityManager, fromE164: string | null, body: string, now: Date, after: AfterCommit) => Promise<{ reply: string; ticketId: string | null } | null>;

interface Sender {
  personId: string | null;
  /** 本人, or the contact's relation when a guardian / family member texts. */
  relation: 'self' | 'guardian' | 'family' | 'other';
}

/** An SMS thread stays on one order for a day. */
const THREAD_HOURS = 24;

/**
 * Texts to the hotline (deaf and speech-impaired people, guardians): an SOS text (`classifySosText`) raises
 * an SOS; a text while the person's SOS is open is added to it; an unsure text opens an urgent order (P1)
 * for a human; otherwise the text opens a work order, or is added to the sender's SMS order of the last
 * day. Every text gets a reply.
 */
export class InboundSmsService {
  private careReplies: CareSmsReplyPort | null = null;

  constructor(
    private readonly ds: DataSource,
    private readonly sos: SosService,
    private readonly system: SystemActor,
    private readonly events: DomainEvents,
    private readonly clock: Clock,
    private readonly log: Logger,
    private readonly audit: AuditService,
  ) {}

  private readonly replyHandlers: SmsReplyHandler[] = [];

  /** Let a module answer its own replies (offer acceptances) before the hotline's rules. */
  addReplyHandler(handler: SmsReplyHandler): void {
    this.replyHandlers.push(handler);
  }

  /** Replies to texted care questions and 回访 (reply codes) are read by care first; see `care/care-sms.service.ts`. */
  useCareReplies(port: CareSmsReplyPort): void {
    this.careReplies = port;
  }

  async handle(sms: InboundSms): Promise<InboundSmsResult> {
    const actor = await this.system.get(); // before the transaction: PGlite has one session
    return retryOnUniqueViolation(() => this.handleOnce(sms, actor));
  }

  private async handleOnce(sms: InboundSms, actor: Actor): Promise<InboundSmsResult> {
    const after = new AfterCommit(this.log);
    const result = await this.ds.transaction(async (m) => {
      const [seen]: { outcome: InboundSmsOutcome; reply: string; number: string | null }[] = await m.query(
        'SELECT i.outcome, i.reply, t.number FROM sms_inbound i LEFT JOIN ticket t ON t.id = i.ticket_id WHERE i.message_sid = $1',
        [sms.messageSid],
      );
      if (seen) return { outcome: seen.outcome, reply: seen.reply, ticketNumber: seen.number };
      const fromE164 = normalizePhone(sms.from)?.e164 ?? null;
      const sender = await this.sender(m, fromE164);
      const { result, ticketId } = await this.apply(m, actor, sms, fromE164, sender, after);
      await m.query(
        'INSERT INTO sms_inbound (message_sid, from_e164, body, person_id, ticket_id, outcome, reply, received_at) VALUES ($1, $2, $3, $4, $5, $6, $7, $8)',
        [sms.messageSid, fromE164, sms.body.slice(0, 2000), sender.personId, ticketId, result.outcome, result.reply, this.clock.now()],
      );
      return result;
    });
    after.run();
    return result;
  }

  private async apply(m: EntityManager, actor: Actor, sms: InboundSms, fromE164: string | null, sender: Sender, after: AfterCommit): Promise<{ result: InboundSmsResult; ticketId: string | null }> {
    const now = this.clock.now();
    const body = sms.body.trim().slice(0, 1000);
    if (!body) return { result: { outcome: 'empty', reply: '【安心热线】请直接输入您需要的帮助。紧急情况请回复"SOS"。', ticketNumber: null }, ticketId: null };
    for (const handler of this.replyHandlers) {
      const handled = await handler(m, fromE164, body, now, after);
      if (handled) return { result: { outcome: 'job_reply', reply: handled.reply, ticketNumber: null }, ticketId: handled.ticketId };
    }
    const who = sender.relation === 'self' ? '本人' : `联系人（${sender.relation}）`;
    const kind = classifySosText(body);
    if (sender.personId) {
      const [open]: { ticket_id: string; number: string; district_code: string }[] = await m.query(
        `SELECT s.ticket_id, t.number, t.district_code FROM sos_incident s JOIN ticket t ON t.id = s.ticket_id
         WHERE s.person_id = $1 AND s.status IN ('active','acknowledged') AND t.status <> ALL($2) ORDER BY s.raised_at DESC LIMIT 1`,
        [sender.personId, ORDER_OVER],
      );
      if (open && kind !== 'sos') {
        await addTimeline(m, open.ticket_id, now, null, 'sms_in', `${who}短信${isSafeReply(body) ? '（报平安）' : ''}：${body}`);
        after.add(() => this.events.emit('ticket.updated', { ticketId: open.ticket_id, number: open.number, districtCode: open.district_code, status: 'sms' }));
        return { result: { outcome: 'sos_update', reply: `【安心热线】已收到，工作人员正在处理您的求助（工单${open.number}）。`, ticketNumber: open.number }, ticketId: open.ticket_id };
      }
    }
    if (kind === 'sos') {
      const raised = await this.sos.raiseIn(m, actor, { source: 'sms', alarmType: 'sms', personId: sender.personId, deviceId: null, fromE164, silent: true, detail: `${who}：${body}` }, after);
      const reply = `【安心热线】已收到您的紧急求助（工单${raised.ticketNumber}），工作人员正在处理，请保持手机畅通。可继续用短信说明情况。`;
      return { result: { outcome: 'sos', reply, ticketNumber: raised.ticketNumber }, ticketId: raised.ticketId };
    }
    const care = await this.careReplies?.reply(m, actor, fromE164, body, after);
    if (care) return { result: { outcome: care.outcome, reply: care.reply, ticketNumber: null }, ticketId: null };
    const district = sender.personId ? ((await m.query('SELECT district_code FROM person WHERE id = $1', [sender.personId])) as { district_code: string }[])[0]?.district_code : undefined;
    const from = sender.personId ? who : `未登记号码 ${fromE164 ?? sms.from.slice(0, 20)}`;
    if (kind === 'unsure') {
      // Might be an emergency: an urgent order (P1) for a human to look at now, not an SOS chain.
      const urgent = await openTicket(m, this.audit, actor, { category: 'emergency', priority: 'P1', channel: 'sms', summary: `【待核实·疑似求助】短信（${from}）：${body}`, personId: sender.personId, districtCode: district ?? actor.districtCode, callerRelation: sender.relation }, now);
      after.add(() => this.events.emit('ticket.created', { ticketId: urgent.id, number: urgent.number, districtCode: urgent.districtCode, priority: urgent.priority, category: urgent.category }));
      const reply = `【安心热线】已收到（工单${urgent.number}），工作人员会尽快查看并联系您。如有危险请回复"SOS"。`;
      return { result: { outcome: 'urgent_created', reply, ticketNumber: urgent.number }, ticketId: urgent.id };
    }
    const [thread]: { id: string; number: string; district_code: string; status: string }[] = await m.query(
      `SELECT t.id, t.number, t.district_code, t.status FROM ticket t
       WHERE t.channel = 'sms' AND t.status <> ALL($1) AND t.updated_at > $2
         AND ((t.person_id = $3) OR (t.person_id IS NULL AND $3::uuid IS NULL AND EXISTS (SELECT 1 FROM sms_inbound i WHERE i.ticket_id = t.id AND i.from_e164 = $4)))
       ORDER BY t.updated_at DESC LIMIT 1`,
      [TERMINAL_STATUSES, new Date(now.getTime() - THREAD_HOURS * 3600_000), sender.personId, fromE164],
    );
    if (thread) {
      await addTimeline(m, thread.id, now, null, 'sms_in', `${who}短信：${body}`);
      await m.query('UPDATE ticket SET updated_at = $2 WHERE id = $1', [thread.id, now]);
      after.add(() => this.events.emit('ticket.updated', { ticketId: thread.id, number: thread.number, districtCode: thread.district_code, status: thread.status }));
      return { result: { outcome: 'ticket_updated', reply: `【安心热线】已收到，已补充到工单${thread.number}，工作人员会尽快回复您。`, ticketNumber: thread.number }, ticketId: thread.id };
    }
    const summary = `短信来信（${from}）：${body}`;
    const ticket = await openTicket(m, this.audit, actor, { category: 'inquiry', priority: 'P2', channel: 'sms', summary, personId: sender.personId, districtCode: district ?? actor.districtCode, callerRelation: sender.relation }, now);
    after.add(() => this.events.emit('ticket.created', { ticketId: ticket.id, number: ticket.number, districtCode: ticket.districtCode, priority: ticket.priority, category: ticket.category }));
    return { result: { outcome: 'ticket_created', reply: `【安心热线】已收到您的短信，工单号${ticket.number}，工作人员会尽快通过短信回复您。紧急情况请回复"SOS"。`, ticketNumber: ticket.number }, ticketId: ticket.id };
  }

  /** The person a number belongs to: their own number, or a contact's (guardian, family). */
  private async sender(m: EntityManager, e164: string | null): Promise<Sender> {
    if (!e164) return { personId: null, relation: 'other' };
    const [own]: { person_id: string }[] = await m.query('SELECT person_id FROM phone_number WHERE e164 = $1 AND person_id IS NOT NULL ORDER BY person_id LIMIT 1', [e164]);
    if (own) return { personId: own.person_id, relation: 'self' };
    const [contact]: { person_id: string; is_guardian: boolean }[] = await m.query('SELECT person_id, is_guardian FROM contact WHERE phone_e164 = $1 ORDER BY is_guardian DESC, priority LIMIT 1', [e164]);
    if (contact) return { personId: contact.person_id, relation: contact.is_guardian ? 'guardian' : 'family' };
    return { personId: null, relation: 'other' };
  }
}
