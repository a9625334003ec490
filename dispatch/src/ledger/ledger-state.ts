/**
 * What the ledger knows, derived from its entries and nothing else: balances, transactions (and which
 * were reversed), used idempotency keys, and the units credited to each account per calendar year for
 * the caps. Balances are never stored as the source of truth; they are this fold. Pure.
 *
 * The server does not need the whole ledger to decide one operation: the entries of the accounts it
 * touches (plus, for a reversal, the transaction reversed) give the same answer.
 */
import { accountKind, SYSTEM_ACCOUNTS, type AccountId } from './accounts';
import type { LedgerEntry, MovementKind } from './ledger-entry';
import { calendarYear, type LedgerSettings } from './ledger-settings';

export interface LedgerTransaction {
  transactionId: string;
  kind: MovementKind;
  at: Date;
  debit: LedgerEntry;
  credit: LedgerEntry;
  /** The reversal or refund that undid it, if any. */
  undoneBy: string | null;
}

export interface LedgerState {
  readonly entries: readonly LedgerEntry[];
  readonly balances: ReadonlyMap<AccountId, number>;
  readonly transactions: ReadonlyMap<string, LedgerTransaction>;
  /** Idempotency key → the transaction that used it. */
  readonly keys: ReadonlyMap<string, string>;
  /** Account → calendar year → units credited that count toward the caps. */
  readonly credited: ReadonlyMap<AccountId, ReadonlyMap<number, number>>;
  readonly utcOffsetMinutes: number;
}

/** Movements whose credit counts toward the receiving account's caps. */
const CAPPED_KINDS: ReadonlySet<MovementKind> = new Set(['earn', 'adjustment', 'transfer']);

/** The units a movement of this kind and credit adds to the cap counters of its receiving account. */
export function countsTowardCap(kind: MovementKind): boolean {
  return CAPPED_KINDS.has(kind);
}

/**
 * Folds entries (in the order they were appended) into the ledger's state.
 * @example ledgerState(entriesOfTheTwoAccounts, settings).balances.get('volunteer:v1') // 350
 */
export function ledgerState(entries: readonly LedgerEntry[], settings: Pick<LedgerSettings, 'utcOffsetMinutes'>): LedgerState {
  const balances = new Map<AccountId, number>();
  const transactions = new Map<string, LedgerTransaction>();
  const keys = new Map<string, string>();
  const credited = new Map<AccountId, Map<number, number>>();
  const debits = new Map<string, LedgerEntry>();
  // Entries arrive in time order, mostly many per day: remember the last day's year instead of making a Date each time.
  const offsetMs = settings.utcOffsetMinutes * 60_000;
  let lastDay = NaN;
  let lastYear = 0;
  const yearOf = (at: Date) => {
    const day = Math.floor((at.getTime() + offsetMs) / 86_400_000);
    if (day !== lastDay) {
      lastDay = day;
      lastYear = calendarYear(at, settings);
    }
    return lastYear;
  };
  const count = (accountId: AccountId, year: number, units: number) => {
    const years = credited.get(accountId) ?? new Map<number, number>();
    years.set(year, (years.get(year) ?? 0) + units);
    credited.set(accountId, years);
  };

  for (const e of entries) {
    balances.set(e.accountId, (balances.get(e.accountId) ?? 0) + e.units);
    if (e.leg === 'debit') {
      debits.set(e.transactionId, e);
      continue;
    }
    const debit = debits.get(e.transactionId);
    if (!debit) continue; // an unpaired credit: verifyLedger reports it
    debits.delete(e.transactionId);
    transactions.set(e.transactionId, { transactionId: e.transactionId, kind: e.kind, at: e.at, debit, credit: e, undoneBy: null });
    if (e.idempotencyKey) keys.set(e.idempotencyKey, e.transactionId);
    if (countsTowardCap(e.kind)) count(e.accountId, yearOf(e.at), e.units);
    if (e.reversesTransactionId) {
      const original = transactions.get(e.reversesTransactionId);
      if (original) {
        transactions.set(original.transactionId, { ...original, undoneBy: e.transactionId });
        // Undoing a movement takes its credit off the counters of the year it counted in.
        if (countsTowardCap(original.kind)) count(original.credit.accountId, yearOf(original.at), -original.credit.units);
      }
    }
  }
  return { entries, balances, transactions, keys, credited, utcOffsetMinutes: settings.utcOffsetMinutes };
}

