import type { DataSource } from 'typeorm';
import type { Logger } from '../config/logger';
import type { Clock } from '../shared/clock';
import { backoffMs, DEFAULT_BACKOFF, type BackoffPolicy } from './backoff';
import type { OutboxKind, OutboxMessage } from './outbox.entity';
import { outboxFromRow, type OutboxRow } from './outbox.row';

/** How a delivery failed: `rejected` is final, the others are retried until the attempts run out. */
export type DeliveryErrorCode = 'temporary' | 'rejected' | 'unauthorized' | 'unknown';

export class DeliveryError extends Error {
  constructor(
    readonly code: DeliveryErrorCode,
    message: string,
  ) {
    super(message);
    this.name = 'DeliveryError';
  }
}

/** Delivers one message; resolves with the provider's reference, rejects with a {@link DeliveryError}. */
export type OutboxHandler = (message: OutboxMessage) => Promise<{ providerRef: string }>;

export interface OutboxWorkerOptions {
  handlers: Partial<Record<OutboxKind, OutboxHandler>>;
  batchSize?: number;
  /** How long a claimed message is ours before another worker may take it over. */
  leaseMs?: number;
  backoff?: BackoffPolicy;
  random?: () => number;
}

/** What a settled delivery did, for the timeline and the logs. */
export interface Settled {
  message: OutboxMessage;
  outcome: 'sent' | 'retry' | 'dead';
  error?: string;
}

const KIND_LABEL: Record<OutboxKind, string> = { sms: '短信', call: '外呼' };

/**
 * Delivers the outbox. Each run claims due messages with `FOR UPDATE SKIP LOCKED` (several workers or
 * nodes never take the same row), marks them `sending` with a lease, delivers outside any transaction
 * (PGlite is one session: a transaction must never wait on the network), then settles each: sent, back to
 * pending with backoff, or dead. A worker that dies mid-send leaves a lease that expires; the message is
 * then claimed again (at-least-once; the idempotency key goes with it).
 */
export class OutboxWorker {
  private running: Promise<void> | null = null;
  private again = false;
  private stopped = false;
  private readonly batchSize: number;
  private readonly leaseMs: number;
  private readonly backoff: BackoffPolicy;
  private readonly random: () => number;
  /** Only kinds this node can deliver are claimed (a node without a PBX leaves calls to one with). */
  private readonly kinds: string[];

  constructor(
    private readonly ds: DataSource,
    private readonly clock: Clock,
    private readonly log: Logger,
    private readonly options: OutboxWorkerOptions,
  ) {
    this.batchSize = options.batchSize ?? 20;
    this.leaseMs = options.leaseMs ?? 60_000;
    this.backoff = options.backoff ?? DEFAULT_BACKOFF;
    this.random = options.random ?? Math.random;
    this.kinds = Object.keys(options.handlers);
  }

  /** Run now (coalesced with a run in progress). Never rejects. */
  kick(): Promise<void> {
    if (this.stopped) return Promise.resolve();
    if (this.running) {
      this.again = true;
      return this.running;
    }
    this.running = (async () => {
      try {
        do {
          this.again = false;
          while ((await this.runOnce()) === this.batchSize && !this.stopped);
        } while (this.again && !this.stopped);
      } catch (err) {
        this.log.error({ err }, 'outbox run failed');
      } finally {
        this.running = null;
      }
    })();
    return this.running;
  }

  /** Wait for the run in progress, then refuse new ones. */
  async stop(): Promise<void> {
    this.stopped = true;
    await this.running;
  }

  /**
   * One batch: claim, deliver, settle. Returns how many messages were claimed.
   * @example await worker.runOnce(); // tests drive it on a fake clock
   */
  async runOnce(): Promise<number> {
    if (!this.kinds.length) return 0;
    const claimed = await this.claim();
    const settled = await Promise.all(claimed.map((message) => this.deliver(message)));
    for (const s of settled) await this.settle(s);
    return claimed.length;
  }

