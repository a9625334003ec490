import type { DataSource } from 'typeorm';
import { normalizePhone } from '../persons/phone-number';

export type CallerClass = { kind: 'sos'; deviceSerial: string } | { kind: 'known' } | { kind: 'unknown' };

/**
 * Who is calling, for the IVR (Asterisk asks over HTTP, the Twilio webhook asks in process): a registered
 * SOS device (skips the menu, top priority), a known number (a person or one of their contacts: skips the
 * menu) or unknown.
 */
export class CallerLookup {
  constructor(private readonly ds: DataSource) {}

  /**
   * @example await lookup.classify('13900000001') // { kind: 'sos', deviceSerial: 'pendant-0001' }
   */
  async classify(rawNumber: string): Promise<CallerClass> {
    const e164 = normalizePhone(rawNumber)?.e164;
    if (!e164) return { kind: 'unknown' };
    const [device]: { serial: string }[] = await this.ds.query(
      `SELECT serial FROM device WHERE phone_e164 = $1
       UNION ALL
       SELECT COALESCE((SELECT d.serial FROM device d WHERE d.person_id = p.person_id AND d.kind = 'sos_pendant' ORDER BY d.serial LIMIT 1), '') FROM phone_number p WHERE p.e164 = $1 AND p.kind = 'sos_device'
       LIMIT 1`,
      [e164],
    );
    if (device) return { kind: 'sos', deviceSerial: device.serial };
    const [known]: unknown[] = await this.ds.query('SELECT 1 FROM phone_number WHERE e164 = $1 LIMIT 1', [e164]);
    return known ? { kind: 'known' } : { kind: 'unknown' };
  }
}
