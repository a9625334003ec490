/**
 * Expiry: with `expiryMonths` set, units expire that many calendar months after they were credited.
 * Spending takes the oldest units first, so what expires is what is left of the oldest credits. Pure.
 */
import { SYSTEM_ACCOUNTS, type AccountId } from './accounts';
import { checkMember, checkNewTransaction, firstRefusal } from './ledger-checks';
import { pairOf } from './ledger-entry';
import { accept, refuse, type LedgerOutcome } from './ledger-refusal';
import { addCalendarMonths, type LedgerSettings } from './ledger-settings';
import type { LedgerState } from './ledger-state';

export interface CoinLot {
  creditedAt: Date;
  expiresAt: Date;
  /** What is left of the credit after spending oldest-first. */
  units: number;
}

/**
 * What is left of each credit to an account, oldest first, with its expiry (no lots when expiry is off).
 * @example coinLots(state, 'volunteer:v1', settings) // [{ creditedAt, expiresAt, units: 150 }, …]
 */
export function coinLots(state: LedgerState, accountId: AccountId, settings: LedgerSettings): CoinLot[] {
  if (settings.expiryMonths === null) return [];
  const lots: CoinLot[] = [];
  let first = 0;
  for (const e of state.entries) {
    if (e.accountId !== accountId) continue;
    if (e.units > 0) {
      lots.push({ creditedAt: e.at, expiresAt: addCalendarMonths(e.at, settings.expiryMonths, settings), units: e.units });
      continue;
    }
    let owed = -e.units;
    while (owed > 0 && first < lots.length) {
      const take = Math.min(owed, lots[first].units);
      lots[first].units -= take;
      owed -= take;
      if (lots[first].units === 0) first += 1;
    }
  }
  return lots.slice(first).filter((lot) => lot.units > 0);
}

/** Units of the account that have expired by `now` and are still held. */
export function expiredUnits(state: LedgerState, accountId: AccountId, settings: LedgerSettings, now: Date): number {
  return coinLots(state, accountId, settings)
    .filter((lot) => lot.expiresAt.getTime() <= now.getTime())
    .reduce((sum, lot) => sum + lot.units, 0);
}

export interface Expire {
  type: 'expire';
  transactionId: string;
  accountId: AccountId;
}

/**
 * Moves the account's expired units to the expired account. Run again at the same `now`, it finds
 * nothing to expire.
 */
export function expire(state: LedgerState, command: Expire, settings: LedgerSettings, now: Date): LedgerOutcome {
  if (settings.expiryMonths === null) return refuse('ledger/expiry-disabled', 'Coins do not expire under the current policy');
  const refusal = firstRefusal(() => checkMember(command.accountId), () => checkNewTransaction(state, command.transactionId));
  if (refusal) return refusal;
  const units = expiredUnits(state, command.accountId, settings, now);
  if (units === 0) return refuse('ledger/nothing-to-expire', `${command.accountId} holds no expired units`);
  return accept(pairOf({ transactionId: command.transactionId, kind: 'expire', from: command.accountId, to: SYSTEM_ACCOUNTS.expired, units, at: now, note: `after ${settings.expiryMonths} months` }));
}
