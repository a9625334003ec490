import { Column, Entity, PrimaryGeneratedColumn } from 'typeorm';

/** PIPL: separate consent for sensitive personal information (disability, health, location) and for notifying contacts. */
export const CONSENT_KINDS = ['sensitive_info', 'notify_contacts'] as const;
export type ConsentKind = (typeof CONSENT_KINDS)[number];
/** How it was given (or withdrawn): 口头 / 书面 / 电话录音. */
export const CONSENT_METHODS = ['oral', 'written', 'phone_recording'] as const;
export type ConsentMethod = (typeof CONSENT_METHODS)[number];

/** One consent as given, and its withdrawal; never deleted, so the history stays. */
@Entity('person_consent')
export class PersonConsent {
  @PrimaryGeneratedColumn('uuid')
  id!: string;

  @Column({ name: 'person_id', type: 'uuid' })
  personId!: string;

  @Column({ type: 'varchar', length: 16 })
  kind!: ConsentKind;

  @Column({ name: 'given_on', type: 'date' })
  givenOn!: string;

  @Column({ type: 'varchar', length: 16 })
  method!: ConsentMethod;

  @Column({ name: 'recorded_by_id', type: 'uuid', nullable: true })
  recordedById!: string | null;

  @Column({ name: 'recorded_at', type: 'timestamptz' })
  recordedAt!: Date;

  @Column({ name: 'withdrawn_on', type: 'date', nullable: true })
  withdrawnOn!: string | null;

  @Column({ name: 'withdrawal_method', type: 'varchar', length: 16, nullable: true })
  withdrawalMethod!: ConsentMethod | null;

  @Column({ name: 'withdrawn_by_id', type: 'uuid', nullable: true })
  withdrawnById!: string | null;

  @Column({ name: 'withdrawn_at', type: 'timestamptz', nullable: true })
  withdrawnAt!: Date | null;
}
