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

  @CreateDateColumn({ name: 'created_at', type: 'timestamptz' })
  createdAt!: Date;
}
