import { Column, CreateDateColumn, Entity, PrimaryGeneratedColumn, UpdateDateColumn } from 'typeorm';

export const RISK_TIERS = ['high', 'key', 'general'] as const;
export type RiskTier = (typeof RISK_TIERS)[number];
export const LIVING_SITUATIONS = ['alone', 'empty_nest', 'with_family', 'care_home'] as const;
export type LivingSituation = (typeof LIVING_SITUATIONS)[number];
export const COMMUNICATION_NEEDS = ['voice', 'sms_only', 'sign_language_video', 'via_guardian'] as const;
export type CommunicationNeed = (typeof COMMUNICATION_NEEDS)[number];

/** 服务对象. Identifiers and medical notes are stored encrypted, found by keyed hash. */
@Entity('person')
export class Person {
  @PrimaryGeneratedColumn('uuid')
  id!: string;

  @Column({ type: 'varchar', length: 50 })
  name!: string;

  @Column({ type: 'varchar', length: 1 })
  gender!: 'M' | 'F';

  @Column({ name: 'birth_date', type: 'date', nullable: true })
  birthDate!: string | null;

  @Column({ name: 'id_number_enc', type: 'text', nullable: true })
  idNumberEnc!: string | null;

  @Column({ name: 'id_number_hash', type: 'varchar', length: 64, nullable: true })
  idNumberHash!: string | null;

  @Column({ name: 'cert_number_enc', type: 'text', nullable: true })
  certNumberEnc!: string | null;

  @Column({ name: 'cert_number_hash', type: 'varchar', length: 64, nullable: true })
  certNumberHash!: string | null;

  /** 1 视力 … 7 多重 (the certificate's 19th digit). */
  @Column({ name: 'disability_category', type: 'smallint', nullable: true })
  disabilityCategory!: number | null;

  /** 1 一级 (most severe) … 4 四级. */
  @Column({ name: 'disability_level', type: 'smallint', nullable: true })
  disabilityLevel!: number | null;

  @Column({ name: 'sub_disabilities', type: 'smallint', array: true, default: '{}' })
  subDisabilities!: number[];

  @Column({ name: 'living_situation', type: 'varchar', length: 20, nullable: true })
  livingSituation!: LivingSituation | null;

  @Column({ name: 'risk_tier', type: 'varchar', length: 10, default: 'general' })
  riskTier!: RiskTier;

  @Column({ name: 'district_code', type: 'varchar', length: 12 })
  districtCode!: string;

  @Column({ type: 'varchar', length: 200, nullable: true })
  address!: string | null;

  @Column({ type: 'double precision', nullable: true })
  lat!: number | null;

  @Column({ type: 'double precision', nullable: true })
  lng!: number | null;

  @Column({ name: 'communication_need', type: 'varchar', length: 24, default: 'voice' })
  communicationNeed!: CommunicationNeed;

  @Column({ type: 'varchar', length: 30, nullable: true })
  dialect!: string | null;

  @Column({ name: 'medical_notes_enc', type: 'text', nullable: true })
  medicalNotesEnc!: string | null;

  /** Optimistic concurrency: each edit sends the version it read; a stale one is refused (409). */
  @Column({ type: 'integer', default: 1 })
  version!: number;

  @CreateDateColumn({ name: 'created_at', type: 'timestamptz' })
  createdAt!: Date;

  @UpdateDateColumn({ name: 'updated_at', type: 'timestamptz' })
  updatedAt!: Date;
}
