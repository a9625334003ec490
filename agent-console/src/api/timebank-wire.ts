/**
 * The time bank's JSON and socket payloads as the console receives them (dates are ISO strings), per
 * docs/timebank-api.md. Coins are integer units (100 units = 1 coin); money and values are fen.
 * No DOM types here: the contract check compiles this file with the server's settings.
 */

export type MovementKind = 'earn' | 'redeem_goods' | 'redeem_service' | 'transfer' | 'donate' | 'expire' | 'adjustment' | 'reversal' | 'refund';

export interface List<T> {
  items: T[];
  total: number;
}

export interface TimebankSettings {
  unitsPerCoin: number;
  unitsPerHour: number;
  rounding: { stepMinutes: number; mode: 'down' | 'nearest' | 'up' };
  maxMinutesPerJob: number;
  annualCapUnits: number | null;
  lifetimeCapUnits: number | null;
  expiryMonths: number | null;
  directRelations: string[];
  goodsRedemptionEnabled: boolean;
}

// --- volunteers ---

export interface VolunteerAccountSummary {
  volunteerId: string;
  name: string;
  phoneMasked: string | null;
  districtCode: string;
  active: boolean;
  balanceUnits: number;
}

export interface Certification {
  name: string;
  number: string | null;
  expiresOn: string | null;
  expired: boolean;
}

export interface TrainingRecord {
  id: string;
  volunteerId: string;
  course: string;
  hours: number;
  completedOn: string;
  organiser: string | null;
  recordedBy: string;
  createdAt: string;
}

export interface VolunteerTimebankProfile extends VolunteerAccountSummary {
  gender: string | null;
  skills: string[];
  certifications: Certification[];
  trainings: TrainingRecord[];
  service: { jobs: number; activities: number; minutes: number; units: number };
  /** Units credited this calendar year / ever (toward the caps). */
  creditedThisYearUnits: number;
  creditedLifetimeUnits: number;
}

/** `POST /api/timebank/signups/:signupId/approve`: what dispatch needs of a volunteer. */
export interface ApproveSignupBody {
  gender: 'male' | 'female';
  centreLat: number;
  centreLng: number;
  radiusKm: number;
}

export interface TrainingBody {
  course: string;
  hours: number;
  completedOn: string;
  organiser?: string;
}

export interface ServiceHistoryItem {
  kind: 'job' | 'activity';
  /** The service job or activity id. */
  refId: string;
  title: string;
  day: string;
  minutes: number;
  /** Units credited for it; null when not (yet) credited. */
  units: number | null;
}

export interface ServiceHistory {
  items: ServiceHistoryItem[];
  totalMinutes: number;
  totalUnits: number;
}

// --- public sign-up ---

export interface SignupOptions {
  districts: { code: string; name: string }[];
  skills: string[];
}

export interface SignupBody {
  name: string;
  phone: string;
  districtCode: string;
  skills?: string[];
  availability?: string;
  note?: string;
  consent: true;
}

export type SignupStatus = 'pending' | 'approved' | 'rejected';

export interface SignupView {
  id: string;
  name: string;
  phoneMasked: string;
  districtCode: string;
  skills: string[];
  availability: string | null;
  note: string | null;
  status: SignupStatus;
  createdAt: string;
  decidedAt: string | null;
  decidedBy: string | null;
  rejectReason: string | null;
  volunteerId: string | null;
}

// --- ledger ---

export interface StatementLine {
  transactionId: string;
  at: string;
  kind: MovementKind;
  /** Signed for this account: positive in, negative out. */
  units: number;
  /** Balance after this line. */
  balance: number;
  counterpartyAccountId: string;
  reference: string | null;
  note: string | null;
  reversesTransactionId: string | null;
}

export interface YearSummary {
  year: number;
  opening: number;
  issued: number;
  redeemed: number;
  expired: number;
  transfersNet: number;
  closing: number;
}

export interface Statement {
  accountId: string;
  volunteerId: string;
  name: string;
  balanceUnits: number;
  year: number;
  summary: YearSummary;
  /** Newest first. */
  lines: StatementLine[];
  total: number;
}

export interface MovementResult {
  transactionId: string | null;
  units: number;
  balanceUnits: number;
  replayed: boolean;
}

