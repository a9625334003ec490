import { Column, Entity, PrimaryGeneratedColumn } from 'typeorm';

/** What happened to a person's record: what `person.status` alone cannot tell. */
export const PERSON_STATUS_EVENT_KINDS = ['moved', 'deceased', 'reactivated', 'merged_into', 'merged_from'] as const;
export type PersonStatusEventKind = (typeof PERSON_STATUS_EVENT_KINDS)[number];

/** The status a person's record is in; `moved` is an event, the record stays active in its new district. */
export const PERSON_STATUSES = ['active', 'deceased', 'merged'] as const;
export type PersonStatus = (typeof PERSON_STATUSES)[number];

/** One hand-over, death or merge, kept on the record it concerns (a merge leaves one on each record). */
@Entity('person_status_event')
export class PersonStatusEvent {
  @PrimaryGeneratedColumn('uuid')
  id!: string;

  @Column({ name: 'person_id', type: 'uuid' })
  personId!: string;

  @Column({ type: 'timestamptz' })
  at!: Date;

  @Column({ type: 'varchar', length: 12 })
  kind!: PersonStatusEventKind;

  @Column({ name: 'actor_id', type: 'uuid', nullable: true })
  actorId!: string | null;

  @Column({ name: 'from_district_code', type: 'varchar', length: 12, nullable: true })
  fromDistrictCode!: string | null;

  @Column({ name: 'to_district_code', type: 'varchar', length: 12, nullable: true })
  toDistrictCode!: string | null;

  /** The survivor (on `merged_into`) or the merged record (on `merged_from`). */
  @Column({ name: 'other_person_id', type: 'uuid', nullable: true })
  otherPersonId!: string | null;

  @Column({ name: 'died_on', type: 'date', nullable: true })
  diedOn!: string | null;

  /** On a merge: how many rows of each kind moved to the survivor. */
  @Column({ name: 'moved_rows', type: 'jsonb', nullable: true })
  movedRows!: Record<string, number> | null;

  /** On a death: the devices it disarmed (re-armed if the death is corrected). */
  @Column({ name: 'disarmed_device_ids', type: 'uuid', array: true, nullable: true })
  disarmedDeviceIds!: string[] | null;

  @Column({ type: 'varchar', length: 200 })
  note!: string;
}
