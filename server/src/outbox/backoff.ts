/**
 * Retry delays for the outbox: exponential from `baseMs`, capped at `maxMs`, with ±`jitter` spread so
 * messages that failed together do not retry together. Randomness is injected. Pure.
 *
 * @example backoffMs(1, { baseMs: 5000, maxMs: 600000, jitter: 0.2 }, () => 0.5) // 5000
 * @example backoffMs(4, { baseMs: 5000, maxMs: 600000, jitter: 0.2 }, () => 0.5) // 40000
 */
export interface BackoffPolicy {
  baseMs: number;
  maxMs: number;
  /** 0.2 → the delay varies by ±20 %. */
  jitter: number;
}

export const DEFAULT_BACKOFF: BackoffPolicy = { baseMs: 5_000, maxMs: 10 * 60_000, jitter: 0.2 };

/** Delay before the next try after `attempt` failed tries (1-based). `random()` returns [0, 1). */
export function backoffMs(attempt: number, policy: BackoffPolicy, random: () => number): number {
  const exp = policy.baseMs * 2 ** Math.max(0, Math.min(attempt - 1, 30));
  const capped = Math.min(exp, policy.maxMs);
  const spread = 1 + policy.jitter * (2 * random() - 1);
  return Math.max(0, Math.round(Math.min(capped * spread, policy.maxMs)));
}
