/**
 * Test and benchmark helpers for the device alarm API: people with SOS pendants whose alarm keys are
 * issued, and a client that signs requests the way a device must.
 */
import { randomBytes, randomInt, randomUUID } from 'node:crypto';
import type { DataSource, EntityManager } from 'typeorm';
import { insertPersons, type PersonRecord } from '../../../db/src/seed/person-writer';
import type { DeviceKind, DeviceMode } from '../../src/persons/device.entity';
import { signAlarm } from '../../src/sos/alarm-signature';
import type { FieldCrypto } from '../../src/shared/field-crypto';

export interface AlarmDevice {
  personId: string;
  deviceId: string;
  serial: string;
  key: string;
}

export interface DeviceSpec {
  kind?: DeviceKind;
  mode?: DeviceMode;
  armed?: boolean;
  person?: Partial<PersonRecord>;
}

const mobile = () => `+86199${String(randomInt(0, 99_999_999)).padStart(8, '0')}`;

/**
 * Insert `specs.length` persons (one device each) in `districtCode` and give every device an alarm key,
 * in one transaction. Keys are encrypted like DeviceKeyService stores them.
 */
export async function makeAlarmDevices(ds: DataSource, crypto: FieldCrypto, districtCode: string, specs: DeviceSpec[]): Promise<AlarmDevice[]> {
  const run = async (m: EntityManager) => {
    const records: PersonRecord[] = specs.map((spec, i) => ({
      name: `报警测试${i}`,
      gender: 'F',
      birthDate: '1945-03-01',
      riskTier: 'high',
      livingSituation: 'alone',
      districtCode,
      address: `测试路 ${i + 1} 号`,
      communicationNeed: 'voice',
      disabilityCategory: 4,
      disabilityLevel: 2,
      phones: [{ e164: mobile(), kind: 'mobile' }],
      contacts: [{ name: '李女儿', relation: '女儿', isGuardian: true, priority: 1, notifyOnEmergency: true, phoneE164: mobile() }],
      devices: [{ kind: spec.kind ?? 'sos_pendant', serial: `T-${randomUUID().slice(0, 18)}`, mode: spec.mode ?? 'home', armed: spec.armed ?? true, battery: 90, phoneE164: null }],
      ...spec.person,
    }));
    const ids = await insertPersons(m, crypto, records);
    const out: AlarmDevice[] = [];
    for (const [i, personId] of ids.entries()) {
      const serial = records[i]!.devices![0]!.serial;
      const [{ id: deviceId }]: { id: string }[] = await m.query('SELECT id FROM device WHERE serial = $1', [serial]);
      const key = randomBytes(32).toString('base64url');
      await m.query('INSERT INTO device_alarm_key (device_id, key_enc, key_hint, issued_at) VALUES ($1, $2, $3, now())', [deviceId, crypto.encrypt(key), key.slice(-4)]);
      out.push({ personId, deviceId, serial, key });
    }
    return out;
  };
  return ds.transaction(run);
}

export interface AlarmPost {
  body: unknown;
  idempotencyKey?: string;
  /** Unix seconds; default now. */
  timestamp?: number;
  /** Sign with another key (bad-key tests). */
  signWith?: string;
  /** Replace headers after signing (tamper tests). */
  headers?: Record<string, string | undefined>;
  /** Send these bytes instead of JSON.stringify(body) (malformed-body tests). */
  raw?: string;
}

export interface AlarmReply {
  status: number;
  body: any;
  replayed: boolean;
}

/**
 * POST a signed alarm as a device would.
 * @example const r = await postAlarm(baseUrl, device, { body: { type: 'sos' } }); // r.status 201
 */
export async function postAlarm(baseUrl: string, device: Pick<AlarmDevice, 'serial' | 'key'>, req: AlarmPost, init: RequestInit = {}): Promise<AlarmReply> {
  const raw = req.raw ?? JSON.stringify(req.body);
  const timestamp = String(req.timestamp ?? Math.floor(Date.now() / 1000));
  const idempotencyKey = req.idempotencyKey ?? `evt-${randomUUID()}`;
  const headers: Record<string, string> = {
    'content-type': 'application/json',
    'x-anxin-device': device.serial,
    'x-anxin-timestamp': timestamp,
    'x-anxin-signature': signAlarm(req.signWith ?? device.key, timestamp, idempotencyKey, raw),
    'idempotency-key': idempotencyKey,
  };
  for (const [name, value] of Object.entries(req.headers ?? {})) {
    if (value === undefined) delete headers[name];
    else headers[name] = value;
  }
  const res = await fetch(`${baseUrl}/api/alarms`, { method: 'POST', headers, body: raw, ...init });
  const text = await res.text();
  return { status: res.status, body: text ? JSON.parse(text) : null, replayed: res.headers.get('idempotent-replayed') === 'true' };
}
