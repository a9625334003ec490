import type { EntityManager } from 'typeorm';
import type { Actor } from '../auth/auth.service';
import { maskPhone } from '../persons/phone-number';
import type { DomainEvents } from '../shared/domain-events';
import type { Outbox } from '../outbox/outbox.service';
import type { TicketChannel, TicketStatus } from '../tickets/ticket';
import type { AfterCommit } from './after-commit';
import { ALARM_LABEL, SOURCE_LABEL } from './sos-messages';
import type { SosSource } from './sos-incident.entity';
import { closeIncident, sosOutcomeForOrder } from './sos-order';
import { prepared } from './prepared';
import { openTicket } from './ticket-writer';
import type { AuditService } from '../audit/audit.service';

export interface RaiseRequest {
  source: SosSource;
  /** `button`, `fall`, `smoke`, `call`, `sms` … (see ALARM_LABEL). */
  alarmType: string;
  personId: string | null;
  deviceId: string | null;
  deviceSerial?: string | null;
  /** `asterisk:<Linkedid>` / `twilio:<CallSid>`: one call raises one SOS. */
  callKey?: string | null;
  fromE164?: string | null;
  silent: boolean;
  /** Extra words for the summary and the timeline (what the device said). */
  detail?: string | null;
  /** The person and their open SOS, when the caller already read them in its own statement. */
  snapshot?: PersonSnapshot;
}

export interface RaiseResult {
  sosId: string;
  ticketId: string;
  ticketNumber: string;
  /** The person already had an open SOS: this press was added to it. */
  repeat: boolean;
  /** The same call raised it before: nothing was written. */
  duplicate: boolean;
}

/** A person and their open SOS, as `personSnapshotSql` selects them. */
export interface PersonSnapshot {
  id: string;
  name: string;
  district_code: string;
  /** The open SOS (JSON from the database: `next_step_at` is a string). */
  open: { id: string; ticket_id: string; number: string; district_code: string; next_step_at: string | null; ticket_status: TicketStatus; acknowledged_at: string | null } | null;
}

/**
 * Columns `name, district_code, open` of the person whose id is `personIdExpr` — a fixed SQL expression
 * (`p.id`, `device.person_id`), never a value — as scalar subqueries, so they fit a RETURNING list too.
 */
export function personSnapshotSql(personIdExpr: string): string {
  return [
    `(SELECT sp.name FROM person sp WHERE sp.id = ${personIdExpr}) AS name`,
    `(SELECT sp.district_code FROM person sp WHERE sp.id = ${personIdExpr}) AS district_code`,
    `(SELECT row_to_json(o) FROM (SELECT si.id, si.ticket_id, st.number, si.district_code, si.next_step_at, st.status AS ticket_status, si.acknowledged_at FROM sos_incident si JOIN ticket st ON st.id = si.ticket_id
       WHERE si.person_id = ${personIdExpr} AND si.status IN ('active','acknowledged') LIMIT 1) o) AS open`,
  ].join(',\n           ');
}

const PERSON_SNAPSHOT = `SELECT person.id, ${personSnapshotSql('person.id')} FROM person WHERE person.id = $1`;
const INSERT_INCIDENT = `WITH s AS (
    INSERT INTO sos_incident (ticket_id, person_id, device_id, source, call_key, from_e164, district_code, silent, status, step, next_step_at, raised_at)
    VALUES ($1, $2, $3, $4, $5, $6, $7, $8, 'active', 0, $9, $10) RETURNING id),
  e AS (INSERT INTO ticket_event (ticket_id, at, actor_id, kind, note) VALUES ($1, $10, $11, 'sos_raised', $12))
  SELECT id FROM s`;

function channelOf(req: RaiseRequest): TicketChannel {
  if (req.source === 'sms') return 'sms';
  if (req.source === 'sensor' || (req.source === 'alarm_api' && req.alarmType !== 'button')) return 'device_alarm';
  return 'sos_button';
}

/**
 * Raising an SOS inside the caller's transaction: one open SOS per person (a further press is added to it
 * and alerts again, unless its order is already over), a P0 emergency order at once, the escalation clock started. Effects for after the
 * commit go to `after`.
 */
export class SosRaiser {
  constructor(
    private readonly events: DomainEvents,
    private readonly outbox: Outbox,
    private readonly agentAnswerSeconds: number,
    private readonly audit: AuditService,
  ) {}

