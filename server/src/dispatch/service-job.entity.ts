import { Column, CreateDateColumn, Entity, PrimaryGeneratedColumn, UpdateDateColumn, VersionColumn } from 'typeorm';
import type { CandidateKind, OfferStatus, Priority, ServiceCode, WithdrawReason } from '../../../dispatch/src';
import type { JobStatus, OfferChannel, AnsweredVia, TimerKind } from './dispatch-words';

/** What the job asks beyond the service: stored with the job when it is created. */
export interface JobRequirements {
  genderPreference?: 'female' | 'male' | null;
  twoPersonVisit?: boolean;
}

/** A dispatchable unit of a work order (a meal round, one leg of a return trip). */
@Entity('service_job')
export class ServiceJob {
  @PrimaryGeneratedColumn('uuid')
  id!: string;

  @Column({ name: 'ticket_id', type: 'uuid' })
  ticketId!: string;

  @Column({ name: 'person_id', type: 'uuid', nullable: true })
  personId!: string | null;

  @Column({ name: 'district_code', type: 'varchar', length: 12 })
  districtCode!: string;

  @Column({ type: 'varchar', length: 24 })
  service!: ServiceCode;

  @Column({ type: 'varchar', length: 40, nullable: true })
  task!: string | null;

  @Column({ type: 'varchar', length: 2 })
  priority!: Priority;

  @Column({ name: 'life_or_property', type: 'boolean', default: false })
  lifeOrProperty!: boolean;

  @Column({ name: 'window_start', type: 'timestamptz' })
  windowStart!: Date;

  @Column({ name: 'window_end', type: 'timestamptz' })
  windowEnd!: Date;

  /** The full address: shown to the assignee only after accepting, never in an SMS. */
  @Column({ name: 'location_text', type: 'varchar', length: 200 })
  locationText!: string;

  /** The area (district / street name) an offer may mention. */
  @Column({ name: 'area_text', type: 'varchar', length: 60 })
  areaText!: string;

  @Column({ type: 'double precision' })
  lat!: number;

  @Column({ type: 'double precision' })
  lng!: number;

  /** The person's needs relevant to the visit: shown to the assignee only after accepting. */
  @Column({ type: 'text', nullable: true })
  needs!: string | null;

  @Column({ type: 'jsonb', default: () => `'{}'` })
  requirements!: JobRequirements;

  @Column({ type: 'varchar', length: 16, default: 'open' })
  status!: JobStatus;

  /** Offers open at once (the cascade's `parallel`). */
  @Column({ type: 'smallint', default: 1 })
  parallel!: number;

  @Column({ name: 'offer_timeout_seconds', type: 'int', default: 120 })
  offerTimeoutSeconds!: number;

  /** Ranked candidates not offered yet, best first (the cascade's queue). */
  @Column({ type: 'uuid', array: true, default: '{}' })
  queue!: string[];

  /** Why the job came back to the dispatcher (`no_candidates`, `list_exhausted`, `withdrawn`). */
  @Column({ name: 'return_cause', type: 'varchar', length: 16, nullable: true })
  returnCause!: string | null;

  @Column({ name: 'dispatch_due_at', type: 'timestamptz' })
  dispatchDueAt!: Date;

  @Column({ name: 'sla_alerted_at', type: 'timestamptz', nullable: true })
  slaAlertedAt!: Date | null;

  @Column({ name: 'assignee_kind', type: 'varchar', length: 10, nullable: true })
  assigneeKind!: CandidateKind | null;

  @Column({ name: 'assignee_id', type: 'uuid', nullable: true })
  assigneeId!: string | null;

  @Column({ name: 'assigned_via', type: 'varchar', length: 10, nullable: true })
  assignedVia!: 'offer' | 'dispatcher' | null;

  @Column({ name: 'assigned_at', type: 'timestamptz', nullable: true })
  assignedAt!: Date | null;

  @Column({ name: 'en_route_at', type: 'timestamptz', nullable: true })
  enRouteAt!: Date | null;

  @Column({ name: 'check_in_at', type: 'timestamptz', nullable: true })
  checkInAt!: Date | null;

  @Column({ name: 'check_in_lat', type: 'double precision', nullable: true })
  checkInLat!: number | null;

  @Column({ name: 'check_in_lng', type: 'double precision', nullable: true })
  checkInLng!: number | null;

  @Column({ name: 'check_out_at', type: 'timestamptz', nullable: true })
  checkOutAt!: Date | null;

