/**
 * Certificate validity as the people screens flag it: expired, expiring within 30 days, or valid. Pure
 * (the caller gives today's Shanghai date), so the flag is testable.
 */

export type CertStatus = 'expired' | 'expiring' | 'valid';

/** Days ahead within which a certificate counts as expiring soon. */
export const EXPIRING_DAYS = 30;

const DAY_MS = 24 * 3600_000;

/** Today's date in Asia/Shanghai as `YYYY-MM-DD`. */
export function shanghaiToday(nowMs: number = Date.now()): string {
  return new Date(nowMs + 8 * 3600_000).toISOString().slice(0, 10);
}

/** Whole days from `today` to `expiresOn` (both `YYYY-MM-DD`); negative when past. */
export function daysUntil(expiresOn: string, today: string): number {
  return Math.round((Date.parse(`${expiresOn}T00:00:00Z`) - Date.parse(`${today}T00:00:00Z`)) / DAY_MS);
}

/**
 * @example certStatus('2026-12-20', '2026-12-05') // { status: 'expiring', days: 15 }
 * The expiry date itself is still valid (inclusive), as the dispatch engine reads it.
 */
export function certStatus(expiresOn: string, today: string, withinDays = EXPIRING_DAYS): { status: CertStatus; days: number } {
  const days = daysUntil(expiresOn, today);
  if (days < 0) return { status: 'expired', days };
  return { status: days <= withinDays ? 'expiring' : 'valid', days };
}