/** The state after appending more entries. */
export function withEntries(state: LedgerState, more: readonly LedgerEntry[]): LedgerState {
  return ledgerState([...state.entries, ...more], state);
}

export function balanceOf(state: LedgerState, accountId: AccountId): number {
  return state.balances.get(accountId) ?? 0;
}

/** Units credited to the account in a calendar year that count toward the annual cap. */
export function creditedInYear(state: LedgerState, accountId: AccountId, year: number): number {
  return state.credited.get(accountId)?.get(year) ?? 0;
}

/** Units credited to the account ever that count toward the lifetime cap. */
export function creditedLifetime(state: LedgerState, accountId: AccountId): number {
  let total = 0;
  for (const units of state.credited.get(accountId)?.values() ?? []) total += units;
  return total;
}

/**
 * Balances of every account from raw entries: the plain sum per account.
 * @example balancesOf(entries).get(SYSTEM_ACCOUNTS.issuer) // minus the coins issued
 */
export function balancesOf(entries: readonly Pick<LedgerEntry, 'accountId' | 'units'>[]): Map<AccountId, number> {
  const balances = new Map<AccountId, number>();
  for (const e of entries) balances.set(e.accountId, (balances.get(e.accountId) ?? 0) + e.units);
  return balances;
}

/**
 * Everything wrong with a sequence of entries, in words (empty: the ledger is sound): unpaired or
 * unbalanced transactions, unknown accounts, non-integer units, an account other than the issuer below
 * zero at any point, reversals of unknown transactions, a transaction undone twice. For audits of stored rows and for tests.
 */
export function verifyLedger(entries: readonly LedgerEntry[]): string[] {
  const problems: string[] = [];
  const balances = new Map<AccountId, number>();
  const open = new Map<string, LedgerEntry>();
  const seen = new Set<string>();
  const undone = new Set<string>();
  for (const e of entries) {
    if (!Number.isSafeInteger(e.units) || e.units === 0) problems.push(`${e.transactionId}: units ${e.units} are not a non-zero integer`);
    if (accountKind(e.accountId) === null) problems.push(`${e.transactionId}: unknown account ${e.accountId}`);
    if ((e.leg === 'debit') !== e.units < 0) problems.push(`${e.transactionId}: ${e.leg} leg with units ${e.units}`);
    const balance = (balances.get(e.accountId) ?? 0) + e.units;
    balances.set(e.accountId, balance);
    if (balance < 0 && e.accountId !== SYSTEM_ACCOUNTS.issuer) problems.push(`${e.transactionId}: ${e.accountId} below zero (${balance})`);
    if (e.leg === 'debit') {
      if (open.has(e.transactionId) || seen.has(e.transactionId)) problems.push(`${e.transactionId}: more than one debit leg`);
      open.set(e.transactionId, e);
      continue;
    }
    const debit = open.get(e.transactionId);
    if (!debit) {
      problems.push(`${e.transactionId}: credit leg without its debit`);
      continue;
    }
    open.delete(e.transactionId);
    seen.add(e.transactionId);
    if (debit.units + e.units !== 0) problems.push(`${e.transactionId}: legs do not balance (${debit.units} + ${e.units})`);
    if (debit.accountId === e.accountId) problems.push(`${e.transactionId}: both legs on ${e.accountId}`);
    if (debit.kind !== e.kind) problems.push(`${e.transactionId}: legs of different kinds`);
    if (e.reversesTransactionId && !seen.has(e.reversesTransactionId)) problems.push(`${e.transactionId}: reverses unknown ${e.reversesTransactionId}`);
    if (e.reversesTransactionId && undone.has(e.reversesTransactionId)) problems.push(`${e.transactionId}: ${e.reversesTransactionId} was already undone`);
    if (e.reversesTransactionId) undone.add(e.reversesTransactionId);
  }
  for (const id of open.keys()) problems.push(`${id}: debit leg without its credit`);
  return problems;
}
