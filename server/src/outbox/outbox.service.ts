import type { EntityManager } from 'typeorm';
import type { Clock } from '../shared/clock';
import type { OutboxKind, OutboxPayload } from './outbox.entity';

export interface EnqueueInput {
  kind: OutboxKind;
  /** Unique per side effect: enqueuing the same key twice sends once. */
  idempotencyKey: string;
  payload: OutboxPayload;
  /** The work order the message belongs to: its delivery lands on that timeline. */
  ticketId?: string | null;
}

/**
 * Writing durable side effects. `enqueue` runs inside the transaction that decided the side effect, so
 * the message exists exactly when that decision committed; the {@link OutboxWorker} delivers it.
 */
export class Outbox {
  private readonly listeners: Array<() => void> = [];

  constructor(
    private readonly clock: Clock,
    private readonly maxAttempts: number,
  ) {}

  /**
   * Add a message in the caller's transaction. Returns its id, or null when the key was already used.
   * @example await outbox.enqueue(m, { kind: 'sms', idempotencyKey: `sos:${id}:contact:${c.id}`, payload: { to, body } });
   */
  async enqueue(m: EntityManager, input: EnqueueInput): Promise<string | null> {
    const now = this.clock.now();
    const rows: { id: string }[] = await m.query(
      `INSERT INTO outbox (kind, idempotency_key, payload, status, attempts, max_attempts, next_attempt_at, ticket_id, created_at)
       VALUES ($1, $2, $3, 'pending', 0, $4, $5, $6, $5)
       ON CONFLICT (idempotency_key) DO NOTHING RETURNING id`,
      [input.kind, input.idempotencyKey.slice(0, 200), JSON.stringify(input.payload), this.maxAttempts, now, input.ticketId ?? null],
    );
    return rows[0]?.id ?? null;
  }

  /** Call after the enqueuing transaction committed: wakes the worker so messages go out at once. */
  committed(): void {
    for (const listener of this.listeners) listener();
  }

  onCommitted(listener: () => void): void {
    this.listeners.push(listener);
  }

  /** Cancel what has not been sent yet for a ticket (e.g. callbacks once someone took the SOS). */
  async cancelPending(m: EntityManager, ticketId: string, kind: OutboxKind): Promise<number> {
    const rows: unknown[] = await m.query(
      `WITH cancelled AS (UPDATE outbox SET status = 'cancelled', lease_until = NULL WHERE ticket_id = $1 AND kind = $2 AND status = 'pending' RETURNING id) SELECT id FROM cancelled`,
      [ticketId, kind],
    );
    return rows.length;
  }
}
