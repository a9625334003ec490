/**
 * Corrections that need two people (maker-checker): adjustments, and reversals of any movement. The
 * maker asks, a different person approves; the server records both ids on the entries. A reversal is a
 * new pair of entries mirroring the original, never an edit. Pure.
 */
import { SYSTEM_ACCOUNTS, type AccountId } from './accounts';
import { checkCap, checkDebit, checkMember, checkNewTransaction, firstRefusal, replay } from './ledger-checks';
import { pairOf } from './ledger-entry';
import { accept, refuse, type LedgerOutcome, type LedgerRefusal } from './ledger-refusal';
import type { LedgerSettings } from './ledger-settings';
import type { LedgerState } from './ledger-state';

export interface Approval {
  makerId: string;
  /** The second person; null or empty: not approved yet. */
  checkerId: string | null;
}

/** A maker and a different checker, or why not. */
export function checkApproval(approval: Approval): LedgerRefusal | null {
  if (!approval.makerId || approval.makerId.trim() === '') return refuse('ledger/approval-required', 'The request names no maker');
  if (!approval.checkerId || approval.checkerId.trim() === '') return refuse('ledger/approval-required', 'A second person must approve');
  return approval.checkerId === approval.makerId ? refuse('ledger/checker-is-maker', 'The approver must be a different person from the maker') : null;
}

export interface Adjust extends Approval {
  type: 'adjust';
  transactionId: string;
  /** A member's account or the mutual-aid pool. */
  accountId: AccountId;
  /** Signed: positive credits the account from the issuer, negative takes units back to the issuer. */
  units: number;
  note: string;
  idempotencyKey?: string | null;
}

/**
 * A correction approved by a second person. Credits respect the caps; debits never take an account
 * below zero.
 * @example adjust(state, { type: 'adjust', transactionId: 'j1', accountId: 'volunteer:v1', units: 50, note: '补录', makerId: 's1', checkerId: 's2' }, settings, now)
 */
export function adjust(state: LedgerState, command: Adjust, settings: LedgerSettings, now: Date): LedgerOutcome {
  const credit = command.units > 0;
  const units = Math.abs(command.units);
  const from = credit ? SYSTEM_ACCOUNTS.issuer : command.accountId;
  const to = credit ? command.accountId : SYSTEM_ACCOUNTS.issuer;
  const refusal = firstRefusal(
    () => checkApproval(command),
    () => (Number.isSafeInteger(command.units) && command.units !== 0 ? null : refuse('ledger/invalid-amount', `Units must be a non-zero integer, got ${command.units}`)),
    () => (command.accountId === SYSTEM_ACCOUNTS.pool ? null : checkMember(command.accountId)),
  );
  if (refusal) return refusal;
  const replayed = replay(state, command.idempotencyKey, { kind: 'adjustment', from, to, units });
  if (replayed) return replayed;
  const refused = firstRefusal(
    () => checkNewTransaction(state, command.transactionId),
    () => (credit ? checkCap(state, settings, to, units, now) : checkDebit(state, from, units)),
  );
  if (refused) return refused;
  return accept(
    pairOf({ transactionId: command.transactionId, kind: 'adjustment', from, to, units, at: now, idempotencyKey: command.idempotencyKey, makerId: command.makerId, checkerId: command.checkerId, note: command.note }),
  );
}

export interface Reverse extends Approval {
  type: 'reverse';
  transactionId: string;
  reversesTransactionId: string;
  note: string;
}

/**
 * Undoes a movement with its mirror image, approved by a second person: balances return to what they
 * would be without it, and a reversed credit no longer counts toward the caps. Refused when the
 * receiving account has since spent the units (no account but the issuer goes below zero), when the
 * movement was already undone, or when it is itself a reversal or refund.
 */
export function reverse(state: LedgerState, command: Reverse, _settings: LedgerSettings, now: Date): LedgerOutcome {
  const approval = checkApproval(command);
  if (approval) return approval;
  const original = state.transactions.get(command.reversesTransactionId);
  if (!original) return refuse('ledger/transaction-not-found', `No transaction ${command.reversesTransactionId}`);
  const refusal = firstRefusal(
    () => (original.kind === 'reversal' || original.kind === 'refund' ? refuse('ledger/not-reversible', `A ${original.kind} is not reversed; record a new movement instead`) : null),
    () => (original.undoneBy ? refuse('ledger/already-reversed', `${original.transactionId} was undone by ${original.undoneBy}`) : null),
    () => checkNewTransaction(state, command.transactionId),
    () => checkDebit(state, original.credit.accountId, original.credit.units),
  );
  if (refusal) return refusal;
  return accept(
    pairOf({
      transactionId: command.transactionId,
      kind: 'reversal',
      from: original.credit.accountId,
      to: original.debit.accountId,
      units: original.credit.units,
      at: now,
      reference: original.credit.reference,
      reversesTransactionId: original.transactionId,
      makerId: command.makerId,
      checkerId: command.checkerId,
      note: command.note,
    }),
  );
}
