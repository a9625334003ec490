/**
 * Hard filters: each a named rule that either lets a candidate through or says why they are out. All
 * rules run for every candidate, so the dispatcher sees every reason at once, not just the first.
 */
import { checkAvailability } from './availability';
import type { Candidate, JobRequest } from './dispatch-types';
import { distanceKm } from './geo';
import type { ServiceCatalogue } from './service-catalogue.schema';
import { needsTwoPeople, requirementsFor, serviceOf, type ServiceRequirements } from './service-catalogue';
import { shanghaiDate } from './shanghai-time';

export const FILTER_RULES = [
  'status',
  'skill',
  'certification',
  'availability',
  'gender',
  'two_person',
  'lone_volunteer',
  'max_load',
  'service_area',
  'blocked',
] as const;
export type FilterRule = (typeof FILTER_RULES)[number];

/** Why a candidate is out: the rule, a sentence for the dispatcher (zh-CN) and the facts behind it. */
export interface Exclusion {
  rule: FilterRule;
  message: string;
  detail: Record<string, string | number>;
}

/** Everything the rules need about the job, worked out once per job. */
export interface JobContext {
  job: JobRequest;
  requirements: ServiceRequirements;
  start: Date;
  end: Date;
  /** Shanghai dates the job touches (`YYYY-MM-DD`); certifications must be valid on each. */
  dates: string[];
  twoPeople: boolean;
}

/** Work out a job's requirements and time once before screening many candidates. */
export function jobContext(catalogue: ServiceCatalogue, job: JobRequest): JobContext {
  const minutes = job.durationMinutes ?? serviceOf(catalogue, job.service).defaultDurationMinutes;
  const end = new Date(job.start.getTime() + minutes * 60_000);
  const first = shanghaiDate(job.start);
  const last = shanghaiDate(end.getTime() - 1);
  return {
    job,
    requirements: requirementsFor(catalogue, job.service, job.task),
    start: job.start,
    end,
    dates: first === last ? [first] : [first, last],
    twoPeople: needsTwoPeople(catalogue, job.service, job.start, job.person.twoPersonVisit),
  };
}

type Rule = (ctx: JobContext, c: Candidate) => Exclusion | null;
const out = (rule: FilterRule, message: string, detail: Exclusion['detail'] = {}): Exclusion => ({ rule, message, detail });

export const RULES: Record<FilterRule, Rule> = {
  status: (_, c) => (c.status === 'active' ? null : out('status', `状态为 ${c.status}，不能接单`, { status: c.status })),

  skill: ({ requirements }, c) => {
    const missing = requirements.skills.filter((s) => !c.skills.includes(s));
    return missing.length ? out('skill', `缺少技能：${missing.join('、')}`, { missing: missing.join(',') }) : null;
  },

  certification: ({ requirements, dates }, c) => {
    for (const rule of requirements.certifications) {
      const valid = c.certifications.some((cert) => rule.anyOf.includes(cert.kind) && dates.every((d) => cert.validFrom <= d && d <= cert.expiresOn));
      if (!valid) {
        const held = c.certifications.filter((cert) => rule.anyOf.includes(cert.kind));
        const why = held.length ? `证书在服务日期 ${dates.join(' 至 ')} 无效` : '没有所需证书';
        return out('certification', `${why}（需要 ${rule.anyOf.join(' 或 ')} 之一）`, { needed: rule.anyOf.join(','), on: dates.join(',') });
      }
    }
    return null;
  },

  availability: ({ start, end }, c) => {
    const check = checkAvailability(c.weekly, c.absences, start, end);
    if (check.ok) return null;
    if (check.why === 'absent') {
      const label = check.absence.kind === 'sick' ? '病假' : '请假';
      return out('availability', `${label}中（${check.absence.from.toISOString()} 至 ${check.absence.to.toISOString()}）`, { absence: check.absence.kind });
    }
    return out('availability', `服务时间不在其每周可服务时段内（${check.at.toISOString()} 起无空）`, { uncoveredFrom: check.at.toISOString() });
  },

  gender: ({ job }, c) => {
    const wanted = job.person.genderPreference;
    return wanted && c.gender !== wanted ? out('gender', `服务对象要求${wanted === 'female' ? '女性' : '男性'}服务人员`, { wanted }) : null;
  },

  two_person: ({ twoPeople, job }, c) =>
    twoPeople && c.crewSize < 2
      ? out('two_person', job.person.twoPersonVisit ? '服务对象需两人上门，该人员单人前往' : '夜间上门需两人，该人员单人前往', { crewSize: c.crewSize })
      : null,

  lone_volunteer: ({ job }, c) =>
    job.person.noLoneVolunteer && c.kind === 'volunteer' && c.crewSize < 2 ? out('lone_volunteer', '服务对象不可由志愿者单独上门') : null,

  max_load: (_, c) =>
    c.activeJobs >= c.maxConcurrentJobs ? out('max_load', `已有 ${c.activeJobs} 单进行中（上限 ${c.maxConcurrentJobs}）`, { activeJobs: c.activeJobs, max: c.maxConcurrentJobs }) : null,

  service_area: ({ job }, c) => {
    const km = distanceKm(c.serviceArea.centre, job.location);
    return km > c.serviceArea.radiusKm
      ? out('service_area', `服务地点距其服务范围中心 ${km.toFixed(1)} 公里，超出半径 ${c.serviceArea.radiusKm} 公里`, { km: round1(km), radiusKm: c.serviceArea.radiusKm })
      : null;
  },

  blocked: ({ job }, c) => (job.person.blockedCandidateIds.includes(c.candidateId) ? out('blocked', '服务对象曾投诉，已屏蔽该人员') : null),
};

const round1 = (n: number) => Math.round(n * 10) / 10;

/**
 * Every reason a candidate cannot take the job; empty when they can.
 * @example screenCandidate(jobContext(catalogue, job), candidate) // [{ rule: 'skill', message: '缺少技能：wheelchair_transfer', … }]
 */
export function screenCandidate(ctx: JobContext, candidate: Candidate): Exclusion[] {
  const reasons: Exclusion[] = [];
  for (const rule of FILTER_RULES) {
    const why = RULES[rule](ctx, candidate);
    if (why) reasons.push(why);
  }
  return reasons;
}

export interface ScreenResult {
  eligible: Candidate[];
  excluded: { candidate: Candidate; reasons: Exclusion[] }[];
}

/** Split candidates into those who can take the job and those who cannot (with every reason). */
export function screenCandidates(ctx: JobContext, candidates: readonly Candidate[]): ScreenResult {
  const result: ScreenResult = { eligible: [], excluded: [] };
  for (const candidate of candidates) {
    const reasons = screenCandidate(ctx, candidate);
    if (reasons.length) result.excluded.push({ candidate, reasons });
    else result.eligible.push(candidate);
  }
  return result;
}
