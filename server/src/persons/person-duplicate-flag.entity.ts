import { Column, CreateDateColumn, Entity, PrimaryGeneratedColumn } from 'typeorm';

export const DUPLICATE_MATCHES = ['id_number', 'cert_number'] as const;
export type DuplicateMatch = (typeof DUPLICATE_MATCHES)[number];

/**
 * Someone tried to register an ID or certificate number that is already registered in a district outside
 * their scope. They were told nothing about the other record; an administrator resolves the flag.
 */
@Entity('person_duplicate_flag')
export class PersonDuplicateFlag {
  @PrimaryGeneratedColumn('uuid')
  id!: string;

  @CreateDateColumn({ name: 'created_at', type: 'timestamptz' })
  createdAt!: Date;

  @Column({ name: 'existing_person_id', type: 'uuid' })
  existingPersonId!: string;

  @Column({ name: 'matched_on', type: 'varchar', length: 12 })
  matchedOn!: DuplicateMatch;

  @Column({ name: 'attempted_by_id', type: 'uuid' })
  attemptedById!: string;

  /** The district the registration was attempted in. */
  @Column({ name: 'attempted_district_code', type: 'varchar', length: 12 })
  attemptedDistrictCode!: string;

  @Column({ name: 'resolved_at', type: 'timestamptz', nullable: true })
  resolvedAt!: Date | null;

  @Column({ name: 'resolved_by_id', type: 'uuid', nullable: true })
  resolvedById!: string | null;

  @Column({ type: 'varchar', length: 200, nullable: true })
  resolution!: string | null;
}
