import type { EntityManager } from 'typeorm';
import {
  accountKind,
  applyLedgerCommand,
  ledgerState,
  type AccountId,
  type ActivitySkip,
  type LedgerCommand,
  type LedgerEntry,
  type LedgerSettings,
  type LedgerState,
  type MovementKind,
} from '../../../dispatch/src/ledger';
import { AppError } from '../shared/app-error';

/** A stored entry row as `SELECT` returns it. */
interface EntryRow {
  seq: string;
  transaction_id: string;
  leg: 'debit' | 'credit';
  account_id: string;
  counterparty_account_id: string;
  units: number;
  kind: MovementKind;
  at: Date;
  idempotency_key: string | null;
  reference: string | null;
  reverses_transaction_id: string | null;
  maker_id: string | null;
  checker_id: string | null;
  note: string | null;
}

const ENTRY_COLUMNS = 'seq, transaction_id, leg, account_id, counterparty_account_id, units, kind, at, idempotency_key, reference, reverses_transaction_id, maker_id, checker_id, note';

export function entryOf(r: EntryRow): LedgerEntry {
  return {
    transactionId: r.transaction_id,
    leg: r.leg,
    accountId: r.account_id,
    counterpartyAccountId: r.counterparty_account_id,
    units: Number(r.units),
    kind: r.kind,
    at: new Date(r.at),
    idempotencyKey: r.idempotency_key,
    reference: r.reference,
    reversesTransactionId: r.reverses_transaction_id,
    makerId: r.maker_id,
    checkerId: r.checker_id,
    note: r.note,
  };
}

/**
 * Accounts whose balance is cached in `time_coin_balance` (updated in the same transaction as the entries,
 * checked against their sums by the ledger check) and locked while a movement is decided: members and the
 * mutual-aid pool, the accounts that may never go below zero. The issuer, shop, service and expired accounts
 * only ever receive or (the issuer) may go negative: their balances are sums on demand, and no movement
 * waits on a lock of theirs, so earning on many accounts at once never queues behind one hot row.
 */
export function isCachedAccount(accountId: AccountId): boolean {
  const kind = accountKind(accountId);
  return kind === 'volunteer' || kind === 'person' || kind === 'pool';
}

export interface AppliedMovement {
  entries: LedgerEntry[];
  alreadyAppliedAs?: string;
  overCapUnits?: number;
  skipped?: ActivitySkip[];
}

/**
 * The persisted ledger: `time_coin_entry` (append-only, unique `(transaction_id, leg)` and unique idempotency
 * key per leg) plus the cached balances. Every movement goes through {@link LedgerStore.apply}: lock the
 * member accounts it touches, fold their entries with the pure rules, append what the rules return. Always
 * called with the caller's transaction manager (PGlite is one session).
 */
export class LedgerStore {
  constructor(readonly settings: LedgerSettings) {}

  /**
   * Lock the cached accounts (in a fixed order, so two movements never deadlock), creating their rows first.
   * Serialises every movement touching one member account: the decision and the append see the same entries.
   */
  async lock(m: EntityManager, accounts: readonly AccountId[]): Promise<void> {
    const cached = [...new Set(accounts.filter(isCachedAccount))].sort();
    if (cached.length === 0) return;
    await m.query(`INSERT INTO time_coin_balance (account_id) SELECT unnest($1::varchar[]) ON CONFLICT (account_id) DO NOTHING`, [cached]);
    await m.query(`SELECT account_id FROM time_coin_balance WHERE account_id = ANY($1::varchar[]) ORDER BY account_id FOR UPDATE`, [cached]);
  }

  /**
   * The ledger state the rules need for these accounts: both legs of every transaction touching them (and of
   * the named transactions, for a refund or reversal), in append order. System accounts other than the pool
   * are never loaded by account (the rules check no balance or cap of theirs but through a named transaction). Folding only these gives the same
   * decision as the whole ledger (see dispatch/src/ledger/README.md).
   */
  async stateFor(m: EntityManager, accounts: readonly AccountId[], transactionIds: readonly string[] = []): Promise<LedgerState> {
    const rows: EntryRow[] = await m.query(
      `SELECT ${ENTRY_COLUMNS} FROM time_coin_entry
        WHERE transaction_id IN (
          SELECT transaction_id FROM time_coin_entry WHERE account_id = ANY($1::varchar[])
          UNION SELECT unnest($2::varchar[]))
        ORDER BY seq`,
      [accounts.filter(isCachedAccount), transactionIds],
    );
    return ledgerState(rows.map(entryOf), this.settings);
  }

