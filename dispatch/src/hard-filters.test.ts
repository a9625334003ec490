import { aCandidate, aJob, everyDay, HOME, SAT_10 } from '../test/builders';
import type { Candidate, JobRequest } from './dispatch-types';
import { distanceKm } from './geo';
import { FILTER_RULES, jobContext, screenCandidate, screenCandidates, type FilterRule } from './hard-filters';
import { defaultServiceCatalogue } from './service-catalogue';

const catalogue = defaultServiceCatalogue();
const rulesOut = (job: JobRequest, candidate: Candidate): FilterRule[] => screenCandidate(jobContext(catalogue, job), candidate).map((e) => e.rule);

/** About 10.5 km north of HOME. */
const FAR = { lat: HOME.lat + 0.0945, lng: HOME.lng };
const cert = (kind: 'first_aid' | 'nursing' | 'driving_licence', validFrom: string, expiresOn: string) => ({ kind, validFrom, expiresOn });

describe('hard filters', () => {
  it('when the candidate is the plain builder, then no rule puts them out (the baseline every row changes one thing of)', () => {
    expect(rulesOut(aJob(), aCandidate())).toEqual([]);
  });

  const rows: [string, Partial<JobRequest>, Partial<Candidate>, FilterRule[]][] = [
    // status
    ['the candidate is suspended', {}, { status: 'suspended' }, ['status']],
    ['the candidate is inactive', {}, { status: 'inactive' }, ['status']],
    // skill
    ['the candidate lacks the service skill', {}, { skills: ['shopping'] }, ['skill']],
    ['a wheelchair transfer needs the transfer skill', { task: 'wheelchair_transfer' }, {}, ['skill']],
    ['a wheelchair transfer with the transfer skill', { task: 'wheelchair_transfer' }, { skills: ['mobility_assist', 'wheelchair_transfer'] }, []],
    // certification (助医 needs first aid or nursing, valid on the job date in Shanghai)
    ['助医 without any certificate', { service: 'medical_escort' }, { skills: ['medical_escort'] }, ['certification']],
    ['助医 with a valid first-aid certificate', { service: 'medical_escort' }, { skills: ['medical_escort'], certifications: [cert('first_aid', '2025-01-01', '2027-01-01')] }, []],
    ['助医 with a valid nursing certificate', { service: 'medical_escort' }, { skills: ['medical_escort'], certifications: [cert('nursing', '2025-01-01', '2027-01-01')] }, []],
    ['助医 with a certificate expiring on the job day', { service: 'medical_escort' }, { skills: ['medical_escort'], certifications: [cert('first_aid', '2025-01-01', '2026-12-05')] }, []],
    ['助医 with a certificate expired the day before', { service: 'medical_escort' }, { skills: ['medical_escort'], certifications: [cert('first_aid', '2025-01-01', '2026-12-04')] }, ['certification']],
    ['助医 with a certificate valid from the day after', { service: 'medical_escort' }, { skills: ['medical_escort'], certifications: [cert('nursing', '2026-12-06', '2028-01-01')] }, ['certification']],
    ['助医 with only a driving licence', { service: 'medical_escort' }, { skills: ['medical_escort'], certifications: [cert('driving_licence', '2025-01-01', '2030-01-01')] }, ['certification']],
    // 07:30 Shanghai on 6 Dec is still 5 Dec in UTC: the Shanghai date decides.
    ['助医 at 07:30 Shanghai with a certificate that expired on 5 Dec', { service: 'medical_escort', start: new Date('2026-12-06T07:30:00+08:00') }, { skills: ['medical_escort'], certifications: [cert('first_aid', '2025-01-01', '2026-12-05')], weekly: everyDay('00:00', '24:00') }, ['certification']],
    ['a job over midnight needs the certificate on both days', { service: 'medical_escort', start: new Date('2026-12-05T22:00:00+08:00'), durationMinutes: 240 }, { skills: ['medical_escort'], certifications: [cert('first_aid', '2025-01-01', '2026-12-05')], weekly: everyDay('00:00', '24:00'), crewSize: 2 }, ['certification']],
    // availability
    ['the job is outside the weekly slots', { start: new Date('2026-12-05T19:00:00+08:00') }, {}, ['availability']],
    ['the candidate is only free on weekdays (the job is a Saturday)', {}, { weekly: [1, 2, 3, 4, 5].map((weekday) => ({ weekday: weekday as 1, from: '08:00', to: '20:00' })) }, ['availability']],
    ['the job ends exactly when the slot ends', { start: new Date('2026-12-05T18:30:00+08:00') }, {}, []],
    ['the candidate is on leave', {}, { absences: [{ kind: 'leave', from: new Date('2026-12-04T00:00:00+08:00'), to: new Date('2026-12-07T00:00:00+08:00') }] }, ['availability']],
    ['the candidate is off sick during part of the job', {}, { absences: [{ kind: 'sick', from: new Date('2026-12-05T11:00:00+08:00'), to: new Date('2026-12-05T12:00:00+08:00') }] }, ['availability']],
    ['the leave ends as the job starts', {}, { absences: [{ kind: 'leave', from: new Date('2026-12-01T00:00:00+08:00'), to: SAT_10 }] }, []],
    // gender preference
    ['the person asks for a man', { person: { genderPreference: 'male' } as JobRequest['person'] }, {}, ['gender']],
    ['the person asks for a woman', { person: { genderPreference: 'female' } as JobRequest['person'] }, {}, []],
    // safeguarding
    ['the person needs two people and the candidate comes alone', { person: { twoPersonVisit: true } as JobRequest['person'] }, {}, ['two_person']],
    ['the person needs two people and the candidate is a pair', { person: { twoPersonVisit: true } as JobRequest['person'] }, { crewSize: 2 }, []],
    ['a night 助行 visit and the candidate comes alone', { start: new Date('2026-12-05T22:30:00+08:00') }, { weekly: everyDay('00:00', '24:00') }, ['two_person']],
    ['a night 助行 visit with a crew of two', { start: new Date('2026-12-05T22:30:00+08:00') }, { weekly: everyDay('00:00', '24:00'), crewSize: 2 }, []],
    ['no lone volunteer, and a volunteer alone', { person: { noLoneVolunteer: true } as JobRequest['person'] }, {}, ['lone_volunteer']],
    ['no lone volunteer, and a provider worker alone', { person: { noLoneVolunteer: true } as JobRequest['person'] }, { kind: 'provider' }, []],
    ['no lone volunteer, and a volunteer pair', { person: { noLoneVolunteer: true } as JobRequest['person'] }, { crewSize: 2 }, []],
    // load
    ['the candidate is at max concurrent jobs', {}, { activeJobs: 3, maxConcurrentJobs: 3 }, ['max_load']],
    ['the candidate has one slot left', {}, { activeJobs: 2, maxConcurrentJobs: 3 }, []],
    // service area
    ['the job is 10.5 km from the area centre (radius 5 km)', { location: FAR }, {}, ['service_area']],
    ['the job is 10.5 km away and the radius is 11 km', { location: FAR }, { serviceArea: { centre: HOME, radiusKm: 11 } }, []],
    // blocked
    ['the person blocked the candidate after a complaint', { person: { blockedCandidateIds: ['v-001'] } as unknown as JobRequest['person'] }, {}, ['blocked']],
    ['the person blocked someone else', { person: { blockedCandidateIds: ['v-999'] } as unknown as JobRequest['person'] }, {}, []],
    // several at once: every reason is given
    ['several rules fail', { person: { genderPreference: 'male', blockedCandidateIds: ['v-001'] } as unknown as JobRequest['person'] }, { status: 'suspended', skills: [], activeJobs: 5 }, ['status', 'skill', 'gender', 'max_load', 'blocked']],
  ];
  it.each(rows)('when %s, then the rules out are %j', (_, job, candidate, expected) => {
    expect(rulesOut(aJob(job), aCandidate(candidate))).toEqual(expected);
  });

  it('when a candidate is out, then each reason is a sentence with the facts behind it', () => {
    const reasons = screenCandidate(jobContext(catalogue, aJob({ service: 'medical_escort', location: FAR })), aCandidate({ skills: ['medical_escort'], certifications: [cert('first_aid', '2025-01-01', '2026-12-01')] }));
    expect(reasons).toEqual([
      { rule: 'certification', message: '证书在服务日期 2026-12-05 无效（需要 first_aid 或 nursing 之一）', detail: { needed: 'first_aid,nursing', on: '2026-12-05' } },
      { rule: 'service_area', message: '服务地点距其服务范围中心 10.5 公里，超出半径 5 公里', detail: { km: 10.5, radiusKm: 5 } },
    ]);
  });

  it('when candidates are screened, then the eligible keep their order and the excluded carry their reasons', () => {
    const a = aCandidate({ candidateId: 'a' });
    const b = aCandidate({ candidateId: 'b', skills: [] });
    const c = aCandidate({ candidateId: 'c' });
    const result = screenCandidates(jobContext(catalogue, aJob()), [a, b, c]);
    expect(result.eligible.map((x) => x.candidateId)).toEqual(['a', 'c']);
    expect(result.excluded.map((x) => [x.candidate.candidateId, x.reasons.map((r) => r.rule)])).toEqual([['b', ['skill']]]);
  });

  it('when a rule is added, then the table above must have a row that trips it', () => {
    const tripped = new Set(rows.flatMap((r) => r[3]));
    expect(FILTER_RULES.filter((rule) => !tripped.has(rule))).toEqual([]);
  });
});

