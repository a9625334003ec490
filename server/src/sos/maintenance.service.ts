import type { DataSource, EntityManager } from 'typeorm';
import type { Actor } from '../auth/auth.service';
import type { Logger } from '../config/logger';
import type { DeviceKind } from '../persons/device.entity';
import type { Clock } from '../shared/clock';
import type { DomainEvents } from '../shared/domain-events';
import { TERMINAL_STATUSES } from '../tickets/ticket';
import { AfterCommit } from './after-commit';
import type { MaintenanceReason } from './device-alarm.entity';
import type { SystemActor } from './system-actor';
import { addTimeline, openTicket } from './ticket-writer';
import type { AuditService } from '../audit/audit.service';

export const DEVICE_LABEL: Record<DeviceKind, string> = {
  sos_pendant: 'SOS 呼叫器',
  fall_detector: '跌倒探测器',
  door_sensor: '门磁',
  smoke_sensor: '烟雾探测器',
  gas_sensor: '燃气探测器',
  water_sensor: '水浸探测器',
  health_monitor: '健康监测仪',
};

export interface MaintenanceDevice {
  id: string;
  serial: string;
  kind: DeviceKind;
  personId: string;
  districtCode: string;
  riskTier: string;
}

/**
 * Device maintenance orders (设备维护): low battery and lost heartbeats. One open order per device and
 * reason; a repeat report adds a line to that order's timeline instead of a new order.
 *
 * The order is a work order of category `order` (dispatchable: someone visits and changes the battery).
 * A lost heartbeat on the SOS pendant of a high-risk person is P1 (the person is unprotected), else P2.
 */
export class MaintenanceService {
  constructor(
    private readonly ds: DataSource,
    private readonly system: SystemActor,
    private readonly events: DomainEvents,
    private readonly clock: Clock,
    private readonly log: Logger,
    private readonly audit: AuditService,
  ) {}

  /** Open (or note on the open) maintenance order, inside the caller's transaction. */
  async openIn(m: EntityManager, actor: Actor, device: MaintenanceDevice, reason: MaintenanceReason, detail: string, now: Date, after: AfterCommit): Promise<{ ticketId: string; ticketNumber: string; created: boolean }> {
    const [open]: { ticket_id: string; number: string }[] = await m.query(
      `SELECT dm.ticket_id, t.number FROM device_maintenance dm JOIN ticket t ON t.id = dm.ticket_id
       WHERE dm.device_id = $1 AND dm.reason = $2 AND t.status <> ALL($3) ORDER BY dm.opened_at DESC LIMIT 1`,
      [device.id, reason, TERMINAL_STATUSES],
    );
    if (open) {
      await addTimeline(m, open.ticket_id, now, actor.userId, 'device_report', detail);
      return { ticketId: open.ticket_id, ticketNumber: open.number, created: false };
    }
    const label = `${DEVICE_LABEL[device.kind] ?? device.kind} ${device.serial}`;
    const urgent = reason === 'heartbeat_lost' && device.kind === 'sos_pendant' && device.riskTier === 'high';
    const summary = reason === 'low_battery' ? `【设备维护】${label} 电量低：${detail}，请安排更换电池或充电` : `【设备维护】${label} 失去心跳：${detail}，请上门检查设备`;
    const ticket = await openTicket(m, this.audit, actor, { category: 'order', priority: urgent ? 'P1' : 'P2', channel: 'device_alarm', summary, personId: device.personId, districtCode: device.districtCode }, now);
    await m.query('INSERT INTO device_maintenance (device_id, reason, ticket_id, opened_at) VALUES ($1, $2, $3, $4)', [device.id, reason, ticket.id, now]);
    after.add(() => this.events.emit('ticket.created', { ticketId: ticket.id, number: ticket.number, districtCode: ticket.districtCode, priority: ticket.priority, category: ticket.category }));
    return { ticketId: ticket.id, ticketNumber: ticket.number, created: true };
  }

  /**
   * Devices connected to the alarm API (they have a key) whose last heartbeat is older than `timeoutMinutes`
   * get a `heartbeat_lost` order. Returns how many orders were opened.
   */
  async sweepHeartbeats(timeoutMinutes: number): Promise<number> {
    const now = this.clock.now();
    const cutoff = new Date(now.getTime() - timeoutMinutes * 60_000);
    const actor = await this.system.get();
    const stale: { id: string }[] = await this.ds.query(
      `SELECT d.id FROM device d JOIN device_alarm_key k ON k.device_id = d.id
       WHERE COALESCE(d.last_heartbeat_at, k.issued_at) < $1
         AND NOT EXISTS (SELECT 1 FROM device_maintenance dm JOIN ticket t ON t.id = dm.ticket_id
                         WHERE dm.device_id = d.id AND dm.reason = 'heartbeat_lost' AND t.status <> ALL($2))
       LIMIT 500`,
      [cutoff, TERMINAL_STATUSES],
    );
    let opened = 0;
    for (const { id } of stale) {
      const after = new AfterCommit(this.log);
      const created = await this.ds.transaction(async (m) => {
        const [d]: { id: string; serial: string; kind: DeviceKind; person_id: string; district_code: string; risk_tier: string; last_heartbeat_at: Date | null }[] = await m.query(
          'SELECT d.id, d.serial, d.kind, d.person_id, p.district_code, p.risk_tier, d.last_heartbeat_at FROM device d JOIN person p ON p.id = d.person_id WHERE d.id = $1 FOR UPDATE OF d',
          [id],
        );
        if (!d || (d.last_heartbeat_at && d.last_heartbeat_at >= cutoff)) return false;
        const since = d.last_heartbeat_at ? `最后心跳 ${d.last_heartbeat_at.toISOString()}` : '接入后从未收到心跳';
        const device = { id: d.id, serial: d.serial, kind: d.kind, personId: d.person_id, districtCode: d.district_code, riskTier: d.risk_tier };
        return (await this.openIn(m, actor, device, 'heartbeat_lost', `超过 ${timeoutMinutes} 分钟无心跳（${since}）`, now, after)).created;
      });
      after.run();
      if (created) opened++;
    }
    if (opened) this.log.warn({ opened }, 'devices without heartbeat: maintenance orders opened');
    return opened;
  }
}
