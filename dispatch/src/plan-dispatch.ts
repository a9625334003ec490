/**
 * One call for the dispatcher's candidate list: screen every candidate, rank the eligible ones, and say
 * how the offers should go out.
 */
import type { Candidate, JobRequest } from './dispatch-types';
import { jobContext, screenCandidates, type Exclusion } from './hard-filters';
import { rankCandidates, type RankedCandidate, type RankingOptions } from './ranking';
import type { ServiceCatalogue } from './service-catalogue.schema';
import { offerPlanFor, type OfferPlan } from './service-catalogue';

export interface DispatchPlan {
  ranked: RankedCandidate[];
  excluded: { candidate: Candidate; reasons: Exclusion[] }[];
  offerPlan: OfferPlan;
  twoPeople: boolean;
  end: Date;
}

/**
 * Screen, rank and plan offers for a job.
 * @example const plan = planDispatch(catalogue, job, candidates, { now, limit: 10 });
 */
export function planDispatch(catalogue: ServiceCatalogue, job: JobRequest, candidates: readonly Candidate[], options: RankingOptions): DispatchPlan {
  const ctx = jobContext(catalogue, job);
  const { eligible, excluded } = screenCandidates(ctx, candidates);
  return {
    ranked: rankCandidates(catalogue, job, eligible, options),
    excluded,
    offerPlan: offerPlanFor(catalogue, job.service, job.priority),
    twoPeople: ctx.twoPeople,
    end: ctx.end,
  };
}

