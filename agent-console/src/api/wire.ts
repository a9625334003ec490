/**
 * The server's JSON and socket payloads as the console receives them (dates are ISO strings).
 * `agent-console/contract/wire-contract.ts` checks at type level that these match the server's own types.
 * No DOM types here: the contract check compiles this file with the server's settings.
 */

import type { DispatchServerEvents } from './dispatch-wire';
import type { TimebankServerEvents } from './timebank-wire';

export type Role = 'agent' | 'dispatcher' | 'supervisor' | 'admin' | 'security_admin' | 'auditor';

export interface User {
  userId: string;
  username: string;
  displayName: string;
  /** The primary role (the first of `roles`). */
  role: Role;
  /** Every role held (security_admin and auditor only alone). */
  roles: Role[];
  sipExtension: string | null;
  districtCode: string;
  scopePrefix: string | null;
}

export interface LoginResponse {
  token: string;
  expiresAt: string;
  user: User;
  /** A one-time password: the console shows only the change-password page until it is changed. */
  mustChangePassword: boolean;
  /** The role requires a second factor not yet enrolled: the console shows only the enrolment page. */
  mustEnrolTotp: boolean;
}

export const ROLES = ['agent', 'dispatcher', 'supervisor', 'admin', 'security_admin', 'auditor'] as const satisfies readonly Role[];

/** A staff user as the security admin sees it (`GET /api/staff`). */
export interface StaffView {
  id: string;
  username: string;
  displayName: string;
  roles: Role[];
  districtCode: string;
  sipExtension: string | null;
  skills: string[];
  active: boolean;
  mustChangePassword: boolean;
  totpEnrolled: boolean;
  createdAt: string;
}

export interface StaffBody {
  username?: string;
  displayName?: string;
  roles?: Role[];
  districtCode?: string;
  sipExtension?: string | null;
  skills?: string[];
}

/** A TOTP enrolment in progress: the secret as text and as a QR image. */
export interface TotpEnrolment {
  secret: string;
  uri: string;
  qrDataUrl: string;
}

export type RiskTier = 'high' | 'key' | 'general';
export type LivingSituation = 'alone' | 'empty_nest' | 'with_family' | 'care_home';
export type CommunicationNeed = 'voice' | 'sms_only' | 'sign_language_video' | 'via_guardian';

/** Masked: the birth year only (no full date, no age), phones masked with ids to dial by. */
export interface PersonSummary {
  id: string;
  name: string;
  gender: 'M' | 'F';
  birthYear: number | null;
  disabilityCategory: number | null;
  disabilityLevel: number | null;
  subDisabilities: number[];
  riskTier: RiskTier;
  livingSituation: LivingSituation | null;
  communicationNeed: CommunicationNeed;
  dialect: string | null;
  districtCode: string;
  address: string | null;
  idNumberMasked: string | null;
  certNumberMasked: string | null;
  phones: PersonPhone[];
}

export interface PersonPhone {
  id: string;
  masked: string;
  kind: string;
  /** The number called first (person records, issue 8). */
  isPrimary?: boolean;
}

export interface PersonContact {
  id: string;
  name: string;
  relation: string;
  isGuardian: boolean;
  priority: number;
  notifyOnEmergency: boolean;
  phoneMasked: string;
}

export interface PersonDevice {
  id: string;
  kind: string;
  serial: string;
  mode: string;
  armed: boolean;
  battery: number | null;
  lastHeartbeatAt: string | null;
  phoneMasked: string | null;
  model?: string | null;
  /** Set when the device was retired (kept on record, no longer an SOS device). */
  retiredAt?: string | null;
}

export interface TicketBrief {
  id: string;
  number: string;
  category: TicketCategory;
  serviceType: string | null;
  priority: TicketPriority;
  status: TicketStatus;
  summary: string;
  createdAt: string;
}

export const CALL_OUTCOMES = ['answered', 'busy', 'no_answer', 'unreachable', 'rejected', 'failed'] as const;
export type CallOutcome = (typeof CALL_OUTCOMES)[number];

export interface CallBrief {
  id: string;
  direction: CallDirection;
  status: CallStatus;
  offeredAt: string | null;
  answeredAt: string | null;
  endedAt: string | null;
  agentExtension: string | null;
  endReason: string | null;
  outcome: CallOutcome | null;
  endedAfter: string | null;
  endedBefore: string | null;
  ivrChoice: string | null;
  isSos: boolean;
}

