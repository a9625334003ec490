import { randomBytes } from 'node:crypto';
import type { DataSource } from 'typeorm';
import type { AuditService } from '../audit/audit.service';
import { inScope, type Actor } from '../auth/auth.service';
import { AppError } from '../shared/app-error';
import type { Clock } from '../shared/clock';
import type { FieldCrypto } from '../shared/field-crypto';
import { preparedRead } from './prepared';

export interface IssuedKey {
  deviceId: string;
  serial: string;
  /** Shown once; stored encrypted. */
  key: string;
  keyHint: string;
  issuedAt: Date;
}

interface CachedKey {
  value: { deviceId: string; key: string } | null;
  at: number;
}

/** Keys are cached briefly: the alarm path is hot. A re-issued key is live at once on this node and within TTL elsewhere. */
const TTL_MS = 30_000;

/**
 * Per-device alarm-API keys: issued by an admin (the plain key is returned once), stored encrypted with
 * the field-crypto key, looked up by device serial.
 */
export class DeviceKeyService {
  private readonly cache = new Map<string, CachedKey>();

  constructor(
    private readonly ds: DataSource,
    private readonly crypto: FieldCrypto,
    private readonly audit: AuditService,
    private readonly clock: Clock,
    private readonly random: (bytes: number) => Buffer = randomBytes,
  ) {}

  /**
   * Issue (or replace) the key of a device. Audited.
   * @example const { key } = await keys.issue(admin, deviceId); // give `key` to the IoT platform
   */
  async issue(actor: Actor, deviceId: string): Promise<IssuedKey> {
    const [device]: { id: string; serial: string; retired_at: Date | null; district_code: string }[] = await this.ds.query('SELECT d.id, d.serial, d.retired_at, p.district_code FROM device d JOIN person p ON p.id = d.person_id WHERE d.id = $1', [deviceId]);
    if (!device || !inScope(actor, device.district_code)) throw new AppError('device/not-found', `设备 ${deviceId} 不存在`);
    if (device.retired_at) throw new AppError('device/retired', '设备已停用，不能签发密钥');
    const key = this.random(32).toString('base64url');
    const keyHint = key.slice(-4);
    const issuedAt = this.clock.now();
    await this.ds.transaction(async (m) => {
      await m.query(
        `INSERT INTO device_alarm_key (device_id, key_enc, key_hint, issued_at, issued_by_id) VALUES ($1, $2, $3, $4, $5)
         ON CONFLICT (device_id) DO UPDATE SET key_enc = EXCLUDED.key_enc, key_hint = EXCLUDED.key_hint, issued_at = EXCLUDED.issued_at, issued_by_id = EXCLUDED.issued_by_id`,
        [device.id, this.crypto.encrypt(key), keyHint, issuedAt, actor.userId],
      );
      await this.audit.record({ actorId: actor.userId, actorUsername: actor.username, action: 'device.alarm-key', subjectType: 'device', subjectId: device.id, outcome: 'ok' }, m);
    });
    this.cache.delete(device.serial);
    return { deviceId: device.id, serial: device.serial, key, keyHint, issuedAt };
  }

  /** Drop a cached key (the device was changed or retired here): the next alarm reads it afresh. */
  forget(serial: string): void {
    this.cache.delete(serial);
  }

  /** The device and its key by serial; null for an unknown or retired device, or one without a key. */
  async lookup(serial: string): Promise<{ deviceId: string; key: string } | null> {
    const now = Date.now();
    const hit = this.cache.get(serial);
    if (hit && now - hit.at < TTL_MS) return hit.value;
    const [row] = await preparedRead<{ device_id: string; key_enc: string }>(this.ds, 'device_key', 'SELECT k.device_id, k.key_enc FROM device_alarm_key k JOIN device d ON d.id = k.device_id WHERE d.serial = $1 AND d.retired_at IS NULL', [serial]);
    const value = row ? { deviceId: row.device_id, key: this.crypto.decrypt(row.key_enc) } : null;
    if (this.cache.size > 10_000) this.cache.clear();
    this.cache.set(serial, { value, at: now });
    return value;
  }
}
