import { Column, Entity, PrimaryGeneratedColumn } from 'typeorm';

/**
 * One changed field of a person's record: old and new value, who and when. Values are JSON text; for the
 * sensitive fields (identifiers, birth date, medical notes, phone numbers) the JSON is encrypted with the
 * field-crypto key (`encrypted`), so the history is no easier to read than the record itself.
 */
@Entity('person_change')
export class PersonChange {
  @PrimaryGeneratedColumn('uuid')
  id!: string;

  @Column({ name: 'person_id', type: 'uuid' })
  personId!: string;

  /** The person's version this change produced. */
  @Column({ type: 'integer' })
  version!: number;

  @Column({ type: 'varchar', length: 40 })
  field!: string;

  @Column({ name: 'old_value', type: 'text', nullable: true })
  oldValue!: string | null;

  @Column({ name: 'new_value', type: 'text', nullable: true })
  newValue!: string | null;

  @Column({ type: 'boolean', default: false })
  encrypted!: boolean;

  @Column({ name: 'actor_id', type: 'uuid', nullable: true })
  actorId!: string | null;

  @Column({ name: 'actor_username', type: 'varchar', length: 64, nullable: true })
  actorUsername!: string | null;

  @Column({ name: 'changed_at', type: 'timestamptz' })
  changedAt!: Date;
}
