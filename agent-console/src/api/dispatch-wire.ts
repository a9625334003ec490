/**
 * Dispatch (issue 9) as the console receives it: jobs, offers, candidates, people and the field page.
 * Dates are ISO strings. The endpoints and error codes are in `docs/dispatch-api.md`;
 * `agent-console/contract/wire-contract.ts` checks these against the server's own types.
 * No DOM types here: the contract check compiles this file with the server's settings.
 */

export const DISPATCH_SERVICES = ['help_walk', 'medical_escort', 'meals', 'family_visit', 'shopping', 'urgent_help', 'recreation', 'outing', 'order_fulfilment'] as const;
export type DispatchService = (typeof DISPATCH_SERVICES)[number];

export const DISPATCH_SKILLS = [
  'mobility_assist',
  'wheelchair_transfer',
  'medical_escort',
  'meal_delivery',
  'cooking',
  'companionship',
  'sign_language',
  'shopping',
  'emergency_response',
  'recreation',
  'outing_escort',
  'driving',
  'delivery',
  'installation',
] as const;
export type DispatchSkill = (typeof DISPATCH_SKILLS)[number];

export const CERTIFICATION_KINDS = ['first_aid', 'nursing', 'driving_licence', 'food_handling', 'sign_language_interpreter'] as const;
export type CertificationKind = (typeof CERTIFICATION_KINDS)[number];

export type CandidateKind = 'provider' | 'volunteer';
export type CandidateStatus = 'active' | 'suspended' | 'inactive';
export type Gender = 'female' | 'male';
export type JobPriority = 'P0' | 'P1' | 'P2' | 'P3';

export const JOB_STATUSES = ['open', 'offering', 'with_dispatcher', 'assigned', 'en_route', 'on_site', 'completed', 'failed', 'cancelled'] as const;
export type JobStatus = (typeof JOB_STATUSES)[number];

export const OFFER_STATUSES = ['open', 'accepted', 'declined', 'timed_out', 'withdrawn'] as const;
export type OfferStatus = (typeof OFFER_STATUSES)[number];
export type WithdrawReason = 'taken_by_other' | 'dispatcher' | 'assigned_directly' | 'cancelled';
export type ReturnCause = 'no_candidates' | 'list_exhausted' | 'withdrawn';

export interface LatLng {
  lat: number;
  lng: number;
}

/** Who holds a job. */
export interface JobAssignee {
  kind: CandidateKind;
  id: string;
  name: string;
  /** The provider's name for a field worker. */
  providerName: string | null;
  via: 'offer' | 'dispatcher';
  at: string;
}

/** A row of the dispatcher board (`GET /api/dispatch/jobs`) and the `job:updated` payload. */
export interface JobSummary {
  id: string;
  ticketId: string;
  ticketNumber: string;
  personId: string | null;
  districtCode: string;
  service: DispatchService;
  task: string | null;
  priority: JobPriority;
  lifeOrProperty: boolean;
  status: JobStatus;
  windowStart: string;
  windowEnd: string;
  areaText: string;
  lat: number;
  lng: number;
  /** The dispatch deadline (SLA): somebody must be assigned by then. */
  dispatchDueAt: string;
  /** Past `dispatchDueAt` with nobody assigned (supervisors were alerted). */
  slaOverdue: boolean;
  openOffers: number;
  returnCause: ReturnCause | null;
  assignee: JobAssignee | null;
  version: number;
  updatedAt: string;
}

/** One offer of a job. */
export interface OfferView {
  id: string;
  seq: number;
  candidateKind: CandidateKind;
  candidateId: string;
  candidateName: string;
  channel: 'sms' | 'voice' | 'direct';
  status: OfferStatus;
  sentAt: string;
  expiresAt: string;
  answeredAt: string | null;
  endedAt: string | null;
  answeredVia: 'sms' | 'link' | 'dispatcher' | null;
  withdrawReason: WithdrawReason | null;
  declineNote: string | null;
}

/** `GET /api/dispatch/jobs/:id`: the job with its full address, needs, progress and offers. */
export interface JobDetail extends JobSummary {
  personName: string | null;
  locationText: string;
  needs: string | null;
  requirements: { genderPreference?: Gender | null; twoPersonVisit?: boolean };
  parallel: number;
  offerTimeoutSeconds: number;
  /** Ranked candidates still waiting for an offer. */
  queued: number;
  enRouteAt: string | null;
  checkInAt: string | null;
  checkIn: LatLng | null;
  checkOutAt: string | null;
  checkOut: LatLng | null;
  outcomeNotes: string | null;
  failureReason: string | null;
  durationMinutes: number | null;
  offers: OfferView[];
}

