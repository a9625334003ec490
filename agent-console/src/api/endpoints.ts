import { qs, request } from './http';
import type {
  CareOutcomeBody, CareTaskDetail, CareTaskItem,
  AuditItem, AuditQuery, AuditVerifyResult, CallRow, CreateTicketBody, DialAccepted, DialTarget, District, Health, LoginResponse, PersonDetail, PersonSummary, RevealedIdentifiers, RevealPurpose,
  Satisfaction, SoftphoneSettings, SosView, StaffBody, StaffView, TotpEnrolment, Ticket, TicketAction, TicketCategory, TicketDetail, TicketPriority, TicketStatus, User, PresenceView,
} from './wire';

/** Every server endpoint the console uses, typed. */
export const api = {
  login: (username: string, password: string, code?: string) => request<LoginResponse>('POST', '/api/auth/login', { username, password, ...(code ? { code } : {}) }),
  logout: () => request<void>('POST', '/api/auth/logout'),
  me: () => request<{ user: User; mustChangePassword: boolean; mustEnrolTotp: boolean; totpEnrolled: boolean; recoveryCodesLeft: number }>('GET', '/api/auth/me'),
  totpStart: () => request<TotpEnrolment>('POST', '/api/auth/totp/enrolment'),
  totpConfirm: (code: string) => request<{ recoveryCodes: string[] }>('POST', '/api/auth/totp/confirm', { code }),
  totpRecoveryCodes: (code: string) => request<{ recoveryCodes: string[] }>('POST', '/api/auth/totp/recovery-codes', { code }),

  staffList: (q: { q?: string; role?: string; active?: 'true' | 'false'; limit?: number; offset?: number }) => request<{ items: StaffView[]; total: number }>('GET', `/api/staff${qs({ ...q })}`),
  staff: (id: string) => request<StaffView & { failedLogins: number }>('GET', `/api/staff/${encodeURIComponent(id)}`),
  createStaff: (body: StaffBody) => request<StaffView & { oneTimePassword: string }>('POST', '/api/staff', body),
  updateStaff: (id: string, body: StaffBody) => request<StaffView>('PATCH', `/api/staff/${encodeURIComponent(id)}`, body),
  staffAction: (id: string, action: 'deactivate' | 'activate' | 'unlock' | 'reset-totp') => request<void>('POST', `/api/staff/${encodeURIComponent(id)}/${action}`),
  resetStaffPassword: (id: string) => request<{ oneTimePassword: string }>('POST', `/api/staff/${encodeURIComponent(id)}/reset-password`),
  changePassword: (currentPassword: string, newPassword: string) => request<void>('POST', '/api/auth/password', { currentPassword, newPassword }),
  health: () => request<Health>('GET', '/api/health'),

  searchPersons: (q: string, signal?: AbortSignal) => request<{ items: PersonSummary[]; total: number }>('GET', `/api/persons${qs({ q, limit: 20 })}`, undefined, signal),
  personsByPhone: (phone: string) => request<{ items: PersonSummary[]; total: number }>('GET', `/api/persons${qs({ phone, limit: 10 })}`),
  person: (id: string, purpose?: string) => request<PersonDetail>('GET', `/api/persons/${encodeURIComponent(id)}${qs({ purpose })}`),
  reveal: (id: string, body: { purpose: RevealPurpose; detail?: string }) => request<RevealedIdentifiers>('POST', `/api/persons/${encodeURIComponent(id)}/reveal`, body),
  createPerson: (body: CreatePersonBody) => request<PersonDetail>('POST', '/api/persons', body),
  districts: () => request<{ items: District[] }>('GET', '/api/districts'),

  tickets: (q: TicketQuery) => request<{ items: Ticket[]; total: number }>('GET', `/api/tickets${qs({ ...q })}`),
  ticket: (id: string) => request<TicketDetail>('GET', `/api/tickets/${encodeURIComponent(id)}`),
  /** `idempotencyKey`: one per form; a resubmit with the same key returns the same order. */
  createTicket: (body: CreateTicketBody, idempotencyKey?: string) => request<Ticket>('POST', '/api/tickets', body, undefined, idempotencyKey ? { 'idempotency-key': idempotencyKey } : {}),
  transition: (id: string, body: { action: TicketAction; note?: string; satisfaction?: Satisfaction; version?: number }) =>
    request<Ticket>('POST', `/api/tickets/${encodeURIComponent(id)}/transitions`, body),
  acknowledgeSos: (id: string, note?: string) => request<SosView>('POST', `/api/sos/${encodeURIComponent(id)}/acknowledge`, note ? { note } : {}),
  resolveSos: (id: string, note: string) => request<SosView>('POST', `/api/sos/${encodeURIComponent(id)}/resolve`, { note }),
  falseAlarmSos: (id: string, note: string) => request<SosView>('POST', `/api/sos/${encodeURIComponent(id)}/false-alarm`, { note }),
  addNote: (id: string, note: string) => request<{ ok: true }>('POST', `/api/tickets/${encodeURIComponent(id)}/notes`, { note }),

  calls: (q: { needsFollowUp?: boolean; personId?: string; limit?: number; offset?: number }) => request<{ items: CallRow[]; total: number }>('GET', `/api/calls${qs({ ...q })}`),
  clickToCall: (body: DialTarget) => request<DialAccepted>('POST', '/api/calls/click-to-call', body),

  softphoneSettings: () => request<SoftphoneSettings>('GET', '/api/softphone/settings'),
  agentPresence: () => request<{ items: PresenceView[] }>('GET', '/api/agents/presence'),

  /** Proactive care: the agent's work list (due and overdue, by risk then due time), claims, dialing, outcomes. */
  careTasks: () => request<{ items: CareTaskItem[]; total: number }>('GET', `/api/care/tasks${qs({ limit: 100 })}`),
  careClaimNext: () => request<CareTaskItem | null>('POST', '/api/care/tasks/claim-next', {}),
  careClaim: (id: string) => request<CareTaskItem>('POST', `/api/care/tasks/${encodeURIComponent(id)}/claim`, {}),
  careRelease: (id: string) => request<{ ok: true }>('POST', `/api/care/tasks/${encodeURIComponent(id)}/release`, {}),
  careTask: (id: string) => request<CareTaskDetail>('GET', `/api/care/tasks/${encodeURIComponent(id)}`),
  careDial: (id: string, target: { phoneId?: string; contactId?: string }) => request<DialAccepted>('POST', `/api/care/tasks/${encodeURIComponent(id)}/dial`, target),
  careOutcome: (id: string, body: CareOutcomeBody) => request<CareTaskItem>('POST', `/api/care/tasks/${encodeURIComponent(id)}/outcome`, body),

  auditSearch: (q: AuditQuery) => request<{ items: AuditItem[]; nextCursor: string | null }>('GET', `/api/audit${qs({ ...q })}`),
  auditVerify: () => request<AuditVerifyResult>('POST', '/api/audit/verify'),
  /** A link (same-origin GET with the session cookie) that downloads the CSV of a search. */
  auditExportHref: (q: AuditQuery) => `/api/audit/export.csv${qs({ ...q, limit: undefined, before: undefined })}`,
};

export interface TicketQuery {
  status?: TicketStatus;
  category?: TicketCategory;
  priority?: TicketPriority;
  personId?: string;
  open?: boolean;
  limit?: number;
  offset?: number;
}

export interface CreatePersonBody {
  name: string;
  gender?: 'M' | 'F';
  birthDate?: string;
  idNumber?: string;
  certNumber?: string;
  disabilityCategory?: number;
  disabilityLevel?: number;
  livingSituation?: string;
  riskTier?: string;
  communicationNeed?: string;
  dialect?: string;
  districtCode?: string;
  address?: string;
  medicalNotes?: string;
  phones: { number: string }[];
  contacts?: { name: string; relation: string; phone: string; isGuardian: boolean }[];
}
