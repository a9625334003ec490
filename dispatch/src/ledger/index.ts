/**
 * The time bank's rules (时间银行) and donation accounting as a pure library: no I/O, no database, no
 * clock. The server loads entries, calls these functions with `now`, and appends what they return.
 * See README.md in this folder.
 */
export { ACCOUNT_KINDS, SYSTEM_ACCOUNTS, accountKind, isMemberAccount, personAccount, volunteerAccount } from './accounts';
export type { AccountId, AccountKind, SystemAccountId } from './accounts';
export {
  DEFAULT_DIRECT_RELATIONS,
  DEFAULT_LEDGER_SETTINGS,
  ROUNDING_MODES,
  UNITS_PER_COIN,
  addCalendarMonths,
  calendarYear,
  calendarYearBounds,
  coins,
  ledgerSettings,
} from './ledger-settings';
export type { LedgerSettings, RoundingMode, RoundingRule } from './ledger-settings';
export { MOVEMENT_KINDS, pairOf } from './ledger-entry';
export type { LedgerEntry, Movement, MovementKind } from './ledger-entry';
export { LEDGER_REFUSAL_CODES } from './ledger-refusal';
export type { LedgerAcceptance, LedgerOutcome, LedgerRefusal, LedgerRefusalCode } from './ledger-refusal';
export { balanceOf, balancesOf, countsTowardCap, creditedInYear, creditedLifetime, ledgerState, verifyLedger, withEntries } from './ledger-state';
export type { LedgerState, LedgerTransaction } from './ledger-state';
export { capRoom } from './ledger-checks';
export type { CapRoom } from './ledger-checks';
export { activityEarningKey, earnForActivity, earnForJob, jobEarningKey, roundMinutes, unitsForDuration } from './earning';
export type { ActivityOutcome, ActivitySkip, Attendance, CompletedJob, EarnForActivity, EarnForJob } from './earning';
export { donate, redeem, refund, transfer } from './movements';
export type { Donate, Redeem, Refund, Transfer } from './movements';
export { adjust, checkApproval, reverse } from './approvals';
export type { Adjust, Approval, Reverse } from './approvals';
export { coinLots, expire, expiredUnits } from './expiry';
export type { CoinLot, Expire } from './expiry';
export { calendarMonth, liabilityByDistrictAndMonth, statementOf, yearSummary } from './ledger-reports';
export type { Flows, LiabilityRow, StatementLine, YearSummary } from './ledger-reports';
export { applyLedgerCommand } from './ledger';
export type { LedgerCommand } from './ledger';
export {
  ALLOCATION_DESTINATIONS,
  DONATION_REFUSAL_CODES,
  MONEY_CHANNELS,
  allocateGift,
  giftProblems,
  giftRemaining,
  returnAllocation,
} from './donations';
export type {
  Allocation,
  AllocationDestination,
  AllocationRequest,
  DonationOutcome,
  DonationRefusalCode,
  Gift,
  GiftItem,
  GiftRemaining,
  ItemRemaining,
  MoneyChannel,
} from './donations';
