import { Column, CreateDateColumn, Entity, PrimaryGeneratedColumn } from 'typeorm';

export const STAFF_ROLES = ['agent', 'dispatcher', 'supervisor', 'admin', 'security_admin', 'auditor'] as const;
export type StaffRole = (typeof STAFF_ROLES)[number];
/** Roles that must be held alone (separation of duties): the security admin and the auditor. */
export const SOLE_ROLES: readonly StaffRole[] = ['security_admin', 'auditor'];
export const STAFF_SKILLS = ['sign_language', 'medical'] as const;

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

  /** The primary role: always the first of {@link roles} (a database trigger keeps them in step). */
  @Column({ type: 'varchar', length: 20 })
  role!: StaffRole;

  /** Every role the user holds (at least one; security_admin and auditor only alone). */
  @Column({ type: 'text', array: true, default: '{}' })
  roles!: StaffRole[];

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

  /** TOTP secret (base32), encrypted with the field crypto; null = never enrolled. */
  @Column({ name: 'totp_secret', type: 'text', nullable: true })
  totpSecret!: string | null;

  /** When the TOTP enrolment was confirmed with a code; null = no second factor yet. */
  @Column({ name: 'totp_enabled_at', type: 'timestamptz', nullable: true })
  totpEnabledAt!: Date | null;

  @CreateDateColumn({ name: 'created_at', type: 'timestamptz' })
  createdAt!: Date;
}
