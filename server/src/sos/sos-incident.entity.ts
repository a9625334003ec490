import { Column, Entity, PrimaryGeneratedColumn } from 'typeorm';

export const SOS_SOURCES = ['device_call', 'alarm_api', 'sensor', 'sms', 'twilio_call'] as const;
export type SosSource = (typeof SOS_SOURCES)[number];

/**
 * active → acknowledged (someone took it) → resolved | false_alarm | cancelled (its order was cancelled).
 * Only `active` escalates. An SOS closes with its order (see sos-order.ts).
 */
export const SOS_STATUSES = ['active', 'acknowledged', 'resolved', 'false_alarm', 'cancelled'] as const;
export type SosStatus = (typeof SOS_STATUSES)[number];
export const OPEN_SOS_STATUSES: readonly SosStatus[] = ['active', 'acknowledged'];
/** How an SOS ends. */
export type SosOutcome = Exclude<SosStatus, 'active' | 'acknowledged'>;

/**
 * One SOS (a press, a device alarm, a text) and the state of its escalation chain. The P0 work order is
 * `ticketId`; every step lands on that ticket's timeline.
 */
@Entity('sos_incident')
export class SosIncident {
  @PrimaryGeneratedColumn('uuid')
  id!: string;

  @Column({ name: 'ticket_id', type: 'uuid', unique: true })
  ticketId!: string;

  @Column({ name: 'person_id', type: 'uuid', nullable: true })
  personId!: string | null;

  @Column({ name: 'device_id', type: 'uuid', nullable: true })
  deviceId!: string | null;

  @Column({ type: 'varchar', length: 16 })
  source!: SosSource;

  /** `asterisk:<Linkedid>` / `twilio:<CallSid>` when raised by a call: the same key as `call.call_key`. */
  @Column({ name: 'call_key', type: 'varchar', length: 100, nullable: true, unique: true })
  callKey!: string | null;

  @Column({ name: 'from_e164', type: 'varchar', length: 20, nullable: true })
  fromE164!: string | null;

  @Column({ name: 'district_code', type: 'varchar', length: 12 })
  districtCode!: string;

  /** No speech expected (a silent alarm, a text): the chain relies on the person's communication needs. */
  @Column({ type: 'boolean', default: false })
  silent!: boolean;

  @Column({ type: 'varchar', length: 16 })
  status!: SosStatus;

  /** Index of the next escalation step to run. */
  @Column({ type: 'int', default: 0 })
  step!: number;

  /** When the next step is due; null when the chain has stopped or run out. */
  @Column({ name: 'next_step_at', type: 'timestamptz', nullable: true })
  nextStepAt!: Date | null;

  @Column({ name: 'repeat_count', type: 'int', default: 0 })
  repeatCount!: number;

  @Column({ name: 'raised_at', type: 'timestamptz' })
  raisedAt!: Date;

  @Column({ name: 'acknowledged_at', type: 'timestamptz', nullable: true })
  acknowledgedAt!: Date | null;

  @Column({ name: 'acknowledged_by_id', type: 'uuid', nullable: true })
  acknowledgedById!: string | null;

  @Column({ name: 'closed_at', type: 'timestamptz', nullable: true })
  closedAt!: Date | null;
}
