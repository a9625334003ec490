import { Column, Entity, PrimaryGeneratedColumn } from 'typeorm';

/** Append-only, keyed-hash-chained record of every personal-data read and every change (chained when sealed). */
@Entity('audit_log')
export class AuditLog {
  @PrimaryGeneratedColumn({ type: 'bigint' })
  id!: string;

  @Column({ type: 'timestamptz' })
  at!: Date;

  @Column({ name: 'actor_id', type: 'uuid', nullable: true })
  actorId!: string | null;

  @Column({ name: 'actor_username', type: 'varchar', length: 64, nullable: true })
  actorUsername!: string | null;

  /** person.read, person.search, person.reveal, ticket.create, auth.login … */
  @Column({ type: 'varchar', length: 40 })
  action!: string;

  @Column({ name: 'subject_type', type: 'varchar', length: 20, nullable: true })
  subjectType!: string | null;

  @Column({ name: 'subject_id', type: 'varchar', length: 64, nullable: true })
  subjectId!: string | null;

  @Column({ type: 'varchar', length: 200, nullable: true })
  purpose!: string | null;

  /** Every subject of the entry as `type:id` (`person:<uuid>`): all persons a search returned, say. */
  @Column({ type: 'varchar', length: 80, array: true, default: '{}' })
  subjects!: string[];

  @Column({ type: 'varchar', length: 12 })
  outcome!: 'ok' | 'denied' | 'failed';

  @Column({ type: 'varchar', length: 64, nullable: true })
  ip!: string | null;

  /** Random per entry, covered by the MAC: a copied row is not a new valid one. */
  @Column({ type: 'varchar', length: 32, nullable: true })
  nonce!: string | null;

  /** HMAC over every field above, made at write time with a key the database does not hold (see audit-crypto.ts). */
  @Column({ type: 'varchar', length: 64, nullable: true })
  mac!: string | null;

  /** Position in the hash chain; null until sealed (see AuditService.seal). */
  @Column({ type: 'bigint', nullable: true })
  seq!: string | null;

  @Column({ name: 'prev_hash', type: 'varchar', length: 64, nullable: true })
  prevHash!: string | null;

  @Column({ type: 'varchar', length: 64, nullable: true })
  hash!: string | null;
}