  private async claim(): Promise<OutboxMessage[]> {
    const now = this.clock.now();
    const rows: OutboxRow[] = await this.ds.query(
      // (a CTE so the driver hands back the rows of an UPDATE … RETURNING)
      `WITH claimed AS (
         UPDATE outbox SET status = 'sending', attempts = attempts + 1, lease_until = $1
         WHERE id IN (
           SELECT id FROM outbox
           WHERE ((status = 'pending' AND next_attempt_at <= $2) OR (status = 'sending' AND lease_until < $2))
             AND kind = ANY($4)
           ORDER BY next_attempt_at
           LIMIT $3
           FOR UPDATE SKIP LOCKED)
         RETURNING *)
       SELECT * FROM claimed`,
      [new Date(now.getTime() + this.leaseMs), now, this.batchSize, this.kinds],
    );
    return rows.map(outboxFromRow);
  }

  private async deliver(message: OutboxMessage): Promise<Settled & { providerRef?: string }> {
    const handler = this.options.handlers[message.kind];
    try {
      if (!handler) throw new DeliveryError('rejected', `no handler for ${message.kind} (not configured)`);
      const { providerRef } = await handler(message);
      return { message, outcome: 'sent', providerRef };
    } catch (err) {
      const code: DeliveryErrorCode = err instanceof DeliveryError ? err.code : 'unknown';
      const error = `${code}: ${(err as Error)?.message ?? String(err)}`.slice(0, 1000);
      const final = code === 'rejected' || message.attempts >= message.maxAttempts;
      return { message, outcome: final ? 'dead' : 'retry', error };
    }
  }

  private async settle(s: Settled & { providerRef?: string }): Promise<void> {
    const now = this.clock.now();
    const { message } = s;
    const log = this.log.child({ outboxId: message.id, kind: message.kind, attempt: message.attempts });
    await this.ds.transaction(async (m) => {
      if (s.outcome === 'sent') {
        await m.query(`UPDATE outbox SET status = 'sent', sent_at = $2, provider_ref = $3, lease_until = NULL, last_error = NULL WHERE id = $1 AND status = 'sending'`, [message.id, now, (s.providerRef ?? '').slice(0, 100)]);
      } else if (s.outcome === 'retry') {
        const next = new Date(now.getTime() + backoffMs(message.attempts, this.backoff, this.random));
        await m.query(`UPDATE outbox SET status = 'pending', next_attempt_at = $2, lease_until = NULL, last_error = $3 WHERE id = $1 AND status = 'sending'`, [message.id, next, s.error]);
      } else {
        await m.query(`UPDATE outbox SET status = 'dead', lease_until = NULL, last_error = $2 WHERE id = $1 AND status = 'sending'`, [message.id, s.error]);
      }
      if (message.ticketId && s.outcome !== 'retry') {
        const who = 'who' in message.payload ? message.payload.who : maskTo(message.payload);
        const note = s.outcome === 'sent' ? `${KIND_LABEL[message.kind]}已发出 → ${who}（第 ${message.attempts} 次尝试）` : `${KIND_LABEL[message.kind]}发送失败 → ${who}，已放弃：${s.error}`;
        await m.query(`INSERT INTO ticket_event (ticket_id, at, actor_id, kind, note) VALUES ($1, $2, NULL, $3, $4)`, [message.ticketId, now, s.outcome === 'sent' ? 'outbox_sent' : 'outbox_failed', note]);
      }
    });
    if (s.outcome === 'sent') log.info({ providerRef: s.providerRef }, 'outbox message sent');
    else if (s.outcome === 'retry') log.warn({ error: s.error }, 'outbox delivery failed, will retry');
    else log.error({ error: s.error }, 'outbox message dead');
  }
}

function maskTo(payload: OutboxMessage['payload']): string {
  const to = 'to' in payload ? payload.to : '';
  return to.length > 7 ? `${to.slice(0, to.length - 8)}****${to.slice(-4)}` : to;
}
