import { qs, request } from '../../api/http';
import type {
  ActivityBody, ActivityCreditResult, ActivityDetail, ActivityView, AllocationBody, ApprovalBody, ApprovalView, AttendanceLine, DonationReport, Donor, DonorBody,
  EarnResult, GiftBody, GiftDetail, GiftSummary, LedgerCheck, LiabilityReport, List, MovementResult, PortalLink, Redemption, RedeemBody,
  ReturnBody, RosterLine, ServiceHistory, ShopItem, ShopItemBody, ShopItemPatch, SignupStatus, SignupView, Statement, TimebankSettings, TrainingBody, TrainingRecord,
  TransferBody, TransferResult, ExpiryRun,
  VolunteerAccountSummary, VolunteerTimebankProfile,
} from '../../api/timebank-wire';

const id = encodeURIComponent;
const T = '/api/timebank';

/**
 * The staff's time-bank endpoints (docs/timebank-api.md), typed. Query keys used with them start with
 * `timebank` so a realtime notice refreshes every time-bank page at once.
 * @example const list = await timebankApi.volunteers({ q: '张' });
 */
export const timebankApi = {
  settings: () => request<TimebankSettings>('GET', `${T}/settings`),

  volunteers: (q: { q?: string; limit?: number; offset?: number }) => request<List<VolunteerAccountSummary>>('GET', `${T}/volunteers${qs({ ...q })}`),
  volunteer: (volunteerId: string) => request<VolunteerTimebankProfile>('GET', `${T}/volunteers/${id(volunteerId)}`),
  addTraining: (volunteerId: string, body: TrainingBody) => request<TrainingRecord>('POST', `${T}/volunteers/${id(volunteerId)}/trainings`, body),
  serviceHistory: (volunteerId: string, year?: number) => request<ServiceHistory>('GET', `${T}/volunteers/${id(volunteerId)}/service-history${qs({ year })}`),
  /**
   * A volunteer's name and balance for a page opened with `?volunteer=` (read from the statement, which every
   * time-bank reader may see; audited by the server like any statement read).
   */
  volunteerBrief: (volunteerId: string): Promise<VolunteerAccountSummary> =>
    request<Statement>('GET', `${T}/volunteers/${id(volunteerId)}/statement${qs({ limit: 1 })}`).then((s) => ({ volunteerId: s.volunteerId, name: s.name, balanceUnits: s.balanceUnits, phoneMasked: null, districtCode: '', active: true })),
  statement: (volunteerId: string, q: { year?: number; limit?: number; offset?: number }) => request<Statement>('GET', `${T}/volunteers/${id(volunteerId)}/statement${qs({ ...q })}`),
  donate: (volunteerId: string, units: number, idempotencyKey: string) => request<MovementResult>('POST', `${T}/volunteers/${id(volunteerId)}/donate`, { units, idempotencyKey }),
  expiryRun: () => request<ExpiryRun>('POST', `${T}/expiry/run`, {}),
  transfer: (volunteerId: string, body: TransferBody) => request<TransferResult>('POST', `${T}/volunteers/${id(volunteerId)}/transfer`, body),
  portalLink: (volunteerId: string) => request<PortalLink>('POST', `${T}/volunteers/${id(volunteerId)}/portal-link`, {}),
  confirmJob: (jobId: string) => request<EarnResult>('POST', `${T}/jobs/${id(jobId)}/confirm`, { by: 'recipient' }),

  signups: (status: SignupStatus) => request<List<SignupView>>('GET', `${T}/signups${qs({ status, limit: 200 })}`),
  approveSignup: (signupId: string, body: { gender: 'female' | 'male'; centreLat: number; centreLng: number; radiusKm: number }) =>
    request<{ signup: SignupView; volunteerId: string }>('POST', `${T}/signups/${id(signupId)}/approve`, body),
  rejectSignup: (signupId: string, reason: string) => request<SignupView>('POST', `${T}/signups/${id(signupId)}/reject`, { reason }),

  approvals: (status: ApprovalView['status']) => request<List<ApprovalView>>('GET', `${T}/approvals${qs({ status, limit: 200 })}`),
  requestApproval: (body: ApprovalBody) => request<ApprovalView>('POST', `${T}/approvals`, body),
  approve: (approvalId: string) => request<ApprovalView>('POST', `${T}/approvals/${id(approvalId)}/approve`, {}),
  reject: (approvalId: string, reason: string) => request<ApprovalView>('POST', `${T}/approvals/${id(approvalId)}/reject`, { reason }),

  activities: (q: { status?: 'open' | 'closed'; limit?: number; offset?: number }) => request<List<ActivityView>>('GET', `${T}/activities${qs({ ...q })}`),
  activity: (activityId: string) => request<ActivityDetail>('GET', `${T}/activities/${id(activityId)}`),
  createActivity: (body: ActivityBody) => request<ActivityView>('POST', `${T}/activities`, body),
  signUp: (activityId: string, volunteerId: string) => request<RosterLine>('POST', `${T}/activities/${id(activityId)}/signups`, { volunteerId }),
  removeSignup: (activityId: string, volunteerId: string) => request<void>('DELETE', `${T}/activities/${id(activityId)}/signups/${id(volunteerId)}`),
  attendance: (activityId: string, lines: AttendanceLine[]) => request<ActivityDetail>('PUT', `${T}/activities/${id(activityId)}/attendance`, { lines }),
  credit: (activityId: string) => request<ActivityCreditResult>('POST', `${T}/activities/${id(activityId)}/credit`, {}),

  shopItems: (includeInactive = false) => request<ShopItem[]>('GET', `${T}/shop/items${qs({ includeInactive: includeInactive || undefined })}`),
  createItem: (body: ShopItemBody) => request<ShopItem>('POST', `${T}/shop/items`, body),
  updateItem: (itemId: string, body: ShopItemPatch) => request<ShopItem>('PATCH', `${T}/shop/items/${id(itemId)}`, body),
  redeem: (body: RedeemBody) => request<Redemption>('POST', `${T}/redemptions`, body),
  redemptions: (q: { volunteerId?: string; status?: Redemption['status']; limit?: number; offset?: number }) => request<List<Redemption>>('GET', `${T}/redemptions${qs({ ...q })}`),
  cancelRedemption: (redemptionId: string, reason: string) => request<Redemption>('POST', `${T}/redemptions/${id(redemptionId)}/cancel`, { reason }),

  liability: (from: string, to: string) => request<LiabilityReport>('GET', `${T}/reports/liability${qs({ from, to })}`),
  ledgerCheck: () => request<LedgerCheck>('GET', `${T}/reports/ledger-check`),

  donors: (q: { q?: string; limit?: number; offset?: number }) => request<List<Donor>>('GET', `${T}/donors${qs({ ...q })}`),
  createDonor: (body: DonorBody) => request<Donor>('POST', `${T}/donors`, body),
  gifts: (q: { donorId?: string; kind?: 'goods' | 'money'; limit?: number; offset?: number }) => request<List<GiftSummary>>('GET', `${T}/gifts${qs({ ...q })}`),
  gift: (giftId: string) => request<GiftDetail>('GET', `${T}/gifts/${id(giftId)}`),
  createGift: (body: GiftBody) => request<GiftDetail>('POST', `${T}/gifts`, body),
  allocate: (giftId: string, body: AllocationBody) => request<GiftDetail>('POST', `${T}/gifts/${id(giftId)}/allocations`, body),
  returnAllocation: (giftId: string, allocationId: string, body: ReturnBody) => request<GiftDetail>('POST', `${T}/gifts/${id(giftId)}/allocations/${id(allocationId)}/return`, body),
  donationReport: (q: { from?: string; to?: string }) => request<DonationReport>('GET', `${T}/reports/donations${qs({ ...q })}`),
};
