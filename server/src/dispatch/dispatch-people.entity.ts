import { Column, CreateDateColumn, Entity, PrimaryGeneratedColumn, UpdateDateColumn, VersionColumn } from 'typeorm';
import type { Absence, CandidateStatus, Certification, Gender, ServiceCode, Skill, WeeklySlot } from '../../../dispatch/src';

/** Absences as stored (ISO instants; the engine reads `Date`s). */
export interface StoredAbsence {
  kind: Absence['kind'];
  from: string;
  to: string;
}

/** 服务商: an organisation whose field workers take jobs. */
@Entity('provider')
export class Provider {
  @PrimaryGeneratedColumn('uuid')
  id!: string;

  @Column({ type: 'varchar', length: 100 })
  name!: string;

  /** 统一社会信用代码 (18 characters). */
  @Column({ name: 'credit_code', type: 'varchar', length: 18, unique: true })
  creditCode!: string;

  @Column({ name: 'contact_name', type: 'varchar', length: 50 })
  contactName!: string;

  @Column({ name: 'contact_phone_e164', type: 'varchar', length: 20 })
  contactPhoneE164!: string;

  @Column({ name: 'district_code', type: 'varchar', length: 12 })
  districtCode!: string;

  @Column({ type: 'varchar', length: 24, array: true, default: '{}' })
  services!: ServiceCode[];

  @Column({ name: 'centre_lat', type: 'double precision' })
  centreLat!: number;

  @Column({ name: 'centre_lng', type: 'double precision' })
  centreLng!: number;

  @Column({ name: 'radius_km', type: 'real' })
  radiusKm!: number;

  @Column({ type: 'varchar', length: 10, default: 'active' })
  status!: CandidateStatus;

  @VersionColumn({ type: 'int' })
  version!: number;

  @CreateDateColumn({ name: 'created_at', type: 'timestamptz' })
  createdAt!: Date;

  @UpdateDateColumn({ name: 'updated_at', type: 'timestamptz' })
  updatedAt!: Date;
}

/** The columns field workers and volunteers share: what the engine reads of a candidate. */
abstract class CandidateColumns {
  @PrimaryGeneratedColumn('uuid')
  id!: string;

  @Column({ type: 'varchar', length: 50 })
  name!: string;

  @Column({ type: 'varchar', length: 6 })
  gender!: Gender;

  @Column({ name: 'phone_e164', type: 'varchar', length: 20 })
  phoneE164!: string;

  @Column({ name: 'district_code', type: 'varchar', length: 12 })
  districtCode!: string;

  @Column({ type: 'varchar', length: 32, array: true, default: '{}' })
  skills!: Skill[];

  @Column({ type: 'jsonb', default: () => `'[]'` })
  certifications!: Certification[];

  @Column({ type: 'jsonb', default: () => `'[]'` })
  weekly!: WeeklySlot[];

  @Column({ type: 'jsonb', default: () => `'[]'` })
  absences!: StoredAbsence[];

  @Column({ name: 'crew_size', type: 'smallint', default: 1 })
  crewSize!: number;

  @Column({ name: 'max_concurrent_jobs', type: 'smallint', default: 1 })
  maxConcurrentJobs!: number;

  @Column({ name: 'centre_lat', type: 'double precision' })
  centreLat!: number;

  @Column({ name: 'centre_lng', type: 'double precision' })
  centreLng!: number;

  @Column({ name: 'radius_km', type: 'real' })
  radiusKm!: number;

  @Column({ type: 'real', nullable: true })
  rating!: number | null;

  @Column({ name: 'rating_count', type: 'int', default: 0 })
  ratingCount!: number;

  @Column({ name: 'last_offered_at', type: 'timestamptz', nullable: true })
  lastOfferedAt!: Date | null;

  /** The field page PIN (scrypt, like passwords); never returned. */
  @Column({ name: 'pin_hash', type: 'varchar', length: 100, select: false })
  pinHash!: string;

  @Column({ type: 'varchar', length: 10, default: 'active' })
  status!: CandidateStatus;

  @VersionColumn({ type: 'int' })
  version!: number;

  @CreateDateColumn({ name: 'created_at', type: 'timestamptz' })
  createdAt!: Date;

  @UpdateDateColumn({ name: 'updated_at', type: 'timestamptz' })
  updatedAt!: Date;
}

/** 服务人员: a provider's staff member (engine kind `provider`). */
@Entity('field_worker')
export class FieldWorker extends CandidateColumns {
  @Column({ name: 'provider_id', type: 'uuid' })
  providerId!: string;
}

/**
 * 志愿者: a person (or a staff member) who volunteers (engine kind `volunteer`). The time bank refers to this
 * table by `volunteer.id`: keep its name and id stable.
 */
@Entity('volunteer')
export class Volunteer extends CandidateColumns {
  @Column({ name: 'staff_user_id', type: 'uuid', nullable: true })
  staffUserId!: string | null;
}

/** A person's dispatch preferences and safeguarding flags (read by the hard filters). */
@Entity('person_dispatch_pref')
export class PersonDispatchPref {
  @Column({ name: 'person_id', type: 'uuid', primary: true })
  personId!: string;

  @Column({ name: 'gender_preference', type: 'varchar', length: 6, nullable: true })
  genderPreference!: Gender | null;

  @Column({ name: 'two_person_visit', type: 'boolean', default: false })
  twoPersonVisit!: boolean;

  @Column({ name: 'no_lone_volunteer', type: 'boolean', default: false })
  noLoneVolunteer!: boolean;

  @Column({ name: 'blocked_candidate_ids', type: 'uuid', array: true, default: '{}' })
  blockedCandidateIds!: string[];

  /** Optimistic concurrency for the edit (a person without a row reads as version 0). */
  @Column({ type: 'integer', default: 1 })
  version!: number;

  @Column({ name: 'updated_by', type: 'uuid', nullable: true })
  updatedBy!: string | null;

  @UpdateDateColumn({ name: 'updated_at', type: 'timestamptz' })
  updatedAt!: Date;
}
