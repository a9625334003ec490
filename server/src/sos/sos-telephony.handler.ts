import type { DataSource } from 'typeorm';
import type { Logger } from '../config/logger';
import { normalizePhone } from '../persons/phone-number';
import type { Clock } from '../shared/clock';
import type { CallView } from '../shared/domain-events';
import type { TelephonyEvent } from '../telephony/telephony-events';
import { findSosOwner } from './sos-owner';
import type { SosService } from './sos.service';

/**
 * SOS from the phone network. `sos.raised` (AMI `UserEvent AnxinSos`, or the Twilio voice webhook) raises
 * the SOS at once — before the call is answered. When the call row exists it is linked to the order, and an
 * agent answering the call acknowledges the SOS (the first step of the chain is "an agent answers").
 */
export class SosTelephonyHandler {
  private readonly pending = new Set<Promise<unknown>>();

  constructor(
    private readonly ds: DataSource,
    private readonly sos: SosService,
    private readonly clock: Clock,
    private readonly log: Logger,
  ) {}

  /** Feed every canonical telephony event; only `sos.raised` matters here. Never rejects. */
  onTelephonyEvent(event: TelephonyEvent): void {
    if (event.type !== 'sos.raised') return;
    this.track(this.raise(event.vendor, event.callKey, event.fromNumber, event.deviceId));
  }

  /** Feed `call.updated` / `call.ringing` domain events (the call row is committed). */
  onCallChanged(call: CallView): void {
    if (!call.isSos) return;
    this.track(this.linkAndAcknowledge(call.callKey));
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

  /** Link the call to the SOS order; if an agent already answered, that agent acknowledges the SOS. */
  private async linkAndAcknowledge(callKey: string): Promise<void> {
    const [row]: { sos_id: string; ticket_id: string; call_id: string; answered_at: Date | null; agent_user_id: string | null; agent_extension: string | null; display_name: string | null; username: string | null }[] = await this.ds.query(
      `SELECT s.id AS sos_id, s.ticket_id, c.id AS call_id, c.answered_at, c.agent_user_id, c.agent_extension, u.display_name, u.username
       FROM sos_incident s JOIN call c ON c.call_key = s.call_key LEFT JOIN staff_user u ON u.id = c.agent_user_id
       WHERE s.call_key = $1`,
      [callKey],
    );
    if (!row) return;
    await this.ds.query(
      `WITH linked AS (INSERT INTO ticket_call (ticket_id, call_id) VALUES ($1, $2) ON CONFLICT DO NOTHING RETURNING ticket_id)
       INSERT INTO ticket_event (ticket_id, at, actor_id, kind, note) SELECT ticket_id, $3, NULL, 'call_linked', $2 FROM linked`,
      [row.ticket_id, row.call_id, this.clock.now()],
    );
    if (row.answered_at && (row.agent_extension || row.agent_user_id)) {
      await this.sos.acknowledgeByCall(callKey, { userId: row.agent_user_id, username: row.username, name: row.display_name ?? `坐席 ${row.agent_extension}` });
    }
  }
}