  @Column({ name: 'check_out_lat', type: 'double precision', nullable: true })
  checkOutLat!: number | null;

  @Column({ name: 'check_out_lng', type: 'double precision', nullable: true })
  checkOutLng!: number | null;

  @Column({ name: 'outcome_notes', type: 'text', nullable: true })
  outcomeNotes!: string | null;

  @Column({ name: 'failure_reason', type: 'text', nullable: true })
  failureReason!: string | null;

  /** Minutes between check-in and check-out. */
  @Column({ name: 'duration_minutes', type: 'int', nullable: true })
  durationMinutes!: number | null;

  @Column({ name: 'created_by_id', type: 'uuid', nullable: true })
  createdById!: string | null;

  @VersionColumn({ type: 'int' })
  version!: number;

  @CreateDateColumn({ name: 'created_at', type: 'timestamptz' })
  createdAt!: Date;

  @UpdateDateColumn({ name: 'updated_at', type: 'timestamptz' })
  updatedAt!: Date;
}

/** One offer of a job to one candidate; `seq` numbers the job's offers (the engine's `<jobId>/<seq>`). */
@Entity('job_offer')
export class JobOffer {
  @PrimaryGeneratedColumn('uuid')
  id!: string;

  @Column({ name: 'job_id', type: 'uuid' })
  jobId!: string;

  @Column({ type: 'smallint' })
  seq!: number;

  @Column({ name: 'candidate_kind', type: 'varchar', length: 10 })
  candidateKind!: CandidateKind;

  @Column({ name: 'candidate_id', type: 'uuid' })
  candidateId!: string;

  @Column({ type: 'varchar', length: 8 })
  channel!: OfferChannel;

  @Column({ type: 'varchar', length: 10, default: 'open' })
  status!: OfferStatus;

  @Column({ name: 'sent_at', type: 'timestamptz' })
  sentAt!: Date;

  @Column({ name: 'expires_at', type: 'timestamptz' })
  expiresAt!: Date;

  @Column({ name: 'answered_at', type: 'timestamptz', nullable: true })
  answeredAt!: Date | null;

  @Column({ name: 'ended_at', type: 'timestamptz', nullable: true })
  endedAt!: Date | null;

  @Column({ name: 'answered_via', type: 'varchar', length: 12, nullable: true })
  answeredVia!: AnsweredVia | null;

  @Column({ name: 'withdraw_reason', type: 'varchar', length: 20, nullable: true })
  withdrawReason!: WithdrawReason | null;

  @Column({ name: 'decline_note', type: 'text', nullable: true })
  declineNote!: string | null;

  /** SHA-256 of the one-time link token (the token itself is only in the SMS). */
  @Column({ name: 'token_hash', type: 'varchar', length: 64, nullable: true, unique: true, select: false })
  tokenHash!: string | null;

  @Column({ name: 'pin_failures', type: 'smallint', default: 0 })
  pinFailures!: number;

  @Column({ name: 'field_session_hash', type: 'varchar', length: 64, nullable: true, unique: true, select: false })
  fieldSessionHash!: string | null;

  @Column({ name: 'field_session_expires_at', type: 'timestamptz', nullable: true })
  fieldSessionExpiresAt!: Date | null;

  /** The short code an SMS reply names when the candidate holds several open offers (`1 K7`). */
  @Column({ name: 'sms_reply_code', type: 'varchar', length: 8, nullable: true })
  smsReplyCode!: string | null;
}

/** A durable dispatch timer: due at `dueAt`, fired once (`firedAt`), or cancelled when no longer needed. */
@Entity('dispatch_timer')
export class DispatchTimer {
  @PrimaryGeneratedColumn({ type: 'bigint' })
  id!: string;

  @Column({ type: 'varchar', length: 16 })
  kind!: TimerKind;

  @Column({ name: 'job_id', type: 'uuid' })
  jobId!: string;

  @Column({ name: 'offer_id', type: 'uuid', nullable: true })
  offerId!: string | null;

  @Column({ name: 'due_at', type: 'timestamptz' })
  dueAt!: Date;

  @Column({ name: 'fired_at', type: 'timestamptz', nullable: true })
  firedAt!: Date | null;

  @Column({ name: 'cancelled_at', type: 'timestamptz', nullable: true })
  cancelledAt!: Date | null;

  @CreateDateColumn({ name: 'created_at', type: 'timestamptz' })
  createdAt!: Date;
}