/** `POST /api/timebank/volunteers/:volunteerId/transfer`: exactly one receiver. */
export interface TransferBody {
  toVolunteerId?: string;
  toPersonId?: string;
  relation: string;
  units: number;
  note: string;
  idempotencyKey: string;
}

export interface TransferResult {
  transactionId: string;
  fromAccountId: string;
  toAccountId: string;
  units: number;
  relation: string;
  note: string;
  balanceUnits: number;
  replayed: boolean;
}

/** `POST /api/timebank/expiry/run`: what expired now in the supervisor's districts. */
export interface ExpiryRun {
  expiryMonths: number;
  examined: number;
  expired: { accountId: string; transactionId: string; units: number }[];
  units: number;
}

export interface EarnResult {
  status: 'credited' | 'already-credited' | 'refused';
  transactionId: string | null;
  units: number;
  overCapUnits: number;
  code?: string;
}

// --- maker-checker ---

export type ApprovalBody = { type: 'adjust'; volunteerId: string; units: number; note: string } | { type: 'reverse'; transactionId: string; note: string };

export interface ApprovalView {
  id: string;
  type: 'adjust' | 'reverse';
  status: 'pending' | 'approved' | 'rejected';
  accountId: string;
  volunteerId: string | null;
  /** Adjust: signed units asked; reverse: the units of the transaction reversed. */
  units: number;
  /** Reverse: the transaction to undo. */
  transactionId: string | null;
  note: string;
  makerId: string;
  makerName: string;
  requestedAt: string;
  checkerId: string | null;
  checkerName: string | null;
  decidedAt: string | null;
  rejectReason: string | null;
  resultTransactionId: string | null;
}

// --- activities ---

export interface ActivityBody {
  title: string;
  description?: string;
  districtCode: string;
  location: string;
  startsAt: string;
  endsAt: string;
  capacity: number;
}

export interface ActivityView {
  id: string;
  title: string;
  description: string | null;
  districtCode: string;
  location: string;
  startsAt: string;
  endsAt: string;
  capacity: number;
  signedUp: number;
  status: 'open' | 'closed';
  createdBy: string;
  attendanceConfirmedBy: string | null;
  creditedAt: string | null;
}

export interface RosterLine {
  volunteerId: string;
  name: string;
  signedUpAt: string;
  attended: boolean | null;
  checkInAt: string | null;
  checkOutAt: string | null;
  creditedUnits: number | null;
  transactionId: string | null;
}

export interface ActivityDetail {
  activity: ActivityView;
  roster: RosterLine[];
}

export type AttendanceLine = { volunteerId: string; attended: true; checkInAt: string; checkOutAt: string } | { volunteerId: string; attended: false };

export interface ActivityCreditResult {
  credited: { volunteerId: string; units: number; transactionId: string }[];
  skipped: { volunteerId: string; code: string }[];
  activity: ActivityView;
}

// --- shop ---

export interface ShopItem {
  id: string;
  kind: 'goods' | 'service';
  name: string;
  description: string | null;
  priceUnits: number;
  /** Goods only; null for services. */
  stock: number | null;
  /** Services only: the life-service type of the work order opened. */
  serviceType: string | null;
  active: boolean;
}

export interface ShopItemBody {
  kind: 'goods' | 'service';
  name: string;
  description?: string;
  priceUnits: number;
  stock?: number;
  serviceType?: string;
}

export interface ShopItemPatch {
  name?: string;
  description?: string | null;
  priceUnits?: number;
  active?: boolean;
  addStock?: number;
}

export interface RedeemBody {
  volunteerId: string;
  itemId: string;
  quantity?: number;
  idempotencyKey: string;
  recipientPersonId?: string;
}

export interface Redemption {
  id: string;
  volunteerId: string;
  itemId: string;
  itemName: string;
  kind: 'goods' | 'service';
  quantity: number;
  units: number;
  status: 'placed' | 'cancelled';
  transactionId: string;
  refundTransactionId: string | null;
  recipientPersonId: string | null;
  ticketId: string | null;
  ticketNumber: string | null;
  placedAt: string;
  placedBy: string | null;
  cancelledAt: string | null;
  cancelReason: string | null;
  replayed?: boolean;
}

// --- volunteer portal ---

export interface PortalLink {
  code: string;
  path: string;
  expiresAt: string;
}

export interface PortalSession {
  token: string;
  expiresAt: string;
  volunteer: { volunteerId: string; name: string };
}