  async raiseIn(m: EntityManager, actor: Actor, req: RaiseRequest, now: Date, after: AfterCommit): Promise<RaiseResult> {
    if (req.callKey) {
      // Every call that raised or repeated an SOS is in sos_call: the same call again writes nothing.
      const [dup]: { id: string; ticket_id: string; number: string }[] = await m.query('SELECT s.id, s.ticket_id, t.number FROM sos_call sc JOIN sos_incident s ON s.id = sc.sos_id JOIN ticket t ON t.id = s.ticket_id WHERE sc.call_key = $1', [req.callKey]);
      if (dup) return { sosId: dup.id, ticketId: dup.ticket_id, ticketNumber: dup.number, repeat: false, duplicate: true };
    }
    // The person and their open SOS in one read. One open SOS per person is a unique index: a concurrent
    // first press that loses the race fails on insert and is retried (see retry-conflict.ts).
    const person: PersonSnapshot | undefined = req.snapshot ?? (req.personId ? (await prepared<PersonSnapshot>(m, 'sos_person', PERSON_SNAPSHOT, [req.personId]))[0] : undefined);
    const what = `${SOURCE_LABEL[req.source] ?? req.source} · ${ALARM_LABEL[req.alarmType] ?? req.alarmType}${req.deviceSerial ? ` · 设备 ${req.deviceSerial}` : ''}${req.detail ? ` · ${req.detail}` : ''}`;
    const alert = (sosId: string, ticketId: string, ticketNumber: string, districtCode: string, repeat: boolean, escalatesAt: Date | null, acknowledgedAt: string | null = null) => () =>
      this.events.emit('sos.raised', {
        sosId,
        ticketId,
        ticketNumber,
        districtCode,
        source: req.source,
        alarmType: req.alarmType,
        personId: person?.id ?? null,
        personName: person?.name ?? null,
        fromMasked: req.fromE164 ? maskPhone(req.fromE164) : null,
        deviceSerial: req.deviceSerial ?? null,
        silent: req.silent,
        repeat,
        raisedAt: now.toISOString(),
        escalatesAt: escalatesAt?.toISOString() ?? null,
        acknowledgedAt: acknowledgedAt ? new Date(acknowledgedAt).toISOString() : null,
      });

    let open = person?.open ?? null;
    const over = open ? sosOutcomeForOrder(open.ticket_status) : null;
    if (open && over) {
      // The order is over but its SOS was left open (before the SOS followed its order): close it, and
      // this press opens a new order and a new chain.
      await closeIncident(m, this.outbox, { id: open.id, ticketId: open.ticket_id, acknowledgedAt: open.acknowledged_at ? new Date(open.acknowledged_at) : null }, over, actor.userId, now, `工单已是 ${open.ticket_status}，新的 SOS 另开工单`);
      open = null;
    }
    if (open) {
      // A further press: on the open SOS's timeline. Already acknowledged, it is not a new alarm (the alert
      // says so with `acknowledgedAt`); still waiting, it alerts again.
      const taken = open.acknowledged_at ? '（SOS 已确认，处理中，不再重复报警）' : '';
      await m.query(
        `WITH s AS (UPDATE sos_incident SET repeat_count = repeat_count + 1, call_key = COALESCE(call_key, $2) WHERE id = $1 RETURNING ticket_id)
         INSERT INTO ticket_event (ticket_id, at, actor_id, kind, note) SELECT ticket_id, $3, $4, 'sos_repeat', $5 FROM s`,
        [open.id, req.callKey ?? null, now, actor.userId, `再次触发 SOS：${what}${taken}`],
      );
      if (req.callKey) await m.query('INSERT INTO sos_call (call_key, sos_id, at) VALUES ($1, $2, $3)', [req.callKey, open.id, now]);
      after.add(alert(open.id, open.ticket_id, open.number, open.district_code, true, open.next_step_at ? new Date(open.next_step_at) : null, open.acknowledged_at));
      return { sosId: open.id, ticketId: open.ticket_id, ticketNumber: open.number, repeat: true, duplicate: false };
    }

    const districtCode = person?.district_code ?? actor.districtCode;
    const who = person?.name ?? `未登记号码 ${req.fromE164 ? maskPhone(req.fromE164) : '（无号码）'}`;
    const ticket = await openTicket(m, this.audit, actor, { category: 'emergency', priority: 'P0', channel: channelOf(req), summary: `【SOS】${who}：${what}`, personId: person?.id ?? null, districtCode }, now);
    const escalatesAt = new Date(now.getTime() + this.agentAnswerSeconds * 1000);
    const note = `SOS 警报（${what}）${req.silent ? '，无声报警' : ''}；已推送在线坐席与主管；${this.agentAnswerSeconds} 秒内无人确认将自动升级`;
    const [{ id: sosId }] = await prepared<{ id: string }>(m, 'sos_incident', INSERT_INCIDENT, [ticket.id, person?.id ?? null, req.deviceId, req.source, req.callKey ?? null, req.fromE164 ?? null, districtCode, req.silent, escalatesAt, now, actor.userId, note]);
    if (req.callKey) await m.query('INSERT INTO sos_call (call_key, sos_id, at) VALUES ($1, $2, $3)', [req.callKey, sosId, now]);
    after.add(() => this.events.emit('ticket.created', { ticketId: ticket.id, number: ticket.number, districtCode, priority: ticket.priority, category: ticket.category }));
    after.add(alert(sosId, ticket.id, ticket.number, districtCode, false, escalatesAt));
    return { sosId, ticketId: ticket.id, ticketNumber: ticket.number, repeat: false, duplicate: false };
  }
}
