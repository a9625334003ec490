import { createHash, randomBytes, randomUUID } from 'node:crypto';
import type { DataSource, EntityManager } from 'typeorm';
import type { Actor } from '../auth/auth.service';
import type { Logger } from '../config/logger';
import type { DeviceKind, DeviceMode } from '../persons/device.entity';
import { AppError } from '../shared/app-error';
import type { Clock } from '../shared/clock';
import type { DomainEvents } from '../shared/domain-events';
import { AfterCommit } from './after-commit';
import { batteryLow, decideAlarm } from './alarm-policy';
import { verifyAlarmSignature } from './alarm-signature';
import { alarmBodySchema, type AlarmBody } from './alarm.schema';
import type { DeviceKeyService } from './device-key.service';
import type { MaintenanceService } from './maintenance.service';
import { retryOnUniqueViolation } from './retry-conflict';
import { ALARM_LABEL } from './sos-messages';
import { prepared } from './prepared';
import { personSnapshotSql, type PersonSnapshot } from './sos-raise';
import type { SosService } from './sos.service';
import type { SystemActor } from './system-actor';
import { openTicket } from './ticket-writer';
import type { AuditService } from '../audit/audit.service';

/**
 * The one answer to every authentication failure (unknown device, wrong key, bad signature, stale or
 * malformed timestamp), so the answer says nothing about whether a serial exists. The server's time is in
 * the `Date` header of every response, for a device whose clock has drifted.
 */
const ALARM_REFUSED = '设备认证失败：请检查设备编号、密钥、签名和设备时钟';
const UNKNOWN_DEVICE_KEY = randomBytes(32).toString('base64url');

export interface SignedAlarm {
  serial: string;
  timestamp: string;
  signature: string;
  idempotencyKey: string;
  rawBody: Buffer;
}

/** What the device gets back (stored, so a replay gets the very same answer). */
export interface AlarmReceipt {
  alarmId: string;
  outcome: 'sos' | 'urgent' | 'maintenance' | 'recorded';
  reason: string;
  ticketId: string | null;
  ticketNumber: string | null;
  sosId: string | null;
  receivedAt: string;
}

export interface AlarmOutcome {
  status: number;
  body: AlarmReceipt;
  /** The same Idempotency-Key was seen before: this is the stored answer, nothing was done again. */
  replayed: boolean;
}

export interface AlarmOptions {
  clockSkewSeconds: number;
  lowBatteryPercent: number;
  /** Ids of receipts (the receipt carries its id before it is written); default random UUIDs. */
  newId?: () => string;
}

interface DeviceRow {
  id: string;
  serial: string;
  kind: DeviceKind;
  mode: DeviceMode;
  armed: boolean;
  person_id: string;
  district_code: string;
  risk_tier: string;
}

/**
 * `POST /api/alarms`: authenticate the device (per-device key, HMAC over timestamp, idempotency key and
 * body), then — in ONE transaction — record the receipt, decide by the device's mode and arming, and raise
 * the SOS / open the order. The caller answers 2xx only after this resolves, i.e. after the commit: an
 * acknowledged alarm always has its order. The same Idempotency-Key returns the stored answer.
 */
export class AlarmService {
  constructor(
    private readonly ds: DataSource,
    private readonly keys: DeviceKeyService,
    private readonly sos: SosService,
    private readonly maintenance: MaintenanceService,
    private readonly system: SystemActor,
    private readonly events: DomainEvents,
    private readonly clock: Clock,
    private readonly options: AlarmOptions,
    private readonly log: Logger,
    private readonly audit: AuditService,
  ) {}

  async receive(req: SignedAlarm): Promise<AlarmOutcome> {
    const device = await this.keys.lookup(req.serial);
    // An unknown serial is checked against a throw-away key: same work, same answer as a wrong signature.
    const signed = { key: device?.key ?? UNKNOWN_DEVICE_KEY, signature: req.signature, timestamp: req.timestamp, idempotencyKey: req.idempotencyKey, body: req.rawBody };
    const check = verifyAlarmSignature(signed, this.clock.now(), this.options.clockSkewSeconds);
    if (!device || !check.ok) {
      this.log.warn({ serial: req.serial.slice(0, 64), reason: device ? (check as { reason: string }).reason : 'unknown-device' }, 'alarm refused');
      throw new AppError('alarm/unauthorized', ALARM_REFUSED);
    }
    let json: unknown;
    try {
      json = JSON.parse(req.rawBody.toString('utf8'));
    } catch {
      throw new AppError('validation/invalid', '请求体不是合法的 JSON');
    }
    const body = alarmBodySchema.parse(json);
    const requestHash = createHash('sha256').update(req.rawBody).digest('hex');
    const actor = await this.system.get(); // before the transaction: PGlite has one session
    return retryOnUniqueViolation(async () => {
      const after = new AfterCommit(this.log);
      const outcome = await this.ds.transaction((m) => this.record(m, actor, device!.deviceId, req.idempotencyKey, requestHash, body, after));
      after.run();
      return outcome;
    });
  }