export interface PortalMe {
  volunteerId: string;
  name: string;
  balanceUnits: number;
}

// --- federation ---

export interface LiabilityRow {
  /** Null: the mutual-aid pool (and members of no known district). */
  districtCode: string | null;
  month: string;
  issued: number;
  redeemed: number;
  expired: number;
  transfersNet: number;
  liabilityChange: number;
}

export interface LiabilityReport {
  rows: LiabilityRow[];
  totals: { issued: number; redeemed: number; expired: number; outstanding: number };
}

export interface LedgerCheck {
  entries: number;
  transactions: number;
  sumUnits: number;
  problems: string[];
  cachedBalancesMatch: boolean;
}

// --- donations ---

export type MoneyChannel = 'bank_transfer' | 'wechat' | 'alipay' | 'cash' | 'cheque';
export type AllocationDestinationKind = 'person' | 'activity' | 'shop_stock';

export interface DonorBody {
  kind: 'person' | 'organisation';
  name: string;
  phone?: string;
  contact?: string;
  districtCode: string;
  note?: string;
}

export interface Donor {
  id: string;
  kind: 'person' | 'organisation';
  name: string;
  phoneMasked: string | null;
  contact: string | null;
  districtCode: string;
  note: string | null;
  createdAt: string;
}

export type GiftBody =
  | { donorId: string; kind: 'goods'; receivedOn: string; items: { name: string; quantity: number; unitValueFen: number }[]; note?: string }
  | { donorId: string; kind: 'money'; receivedOn: string; amountFen: number; channel: MoneyChannel; receiptNo: string; note?: string };

export interface GiftItem {
  itemId: string;
  name: string;
  quantity: number;
  unitValueFen: number;
}

export interface GiftView {
  id: string;
  donorId: string;
  donorName: string;
  kind: 'goods' | 'money';
  districtCode: string;
  receivedOn: string;
  items: GiftItem[] | null;
  amountFen: number | null;
  channel: MoneyChannel | null;
  receiptNo: string | null;
  note: string | null;
  createdAt: string;
}

export type GiftRemaining =
  | { kind: 'goods'; items: { itemId: string; name: string; received: number; allocated: number; remaining: number; remainingValueFen: number }[]; remainingValueFen: number }
  | { kind: 'money'; receivedFen: number; allocatedFen: number; remainingFen: number };

export interface GiftSummary extends GiftView {
  remaining: GiftRemaining;
}

export interface AllocationView {
  id: string;
  giftId: string;
  destination: { kind: AllocationDestinationKind; id: string; name: string };
  itemId: string | null;
  quantity: number | null;
  amountFen: number | null;
  returnsAllocationId: string | null;
  note: string | null;
  at: string;
  by: string;
}

export interface GiftDetail {
  gift: GiftView;
  remaining: GiftRemaining;
  allocations: AllocationView[];
}

export interface AllocationBody {
  destination: { kind: AllocationDestinationKind; id: string };
  itemId?: string;
  quantity?: number;
  amountFen?: number;
  note?: string;
}

export interface ReturnBody {
  quantity?: number;
  amountFen?: number;
  note?: string;
}

export interface DestinationRow {
  kind: AllocationDestinationKind;
  id: string;
  name: string;
  pieces: number;
  valueFen: number;
  amountFen: number;
}

export interface DonationReport {
  rows: DestinationRow[];
}

// --- socket notices ---

export interface TimebankServerEvents {
  'timebank:credited': (payload: { volunteerId: string; transactionId: string; units: number; source: 'job' | 'activity' | 'adjustment' }) => void;
  'timebank:approval-changed': (payload: { approvalId: string; status: 'pending' | 'approved' | 'rejected'; type: 'adjust' | 'reverse' }) => void;
  'timebank:redemption-changed': (payload: { redemptionId: string; volunteerId: string; status: 'placed' | 'cancelled'; itemId: string; stock: number | null }) => void;
  'timebank:signup-received': (payload: { signupId: string; districtCode: string }) => void;
}

/** Error codes the console translates (besides `validation/invalid`, `auth/*`). */
export const TIMEBANK_ERROR_CODES = [
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
  'timebank/service-under-way',
  'timebank/order-needs-hotline',
  'timebank/approval-not-pending',
  'timebank/receipt-duplicate',
  'timebank/link-invalid',
  'timebank/portal-unauthenticated',
] as const;
