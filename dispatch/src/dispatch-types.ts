/**
 * What the engine is given: the job (with the person it is for) and the candidates. The server builds
 * these from its rows; the engine reads nothing else. Times are instants (`Date`); local rules use
 * Asia/Shanghai.
 */
import type { LatLng } from './geo';
import type { CandidateKind, CertificationKind, Gender, Priority, ServiceCode, Skill } from './vocabulary';

/** The person the job is for: preferences and safeguarding flags from their record. */
export interface PersonConstraints {
  personId: string;
  /** Only candidates of this gender (e.g. for personal care); null: no preference. */
  genderPreference: Gender | null;
  /** Safeguarding: every visit needs two people. */
  twoPersonVisit: boolean;
  /** Safeguarding: a volunteer may not come alone. */
  noLoneVolunteer: boolean;
  /** Candidates the person must not be sent (a past complaint). */
  blockedCandidateIds: readonly string[];
}

export interface JobRequest {
  jobId: string;
  service: ServiceCode;
  /** A named task of the service (`wheelchair_transfer`); null for the plain service. */
  task: string | null;
  priority: Priority;
  lifeOrProperty: boolean;
  start: Date;
  /** Null: the service's default duration. */
  durationMinutes: number | null;
  location: LatLng;
  person: PersonConstraints;
}

export interface Certification {
  kind: CertificationKind;
  /** `YYYY-MM-DD`, inclusive, Shanghai dates. */
  validFrom: string;
  expiresOn: string;
}

/** Weekly availability in Shanghai local time: ISO weekday 1 (Monday) … 7, `HH:MM`–`HH:MM` (to may be 24:00). */
export interface WeeklySlot {
  weekday: 1 | 2 | 3 | 4 | 5 | 6 | 7;
  from: string;
  to: string;
}

export const ABSENCE_KINDS = ['leave', 'sick'] as const;
export type AbsenceKind = (typeof ABSENCE_KINDS)[number];

/** An exception to the weekly pattern: away from `from` (inclusive) to `to` (exclusive). */
export interface Absence {
  kind: AbsenceKind;
  from: Date;
  to: Date;
}

export interface ServiceArea {
  centre: LatLng;
  radiusKm: number;
}

export const CANDIDATE_STATUSES = ['active', 'suspended', 'inactive'] as const;
export type CandidateStatus = (typeof CANDIDATE_STATUSES)[number];

export interface Candidate {
  candidateId: string;
  kind: CandidateKind;
  status: CandidateStatus;
  gender: Gender;
  skills: readonly Skill[];
  certifications: readonly Certification[];
  weekly: readonly WeeklySlot[];
  absences: readonly Absence[];
  /** How many people the candidate sends (a provider crew of two, a volunteer pair). */
  crewSize: number;
  maxConcurrentJobs: number;
  activeJobs: number;
  serviceArea: ServiceArea;
  /** Where the candidate starts from for the distance part; null: the service area's centre. */
  position: LatLng | null;
  /** Average rating 1–5; null when never rated. */
  rating: number | null;
  ratingCount: number;
  lastOfferedAt: Date | null;
  /** Completed jobs for this job's person (the known-to-the-person bonus). */
  visitsWithPerson: number;
}