  /**
   * One transaction, few statements (PGlite's cost is per statement): lock and touch the device (a sign of
   * life) reading any earlier receipt of this key, decide, act, then write the receipt. A concurrent twin
   * of this request loses on the receipt's unique key and is retried into the replay path.
   */
  private async record(m: EntityManager, actor: Actor, deviceId: string, idempotencyKey: string, requestHash: string, body: AlarmBody, after: AfterCommit): Promise<AlarmOutcome> {
    const now = this.clock.now();
    const occurredAt = body.occurredAt ? new Date(body.occurredAt) : null;
    const [d] = await prepared<DeviceRow & PersonSnapshot & { prior: { request_hash: string; response_status: number; response_body: AlarmReceipt } | null }>(
      m,
      'alarm_device',
      `WITH d AS (
         UPDATE device SET last_heartbeat_at = GREATEST(COALESCE(last_heartbeat_at, $2), $2), battery = COALESCE($3, battery) WHERE id = $1
         RETURNING id, serial, kind, mode, armed, person_id,
           ${personSnapshotSql('device.person_id')},
           (SELECT p.risk_tier FROM person p WHERE p.id = device.person_id) AS risk_tier,
           (SELECT row_to_json(a) FROM (SELECT request_hash, response_status, response_body FROM device_alarm WHERE device_id = device.id AND idempotency_key = $4) a) AS prior)
       SELECT * FROM d`,
      [deviceId, occurredAt && occurredAt < now ? occurredAt : now, body.battery ?? null, idempotencyKey],
    );
    if (!d) throw new AppError('device/not-found', '设备已被删除');
    if (d.prior) {
      if (d.prior.request_hash !== requestHash) throw new AppError('alarm/idempotency-conflict', '该 Idempotency-Key 已用于另一条不同的报警');
      return { status: d.prior.response_status, body: d.prior.response_body, replayed: true };
    }

    const decision = decideAlarm({ kind: d.kind, mode: d.mode, armed: d.armed }, body);
    const receipt: AlarmReceipt = { alarmId: (this.options.newId ?? randomUUID)(), outcome: 'recorded', reason: decision.reason, ticketId: null, ticketNumber: null, sosId: null, receivedAt: now.toISOString() };
    const maintenanceDevice = { id: d.id, serial: d.serial, kind: d.kind, personId: d.person_id, districtCode: d.district_code, riskTier: d.risk_tier };
    if (decision.kind === 'sos') {
      const raised = await this.sos.raiseIn(m, actor, { source: body.type === 'sos' ? 'alarm_api' : 'sensor', alarmType: body.type === 'sos' ? 'button' : body.type, personId: d.person_id, deviceId: d.id, deviceSerial: d.serial, silent: decision.silent, detail: [decision.reason, body.detail].filter(Boolean).join('；'), snapshot: { id: d.person_id, name: d.name, district_code: d.district_code, open: d.open } }, after);
      Object.assign(receipt, { outcome: 'sos', ticketId: raised.ticketId, ticketNumber: raised.ticketNumber, sosId: raised.sosId });
    } else if (decision.kind === 'urgent') {
      const summary = `【设备报警】${ALARM_LABEL[body.type] ?? body.type}（设备 ${d.serial}）${body.detail ? `：${body.detail}` : ''}`;
      const t = await openTicket(m, this.audit, actor, { category: 'life_service', serviceType: 'urgent_help', priority: 'P1', channel: 'device_alarm', summary, personId: d.person_id, districtCode: d.district_code }, now);
      after.add(() => this.events.emit('ticket.created', { ticketId: t.id, number: t.number, districtCode: t.districtCode, priority: t.priority, category: t.category }));
      Object.assign(receipt, { outcome: 'urgent', ticketId: t.id, ticketNumber: t.number });
    } else if (decision.kind === 'maintenance') {
      const opened = await this.maintenance.openIn(m, actor, maintenanceDevice, 'low_battery', body.battery !== undefined ? `电量 ${body.battery}%` : '设备报告电量低', now, after);
      Object.assign(receipt, { outcome: 'maintenance', ticketId: opened.ticketId, ticketNumber: opened.ticketNumber });
    }
    if (decision.kind !== 'maintenance' && batteryLow(body.battery, this.options.lowBatteryPercent)) {
      await this.maintenance.openIn(m, actor, maintenanceDevice, 'low_battery', `电量 ${body.battery}%（随${ALARM_LABEL[body.type] ?? body.type}上报）`, now, after);
    }
    await prepared(
      m,
      'alarm_receipt',
      `INSERT INTO device_alarm (id, device_id, idempotency_key, request_hash, type, occurred_at, received_at, outcome, ticket_id, sos_id, response_status, response_body)
       VALUES ($1, $2, $3, $4, $5, $6, $7, $8, $9, $10, 201, $11)`,
      [receipt.alarmId, d.id, idempotencyKey, requestHash, body.type, occurredAt, now, receipt.outcome, receipt.ticketId, receipt.sosId, JSON.stringify(receipt)],
    );
    return { status: 201, body: receipt, replayed: false };
  }
}
