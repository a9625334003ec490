/**
 * Per-user limits on the audited reveal. Pure (the caller passes the time).
 *
 * Two rules over one sliding window: at most `limit` reveals per user (then 429 with the seconds until the
 * oldest one leaves the window), and an alert when one user has revealed `bulkPersons` distinct persons
 * within the window (raised once, when the count reaches the threshold, again only after the window has
 * emptied below it). State is per server node: with several nodes each enforces its own share.
 */
export interface RevealLimits {
  /** Most reveals per user per window. */
  limit: number;
  windowMs: number;
  /** Distinct persons per user per window that make a bulk-reveal alert. */
  bulkPersons: number;
}

export type RevealDecision =
  | { ok: true; /** Set when this reveal makes the user's distinct persons reach the bulk threshold. */ bulk: { persons: string[] } | null }
  | { ok: false; retryAfterSeconds: number };

interface Use {
  at: number;
  personId: string;
}

export class RevealLimiter {
  private readonly uses = new Map<string, Use[]>();
  private readonly alerted = new Set<string>();

  constructor(private readonly limits: RevealLimits) {}

  /**
   * Count one reveal of `personId` by `userId` at `now` (ms), or refuse it.
   * @example limiter.take('u1', 'p1', Date.now()); // { ok: true, bulk: null }
   */
  take(userId: string, personId: string, now: number): RevealDecision {
    const recent = (this.uses.get(userId) ?? []).filter((u) => u.at > now - this.limits.windowMs);
    if (recent.length >= this.limits.limit) {
      this.uses.set(userId, recent);
      return { ok: false, retryAfterSeconds: Math.max(1, Math.ceil((recent[0]!.at + this.limits.windowMs - now) / 1000)) };
    }
    recent.push({ at: now, personId });
    this.uses.set(userId, recent);
    const persons = [...new Set(recent.map((u) => u.personId))];
    if (persons.length < this.limits.bulkPersons) {
      this.alerted.delete(userId);
      return { ok: true, bulk: null };
    }
    if (this.alerted.has(userId)) return { ok: true, bulk: null };
    this.alerted.add(userId);
    if (this.uses.size > 10_000) this.sweep(now);
    return { ok: true, bulk: { persons } };
  }

  private sweep(now: number): void {
    for (const [user, list] of this.uses) if (!list.some((u) => u.at > now - this.limits.windowMs)) this.uses.delete(user);
  }
}
