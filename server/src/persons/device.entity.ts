import { Column, Entity, PrimaryGeneratedColumn } from 'typeorm';

export const DEVICE_KINDS = ['sos_pendant', 'fall_detector', 'door_sensor', 'smoke_sensor', 'gas_sensor', 'water_sensor', 'health_monitor'] as const;
export type DeviceKind = (typeof DEVICE_KINDS)[number];
export const DEVICE_MODES = ['home', 'away', 'sleep'] as const;
export type DeviceMode = (typeof DEVICE_MODES)[number];

@Entity('device')
export class Device {
  @PrimaryGeneratedColumn('uuid')
  id!: string;

  @Column({ name: 'person_id', type: 'uuid' })
  personId!: string;

  @Column({ type: 'varchar', length: 20 })
  kind!: DeviceKind;

  @Column({ type: 'varchar', length: 64, unique: true })
  serial!: string;

  @Column({ type: 'varchar', length: 8, default: 'home' })
  mode!: DeviceMode;

  @Column({ type: 'boolean', default: true })
  armed!: boolean;

  @Column({ type: 'smallint', nullable: true })
  battery!: number | null;

  @Column({ name: 'last_heartbeat_at', type: 'timestamptz', nullable: true })
  lastHeartbeatAt!: Date | null;

  @Column({ name: 'phone_e164', type: 'varchar', length: 20, nullable: true })
  phoneE164!: string | null;

  @Column({ type: 'varchar', length: 64, nullable: true })
  model!: string | null;

  /** Retired devices stay on record but no longer count as SOS devices (IVR lookup, AstDB list, alarm API). */
  @Column({ name: 'retired_at', type: 'timestamptz', nullable: true })
  retiredAt!: Date | null;
}
