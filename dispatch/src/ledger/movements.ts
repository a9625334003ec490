/**
 * What members do with their coins: redeem them for goods or a service, transfer them to a direct
 * relative, donate them to the mutual-aid pool, and get a cancelled redemption refunded. There is no
 * movement to cash: coins leave a member only into the shop, the service account, a relative, the pool
 * or expiry. Pure.
 */
import { accountKind, SYSTEM_ACCOUNTS, type AccountId } from './accounts';
import { checkCap, checkDebit, checkMember, checkNewTransaction, checkUnits, firstRefusal, replay } from './ledger-checks';
import { pairOf } from './ledger-entry';
import { accept, refuse, type LedgerOutcome } from './ledger-refusal';
import type { LedgerSettings } from './ledger-settings';
import type { LedgerState } from './ledger-state';

export interface Redeem {
  type: 'redeem';
  transactionId: string;
  /** A member's account; the mutual-aid pool may pay for services. */
  accountId: AccountId;
  target: 'goods' | 'service';
  units: number;
  /** The shop order or the service work order. */
  orderId: string;
  idempotencyKey?: string | null;
  makerId?: string | null;
}

/**
 * Coins spent in the shop (goods, when the policy allows) or on a service.
 * @example redeem(state, { type: 'redeem', transactionId: 'r1', accountId: 'volunteer:v1', target: 'goods', units: 500, orderId: 'o1' }, settings, now)
 */
export function redeem(state: LedgerState, command: Redeem, settings: LedgerSettings, now: Date): LedgerOutcome {
  const to = command.target === 'goods' ? SYSTEM_ACCOUNTS.shop : SYSTEM_ACCOUNTS.service;
  const kind = command.target === 'goods' ? 'redeem_goods' : 'redeem_service';
  const poolPays = command.accountId === SYSTEM_ACCOUNTS.pool && command.target === 'service';
  const refusal = firstRefusal(
    () => checkUnits(command.units),
    () => (poolPays ? null : checkMember(command.accountId)),
    () => (command.target === 'goods' && !settings.goodsRedemptionEnabled ? refuse('ledger/goods-redemption-disabled', 'Goods cannot be bought with coins under the current policy') : null),
  );
  if (refusal) return refusal;
  const replayed = replay(state, command.idempotencyKey, { kind, from: command.accountId, to, units: command.units });
  if (replayed) return replayed;
  const refused = firstRefusal(
    () => checkNewTransaction(state, command.transactionId),
    () => checkDebit(state, command.accountId, command.units),
  );
  if (refused) return refused;
  return accept(
    pairOf({ transactionId: command.transactionId, kind, from: command.accountId, to, units: command.units, at: now, idempotencyKey: command.idempotencyKey, reference: `order:${command.orderId}`, makerId: command.makerId }),
  );
}

export interface Transfer {
  type: 'transfer';
  transactionId: string;
  from: AccountId;
  to: AccountId;
  units: number;
  /** How the receiving side is related to the giving side, as the person register records it (e.g. 父母). */
  relation: string;
  idempotencyKey?: string | null;
  makerId?: string | null;
  /** Why the coins were given, as staff recorded it (kept on both entries). */
  note?: string | null;
}

/**
 * Coins given between a volunteer and a direct relative (either way). The receiver's caps apply.
 * @example transfer(state, { type: 'transfer', transactionId: 't1', from: 'volunteer:v1', to: 'person:p9', units: 300, relation: '父母' }, settings, now)
 */
export function transfer(state: LedgerState, command: Transfer, settings: LedgerSettings, now: Date): LedgerOutcome {
  const refusal = firstRefusal(
    () => checkUnits(command.units),
    () => checkMember(command.from),
    () => checkMember(command.to),
    () => (command.from === command.to ? refuse('ledger/same-account', 'A transfer needs two different accounts') : null),
    () =>
      accountKind(command.from) === 'volunteer' || accountKind(command.to) === 'volunteer'
        ? null
        : refuse('ledger/not-direct-relative', 'A transfer is between a volunteer and a relative'),
    () => (settings.directRelations.includes(command.relation) ? null : refuse('ledger/not-direct-relative', `${command.relation} is not a direct relative`)),
  );
  if (refusal) return refusal;
  const replayed = replay(state, command.idempotencyKey, { kind: 'transfer', from: command.from, to: command.to, units: command.units });
  if (replayed) return replayed;
  const refused = firstRefusal(
    () => checkNewTransaction(state, command.transactionId),
    () => checkDebit(state, command.from, command.units),
    () => checkCap(state, settings, command.to, command.units, now),
  );
  if (refused) return refused;
  return accept(
    pairOf({ transactionId: command.transactionId, kind: 'transfer', from: command.from, to: command.to, units: command.units, at: now, idempotencyKey: command.idempotencyKey, reference: `relation:${command.relation}`, makerId: command.makerId, note: command.note }),
  );
}

export interface Donate {
  type: 'donate';
  transactionId: string;
  from: AccountId;
  units: number;
  idempotencyKey?: string | null;
  makerId?: string | null;
}

/** Coins given to the mutual-aid pool. */
export function donate(state: LedgerState, command: Donate, _settings: LedgerSettings, now: Date): LedgerOutcome {
  const to = SYSTEM_ACCOUNTS.pool;
  const refusal = firstRefusal(() => checkUnits(command.units), () => checkMember(command.from));
  if (refusal) return refusal;
  const replayed = replay(state, command.idempotencyKey, { kind: 'donate', from: command.from, to, units: command.units });
  if (replayed) return replayed;
  const refused = firstRefusal(() => checkNewTransaction(state, command.transactionId), () => checkDebit(state, command.from, command.units));
  if (refused) return refused;
  return accept(pairOf({ transactionId: command.transactionId, kind: 'donate', from: command.from, to, units: command.units, at: now, idempotencyKey: command.idempotencyKey, makerId: command.makerId }));
}

export interface Refund {
  type: 'refund';
  transactionId: string;
  /** The redemption being cancelled. */
  redemptionTransactionId: string;
  makerId?: string | null;
  note?: string | null;
}

/**
 * A cancelled redemption given back in full by a new pair of entries (no second person needed: the
 * shop cancels its own order). A redemption is refunded or reversed at most once.
 */
export function refund(state: LedgerState, command: Refund, _settings: LedgerSettings, now: Date): LedgerOutcome {
  const original = state.transactions.get(command.redemptionTransactionId);
  if (!original) return refuse('ledger/transaction-not-found', `No transaction ${command.redemptionTransactionId}`);
  const refusal = firstRefusal(
    () => (original.kind === 'redeem_goods' || original.kind === 'redeem_service' ? null : refuse('ledger/not-a-redemption', `${original.transactionId} is a ${original.kind}`)),
    () => (original.undoneBy ? refuse('ledger/already-reversed', `${original.transactionId} was undone by ${original.undoneBy}`) : null),
    () => checkNewTransaction(state, command.transactionId),
    () => checkDebit(state, original.credit.accountId, original.credit.units),
  );
  if (refusal) return refusal;
  return accept(
    pairOf({
      transactionId: command.transactionId,
      kind: 'refund',
      from: original.credit.accountId,
      to: original.debit.accountId,
      units: original.credit.units,
      at: now,
      reference: original.credit.reference,
      reversesTransactionId: original.transactionId,
      makerId: command.makerId,
      note: command.note,
    }),
  );
}
