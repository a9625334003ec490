/**
 * Error codes of the time bank: its own (`timebank/*`) and the refusal codes of the pure ledger and donation
 * rules (`ledger/*`, `donation/*`), which the server passes on unchanged so the console translates one code.
 * No import of AppError here: `shared/app-error.ts` spreads these into the one code list.
 */
import { DONATION_REFUSAL_CODES, LEDGER_REFUSAL_CODES } from '../../../dispatch/src/ledger';

export const TIMEBANK_OWN_CODES = [
  /** Volunteer, activity, item, redemption, approval, sign-up, donor, gift or allocation: missing or out of scope. */
  'timebank/not-found',
  'timebank/volunteer-duplicate',
  'timebank/signup-not-pending',
  'timebank/signup-throttled',
  'timebank/activity-full',
  'timebank/activity-closed',
  'timebank/out-of-stock',
  'timebank/item-inactive',
  'timebank/service-needs-staff',
  'timebank/recipient-required',
  'timebank/redemption-cancelled',
  /** A service redemption whose work order is in service or done. */
  'timebank/service-under-way',
  /** A service redemption whose open work order the caller may not cancel (the hotline's duty). */
  'timebank/order-needs-hotline',
  'timebank/approval-not-pending',
  'timebank/receipt-duplicate',
  'timebank/link-invalid',
  'timebank/portal-unauthenticated',
] as const;

export const TIMEBANK_ERROR_CODES = [...TIMEBANK_OWN_CODES, ...LEDGER_REFUSAL_CODES, ...DONATION_REFUSAL_CODES] as const;
export type TimebankErrorCode = (typeof TIMEBANK_ERROR_CODES)[number];

const ALL: ReadonlySet<string> = new Set(TIMEBANK_ERROR_CODES);

export function isTimebankCode(code: string): code is TimebankErrorCode {
  return ALL.has(code);
}

/** HTTP status of a time-bank code: refusals of the rules are conflicts with the ledger's state. */
export function timebankStatusOf(code: TimebankErrorCode): number {
  switch (code) {
    case 'timebank/not-found':
      return 404;
    case 'timebank/signup-throttled':
      return 429;
    case 'timebank/link-invalid':
    case 'timebank/portal-unauthenticated':
      return 401;
    case 'timebank/recipient-required':
      return 400;
    default:
      return 409;
  }
}
