/**
 * Why the ledger refused an operation: one code per rule, so the server maps each to a 4xx and the
 * console to a translated message. Pure.
 */
import type { LedgerEntry } from './ledger-entry';

export const LEDGER_REFUSAL_CODES = [
  'ledger/invalid-amount',
  'ledger/unknown-account',
  'ledger/not-a-member-account',
  'ledger/same-account',
  'ledger/insufficient-balance',
  'ledger/annual-cap-reached',
  'ledger/lifetime-cap-reached',
  'ledger/duplicate-transaction-id',
  'ledger/idempotency-conflict',
  'ledger/job-not-completed',
  'ledger/missing-check-in-out',
  'ledger/invalid-duration',
  'ledger/duration-too-long',
  'ledger/not-confirmed',
  'ledger/nothing-to-credit',
  'ledger/attendance-not-confirmed',
  'ledger/not-direct-relative',
  'ledger/goods-redemption-disabled',
  'ledger/approval-required',
  'ledger/checker-is-maker',
  'ledger/transaction-not-found',
  'ledger/already-reversed',
  'ledger/not-reversible',
  'ledger/not-a-redemption',
  'ledger/expiry-disabled',
  'ledger/nothing-to-expire',
] as const;
export type LedgerRefusalCode = (typeof LEDGER_REFUSAL_CODES)[number];

export interface LedgerRefusal {
  ok: false;
  code: LedgerRefusalCode;
  message: string;
}

/** Accepted: the entries to append (empty when an idempotency key was already used). */
export interface LedgerAcceptance {
  ok: true;
  entries: LedgerEntry[];
  /** Set when nothing was appended because this key was already applied by that transaction. */
  alreadyAppliedAs?: string;
  /** Units a job or attendance was worth above what the cap still allowed (not credited). */
  overCapUnits?: number;
}

export type LedgerOutcome = LedgerAcceptance | LedgerRefusal;

export function refuse(code: LedgerRefusalCode, message: string): LedgerRefusal {
  return { ok: false, code, message };
}

export function accept(entries: LedgerEntry[], extra: Omit<LedgerAcceptance, 'ok' | 'entries'> = {}): LedgerAcceptance {
  return { ok: true, entries, ...extra };
}
