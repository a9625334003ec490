import type { DataSource } from 'typeorm';
import type { Logger } from '../config/logger';
import { normalizePhone } from '../persons/phone-number';
import type { Clock } from '../shared/clock';
import type { CallView, DomainEvents } from '../shared/domain-events';
import type { TelephonyEvent } from '../telephony/telephony-events';
import type { SosStatus } from './sos-incident.entity';
import { findSosOwner } from './sos-owner';
import type { SosService } from './sos.service';

/**
 * SOS from the phone network. `sos.raised` (AMI `UserEvent AnxinSos`, or the Twilio voice webhook) raises
 * the SOS at once — before the call is answered. When the call row exists it is linked to the order, and an
 * agent answering the call acknowledges the SOS (the first step of the chain is "an agent answers").
 */
/** Request ids of automatic calls (outbox-handlers.ts): `anxin-ob-<outbox message id>-<attempt>`. */
const CALLBACK_REQUEST = /^anxin-ob-([0-9a-f]{8}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{12})-\d+$/;

export class SosTelephonyHandler {
  private readonly pending = new Set<Promise<unknown>>();

  constructor(
    private readonly ds: DataSource,
    private readonly sos: SosService,
    private readonly events: DomainEvents,
    private readonly clock: Clock,
    private readonly log: Logger,
  ) {}

  /**
   * Feed every canonical telephony event: `sos.raised`, and the outcome of automatic callbacks (an originate
   * the PBX refused is a failure the chain must see). Never rejects.
   */
  onTelephonyEvent(event: TelephonyEvent): void {
    if (event.type === 'sos.raised') return this.track(this.raise(event.vendor, event.callKey, event.fromNumber, event.deviceId));
    if (event.type !== 'call.originated' || event.outcome !== 'failure') return;
    const messageId = CALLBACK_REQUEST.exec(event.requestId)?.[1];
    if (messageId) this.track(this.callbackFailed(messageId, event.failureCode));
  }

  /**
   * Feed `call.updated` / `call.ringing` domain events (the call row is committed). A ringing SOS call
   * always tells the consoles its order again (the pop that just arrived opens it).
   */
  onCallChanged(call: CallView, ringing = false): void {
    if (!call.isSos) return;
    this.track(this.linkAndAcknowledge(call.callKey, ringing));
  }

  /** Wait for work in progress (tests, shutdown). */
  async drain(): Promise<void> {
    while (this.pending.size) await Promise.all([...this.pending]);
  }

  private track(p: Promise<unknown>): void {
    const tracked = p.catch((err) => this.log.error({ err }, 'SOS from telephony failed')).finally(() => this.pending.delete(tracked));
    this.pending.add(tracked);
  }

  private async raise(vendor: string, vendorCallKey: string, fromNumber: string, deviceSerial?: string): Promise<void> {
    const callKey = `${vendor}:${vendorCallKey}`;
    const fromE164 = normalizePhone(fromNumber)?.e164 ?? null;
    const owner = await findSosOwner(this.ds, fromE164, deviceSerial);
    const result = await this.sos.raise({ source: vendor === 'twilio' ? 'twilio_call' : 'device_call', alarmType: 'call', personId: owner.personId, deviceId: owner.deviceId, deviceSerial: owner.deviceSerial, callKey, fromE164, silent: false });
    if (!result.duplicate) this.log.warn({ callKey, sosId: result.sosId, ticket: result.ticketNumber, repeat: result.repeat }, 'SOS raised by a call');
    await this.linkAndAcknowledge(callKey);
  }