/** The record: still masked; medical notes only through the reveal. */
export interface PersonDetail extends PersonSummary {
  /** Send back with an edit (optimistic concurrency). */
  version?: number;
  hasMedicalNotes: boolean;
  contacts: PersonContact[];
  devices: PersonDevice[];
  openTickets: TicketBrief[];
  recentCalls: CallBrief[];
}

/** `POST /api/persons/:id/reveal`: every value the masks hide (audited, with a purpose). */
export interface RevealedIdentifiers {
  idNumber: string | null;
  certNumber: string | null;
  birthDate: string | null;
  medicalNotes: string | null;
  phones: { id: string; e164: string; kind: string }[];
  contacts: { id: string; phoneE164: string }[];
  devices: { id: string; phoneE164: string | null }[];
  /** The change history's hidden values in full, by history row id (person records, issue 8). */
  changes?: { id: string; oldValue: unknown; newValue: unknown }[];
}

export const REVEAL_PURPOSES = ['emergency_contact', 'identity_verification', 'service_delivery', 'subsidy_application', 'guardian_request', 'other'] as const;
export type RevealPurpose = (typeof REVEAL_PURPOSES)[number];

/** Whom click-to-call dials, by id (a typed `number` only for agents and supervisors). */
export type DialTarget =
  | { personId: string; phoneId: string; ticketId?: string }
  | { contactId: string; ticketId?: string }
  | { callId: string; ticketId?: string }
  | { ticketId: string }
  | { number: string; personId?: string; ticketId?: string };

export type CallDirection = 'inbound' | 'outbound';
export type CallStatus = 'ivr' | 'queued' | 'ringing' | 'dialing' | 'answered' | 'ended';

export interface CallView {
  id: string;
  callKey: string;
  direction: CallDirection;
  status: CallStatus;
  fromRaw: string | null;
  toRaw: string | null;
  fromE164: string | null;
  toE164: string | null;
  personId: string | null;
  agentUserId: string | null;
  queue: string | null;
  priority: number;
  isSos: boolean;
  ivrChoice: string | null;
  agentExtension: string | null;
  offeredAt: string | null;
  answeredAt: string | null;
  endedAt: string | null;
  waitSeconds: number | null;
  talkSeconds: number | null;
  hangupCause: number | null;
  endReason: string | null;
  /** Outbound calls: what became of the customer leg; null for inbound calls and while unknown. */
  outcome: CallOutcome | null;
  /** A call that ended while the server was away from the PBX: it ended in this window (`endedAt` null). */
  endedAfter: string | null;
  endedBefore: string | null;
  originateRequestId: string | null;
  needsFollowUp: boolean;
}

/** A row of `GET /api/calls`: full numbers only for roles that may reveal (else null); call back by `callId`. */
export interface CallRow extends Omit<CallView, 'toRaw'> {
  createdAt: string;
  fromMasked: string | null;
  toMasked: string | null;
}

export interface ScreenPop {
  callId: string;
  callKey: string;
  fromE164: string | null;
  fromMasked: string | null;
  queue: string | null;
  ivrChoice: string | null;
  isSos: boolean;
  priority: number;
  /** Medical notes only in the ringing agent's pop (null for supervisors). */
  person: (PersonDetail & { medicalNotes: string | null }) | null;
  knownAsContactOf: { personId: string; name: string; relation: string }[];
  /** Other persons who own this number too (a shared family landline). */
  sharedWith?: { personId: string; name: string }[];
}

