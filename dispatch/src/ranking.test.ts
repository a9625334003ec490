import { aCandidate, aJob, HOME, SAT_10 } from '../test/builders';
import type { Candidate } from './dispatch-types';
import { planDispatch } from './plan-dispatch';
import { DEFAULT_WEIGHTS, rankCandidates, type ScorePart } from './ranking';
import { defaultServiceCatalogue } from './service-catalogue';

const catalogue = defaultServiceCatalogue();
const now = SAT_10;
const rank = (cs: Candidate[], job = aJob()) => rankCandidates(catalogue, job, cs, { now });
const partOf = (c: Candidate, part: ScorePart, job = aJob()) => rank([c], job)[0]!.parts.find((p) => p.part === part)!;
const hoursAgo = (h: number) => new Date(now.getTime() - h * 3600_000);
/** 5 km north of HOME (0.045° of latitude ≈ 5.0 km). */
const north = (km: number) => ({ lat: HOME.lat + km / 111.2, lng: HOME.lng });

describe('ranking: each part', () => {
  it.each<[string, ScorePart, Partial<Candidate>, number]>([
    ['at the job', 'distance', {}, 30],
    ['5 km away (a quarter of the 20 km scale)', 'distance', { position: north(5) }, 22.5],
    ['20 km or more away', 'distance', { position: north(25) }, 0],
    ['no jobs in hand', 'load', {}, 15],
    ['2 of 4 jobs in hand', 'load', { activeJobs: 2, maxConcurrentJobs: 4 }, 7.5],
    ['rated 5.0 by 95 people', 'rating', { rating: 5, ratingCount: 95 }, 19.75], // (4×5 + 5×95)/100 = 4.95 → 0.9875
    ['unrated (prior 4.0)', 'rating', { rating: null, ratingCount: 0 }, 15],
    ['a count but no rating (reads as unrated)', 'rating', { rating: null, ratingCount: 12 }, 15],
    ['rated 1.0 once (pulled towards the prior)', 'rating', { rating: 1, ratingCount: 1 }, 12.5], // (20+1)/6 = 3.5 → 0.625
    ['never offered', 'fairness', {}, 15],
    ['offered 36 h ago (half of 72 h)', 'fairness', { lastOfferedAt: hoursAgo(36) }, 7.5],
    ['offered a week ago', 'fairness', { lastOfferedAt: hoursAgo(168) }, 15],
    ['offered just now', 'fairness', { lastOfferedAt: now }, 0],
    ['has visited the person before', 'known', { visitsWithPerson: 3 }, 10],
    ['never visited the person', 'known', {}, 0],
    ['a volunteer for 助行 (prefers volunteers)', 'preference', {}, 10],
    ['a provider for 助行 (prefers volunteers)', 'preference', { kind: 'provider' }, 0],
  ])('when the candidate is %s, then the %s part gives %s points', (_, part, over, points) => {
    expect(partOf(aCandidate(over), part).points).toBe(points);
  });

  it('when a service prefers providers, then a provider gets the preference part and a volunteer does not', () => {
    const job = aJob({ service: 'meals' });
    expect(partOf(aCandidate({ kind: 'provider' }), 'preference', job).points).toBe(10);
    expect(partOf(aCandidate({ kind: 'volunteer' }), 'preference', job).points).toBe(0);
  });

  it('when a candidate is scored, then the parts add up to the total, each within its maximum, with the basis shown', () => {
    const [r] = rank([aCandidate({ position: north(3), activeJobs: 1, lastOfferedAt: hoursAgo(12), visitsWithPerson: 1 })]);
    expect(r!.parts.map((p) => p.part)).toEqual(['distance', 'load', 'rating', 'fairness', 'known', 'preference']);
    expect(r!.total).toBeCloseTo(r!.parts.reduce((s, p) => s + p.points, 0), 6);
    for (const p of r!.parts) expect(p.points).toBeLessThanOrEqual(DEFAULT_WEIGHTS[p.part]);
    expect(r!.parts.find((p) => p.part === 'distance')!.basis).toBe('3.0 km');
    expect(r!.parts.find((p) => p.part === 'fairness')!.basis).toBe('12.0 h since last offer');
  });

  it('when the weights are changed, then the parts follow them', () => {
    const [r] = rankCandidates(catalogue, aJob(), [aCandidate()], { now, weights: { distance: 100, load: 0, rating: 0, fairness: 0, known: 0, preference: 0 } });
    expect(r!.total).toBe(100);
  });
});

describe('ranking: order and ties', () => {
  it('when candidates differ, then the better score comes first', () => {
    const near = aCandidate({ candidateId: 'z-near' });
    const far = aCandidate({ candidateId: 'a-far', position: north(8) });
    const known = aCandidate({ candidateId: 'm-known', position: north(8), visitsWithPerson: 2 });
    expect(rank([far, known, near]).map((r) => r.candidate.candidateId)).toEqual(['z-near', 'm-known', 'a-far']);
  });

  it('when totals are equal, then the candidate id decides, whatever order they came in', () => {
    const ids = ['v-10', 'v-2', 'p-7', 'v-1', 'V-3'];
    const orders = [ids, [...ids].reverse(), ['v-1', 'p-7', 'V-3', 'v-10', 'v-2']];
    for (const order of orders) {
      expect(rank(order.map((candidateId) => aCandidate({ candidateId }))).map((r) => r.candidate.candidateId)).toEqual(['V-3', 'p-7', 'v-1', 'v-10', 'v-2']);
    }
  });

  it('when parts differ but totals are equal, then the id still decides', () => {
    // One has less load, the other was offered less recently: 7.5 points each.
    const a = aCandidate({ candidateId: 'b', activeJobs: 0, lastOfferedAt: hoursAgo(36) });
    const b = aCandidate({ candidateId: 'a', activeJobs: 3, maxConcurrentJobs: 6 });
    const ranked = rank([a, b]);
    expect(ranked[0]!.total).toBe(ranked[1]!.total);
    expect(ranked.map((r) => r.candidate.candidateId)).toEqual(['a', 'b']);
  });

  it('when a limit is given, then only the first N come back', () => {
    const cs = Array.from({ length: 20 }, (_, i) => aCandidate({ candidateId: `v-${String(i).padStart(2, '0')}`, position: north(i) }));
    expect(rankCandidates(catalogue, aJob(), cs, { now, limit: 3 }).map((r) => r.candidate.candidateId)).toEqual(['v-00', 'v-01', 'v-02']);
  });
});

describe('planDispatch', () => {
  it('when a job is planned, then eligible candidates are ranked, the others come with reasons, and the offer plan follows the catalogue', () => {
    const plan = planDispatch(
      catalogue,
      aJob({ priority: 'P0' }),
      [aCandidate({ candidateId: 'far', position: north(4) }), aCandidate({ candidateId: 'sick', absences: [{ kind: 'sick', from: hoursAgo(1), to: hoursAgo(-5) }] }), aCandidate({ candidateId: 'near' })],
      { now },
    );
    expect(plan.ranked.map((r) => r.candidate.candidateId)).toEqual(['near', 'far']);
    expect(plan.excluded.map((e) => [e.candidate.candidateId, e.reasons[0]!.message])).toEqual([['sick', expect.stringMatching(/^病假中/)]]);
    expect(plan.offerPlan).toEqual({ parallel: 3, timeoutMs: 120_000 });
    expect(plan.end).toEqual(new Date(SAT_10.getTime() + 90 * 60_000));
    expect(plan.twoPeople).toBe(false);
  });
});
