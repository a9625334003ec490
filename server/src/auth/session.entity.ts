import { Column, CreateDateColumn, Entity, PrimaryColumn } from 'typeorm';

/** A login session. Only the SHA-256 of the bearer token is stored. */
@Entity('staff_session')
export class StaffSession {
  @PrimaryColumn({ name: 'token_hash', type: 'varchar', length: 64 })
  tokenHash!: string;

  @Column({ name: 'user_id', type: 'uuid' })
  userId!: string;

  @Column({ name: 'expires_at', type: 'timestamptz' })
  expiresAt!: Date;

  /** Last activity (HTTP request or socket command), written at most every 30 s: the idle timeout. */
  @Column({ name: 'last_seen_at', type: 'timestamptz' })
  lastSeenAt!: Date;

  @CreateDateColumn({ name: 'created_at', type: 'timestamptz' })
  createdAt!: Date;
}