describe('availability across midnight and absences', () => {
  it.each<[string, string, number, { weekday: 1 | 2 | 3 | 4 | 5 | 6 | 7; from: string; to: string }[], boolean]>([
    ['a job across midnight with touching slots', '2026-12-05T23:00:00+08:00', 120, [{ weekday: 6, from: '20:00', to: '24:00' }, { weekday: 7, from: '00:00', to: '02:00' }], true],
    ['a job across midnight with a gap on Sunday', '2026-12-05T23:00:00+08:00', 120, [{ weekday: 6, from: '20:00', to: '24:00' }, { weekday: 7, from: '00:30', to: '02:00' }], false],
    ['a job spanning two touching slots on one day', '2026-12-05T11:00:00+08:00', 120, [{ weekday: 6, from: '09:00', to: '12:00' }, { weekday: 6, from: '12:00', to: '14:00' }], true],
    ['a job starting before the slot', '2026-12-05T08:59:00+08:00', 60, [{ weekday: 6, from: '09:00', to: '12:00' }], false],
    ['no slots at all', '2026-12-05T10:00:00+08:00', 60, [], false],
  ])('when %s, then available is %s', (_, start, minutes, weekly, ok) => {
    const job = aJob({ start: new Date(start), durationMinutes: minutes, service: 'meals' });
    expect(rulesOut(job, aCandidate({ skills: ['meal_delivery'], weekly })).includes('availability')).toBe(!ok);
  });
});

describe('distanceKm (haversine)', () => {
  it.each<[string, { lat: number; lng: number }, { lat: number; lng: number }, number, number]>([
    ['Beijing to Shanghai', { lat: 39.9042, lng: 116.4074 }, { lat: 31.2304, lng: 121.4737 }, 1067, 5],
    ['one degree of latitude', { lat: 30, lng: 120 }, { lat: 31, lng: 120 }, 111.2, 0.2],
    ['the same point', HOME, HOME, 0, 1e-9],
  ])('when measuring %s, then it is about %d km', (_, a, b, km, tolerance) => {
    expect(Math.abs(distanceKm(a, b) - km)).toBeLessThanOrEqual(tolerance);
  });
});
