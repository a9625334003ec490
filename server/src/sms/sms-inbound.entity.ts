import { Column, Entity, PrimaryColumn } from 'typeorm';

export const INBOUND_SMS_OUTCOMES = ['sos', 'sos_update', 'urgent_created', 'ticket_created', 'ticket_updated', 'empty', 'job_reply', 'care_reply', 'care_late'] as const;
export type InboundSmsOutcome = (typeof INBOUND_SMS_OUTCOMES)[number];

/** One inbound text, keyed by the carrier's message id so a retried webhook is answered, not applied twice. */
@Entity('sms_inbound')
export class SmsInbound {
  @PrimaryColumn({ name: 'message_sid', type: 'varchar', length: 64 })
  messageSid!: string;

  @Column({ name: 'from_e164', type: 'varchar', length: 20, nullable: true })
  fromE164!: string | null;

  @Column({ type: 'text' })
  body!: string;

  @Column({ name: 'person_id', type: 'uuid', nullable: true })
  personId!: string | null;

  @Column({ name: 'ticket_id', type: 'uuid', nullable: true })
  ticketId!: string | null;

  @Column({ type: 'varchar', length: 16 })
  outcome!: InboundSmsOutcome;

  @Column({ type: 'text' })
  reply!: string;

  @Column({ name: 'received_at', type: 'timestamptz' })
  receivedAt!: Date;
}