export const SCORE_PARTS = ['distance', 'load', 'rating', 'fairness', 'known', 'preference'] as const;
export type ScorePart = (typeof SCORE_PARTS)[number];

export interface ScoreLine {
  part: ScorePart;
  points: number;
  max: number;
  /** The fact behind the points (`3.2 km`, `2/4`, `never offered`). */
  basis: string;
}

export const FILTER_RULES = ['status', 'skill', 'certification', 'availability', 'gender', 'two_person', 'lone_volunteer', 'max_load', 'service_area', 'blocked'] as const;
export type FilterRule = (typeof FILTER_RULES)[number];

export interface ExclusionView {
  rule: FilterRule;
  /** A sentence for the dispatcher (zh-CN). */
  message: string;
}

export interface CandidateRef {
  candidateId: string;
  kind: CandidateKind;
  name: string;
  providerName: string | null;
  position: LatLng;
  distanceKm: number;
}

export interface RankedCandidateView extends CandidateRef {
  total: number;
  parts: ScoreLine[];
  /** An offer to this candidate is open now. */
  offerOpen: boolean;
}

export interface ExcludedCandidateView extends CandidateRef {
  reasons: ExclusionView[];
}

/** `GET /api/dispatch/jobs/:id/candidates`. */
export interface CandidateList {
  jobId: string;
  ranked: RankedCandidateView[];
  excluded: ExcludedCandidateView[];
  /** How offers would go out: at once (`parallel`) and for how long. */
  offerPlan: { parallel: number; timeoutSeconds: number };
  twoPeople: boolean;
  /** Rows the database search returned before the engine ranked them. */
  searched: number;
}

export interface CreateJobBody {
  ticketId: string;
  service?: DispatchService;
  task?: string;
  windowStart: string;
  durationMinutes?: number;
  locationText?: string;
  areaText?: string;
  lat?: number;
  lng?: number;
  needs?: string;
  lifeOrProperty?: boolean;
  genderPreference?: Gender | null;
  twoPersonVisit?: boolean;
}

export interface OfferBody {
  candidateIds?: string[];
  parallel?: number;
}
export interface AssignBody {
  candidateId: string;
}
export interface WithdrawBody {
  offerId?: string;
}
/** `POST /api/dispatch/jobs/:id/voice-offers`: whom to call (the server finds the number). */
export interface VoiceOfferBody {
  candidateId: string;
}
/** The call placed (only the masked number comes back) and the offer it is about. */
export interface VoiceOfferResult {
  offerId: string;
  call: { requestId: string; toMasked: string; agentExtension: string; ticketNumber: string | null };
  job: JobDetail;
}
/** `POST /api/dispatch/jobs/:id/voice-answers`: what the candidate said on the phone. */
export interface VoiceAnswerBody {
  offerId: string;
  answer: 'accepted' | 'declined';
  note?: string;
}
export interface CancelJobBody {
  reason: string;
}

// ── People ───────────────────────────────────────────────────────────────────

export interface ServiceAreaView {
  centre: LatLng;
  radiusKm: number;
}

export interface ProviderView {
  id: string;
  name: string;
  creditCode: string;
  contactName: string;
  contactPhoneMasked: string;
  districtCode: string;
  services: DispatchService[];
  serviceArea: ServiceAreaView;
  status: CandidateStatus;
  fieldWorkerCount: number;
  version: number;
  createdAt: string;
  updatedAt: string;
}

export interface ProviderBody {
  name: string;
  creditCode: string;
  contactName: string;
  contactPhone: string;
  districtCode: string;
  services: DispatchService[];
  serviceArea: ServiceAreaView;
  status?: CandidateStatus;
}

export interface CertificationView {
  kind: CertificationKind;
  /** `YYYY-MM-DD`, inclusive. */
  validFrom: string;
  expiresOn: string;
  expired: boolean;
  /** Expires within 30 days. */
  expiringSoon: boolean;
}

export interface WeeklySlotView {
  weekday: 1 | 2 | 3 | 4 | 5 | 6 | 7;
  /** `HH:MM` Shanghai time; `to` may be `24:00`. */
  from: string;
  to: string;
}

export interface AbsenceView {
  kind: 'leave' | 'sick';
  from: string;
  to: string;
}

