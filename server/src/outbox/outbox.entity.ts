import { Column, Entity, PrimaryGeneratedColumn } from 'typeorm';

export const OUTBOX_KINDS = ['sms', 'call'] as const;
export type OutboxKind = (typeof OUTBOX_KINDS)[number];

/** pending → sending (leased) → sent; back to pending with backoff on a temporary failure; dead after the last try. */
export const OUTBOX_STATUSES = ['pending', 'sending', 'sent', 'dead', 'cancelled'] as const;
export type OutboxStatus = (typeof OUTBOX_STATUSES)[number];

export interface SmsPayload {
  to: string;
  body: string;
}

export interface CallPayload {
  /** The number to ring, as the PBX dials it. */
  toNumber: string;
  /** Why (`sos_callback`, `sos_contact`…): shown on the timeline. */
  purpose: string;
  /** Who is called, for the timeline (`本人`, `李监护（女儿）`). */
  who: string;
  variables: Record<string, string>;
}

export type OutboxPayload = SmsPayload | CallPayload;

/** A durable side effect (SMS, outbound call), written in the transaction that decided it. */
@Entity('outbox')
export class OutboxMessage {
  @PrimaryGeneratedColumn('uuid')
  id!: string;

  @Column({ type: 'varchar', length: 16 })
  kind!: OutboxKind;

  @Column({ name: 'idempotency_key', type: 'varchar', length: 200, unique: true })
  idempotencyKey!: string;

  @Column({ type: 'jsonb' })
  payload!: OutboxPayload;

  @Column({ type: 'varchar', length: 12 })
  status!: OutboxStatus;

  @Column({ type: 'int', default: 0 })
  attempts!: number;

  @Column({ name: 'max_attempts', type: 'int' })
  maxAttempts!: number;

  @Column({ name: 'next_attempt_at', type: 'timestamptz' })
  nextAttemptAt!: Date;

  /** While `sending`: after this instant another worker may take the message over (its sender died). */
  @Column({ name: 'lease_until', type: 'timestamptz', nullable: true })
  leaseUntil!: Date | null;

  @Column({ name: 'last_error', type: 'text', nullable: true })
  lastError!: string | null;

  /** Twilio message SID, `log:<id>` for the log adapter, the originate request id for calls. */
  @Column({ name: 'provider_ref', type: 'varchar', length: 100, nullable: true })
  providerRef!: string | null;

  @Column({ name: 'ticket_id', type: 'uuid', nullable: true })
  ticketId!: string | null;

  @Column({ name: 'created_at', type: 'timestamptz' })
  createdAt!: Date;

  @Column({ name: 'sent_at', type: 'timestamptz', nullable: true })
  sentAt!: Date | null;
}
