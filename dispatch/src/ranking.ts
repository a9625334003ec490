/**
 * Ranking the eligible candidates. Each score is a sum of named parts so the dispatcher sees why one
 * candidate is above another; equal totals fall back to the candidate id, so the order never depends on
 * the order rows arrived in.
 */
import type { Candidate, JobRequest } from './dispatch-types';
import { distanceKm } from './geo';
import type { ServiceCatalogue } from './service-catalogue.schema';
import { serviceOf } from './service-catalogue';

export const SCORE_PARTS = ['distance', 'load', 'rating', 'fairness', 'known', 'preference'] as const;
export type ScorePart = (typeof SCORE_PARTS)[number];

/** Points each part can give at most. The defaults add up to 100. */
export type RankingWeights = Record<ScorePart, number>;

export const DEFAULT_WEIGHTS: RankingWeights = { distance: 30, load: 15, rating: 20, fairness: 15, known: 10, preference: 10 };

export interface RankingOptions {
  now: Date;
  weights?: RankingWeights;
  /** Distance at which the distance part reaches zero (km). */
  distanceScaleKm?: number;
  /** Hours since the last offer at which the fairness part is full. */
  fairnessFullAfterHours?: number;
  /** Rating assumed for candidates with few ratings, weighted as this many ratings (Bayesian average). */
  ratingPrior?: { mean: number; weight: number };
  /** Keep only the first N. */
  limit?: number;
}

export interface ScoreLine {
  part: ScorePart;
  points: number;
  max: number;
  /** The fact behind the points, for display (`3.2 km`, `2/4 jobs`, `never offered`). */
  basis: string;
}

export interface RankedCandidate {
  candidate: Candidate;
  /** Sum of the parts, rounded to 0.01. */
  total: number;
  parts: ScoreLine[];
}

const clamp01 = (n: number) => Math.min(1, Math.max(0, n));
const round2 = (n: number) => Math.round(n * 100) / 100;

/**
 * Score and sort eligible candidates, best first; equal totals by candidate id.
 * @example rankCandidates(catalogue, job, eligible, { now, limit: 10 })[0].parts // [{ part: 'distance', points: 27.1, … }, …]
 */
export function rankCandidates(catalogue: ServiceCatalogue, job: JobRequest, eligible: readonly Candidate[], options: RankingOptions): RankedCandidate[] {
  const scorer = candidateScorer(catalogue, job, options);
  const ranked = eligible.map(scorer);
  ranked.sort(compareRanked);
  return options.limit === undefined ? ranked : ranked.slice(0, options.limit);
}

/** Best first; equal totals by candidate id (code-unit order, the same in every locale). */
export function compareRanked(a: RankedCandidate, b: RankedCandidate): number {
  if (a.total !== b.total) return b.total - a.total;
  return a.candidate.candidateId < b.candidate.candidateId ? -1 : a.candidate.candidateId > b.candidate.candidateId ? 1 : 0;
}

/** The scoring function for one job, with the job's facts worked out once. */
export function candidateScorer(catalogue: ServiceCatalogue, job: JobRequest, options: RankingOptions): (c: Candidate) => RankedCandidate {
  const w = options.weights ?? DEFAULT_WEIGHTS;
  const scaleKm = options.distanceScaleKm ?? 20;
  const fullAfterMs = (options.fairnessFullAfterHours ?? 72) * 3600_000;
  const prior = options.ratingPrior ?? { mean: 4, weight: 5 };
  const preferred = serviceOf(catalogue, job.service).preferredAssignee;
  const now = options.now.getTime();

  return (c) => {
    const km = distanceKm(c.position ?? c.serviceArea.centre, job.location);
    const sinceMs = c.lastOfferedAt === null ? null : now - c.lastOfferedAt.getTime();
    // A count without a rating (not written by the app, but the columns allow it) reads as unrated.
    const ratingCount = c.rating === null ? 0 : c.ratingCount;
    const rating = (prior.mean * prior.weight + (c.rating ?? 0) * ratingCount) / (prior.weight + ratingCount);
    const fits = preferred === 'either' || preferred === c.kind;
    const lines: [ScorePart, number, string][] = [
      ['distance', 1 - km / scaleKm, `${km.toFixed(1)} km`],
      ['load', 1 - c.activeJobs / Math.max(1, c.maxConcurrentJobs), `${c.activeJobs}/${c.maxConcurrentJobs}`],
      ['rating', (rating - 1) / 4, ratingCount ? `${c.rating!.toFixed(1)} (${ratingCount})` : `unrated (${prior.mean})`],
      ['fairness', sinceMs === null ? 1 : sinceMs / fullAfterMs, sinceMs === null ? 'never offered' : `${(sinceMs / 3600_000).toFixed(1)} h since last offer`],
      ['known', c.visitsWithPerson > 0 ? 1 : 0, `${c.visitsWithPerson} visits with the person`],
      ['preference', fits ? 1 : 0, `${c.kind}, service prefers ${preferred}`],
    ];
    const parts = lines.map(([part, value, basis]) => ({ part, points: round2(clamp01(value) * w[part]), max: w[part], basis }));
    // Totals are sums of rounded parts, so equal parts give exactly equal totals and the id decides.
    const total = round2(parts.reduce((sum, p) => sum + p.points, 0));
    return { candidate: c, total, parts };
  };
}
