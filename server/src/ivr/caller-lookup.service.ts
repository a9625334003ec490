import type { DataSource } from 'typeorm';
import { normalizePhone } from '../persons/phone-number';
import type { SosDeviceRow } from './sos-astdb';

/** `personId`: whose number it is (the person, or the person a contact number belongs to), for the audit trail. */
export type CallerClass = { kind: 'sos'; deviceSerial: string; personId: string | null } | { kind: 'known'; personId: string | null } | { kind: 'unknown' };

/**
 * Who is calling, for the IVR (Asterisk asks over HTTP, the Twilio webhook asks in process): a registered
 * SOS device (skips the menu, top priority), a known number (a person or one of their contacts: skips the
 * menu) or unknown.
 */
export class CallerLookup {
  constructor(private readonly ds: DataSource) {}

  /**
   * @example await lookup.classify('13900000001') // { kind: 'sos', deviceSerial: 'pendant-0001', personId: '…' }
   */
  async classify(rawNumber: string): Promise<CallerClass> {
    const e164 = normalizePhone(rawNumber)?.e164;
    if (!e164) return { kind: 'unknown' };
    const [device]: { serial: string; person_id: string | null }[] = await this.ds.query(
      `SELECT serial, person_id FROM device WHERE phone_e164 = $1 AND retired_at IS NULL
       UNION ALL
       SELECT COALESCE((SELECT d.serial FROM device d WHERE d.person_id = p.person_id AND d.kind = 'sos_pendant' AND d.retired_at IS NULL ORDER BY d.serial LIMIT 1), ''), p.person_id FROM phone_number p WHERE p.e164 = $1 AND p.kind = 'sos_device'
       LIMIT 1`,
      [e164],
    );
    if (device) return { kind: 'sos', deviceSerial: device.serial, personId: device.person_id };
    const [known]: { person_id: string | null }[] = await this.ds.query(
      `SELECT COALESCE(n.person_id, c.person_id) AS person_id FROM phone_number n LEFT JOIN contact c ON c.id = n.contact_id
        WHERE n.e164 = $1 ORDER BY n.person_id IS NULL LIMIT 1`,
      [e164],
    );
    return known ? { kind: 'known', personId: known.person_id } : { kind: 'unknown' };
  }

  /**
   * Every registered SOS device with a SIM number that is not retired (for the AstDB list), with whose it is.
   * @example await lookup.sosDevices() // [{ e164: '+8613900000001', serial: 'pendant-0001', personId: '…' }]
   */
  async sosDevices(): Promise<(SosDeviceRow & { personId: string })[]> {
    const rows: { e164: string; serial: string; person_id: string }[] = await this.ds.query(
      'SELECT phone_e164 AS e164, serial, person_id FROM device WHERE phone_e164 IS NOT NULL AND retired_at IS NULL ORDER BY serial',
    );
    return rows.map((r) => ({ e164: r.e164, serial: r.serial, personId: r.person_id }));
  }
}