export const TICKET_CATEGORIES = ['life_service', 'order', 'emergency', 'inquiry', 'complaint'] as const;
export type TicketCategory = (typeof TICKET_CATEGORIES)[number];
export const SERVICE_TYPES = ['help_walk', 'medical_escort', 'meals', 'family_visit', 'shopping', 'urgent_help', 'recreation', 'outing'] as const;
export type ServiceType = (typeof SERVICE_TYPES)[number];
export const TICKET_PRIORITIES = ['P0', 'P1', 'P2', 'P3'] as const;
export type TicketPriority = (typeof TICKET_PRIORITIES)[number];
export const TICKET_CHANNELS = ['phone', 'sos_button', 'device_alarm', 'sms', 'web', 'outbound_care', 'walk_in'] as const;
export type TicketChannel = (typeof TICKET_CHANNELS)[number];
export const CALLER_RELATIONS = ['self', 'guardian', 'family', 'neighbor', 'community', 'other'] as const;
export type CallerRelation = (typeof CALLER_RELATIONS)[number];
export const TICKET_STATUSES = ['accepted', 'answered', 'pending_dispatch', 'dispatched', 'returned', 'taken', 'in_service', 'done', 'callback_pending', 'callback_done', 'closed', 'cancelled', 'invalid'] as const;
export type TicketStatus = (typeof TICKET_STATUSES)[number];
export const TICKET_ACTIONS = ['answer', 'submit', 'dispatch', 'return', 'take', 'start', 'complete', 'request_callback', 'record_callback', 'rework', 'close', 'false_alarm', 'cancel', 'invalidate'] as const;
export type TicketAction = (typeof TICKET_ACTIONS)[number];
/** Actions that need a reason (the server refuses them without one). */
export const ACTIONS_NEEDING_NOTE: readonly TicketAction[] = ['return', 'rework', 'false_alarm', 'cancel', 'invalidate'];
export const SATISFACTION = ['very_satisfied', 'satisfied', 'basically_satisfied', 'dissatisfied', 'very_dissatisfied'] as const;
export type Satisfaction = (typeof SATISFACTION)[number];

export interface Ticket {
  id: string;
  number: string;
  category: TicketCategory;
  serviceType: string | null;
  priority: TicketPriority;
  status: TicketStatus;
  personId: string | null;
  callerRelation: CallerRelation;
  channel: TicketChannel;
  summary: string;
  districtCode: string;
  slaDueAt: string | null;
  assigneeId: string | null;
  createdById: string;
  confidential: boolean;
  satisfaction: string | null;
  closedAt: string | null;
  version: number;
  createdAt: string;
  updatedAt: string;
}

export interface TicketEvent {
  id: string;
  ticketId: string;
  at: string;
  actorId: string | null;
  kind: string;
  fromStatus: string | null;
  toStatus: string | null;
  note: string | null;
}

export interface TicketDetail extends Ticket {
  events: TicketEvent[];
  calls: { id: string; direction: CallDirection; status: CallStatus; fromE164: string | null; offeredAt: string | null; answeredAt: string | null; endedAt: string | null; agentExtension: string | null; outcome: CallOutcome | null; endedAfter: string | null; endedBefore: string | null }[];
  /** What this user may do now (the server refuses the rest). */
  allowedActions: TicketAction[];
  /** The order's open SOS: while `active`, only the SOS actions (acknowledge, resolve, false alarm) stop it. */
  sos: { id: string; status: 'active' | 'acknowledged' } | null;
}

/** An SOS as `GET /api/sos/:id` and the SOS actions answer it. */
export interface SosView {
  id: string;
  ticketId: string;
  ticketNumber: string;
  status: 'active' | 'acknowledged' | 'resolved' | 'false_alarm' | 'cancelled';
}

export interface CreateTicketBody {
  category: TicketCategory;
  serviceType?: ServiceType;
  priority?: TicketPriority;
  personId?: string;
  callerRelation: CallerRelation;
  channel: TicketChannel;
  summary: string;
  callId?: string;
  confidential: boolean;
}

export type PresenceState = 'available' | 'break' | 'wrap_up' | 'offline';
export const PRESENCE_STATES: readonly PresenceState[] = ['available', 'break', 'wrap_up', 'offline'];

export interface PresenceView {
  userId: string;
  username: string;
  displayName: string;
  extension: string | null;
  state: PresenceState;
  reason: string | null;
  changedAt: string | null;
  queue: 'synced' | 'pending' | 'not_configured' | 'no_extension';
  /** The browser softphone as this console reported it (null: never); `unregistered` is paused in the queue. */
  softphone: 'registered' | 'unregistered' | null;
  softphoneReason: SoftphoneFailure | null;
}

/** Why a softphone is not registered (the server's SOFTPHONE_FAILURES). */
export const SOFTPHONE_FAILURES = ['transport', 'forbidden', 'auth_failed', 'not_found', 'timeout', 'server_error', 'unknown'] as const;
export type SoftphoneFailure = (typeof SOFTPHONE_FAILURES)[number];

export type SoftphoneSettings =
  | { configured: true; wssUrl: string; domain: string; extension: string; aor: string; authorizationUsername: string; authorizationPassword: string | null; iceServers: string[] }
  | { configured: false; reason: 'no_pbx' | 'no_extension'; extension: string | null };