  /**
   * The PBX could not place an automatic call (OriginateResponse Failure — a wrong channel, the trunk down):
   * the message is given up, the order's timeline says so, and an SOS still waiting for its callback moves to
   * the next step of its chain at once instead of waiting out the callback's answer time.
   */
  private async callbackFailed(messageId: string, failureCode: number | undefined): Promise<void> {
    const now = this.clock.now();
    const reason = `PBX could not place the call${failureCode !== undefined ? ` (Asterisk reason ${failureCode})` : ''}`;
    for (let attempt = 0; attempt < 20; attempt++) {
      // The response can overtake the worker's own "sent" write: wait for it rather than be overwritten.
      const [row]: { status: string }[] = await this.ds.query(`SELECT status FROM outbox WHERE id = $1 AND kind = 'call'`, [messageId]);
      if (!row || row.status !== 'sending') break;
      await new Promise((r) => setTimeout(r, 50));
    }
    await this.ds.transaction(async (m) => {
      // TypeORM answers an UPDATE … RETURNING with [rows, affected].
      const [[message]]: [{ ticket_id: string | null }[], number] = await m.query(
        `UPDATE outbox SET status = 'dead', last_error = $2 WHERE id = $1 AND kind = 'call' AND status = 'sent' RETURNING ticket_id`,
        [messageId, reason],
      );
      if (!message?.ticket_id) return;
      const [, moved]: [unknown[], number] = await m.query(
        `UPDATE sos_incident SET next_step_at = $2 WHERE ticket_id = $1 AND status = 'active' AND next_step_at > $2 RETURNING id`,
        [message.ticket_id, now],
      );
      const note = `自动回拨未能发起（${failureCode !== undefined ? `Asterisk 原因 ${failureCode}` : '电话系统拒绝'}）${moved > 0 ? '；升级链立即进入下一步' : ''}`;
      await m.query(`INSERT INTO ticket_event (ticket_id, at, actor_id, kind, note) VALUES ($1, $2, NULL, 'sos_callback_failed', $3)`, [message.ticket_id, now, note]);
    });
    this.log.warn({ messageId, failureCode }, 'automatic call could not be placed');
  }

  /**
   * Link the call to its SOS order (the call that raised it, or a further press's call: sos_call) and tell
   * the consoles (`sos.call-linked`) when the link is new or the call rings; if an agent already answered,
   * that agent acknowledges an SOS still waiting.
   */
  private async linkAndAcknowledge(callKey: string, ringing = false): Promise<void> {
    const [row]: { sos_id: string; ticket_id: string; number: string; district_code: string; status: SosStatus; call_id: string; answered_at: Date | null; agent_user_id: string | null; agent_extension: string | null; display_name: string | null; username: string | null }[] = await this.ds.query(
      `SELECT s.id AS sos_id, s.ticket_id, t.number, s.district_code, s.status, c.id AS call_id, c.answered_at, c.agent_user_id, c.agent_extension, u.display_name, u.username
       FROM sos_call sc JOIN sos_incident s ON s.id = sc.sos_id JOIN ticket t ON t.id = s.ticket_id
       JOIN call c ON c.call_key = sc.call_key LEFT JOIN staff_user u ON u.id = c.agent_user_id
       WHERE sc.call_key = $1`,
      [callKey],
    );
    if (!row) return;
    const [linked]: unknown[] = await this.ds.query(
      `WITH linked AS (INSERT INTO ticket_call (ticket_id, call_id) VALUES ($1, $2) ON CONFLICT DO NOTHING RETURNING ticket_id)
       INSERT INTO ticket_event (ticket_id, at, actor_id, kind, note) SELECT ticket_id, $3, NULL, 'call_linked', $2 FROM linked RETURNING ticket_id`,
      [row.ticket_id, row.call_id, this.clock.now()],
    );
    let status = row.status;
    if (status === 'active' && row.answered_at && (row.agent_extension || row.agent_user_id)) {
      await this.sos.acknowledgeByCall(callKey, { userId: row.agent_user_id, username: row.username, name: row.display_name ?? `坐席 ${row.agent_extension}` });
      status = 'acknowledged';
    }
    if (linked || ringing) this.events.emit('sos.call-linked', { sosId: row.sos_id, ticketId: row.ticket_id, ticketNumber: row.number, districtCode: row.district_code, callId: row.call_id, status });
  }
}
