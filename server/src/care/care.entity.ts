import { Column, CreateDateColumn, Entity, PrimaryGeneratedColumn, UpdateDateColumn, VersionColumn } from 'typeorm';
import type { Cadence } from './care-recurrence';
import type { CareChannel, CareTaskKind, CareTaskStatus } from './care';

/** 关怀计划: who gets called how often, when, how, by which team. One per person. */
@Entity('care_plan')
export class CarePlan {
  @PrimaryGeneratedColumn('uuid')
  id!: string;

  @Column({ name: 'person_id', type: 'uuid', unique: true })
  personId!: string;

  @Column({ name: 'district_code', type: 'varchar', length: 12 })
  districtCode!: string;

  @Column({ type: 'varchar', length: 50, nullable: true })
  team!: string | null;

  @Column({ type: 'varchar', length: 16 })
  cadence!: Cadence;

  @Column({ name: 'interval_days', type: 'smallint', nullable: true })
  intervalDays!: number | null;

  @Column({ name: 'anchor_day', type: 'date' })
  anchorDay!: string;

  /** The next slot without a task; null once the plan is closed. */
  @Column({ name: 'next_due_day', type: 'date', nullable: true })
  nextDueDay!: string | null;

  @Column({ name: 'window_start', type: 'smallint' })
  windowStart!: number;

  @Column({ name: 'window_end', type: 'smallint' })
  windowEnd!: number;

  @Column({ name: 'quiet_start', type: 'smallint', nullable: true })
  quietStart!: number | null;

  @Column({ name: 'quiet_end', type: 'smallint', nullable: true })
  quietEnd!: number | null;

  @Column({ type: 'varchar', length: 10 })
  channel!: CareChannel;

  @Column({ type: 'text', nullable: true })
  script!: string | null;

  @Column({ type: 'boolean', default: true })
  active!: boolean;

  @Column({ name: 'closed_reason', type: 'text', nullable: true })
  closedReason!: string | null;

  @VersionColumn({ type: 'int' })
  version!: number;

  @CreateDateColumn({ name: 'created_at', type: 'timestamptz' })
  createdAt!: Date;

  @UpdateDateColumn({ name: 'updated_at', type: 'timestamptz' })
  updatedAt!: Date;
}

/** A care call or a 回访 to make: due time, attempts, claim lease, outcome, escalation state. */
@Entity('care_task')
export class CareTask {
  @PrimaryGeneratedColumn('uuid')
  id!: string;

  @Column({ type: 'varchar', length: 8 })
  kind!: CareTaskKind;

  @Column({ name: 'plan_id', type: 'uuid', nullable: true })
  planId!: string | null;

  @Column({ name: 'ticket_id', type: 'uuid', nullable: true })
  ticketId!: string | null;

  /** The plan's slot day, or `survey-N` for the Nth 回访 of an order. */
  @Column({ type: 'varchar', length: 16 })
  slot!: string;

  @Column({ name: 'person_id', type: 'uuid', nullable: true })
  personId!: string | null;

  @Column({ name: 'district_code', type: 'varchar', length: 12 })
  districtCode!: string;

  @Column({ name: 'risk_rank', type: 'smallint' })
  riskRank!: number;

  @Column({ name: 'due_at', type: 'timestamptz' })
  dueAt!: Date;

  @Column({ type: 'varchar', length: 10, default: 'open' })
  status!: CareTaskStatus;

  @Column({ type: 'smallint', default: 0 })
  attempts!: number;

  @Column({ name: 'claimed_by_id', type: 'uuid', nullable: true })
  claimedById!: string | null;

  @Column({ name: 'lease_until', type: 'timestamptz', nullable: true })
  leaseUntil!: Date | null;

  @Column({ type: 'varchar', length: 20, nullable: true })
  outcome!: string | null;

  @Column({ name: 'escalation_step', type: 'smallint', default: 0 })
  escalationStep!: number;

  @Column({ name: 'next_step_at', type: 'timestamptz', nullable: true })
  nextStepAt!: Date | null;

  @Column({ type: 'varchar', length: 20, nullable: true })
  satisfaction!: string | null;

  @Column({ type: 'boolean', nullable: true })
  resolved!: boolean | null;

  @Column({ type: 'text', nullable: true })
  comment!: string | null;

  @Column({ name: 'dial_request_id', type: 'varchar', length: 60, nullable: true })
  dialRequestId!: string | null;

  @Column({ name: 'call_id', type: 'uuid', nullable: true })
  callId!: string | null;

  /** A campaign's task (kind `campaign`). */
  @Column({ name: 'campaign_id', type: 'uuid', nullable: true })
  campaignId!: string | null;

  /** An event call (kind `event`): `birthday`, `festival:<key>`, `heat`. */
  @Column({ type: 'varchar', length: 24, nullable: true })
  event!: string | null;

  @Column({ name: 'heat_warning_id', type: 'uuid', nullable: true })
  heatWarningId!: string | null;

  /** The questionnaire version the answers belong to (the one the agent was shown). */
  @Column({ name: 'questionnaire_id', type: 'uuid', nullable: true })
  questionnaireId!: string | null;

  @Column({ type: 'jsonb', nullable: true })
  answers!: Record<string, unknown> | null;

  /** The work order this task opened (needs help, home visit, welfare check). */
  @Column({ name: 'opened_ticket_id', type: 'uuid', nullable: true })
  openedTicketId!: string | null;

  @CreateDateColumn({ name: 'created_at', type: 'timestamptz' })
  createdAt!: Date;

  @UpdateDateColumn({ name: 'updated_at', type: 'timestamptz' })
  updatedAt!: Date;
}

/** The person's care timeline: every generation, claim, attempt, outcome and escalation step, with who and when. */
@Entity('care_event')
export class CareEvent {
  @PrimaryGeneratedColumn({ type: 'bigint' })
  id!: string;

  @Column({ name: 'person_id', type: 'uuid', nullable: true })
  personId!: string | null;

  @Column({ name: 'task_id', type: 'uuid', nullable: true })
  taskId!: string | null;

  @Column({ type: 'timestamptz' })
  at!: Date;

  @Column({ name: 'actor_id', type: 'uuid', nullable: true })
  actorId!: string | null;

  @Column({ type: 'varchar', length: 24 })
  kind!: string;

  @Column({ type: 'text', nullable: true })
  note!: string | null;
}