  /**
   * Decide one command and append its entries in the caller's transaction. A refusal throws its ledger code
   * (409); an idempotent replay appends nothing and names the first transaction.
   * @example await ledger.apply(m, { type: 'donate', transactionId, from: 'volunteer:v1', units: 100 }, ['volunteer:v1', SYSTEM_ACCOUNTS.pool], now);
   */
  async apply(m: EntityManager, command: LedgerCommand, accounts: readonly AccountId[], now: Date, transactionIds: readonly string[] = []): Promise<AppliedMovement> {
    await this.lock(m, accounts);
    const state = await this.stateFor(m, accounts, transactionIds);
    const outcome = applyLedgerCommand(state, command, this.settings, now);
    if (!outcome.ok) throw new AppError(outcome.code, outcome.message);
    await this.append(m, outcome.entries);
    return { entries: outcome.entries, alreadyAppliedAs: outcome.alreadyAppliedAs, overCapUnits: outcome.overCapUnits, skipped: outcome.skipped };
  }

  /**
   * Append entries and move the cached balances by the same units. The database refuses what the rules
   * should never produce: a duplicate leg or idempotency key (unique indexes, answered 409 `conflict`), a
   * cached balance below zero (CHECK), an update or delete of an entry (trigger).
   */
  async append(m: EntityManager, entries: readonly LedgerEntry[]): Promise<void> {
    if (entries.length === 0) return;
    const cols = (f: (e: LedgerEntry) => unknown) => entries.map(f);
    try {
      await m.query(
        `INSERT INTO time_coin_entry (transaction_id, leg, account_id, counterparty_account_id, units, kind, at, idempotency_key, reference, reverses_transaction_id, maker_id, checker_id, note)
         SELECT * FROM unnest($1::varchar[], $2::varchar[], $3::varchar[], $4::varchar[], $5::integer[], $6::varchar[], $7::timestamptz[], $8::varchar[], $9::varchar[], $10::varchar[], $11::varchar[], $12::varchar[], $13::varchar[])`,
        [
          cols((e) => e.transactionId),
          cols((e) => e.leg),
          cols((e) => e.accountId),
          cols((e) => e.counterpartyAccountId),
          cols((e) => e.units),
          cols((e) => e.kind),
          cols((e) => e.at.toISOString()),
          cols((e) => e.idempotencyKey),
          cols((e) => e.reference),
          cols((e) => e.reversesTransactionId),
          cols((e) => e.makerId),
          cols((e) => e.checkerId),
          cols((e) => e.note),
        ],
      );
    } catch (err) {
      if ((err as { code?: string }).code === '23505') throw new AppError('conflict', '这笔时间币变动已经记过账（重复的交易号或幂等键）');
      throw err;
    }
    const moves = new Map<AccountId, number>();
    for (const e of entries) if (isCachedAccount(e.accountId)) moves.set(e.accountId, (moves.get(e.accountId) ?? 0) + e.units);
    if (moves.size === 0) return;
    // Rows first (a zero row never breaks the CHECK), then move them: the CHECK (units >= 0) judges the result.
    await m.query(`INSERT INTO time_coin_balance (account_id) SELECT unnest($1::varchar[]) ON CONFLICT (account_id) DO NOTHING`, [[...moves.keys()]]);
    await m.query(
      `UPDATE time_coin_balance b SET units = b.units + t.u, updated_at = now() FROM unnest($1::varchar[], $2::bigint[]) AS t(a, u) WHERE b.account_id = t.a`,
      [[...moves.keys()], [...moves.values()]],
    );
  }

  /** The balance of one account: the cached row for members and the pool, the sum of entries otherwise. */
  async balanceOf(m: EntityManager, accountId: AccountId): Promise<number> {
    if (isCachedAccount(accountId)) {
      const [row] = await m.query(`SELECT units FROM time_coin_balance WHERE account_id = $1`, [accountId]);
      return row ? Number(row.units) : 0;
    }
    const [row] = await m.query(`SELECT coalesce(sum(units), 0) AS units FROM time_coin_entry WHERE account_id = $1`, [accountId]);
    return Number(row.units);
  }

  /** Every entry of one account in append order (statements, year summaries). */
  async entriesOf(m: EntityManager, accountId: AccountId): Promise<LedgerEntry[]> {
    const rows: EntryRow[] = await m.query(`SELECT ${ENTRY_COLUMNS} FROM time_coin_entry WHERE account_id = $1 ORDER BY seq`, [accountId]);
    return rows.map(entryOf);
  }
}
