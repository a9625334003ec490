/** The checks every operation shares: new transaction id, idempotency replay, balance, caps. Pure. */
import { accountKind, isMemberAccount, SYSTEM_ACCOUNTS, type AccountId } from './accounts';
import type { MovementKind } from './ledger-entry';
import { accept, refuse, type LedgerOutcome, type LedgerRefusal } from './ledger-refusal';
import { calendarYear, type LedgerSettings } from './ledger-settings';
import { balanceOf, creditedInYear, creditedLifetime, type LedgerState } from './ledger-state';

export function checkUnits(units: number): LedgerRefusal | null {
  return Number.isSafeInteger(units) && units > 0 ? null : refuse('ledger/invalid-amount', `Units must be a positive integer, got ${units}`);
}

export function checkNewTransaction(state: LedgerState, transactionId: string): LedgerRefusal | null {
  if (transactionId.trim() === '') return refuse('ledger/duplicate-transaction-id', 'A transaction needs an id');
  return state.transactions.has(transactionId) ? refuse('ledger/duplicate-transaction-id', `Transaction ${transactionId} already exists`) : null;
}

export function checkMember(accountId: AccountId): LedgerRefusal | null {
  if (accountKind(accountId) === null) return refuse('ledger/unknown-account', `Unknown account ${accountId}`);
  return isMemberAccount(accountId) ? null : refuse('ledger/not-a-member-account', `${accountId} is not a volunteer's or a person's account`);
}

/** Nothing but the issuer may go below zero. */
export function checkDebit(state: LedgerState, accountId: AccountId, units: number): LedgerRefusal | null {
  if (accountId === SYSTEM_ACCOUNTS.issuer) return null;
  const balance = balanceOf(state, accountId);
  return balance >= units ? null : refuse('ledger/insufficient-balance', `${accountId} holds ${balance} units, ${units} needed`);
}

/**
 * When a caller-supplied idempotency key was already used: the same movement again is accepted with
 * nothing to append; a different movement under the same key is refused. Undefined: key unused.
 */
export function replay(
  state: LedgerState,
  key: string | null | undefined,
  wanted: { kind: MovementKind; from: AccountId; to: AccountId; units: number },
): LedgerOutcome | undefined {
  if (!key) return undefined;
  const earlier = state.keys.get(key);
  if (earlier === undefined) return undefined;
  const t = state.transactions.get(earlier);
  const same = t && t.kind === wanted.kind && t.debit.accountId === wanted.from && t.credit.accountId === wanted.to && t.credit.units === wanted.units;
  return same ? accept([], { alreadyAppliedAs: earlier }) : refuse('ledger/idempotency-conflict', `Key ${key} was used for a different movement (${earlier})`);
}

export interface CapRoom {
  /** Units the account may still be credited now (Infinity with no caps). */
  room: number;
  /** The cap that binds, for the refusal. */
  code: 'ledger/annual-cap-reached' | 'ledger/lifetime-cap-reached';
}

/** How many more units may be credited to a member account at `now` under the annual and lifetime caps. */
export function capRoom(state: LedgerState, settings: LedgerSettings, accountId: AccountId, now: Date): CapRoom {
  if (!isMemberAccount(accountId)) return { room: Infinity, code: 'ledger/lifetime-cap-reached' };
  const annual = settings.annualCapUnits === null ? Infinity : settings.annualCapUnits - creditedInYear(state, accountId, calendarYear(now, settings));
  const lifetime = settings.lifetimeCapUnits === null ? Infinity : settings.lifetimeCapUnits - creditedLifetime(state, accountId);
  return annual < lifetime
    ? { room: Math.max(0, annual), code: 'ledger/annual-cap-reached' }
    : { room: Math.max(0, lifetime), code: 'ledger/lifetime-cap-reached' };
}

export function checkCap(state: LedgerState, settings: LedgerSettings, accountId: AccountId, units: number, now: Date): LedgerRefusal | null {
  const { room, code } = capRoom(state, settings, accountId, now);
  return units <= room ? null : refuse(code, `${accountId} may be credited ${room} more units, ${units} asked`);
}

/** The first refusal among checks run in order, or null. */
export function firstRefusal(...checks: (() => LedgerRefusal | null)[]): LedgerRefusal | null {
  for (const check of checks) {
    const refusal = check();
    if (refusal) return refusal;
  }
  return null;
}
