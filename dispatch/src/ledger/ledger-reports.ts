/**
 * Reports derived from entries, for statements and the federation's view: a member's statement with running
 * balance, a member's year summary, and per district and month what was issued, redeemed and expired and how
 * the outstanding liability (coins held by members and the pool) moved. Pure.
 */
import { accountKind, type AccountId } from './accounts';
import type { LedgerEntry, MovementKind } from './ledger-entry';
import { calendarYear, type LedgerSettings } from './ledger-settings';

export interface StatementLine {
  transactionId: string;
  at: Date;
  kind: MovementKind;
  /** Signed for this account: positive in, negative out. */
  units: number;
  /** Balance after this line. */
  balance: number;
  counterpartyAccountId: AccountId;
  reference: string | null;
  note: string | null;
  reversesTransactionId: string | null;
}

/**
 * An account's entries in order with the running balance.
 * @example statementOf(entries, 'volunteer:v1').at(-1)?.balance // the balance now
 */
export function statementOf(entries: readonly LedgerEntry[], accountId: AccountId): StatementLine[] {
  let balance = 0;
  const lines: StatementLine[] = [];
  for (const e of entries) {
    if (e.accountId !== accountId) continue;
    balance += e.units;
    lines.push({
      transactionId: e.transactionId,
      at: e.at,
      kind: e.kind,
      units: e.units,
      balance,
      counterpartyAccountId: e.counterpartyAccountId,
      reference: e.reference,
      note: e.note,
      reversesTransactionId: e.reversesTransactionId,
    });
  }
  return lines;
}

/** Net units by what the counterparty was: opening + issued − redeemed − expired + transfersNet = closing. */
export interface Flows {
  /** From the issuer: earnings and credit adjustments, less debit adjustments and reversals of them. */
  issued: number;
  /** To the shop and the service account, less refunds and reversals. */
  redeemed: number;
  /** To the expired account, less reversed expiries. */
  expired: number;
  /** From other members and the pool, less what went to them (transfers, donations). */
  transfersNet: number;
}

const emptyFlows = (): Flows => ({ issued: 0, redeemed: 0, expired: 0, transfersNet: 0 });

function addFlow(flows: Flows, e: LedgerEntry): void {
  switch (accountKind(e.counterpartyAccountId)) {
    case 'issuer':
      flows.issued += e.units;
      return;
    case 'shop':
    case 'service':
      flows.redeemed -= e.units;
      return;
    case 'expired':
      flows.expired -= e.units;
      return;
    default:
      flows.transfersNet += e.units;
  }
}

export interface YearSummary extends Flows {
  year: number;
  opening: number;
  closing: number;
}

/**
 * A member's year (federation calendar): opening and closing balance and the flows between.
 * @example yearSummary(entries, 'volunteer:v1', 2026, settings) // { year: 2026, opening: 0, issued: 1200, redeemed: 300, …, closing: 900 }
 */
export function yearSummary(entries: readonly LedgerEntry[], accountId: AccountId, year: number, settings: Pick<LedgerSettings, 'utcOffsetMinutes'>): YearSummary {
  const flows = emptyFlows();
  let opening = 0;
  for (const e of entries) {
    if (e.accountId !== accountId) continue;
    const y = calendarYear(e.at, settings);
    if (y < year) opening += e.units;
    else if (y === year) addFlow(flows, e);
  }
  return { year, opening, ...flows, closing: opening + flows.issued - flows.redeemed - flows.expired + flows.transfersNet };
}

export interface LiabilityRow extends Flows {
  /** The members' district; the mutual-aid pool is reported as district `null`. */
  districtId: string | null;
  /** Federation calendar month, `YYYY-MM`. */
  month: string;
  /** How much the coins held by members (and the pool) in this district grew in the month. */
  liabilityChange: number;
}

/** `YYYY-MM` of an instant in the federation's calendar. */
export function calendarMonth(at: Date, settings: Pick<LedgerSettings, 'utcOffsetMinutes'>): string {
  return new Date(at.getTime() + settings.utcOffsetMinutes * 60_000).toISOString().slice(0, 7);
}

/**
 * The federation's view by district and month: issued, redeemed, expired, transfers between districts, and
 * the change of the outstanding liability; rows sorted by month, then district. `districtOf` says where a
 * member account belongs (unknown members count under `null` with the pool).
 * @example liabilityByDistrictAndMonth(entries, (a) => districtOfVolunteer.get(a) ?? null, settings)
 */
export function liabilityByDistrictAndMonth(
  entries: readonly LedgerEntry[],
  districtOf: (accountId: AccountId) => string | null,
  settings: Pick<LedgerSettings, 'utcOffsetMinutes'>,
): LiabilityRow[] {
  const rows = new Map<string, LiabilityRow>();
  for (const e of entries) {
    const kind = accountKind(e.accountId);
    if (kind !== 'volunteer' && kind !== 'person' && kind !== 'pool') continue;
    const districtId = kind === 'pool' ? null : districtOf(e.accountId);
    const month = calendarMonth(e.at, settings);
    const key = `${month}\u0000${districtId ?? ''}`;
    let row = rows.get(key);
    if (!row) rows.set(key, (row = { districtId, month, ...emptyFlows(), liabilityChange: 0 }));
    addFlow(row, e);
    row.liabilityChange += e.units;
  }
  return [...rows.values()].sort((a, b) => a.month.localeCompare(b.month) || (a.districtId ?? '').localeCompare(b.districtId ?? ''));
}
