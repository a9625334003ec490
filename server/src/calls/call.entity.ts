import { Column, CreateDateColumn, Entity, Index, PrimaryGeneratedColumn, UpdateDateColumn } from 'typeorm';
import type { CallOutcome } from '../telephony/call-outcome';
import type { CallDirection, CallStatus } from './call-state';

/** One phone call (all of its legs). Not a ticket: tickets link to calls through `ticket_call`. */
@Entity('call')
export class Call {
  @PrimaryGeneratedColumn('uuid')
  id!: string;

  /** `asterisk:<Linkedid>` or `twilio:<CallSid>`: the adapter's key, unique. */
  @Column({ name: 'call_key', type: 'varchar', length: 100, unique: true })
  callKey!: string;

  @Column({ type: 'varchar', length: 10 })
  direction!: CallDirection;

  @Column({ type: 'varchar', length: 12 })
  status!: CallStatus;

  @Column({ name: 'from_raw', type: 'varchar', length: 40, nullable: true })
  fromRaw!: string | null;

  @Index()
  @Column({ name: 'from_e164', type: 'varchar', length: 20, nullable: true })
  fromE164!: string | null;

  @Column({ name: 'to_e164', type: 'varchar', length: 20, nullable: true })
  toE164!: string | null;

  @Index()
  @Column({ name: 'person_id', type: 'uuid', nullable: true })
  personId!: string | null;

  @Column({ name: 'ivr_choice', type: 'varchar', length: 8, nullable: true })
  ivrChoice!: string | null;

  @Column({ type: 'varchar', length: 40, nullable: true })
  queue!: string | null;

  @Column({ type: 'smallint', default: 0 })
  priority!: number;

  @Column({ name: 'is_sos', type: 'boolean', default: false })
  isSos!: boolean;

  @Column({ name: 'agent_extension', type: 'varchar', length: 20, nullable: true })
  agentExtension!: string | null;

  @Column({ name: 'agent_user_id', type: 'uuid', nullable: true })
  agentUserId!: string | null;

  @Index()
  @Column({ name: 'offered_at', type: 'timestamptz', nullable: true })
  offeredAt!: Date | null;

  @Column({ name: 'answered_at', type: 'timestamptz', nullable: true })
  answeredAt!: Date | null;

  @Column({ name: 'ended_at', type: 'timestamptz', nullable: true })
  endedAt!: Date | null;

  @Column({ name: 'wait_seconds', type: 'int', nullable: true })
  waitSeconds!: number | null;

  @Column({ name: 'talk_seconds', type: 'int', nullable: true })
  talkSeconds!: number | null;

  @Column({ name: 'hangup_cause', type: 'smallint', nullable: true })
  hangupCause!: number | null;

  @Column({ name: 'end_reason', type: 'varchar', length: 16, nullable: true })
  endReason!: string | null;

  /** Outbound calls: answered, busy, no_answer, unreachable, rejected or failed (see telephony/call-outcome.ts). */
  @Column({ type: 'varchar', length: 12, nullable: true })
  outcome!: CallOutcome | null;

  /** A call that ended while the server was away: it ended after this and before `endedBefore` (ended_at NULL). */
  @Column({ name: 'ended_after', type: 'timestamptz', nullable: true })
  endedAfter!: Date | null;

  @Column({ name: 'ended_before', type: 'timestamptz', nullable: true })
  endedBefore!: Date | null;

  @Column({ name: 'recording_ref', type: 'varchar', length: 200, nullable: true })
  recordingRef!: string | null;

  @Column({ name: 'ami_linked_id', type: 'varchar', length: 40, nullable: true })
  amiLinkedId!: string | null;

  @Column({ name: 'twilio_call_sid', type: 'varchar', length: 40, nullable: true })
  twilioCallSid!: string | null;

  /** Our Originate ActionID for click-to-call. */
  @Column({ name: 'originate_request_id', type: 'varchar', length: 64, nullable: true })
  originateRequestId!: string | null;

  @Column({ name: 'needs_follow_up', type: 'boolean', default: false })
  needsFollowUp!: boolean;

  @CreateDateColumn({ name: 'created_at', type: 'timestamptz' })
  createdAt!: Date;

  @UpdateDateColumn({ name: 'updated_at', type: 'timestamptz' })
  updatedAt!: Date;
}
