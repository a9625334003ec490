import { Column, Entity, Index, PrimaryGeneratedColumn } from 'typeorm';

export const PHONE_KINDS = ['mobile', 'landline', 'sos_device', 'service'] as const;
export type PhoneKind = (typeof PHONE_KINDS)[number];

/** The caller-id index: a number belongs to a person or to one of their contacts. */
@Entity('phone_number')
export class PhoneNumber {
  @PrimaryGeneratedColumn('uuid')
  id!: string;

  @Index()
  @Column({ type: 'varchar', length: 20 })
  e164!: string;

  @Column({ type: 'varchar', length: 12 })
  kind!: PhoneKind;

  @Column({ name: 'person_id', type: 'uuid', nullable: true })
  personId!: string | null;

  @Column({ name: 'contact_id', type: 'uuid', nullable: true })
  contactId!: string | null;

  /** The number to call first (at most one per person). */
  @Column({ name: 'is_primary', type: 'boolean', default: false })
  isPrimary!: boolean;
}
