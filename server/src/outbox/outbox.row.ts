import type { OutboxMessage } from './outbox.entity';

/** An `outbox` row as raw SQL returns it. */
export interface OutboxRow {
  id: string;
  kind: OutboxMessage['kind'];
  idempotency_key: string;
  payload: OutboxMessage['payload'] | string;
  status: OutboxMessage['status'];
  attempts: number;
  max_attempts: number;
  next_attempt_at: Date | string;
  lease_until: Date | string | null;
  last_error: string | null;
  provider_ref: string | null;
  ticket_id: string | null;
  created_at: Date | string;
  sent_at: Date | string | null;
}

const date = (v: Date | string | null): Date | null => (v === null ? null : v instanceof Date ? v : new Date(v));

export function outboxFromRow(r: OutboxRow): OutboxMessage {
  return {
    id: r.id,
    kind: r.kind,
    idempotencyKey: r.idempotency_key,
    payload: typeof r.payload === 'string' ? JSON.parse(r.payload) : r.payload,
    status: r.status,
    attempts: Number(r.attempts),
    maxAttempts: Number(r.max_attempts),
    nextAttemptAt: date(r.next_attempt_at)!,
    leaseUntil: date(r.lease_until),
    lastError: r.last_error,
    providerRef: r.provider_ref,
    ticketId: r.ticket_id,
    createdAt: date(r.created_at)!,
    sentAt: date(r.sent_at),
  };
}
