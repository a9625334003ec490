import { Column, Entity, PrimaryColumn, PrimaryGeneratedColumn } from 'typeorm';

/** The per-device secret of the alarm API, encrypted at rest (FieldCrypto). */
@Entity('device_alarm_key')
export class DeviceAlarmKey {
  @PrimaryColumn({ name: 'device_id', type: 'uuid' })
  deviceId!: string;

  @Column({ name: 'key_enc', type: 'text' })
  keyEnc!: string;

  /** Last characters of the key, to tell keys apart in the console without revealing them. */
  @Column({ name: 'key_hint', type: 'varchar', length: 8 })
  keyHint!: string;

  @Column({ name: 'issued_at', type: 'timestamptz' })
  issuedAt!: Date;

  @Column({ name: 'issued_by_id', type: 'uuid', nullable: true })
  issuedById!: string | null;
}

/** One accepted alarm-API request: the idempotency receipt and what became of it. */
@Entity('device_alarm')
export class DeviceAlarm {
  @PrimaryGeneratedColumn('uuid')
  id!: string;

  @Column({ name: 'device_id', type: 'uuid' })
  deviceId!: string;

  @Column({ name: 'idempotency_key', type: 'varchar', length: 100 })
  idempotencyKey!: string;

  /** SHA-256 of the request body: a reused key with another body is refused. */
  @Column({ name: 'request_hash', type: 'varchar', length: 64 })
  requestHash!: string;

  @Column({ type: 'varchar', length: 20 })
  type!: string;

  @Column({ name: 'occurred_at', type: 'timestamptz', nullable: true })
  occurredAt!: Date | null;

  @Column({ name: 'received_at', type: 'timestamptz' })
  receivedAt!: Date;

  @Column({ type: 'varchar', length: 20 })
  outcome!: string;

  @Column({ name: 'ticket_id', type: 'uuid', nullable: true })
  ticketId!: string | null;

  @Column({ name: 'sos_id', type: 'uuid', nullable: true })
  sosId!: string | null;

  @Column({ name: 'response_status', type: 'smallint' })
  responseStatus!: number;

  @Column({ name: 'response_body', type: 'jsonb' })
  responseBody!: Record<string, unknown>;
}

export const MAINTENANCE_REASONS = ['low_battery', 'heartbeat_lost'] as const;
export type MaintenanceReason = (typeof MAINTENANCE_REASONS)[number];

/** Links a device to its maintenance work order, so one problem opens one order. */
@Entity('device_maintenance')
export class DeviceMaintenance {
  @PrimaryGeneratedColumn('uuid')
  id!: string;

  @Column({ name: 'device_id', type: 'uuid' })
  deviceId!: string;

  @Column({ type: 'varchar', length: 20 })
  reason!: MaintenanceReason;

  @Column({ name: 'ticket_id', type: 'uuid' })
  ticketId!: string;

  @Column({ name: 'opened_at', type: 'timestamptz' })
  openedAt!: Date;
}
