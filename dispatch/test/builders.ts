/** Builders for engine tests: a plain job and a candidate who passes every rule for it; tests change one thing. */
import type { Candidate, JobRequest, WeeklySlot } from '../src/dispatch-types';

/** Saturday 5 December 2026, 10:00 in Shanghai. */
export const SAT_10 = new Date('2026-12-05T10:00:00+08:00');
/** 东城区 (Beijing), the job's default location. */
export const HOME = { lat: 39.9288, lng: 116.4164 };

export const everyDay = (from: string, to: string): WeeklySlot[] => ([1, 2, 3, 4, 5, 6, 7] as const).map((weekday) => ({ weekday, from, to }));

export function aJob(over: Partial<JobRequest> = {}): JobRequest {
  return {
    jobId: 'job-1',
    service: 'help_walk',
    task: null,
    priority: 'P2',
    lifeOrProperty: false,
    start: SAT_10,
    durationMinutes: null,
    location: HOME,
    ...over,
    person: { personId: 'person-1', genderPreference: null, twoPersonVisit: false, noLoneVolunteer: false, blockedCandidateIds: [], ...over.person },
  };
}

export function aCandidate(over: Partial<Candidate> = {}): Candidate {
  return {
    candidateId: 'v-001',
    kind: 'volunteer',
    status: 'active',
    gender: 'female',
    skills: ['mobility_assist'],
    certifications: [],
    weekly: everyDay('08:00', '20:00'),
    absences: [],
    crewSize: 1,
    maxConcurrentJobs: 3,
    activeJobs: 0,
    serviceArea: { centre: HOME, radiusKm: 5 },
    position: null,
    rating: 4.5,
    ratingCount: 10,
    lastOfferedAt: null,
    visitsWithPerson: 0,
    ...over,
  };
}