export interface DialAccepted {
  requestId: string;
  toMasked: string;
  agentExtension: string;
  ticketNumber: string | null;
}

export interface District {
  code: string;
  name: string;
  level: 'city' | 'district' | 'street' | 'community';
  parentCode: string | null;
}

export type TelephonyState = 'up' | 'down' | 'connecting' | 'not_configured';

export interface Health {
  status: 'ok' | 'degraded';
  database: { state: 'up' | 'down'; kind: 'pglite' | 'postgres' };
  telephony: { asterisk: TelephonyState; since?: string };
  time: string;
}

export interface ApiErrorBody {
  error: { code: string; message: string; details?: unknown };
}

export type Ack<T> = { ok: true; data: T } | { ok: false; code: string; message: string };

export interface AgentDeviceState {
  agentExtension: string;
  agentUserId: string | null;
  queue: string;
  state: string;
  paused: boolean;
  pausedReason?: string;
  member: boolean;
}

/** An SOS incident as the server announces it (`sos:raised`). */
export interface SosAlert {
  sosId: string;
  ticketId: string;
  ticketNumber: string;
  districtCode: string;
  source: string;
  alarmType: string;
  personId: string | null;
  personName: string | null;
  fromMasked: string | null;
  deviceSerial: string | null;
  silent: boolean;
  repeat: boolean;
  raisedAt: string;
  escalatesAt: string | null;
  /** A further press of an SOS someone already took: on its order, not a new alarm. */
  acknowledgedAt: string | null;
}

/** `sos:call-linked`: a call from an SOS device belongs to this SOS order (status as of the link). */
export interface SosCallLinked {
  sosId: string;
  ticketId: string;
  ticketNumber: string;
  districtCode: string;
  callId: string;
  status: string;
}

export interface SosEscalated {
  sosId: string;
  ticketId: string;
  ticketNumber: string;
  districtCode: string;
  step: number;
  steps: number;
  key: string;
  title: string;
  at: string;
  nextAt: string | null;
}

export interface SosAcknowledged {
  sosId: string;
  ticketId: string;
  ticketNumber: string;
  districtCode: string;
  byUserId: string | null;
  byName: string;
  how: 'console' | 'call_answered';
  at: string;
}

export interface SosClosed {
  sosId: string;
  ticketId: string;
  ticketNumber: string;
  districtCode: string;
  outcome: 'resolved' | 'false_alarm' | 'cancelled';
  at: string;
}

/** To security admins: e.g. one user revealed many persons within a short window. */
export interface SecurityAlert {
  kind: 'person.reveal-bulk';
  actorId: string;
  actorUsername: string;
  persons: number;
  windowMinutes: number;
  at: string;
}

/** Server → console notices. */
export interface ServerEvents extends DispatchServerEvents, TimebankServerEvents {
  'call:ringing': (payload: { call: CallView; pop: ScreenPop }) => void;
  'call:answered': (payload: { call: CallView }) => void;
  'call:ended': (payload: { call: CallView }) => void;
  'call:updated': (payload: { call: CallView }) => void;
  'ticket:created': (payload: { ticketId: string; number: string; priority: string; category: string }) => void;
  'ticket:updated': (payload: { ticketId: string; number: string; status: string }) => void;
  'agent:state-changed': (payload: AgentDeviceState) => void;
  'telephony:state-changed': (payload: { state: string; since: string }) => void;
  'agent:presence-changed': (payload: PresenceView) => void;
  'sos:raised': (payload: SosAlert) => void;
  'sos:escalated': (payload: SosEscalated) => void;
  'sos:acknowledged': (payload: SosAcknowledged) => void;
  'sos:closed': (payload: SosClosed) => void;
  'sos:call-linked': (payload: SosCallLinked) => void;
  'security:alert': (payload: SecurityAlert) => void;
  /** The care work list of the scope changed: fetch it again. */
  'care:tasks-changed': (payload: { reason: string }) => void;
}

