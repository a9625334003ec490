import type { DataSource, EntityManager } from 'typeorm';

export interface SosOwner {
  personId: string | null;
  deviceId: string | null;
  deviceSerial: string | null;
}

/**
 * Who an SOS from `e164` (and optionally a device serial the PBX named) belongs to: the device with that
 * serial or SIM number, else the person with that number registered as an SOS device, else any person
 * with that number. Unknown numbers still raise an SOS (no person).
 */
export async function findSosOwner(db: DataSource | EntityManager, e164: string | null, serial?: string | null): Promise<SosOwner> {
  const bySerial: { id: string; serial: string; person_id: string }[] = serial ? await db.query('SELECT id, serial, person_id FROM device WHERE serial = $1', [serial]) : [];
  const byNumber: { id: string; serial: string; person_id: string }[] = !bySerial[0] && e164 ? await db.query('SELECT id, serial, person_id FROM device WHERE phone_e164 = $1 ORDER BY serial LIMIT 1', [e164]) : [];
  const device = bySerial[0] ?? byNumber[0];
  if (device) return { personId: device.person_id, deviceId: device.id, deviceSerial: device.serial };
  if (!e164) return { personId: null, deviceId: null, deviceSerial: serial ?? null };
  const [phone]: { person_id: string }[] = await db.query(
    `SELECT person_id FROM phone_number WHERE e164 = $1 AND person_id IS NOT NULL ORDER BY (kind = 'sos_device') DESC, person_id LIMIT 1`,
    [e164],
  );
  return { personId: phone?.person_id ?? null, deviceId: null, deviceSerial: serial ?? null };
}
