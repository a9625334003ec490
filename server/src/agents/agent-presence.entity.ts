import { Column, Entity, PrimaryColumn } from 'typeorm';
import type { PresenceState, SoftphoneFailure, SoftphoneState } from './agent-presence';

/** The last presence an agent chose; one row per staff user. */
@Entity('agent_presence')
export class AgentPresence {
  @PrimaryColumn({ name: 'user_id', type: 'uuid' })
  userId!: string;

  @Column({ type: 'varchar', length: 12 })
  state!: PresenceState;

  /** Free text for break (e.g. 午餐); null otherwise. */
  @Column({ type: 'varchar', length: 60, nullable: true })
  reason!: string | null;

  /** Extension the queue actions used (a user's extension may change later). */
  @Column({ type: 'varchar', length: 20, nullable: true })
  extension!: string | null;

  /** False while the PBX has not yet been told (telephony down, or not configured). */
  @Column({ name: 'queue_synced', type: 'boolean', default: false })
  queueSynced!: boolean;

  @Column({ name: 'changed_at', type: 'timestamptz' })
  changedAt!: Date;

  /** The browser softphone as the console last reported it; null when never reported (desk phone). */
  @Column({ type: 'varchar', length: 12, nullable: true })
  softphone!: SoftphoneState | null;

  @Column({ name: 'softphone_reason', type: 'varchar', length: 20, nullable: true })
  softphoneReason!: SoftphoneFailure | null;
}
