/**
 * `Idempotency-Key` on order creation: the same key from the same user gives the same order; a double
 * submit makes one order. The key is claimed with `INSERT … ON CONFLICT DO NOTHING` on the primary key
 * (user, key) inside the creating transaction, so a concurrent submit waits for the first to commit and
 * then finds its order.
 */
import { createHash } from 'node:crypto';
import type { EntityManager } from 'typeorm';
import { z } from 'zod';

/** 8–100 characters of `[A-Za-z0-9_.:-]` (a UUID fits). */
export const idempotencyKeySchema = z.string().regex(/^[A-Za-z0-9_.:-]{8,100}$/, 'Idempotency-Key 须为 8–100 个字母、数字或 _ . : -');

/** SHA-256 of the request with its keys sorted: the same body always hashes the same. */
export function requestHash(body: unknown): string {
  return createHash('sha256').update(stableJson(body)).digest('hex');
}

function stableJson(v: unknown): string {
  if (Array.isArray(v)) return `[${v.map(stableJson).join(',')}]`;
  if (v && typeof v === 'object') {
    return `{${Object.keys(v)
      .filter((k) => (v as Record<string, unknown>)[k] !== undefined)
      .sort()
      .map((k) => `${JSON.stringify(k)}:${stableJson((v as Record<string, unknown>)[k])}`)
      .join(',')}}`;
  }
  return JSON.stringify(v);
}

/**
 * Claim `key` for `userId`. Null: claimed now, go ahead and call {@link settleKey} with the new order.
 * Otherwise the earlier request's hash and order.
 */
export async function claimKey(m: EntityManager, userId: string, key: string, hash: string, now: Date): Promise<{ ticketId: string | null; requestHash: string } | null> {
  const claimed: unknown[] = await m.query(
    'INSERT INTO ticket_idempotency (user_id, key, request_hash, created_at) VALUES ($1, $2, $3, $4) ON CONFLICT (user_id, key) DO NOTHING RETURNING key',
    [userId, key, hash, now],
  );
  if (claimed.length) return null;
  const [prior]: { ticket_id: string | null; request_hash: string }[] = await m.query('SELECT ticket_id, request_hash FROM ticket_idempotency WHERE user_id = $1 AND key = $2', [userId, key]);
  return { ticketId: prior?.ticket_id ?? null, requestHash: prior?.request_hash ?? '' };
}

/** Record the order a claimed key made. */
export async function settleKey(m: EntityManager, userId: string, key: string, ticketId: string): Promise<void> {
  await m.query('UPDATE ticket_idempotency SET ticket_id = $3 WHERE user_id = $1 AND key = $2', [userId, key, ticketId]);
}