/** A field worker or a volunteer. */
export interface CandidateView {
  id: string;
  kind: CandidateKind;
  providerId: string | null;
  providerName: string | null;
  staffUserId: string | null;
  name: string;
  gender: Gender;
  phoneMasked: string;
  districtCode: string;
  skills: DispatchSkill[];
  certifications: CertificationView[];
  weekly: WeeklySlotView[];
  absences: AbsenceView[];
  crewSize: number;
  maxConcurrentJobs: number;
  activeJobs: number;
  serviceArea: ServiceAreaView;
  rating: number | null;
  ratingCount: number;
  lastOfferedAt: string | null;
  status: CandidateStatus;
  version: number;
  createdAt: string;
  updatedAt: string;
}

export interface CandidateBody {
  name: string;
  gender: Gender;
  phone: string;
  districtCode: string;
  skills: DispatchSkill[];
  certifications: { kind: CertificationKind; validFrom: string; expiresOn: string }[];
  weekly: WeeklySlotView[];
  absences: AbsenceView[];
  crewSize: number;
  maxConcurrentJobs: number;
  serviceArea: ServiceAreaView;
  status?: CandidateStatus;
  /** Field workers only. */
  providerId?: string;
  /** Volunteers only: the staff user who volunteers, if any. */
  staffUserId?: string | null;
}

/** A created field worker or volunteer with their field-page PIN (shown once). */
export interface CreatedCandidate {
  candidate: CandidateView;
  pin: string;
}

export interface Page<T> {
  items: T[];
  total: number;
}

// ── Field page ───────────────────────────────────────────────────────────────

export const FIELD_ACTIONS = ['accept', 'decline', 'en_route', 'arrived', 'done', 'cannot_complete'] as const;
export type FieldAction = (typeof FIELD_ACTIONS)[number];

/** What the field page shows. `visit` only once this worker holds the job. */
export interface FieldJobView {
  jobId: string;
  offerStatus: OfferStatus;
  jobStatus: JobStatus;
  service: DispatchService;
  task: string | null;
  windowStart: string;
  windowEnd: string;
  areaText: string;
  /** When the offer lapses (while it is open). */
  expiresAt: string;
  workerName: string;
  /** What this worker may do now. */
  actions: FieldAction[];
  visit: { locationText: string; needs: string | null; position: LatLng } | null;
  enRouteAt: string | null;
  checkInAt: string | null;
  checkOutAt: string | null;
}

export interface FieldSession {
  session: string;
  expiresAt: string;
  view: FieldJobView;
}

export interface FieldOpenBody {
  token: string;
  pin: string;
}

export interface FieldActionBody {
  action: FieldAction;
  note?: string;
  reason?: string;
  position?: { lat: number; lng: number; accuracyM?: number };
}

export const FIELD_ERROR_CODES = ['field/link-invalid', 'field/link-expired', 'field/pin-wrong', 'field/pin-locked', 'field/session-invalid', 'dispatch/invalid-transition'] as const;
export type FieldErrorCode = (typeof FIELD_ERROR_CODES)[number];

// ── Socket notices ───────────────────────────────────────────────────────────

export interface JobSlaOverdue {
  jobId: string;
  ticketId: string;
  ticketNumber: string;
  service: DispatchService;
  priority: JobPriority;
  dispatchDueAt: string;
}

/** Dispatch notices (part of `ServerEvents` in `wire.ts`). */
export interface DispatchServerEvents {
  'job:updated': (payload: { job: JobSummary }) => void;
  'offer:updated': (payload: { jobId: string; offer: OfferView }) => void;
  'job:sla-overdue': (payload: JobSlaOverdue) => void;
}

/** A candidate a person blocked (after a complaint), by name: never a phone number. */
export interface BlockedCandidateView {
  candidateId: string;
  kind: CandidateKind;
  name: string;
  providerName: string | null;
}

/** `GET /api/persons/:id/dispatch-prefs`: the visit preferences dispatch's hard filters read. */
export interface VisitPrefsView {
  personId: string;
  genderPreference: Gender | null;
  twoPersonVisit: boolean;
  noLoneVolunteer: boolean;
  blockedCandidates: BlockedCandidateView[];
  /** 0 while nothing is stored; send it back with the edit. */
  version: number;
  updatedAt: string | null;
}

/** `PUT /api/persons/:id/dispatch-prefs`. */
export interface VisitPrefsBody {
  genderPreference: Gender | null;
  twoPersonVisit: boolean;
  noLoneVolunteer: boolean;
  blockedCandidateIds: string[];
  note: string;
  version: number;
}
