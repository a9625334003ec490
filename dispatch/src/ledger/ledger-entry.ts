/**
 * Entries of the time-coin ledger: every movement is one transaction of exactly two entries, a debit
 * (units leave one account) and a credit (the same units arrive at another), so the sum of all entries
 * is always zero. Entries are only ever appended; a mistake is undone by a reversal, a new pair. Pure.
 */
import type { AccountId } from './accounts';

export const MOVEMENT_KINDS = [
  /** Coins for a completed, confirmed job or an attended activity: issuer → volunteer. */
  'earn',
  /** Goods bought in the shop: member → shop. */
  'redeem_goods',
  /** A service ordered with coins: member (or the mutual-aid pool) → service. */
  'redeem_service',
  /** Between a volunteer and a direct relative. */
  'transfer',
  /** Given to the mutual-aid pool: member → pool. */
  'donate',
  /** Coins past the expiry rule: member → expired. */
  'expire',
  /** A correction approved by a second person: issuer ↔ member or pool. */
  'adjustment',
  /** The mirror image of an earlier transaction, approved by a second person. */
  'reversal',
  /** A cancelled redemption given back (the mirror image of the redemption). */
  'refund',
] as const;
export type MovementKind = (typeof MOVEMENT_KINDS)[number];

/** One row of the ledger (`time_coin_entry`). */
export interface LedgerEntry {
  /** Shared by the two entries of one movement. */
  transactionId: string;
  leg: 'debit' | 'credit';
  accountId: AccountId;
  /** The other account of the pair. */
  counterpartyAccountId: AccountId;
  /** Signed integer units: negative on the debit leg, positive on the credit leg. */
  units: number;
  kind: MovementKind;
  at: Date;
  /** One movement per key: earning a job twice credits once. Null when the movement needs none. */
  idempotencyKey: string | null;
  /** What the movement is about: a job, an activity, a shop order, a relative's relation. */
  reference: string | null;
  /** For reversals and refunds: the transaction they undo. */
  reversesTransactionId: string | null;
  /** Who asked for it (staff or the volunteer themselves). */
  makerId: string | null;
  /** Who approved it (adjustments and reversals): never the maker. */
  checkerId: string | null;
  /** Why (adjustments, reversals): shown on the statement. */
  note: string | null;
}

/** A movement before it becomes its two entries. */
export interface Movement {
  transactionId: string;
  kind: MovementKind;
  from: AccountId;
  to: AccountId;
  /** Positive integer units. */
  units: number;
  at: Date;
  idempotencyKey?: string | null;
  reference?: string | null;
  reversesTransactionId?: string | null;
  makerId?: string | null;
  checkerId?: string | null;
  note?: string | null;
}

/**
 * The balanced pair of entries for a movement.
 * @example pairOf({ transactionId: 't1', kind: 'donate', from: 'volunteer:v1', to: SYSTEM_ACCOUNTS.pool, units: 100, at })
 *   // [{ leg: 'debit', accountId: 'volunteer:v1', units: -100, … }, { leg: 'credit', accountId: 'system:mutual-aid-pool', units: 100, … }]
 */
export function pairOf(m: Movement): [LedgerEntry, LedgerEntry] {
  if (!Number.isSafeInteger(m.units) || m.units <= 0) throw new Error(`A movement needs positive integer units, got ${m.units}`);
  if (m.from === m.to) throw new Error('A movement needs two different accounts');
  return [leg(m, 'debit', m.from, m.to, -m.units), leg(m, 'credit', m.to, m.from, m.units)];
}

/** One leg as a plain literal with a fixed property order (one hidden class for every entry: fast to fold). */
function leg(m: Movement, side: LedgerEntry['leg'], accountId: AccountId, counterpartyAccountId: AccountId, units: number): LedgerEntry {
  return {
    transactionId: m.transactionId,
    leg: side,
    accountId,
    counterpartyAccountId,
    units,
    kind: m.kind,
    at: m.at,
    idempotencyKey: m.idempotencyKey ?? null,
    reference: m.reference ?? null,
    reversesTransactionId: m.reversesTransactionId ?? null,
    makerId: m.makerId ?? null,
    checkerId: m.checkerId ?? null,
    note: m.note ?? null,
  };
}
