import { Column, CreateDateColumn, Entity, PrimaryGeneratedColumn } from 'typeorm';

export const STAFF_ROLES = ['agent', 'dispatcher', 'supervisor', 'admin', 'security_admin', 'auditor'] as const;
export type StaffRole = (typeof STAFF_ROLES)[number];

@Entity('staff_user')
export class StaffUser {
  @PrimaryGeneratedColumn('uuid')
  id!: string;

  @Column({ type: 'varchar', length: 64, unique: true })
  username!: string;

  @Column({ name: 'display_name', type: 'varchar', length: 100 })
  displayName!: string;

  @Column({ name: 'password_hash', type: 'varchar', length: 100 })
  passwordHash!: string;

  @Column({ type: 'varchar', length: 20 })
  role!: StaffRole;

  @Column({ type: 'text', array: true, default: '{}' })
  skills!: string[];

  @Column({ name: 'sip_extension', type: 'varchar', length: 20, nullable: true, unique: true })
  sipExtension!: string | null;

  /** Users see persons, calls and orders of this district and below; the city code sees all. */
  @Column({ name: 'district_code', type: 'varchar', length: 12 })
  districtCode!: string;

  @Column({ name: 'failed_logins', type: 'int', default: 0 })
  failedLogins!: number;

  @Column({ name: 'locked_until', type: 'timestamptz', nullable: true })
  lockedUntil!: Date | null;

  @Column({ type: 'boolean', default: true })
  active!: boolean;

  /** A one-time password (production first start): until changed, the user may only change it. */
  @Column({ name: 'must_change_password', type: 'boolean', default: false })
  mustChangePassword!: boolean;

  @CreateDateColumn({ name: 'created_at', type: 'timestamptz' })
  createdAt!: Date;
}
