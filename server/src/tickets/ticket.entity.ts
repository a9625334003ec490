import { Column, CreateDateColumn, Entity, Index, PrimaryColumn, PrimaryGeneratedColumn, UpdateDateColumn, VersionColumn } from 'typeorm';
import type { CallerRelation, TicketCategory, TicketChannel, TicketPriority, TicketStatus } from './ticket';

/** 工单. Number `YYYYMMDD-NNNN` (Asia/Shanghai day). */
@Entity('ticket')
export class Ticket {
  @PrimaryGeneratedColumn('uuid')
  id!: string;

  @Column({ type: 'varchar', length: 16, unique: true })
  number!: string;

  @Column({ type: 'varchar', length: 16 })
  category!: TicketCategory;

  @Column({ name: 'service_type', type: 'varchar', length: 24, nullable: true })
  serviceType!: string | null;

  @Column({ type: 'varchar', length: 2 })
  priority!: TicketPriority;

  @Index()
  @Column({ type: 'varchar', length: 20 })
  status!: TicketStatus;

  @Index()
  @Column({ name: 'person_id', type: 'uuid', nullable: true })
  personId!: string | null;

  @Column({ name: 'caller_relation', type: 'varchar', length: 12 })
  callerRelation!: CallerRelation;

  @Column({ type: 'varchar', length: 16 })
  channel!: TicketChannel;

  @Column({ type: 'text' })
  summary!: string;

  @Column({ name: 'district_code', type: 'varchar', length: 12 })
  districtCode!: string;

  @Column({ name: 'sla_due_at', type: 'timestamptz', nullable: true })
  slaDueAt!: Date | null;

  @Column({ name: 'assignee_id', type: 'uuid', nullable: true })
  assigneeId!: string | null;

  @Column({ name: 'created_by_id', type: 'uuid' })
  createdById!: string;

  @Column({ type: 'boolean', default: false })
  confidential!: boolean;

  @Column({ type: 'varchar', length: 16, nullable: true })
  satisfaction!: string | null;

  @Column({ name: 'closed_at', type: 'timestamptz', nullable: true })
  closedAt!: Date | null;

  @VersionColumn({ type: 'int' })
  version!: number;

  @CreateDateColumn({ name: 'created_at', type: 'timestamptz' })
  createdAt!: Date;

  @UpdateDateColumn({ name: 'updated_at', type: 'timestamptz' })
  updatedAt!: Date;
}

@Entity('ticket_call')
export class TicketCall {
  @PrimaryColumn({ name: 'ticket_id', type: 'uuid' })
  ticketId!: string;

  @PrimaryColumn({ name: 'call_id', type: 'uuid' })
  callId!: string;
}

/** The ticket's timeline: who did what, when. Append-only. */
@Entity('ticket_event')
export class TicketEvent {
  @PrimaryGeneratedColumn({ type: 'bigint' })
  id!: string;

  @Index()
  @Column({ name: 'ticket_id', type: 'uuid' })
  ticketId!: string;

  @Column({ type: 'timestamptz' })
  at!: Date;

  @Column({ name: 'actor_id', type: 'uuid', nullable: true })
  actorId!: string | null;

  /** created, transition, note, call_linked … */
  @Column({ type: 'varchar', length: 20 })
  kind!: string;

  @Column({ name: 'from_status', type: 'varchar', length: 20, nullable: true })
  fromStatus!: string | null;

  @Column({ name: 'to_status', type: 'varchar', length: 20, nullable: true })
  toStatus!: string | null;

  @Column({ type: 'text', nullable: true })
  note!: string | null;
}

/** Per-day counter that numbered tickets before the per-day sequences (migration TicketNumberSequence); read only to start a day's sequence after it. */
@Entity('ticket_number_counter')
export class TicketNumberCounter {
  @PrimaryColumn({ type: 'varchar', length: 8 })
  day!: string;

  @Column({ type: 'int' })
  last!: number;
}