/** Console → server commands with ack envelopes. */
export interface ClientCommands {
  'session:whoami': (ack: (res: Ack<{ userId: string; username: string; role: string; sipExtension: string | null }>) => void) => void;
  'presence:get': (ack: (res: Ack<PresenceView>) => void) => void;
  'presence:set': (payload: { state: PresenceState; reason?: string }, ack: (res: Ack<PresenceView>) => void) => void;
  'softphone:status': (payload: { registered: true } | { registered: false; reason: SoftphoneFailure }, ack: (res: Ack<PresenceView>) => void) => void;
  'sos:acknowledge': (payload: { sosId: string; note?: string }, ack: (res: Ack<{ sosId: string; status: string; ticketNumber: string }>) => void) => void;
}

/** One audit entry as the auditor reads it (`GET /api/audit`). */
export interface AuditItem {
  id: string;
  seq: string | null;
  at: string;
  actorId: string | null;
  actorUsername: string | null;
  action: string;
  subjectType: string | null;
  subjectId: string | null;
  subjects: string[];
  purpose: string | null;
  outcome: 'ok' | 'denied' | 'failed';
  ip: string | null;
  hash: string | null;
}

/** Filters of an audit search; times are ISO 8601. */
export interface AuditQuery {
  actor?: string;
  person?: string;
  action?: string;
  from?: string;
  to?: string;
  purpose?: string;
  outcome?: 'ok' | 'denied' | 'failed';
  limit?: number;
  before?: string;
}

/** The chain check (`POST /api/audit/verify`). */
export interface AuditVerifyResult {
  ok: boolean;
  checkedRows: number;
  firstBrokenSeq?: string;
  reason?: string;
  checkpointsChecked: number;
  unsealedForged: number;
  forgedIds?: string[];
}

/** A register import job (`/api/register/imports`). */
export interface RegisterRowError {
  row: number;
  field: string | null;
  code: string;
}
export interface RegisterImportView {
  id: string;
  createdAt: string;
  fileName: string;
  format: 'csv' | 'xlsx';
  fileBytes: number;
  mode: 'dry-run' | 'commit';
  status: 'queued' | 'checking' | 'applying' | 'done' | 'failed';
  outcome: 'checked' | 'rejected' | 'imported' | null;
  rowsRead: number;
  rowsValid: number;
  errorCount: number;
  errors: RegisterRowError[];
  personsWritten: number;
  failure: string | null;
  startedAt: string | null;
  finishedAt: string | null;
}

// ── Proactive care (server/src/care) ─────────────────────────────────────────
export const CARE_OUTCOMES = ['reached_fine', 'reached_needs_help', 'no_answer', 'busy', 'wrong_number', 'refused', 'visit_needed', 'deceased_moved'] as const;
export type CareOutcome = (typeof CARE_OUTCOMES)[number];
export const SURVEY_OUTCOMES = ['reached', 'no_answer', 'busy', 'wrong_number', 'refused'] as const;
export type SurveyOutcome = (typeof SURVEY_OUTCOMES)[number];

/** A row of the care work list. */
export interface CareTaskItem {
  id: string;
  kind: 'care' | 'survey' | 'campaign' | 'event';
  status: 'open' | 'escalating' | 'done' | 'failed' | 'cancelled';
  dueAt: string;
  overdue: boolean;
  attempts: number;
  riskTier: 'high' | 'key' | 'general' | null;
  person: { id: string; name: string } | null;
  ticket: { id: string; number: string } | null;
  channel: 'voice' | 'sms' | 'guardian' | null;
  claimedByMe: boolean;
  leaseUntil: string | null;
  campaign: { id: string; name: string } | null;
  event: string | null;
}

/** The preview of a claimed task. */
export interface CareTaskDetail extends CareTaskItem {
  outcome: string | null;
  satisfaction: string | null;
  script: string | null;
  personDetail: { riskTier: string; livingSituation: string | null; communicationNeed: string; disabilityCategory: number | null; disabilityLevel: number | null } | null;
  phones: Array<{ id: string; kind: string; masked: string }>;
  contacts: Array<{ id: string; name: string; relation: string; isGuardian: boolean; masked: string }>;
  history: Array<{ at: string; kind: string; note: string | null }>;
  openOrders: Array<{ id: string; number: string; category: string; status: string }>;
  ticketDetail: { category: string; status: string; summary: string } | null;
}

export type CareOutcomeBody =
  | { outcome: CareOutcome; note?: string; questionnaireVersion?: number; answers?: Record<string, string | string[] | number | boolean> }
  | { outcome: SurveyOutcome; satisfaction?: Satisfaction; resolved?: boolean; comment?: string; note?: string };
