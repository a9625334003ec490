import { createHash } from 'node:crypto';
import type { DataSource } from 'typeorm';

/**
 * Login throttling, kept in the database (`login_throttle`) rather than in memory: with several nodes behind
 * a load balancer an in-memory counter would give an attacker one allowance per node, and a restart would
 * forget it. A row per key, keys hashed (a mistyped password in the username field is not stored). Rows are
 * only written on a failure, so normal logins cost one indexed read.
 *
 * Policy (all windows are `windowMinutes`):
 * - per (account, IP): after `pairLimit` failures that pair is refused (429 `auth/throttled`) until the window
 *   ends. Only the guesser's own address is refused, so nobody can lock a colleague out.
 * - per IP: after `ipLimit` failures on any accounts the address is refused (password spraying).
 * - per account, from every address: no lock; from the `pairLimit`-th failure on each attempt is answered
 *   after a growing delay (1 s, 2 s, 4 s … up to `maxDelaySeconds`), which slows a distributed guesser and
 *   still lets the real user in.
 * Keys are the username as typed, whether or not it exists, so the answers do not tell which usernames exist.
 */
export interface ThrottlePolicy {
  windowMinutes: number;
  pairLimit: number;
  ipLimit: number;
  maxDelaySeconds: number;
}

export interface ThrottleVerdict {
  /** Refused until this time (pair or IP limit reached). */
  blockedUntil: Date | null;
  /** Delay to apply before checking the password. */
  delayMs: number;
}

const keyOf = (kind: 'pair' | 'ip' | 'account', value: string) => createHash('sha256').update(`${kind}:${value}`).digest('hex');

export class LoginThrottle {
  constructor(
    private readonly ds: DataSource,
    private readonly policy: ThrottlePolicy,
  ) {}

  private keys(username: string, ip: string) {
    const account = username.normalize('NFC').toLowerCase();
    return { pair: keyOf('pair', `${account}|${ip}`), ip: keyOf('ip', ip), account: keyOf('account', account) };
  }

  /** What to do with an attempt, before the password is checked. */
  async check(username: string, ip: string, now: Date): Promise<ThrottleVerdict> {
    const k = this.keys(username, ip);
    const windowStart = new Date(now.getTime() - this.policy.windowMinutes * 60_000);
    const rows: { key: string; failures: number; window_started_at: Date; blocked_until: Date | null }[] = await this.ds.query(
      'SELECT key, failures, window_started_at, blocked_until FROM login_throttle WHERE key = ANY($1)',
      [[k.pair, k.ip, k.account]],
    );
    const live = (key: string) => rows.find((r) => r.key === key && new Date(r.window_started_at) > windowStart);
    const blocked = rows
      .filter((r) => (r.key === k.pair || r.key === k.ip) && r.blocked_until && new Date(r.blocked_until) > now)
      .map((r) => new Date(r.blocked_until!))
      .sort((a, b) => b.getTime() - a.getTime())[0];
    const accountFailures = live(k.account)?.failures ?? 0;
    const over = accountFailures - this.policy.pairLimit;
    const delayMs = over < 0 ? 0 : Math.min(1000 * 2 ** over, this.policy.maxDelaySeconds * 1000);
    return { blockedUntil: blocked ?? null, delayMs };
  }

  /** Count a failed attempt against the pair, the address and the account. */
  async failed(username: string, ip: string, now: Date): Promise<void> {
    const k = this.keys(username, ip);
    const windowStart = new Date(now.getTime() - this.policy.windowMinutes * 60_000);
    const blockUntil = new Date(now.getTime() + this.policy.windowMinutes * 60_000);
    for (const [key, limit] of [
      [k.pair, this.policy.pairLimit],
      [k.ip, this.policy.ipLimit],
      [k.account, null],
    ] as const) {
      await this.ds.query(
        `INSERT INTO login_throttle (key, failures, window_started_at, blocked_until, account_key) VALUES ($1, 1, $2, CASE WHEN $4::int <= 1 THEN $5::timestamptz END, $6)
         ON CONFLICT (key) DO UPDATE SET
           failures = CASE WHEN login_throttle.window_started_at <= $3 THEN 1 ELSE login_throttle.failures + 1 END,
           window_started_at = CASE WHEN login_throttle.window_started_at <= $3 THEN $2 ELSE login_throttle.window_started_at END,
           blocked_until = CASE
             WHEN (CASE WHEN login_throttle.window_started_at <= $3 THEN 1 ELSE login_throttle.failures + 1 END) >= $4::int THEN $5::timestamptz
             ELSE login_throttle.blocked_until END`,
        [key, now, windowStart, limit ?? 2_147_483_647, blockUntil, key === k.ip ? null : k.account],
      );
    }
  }

  /**
   * A security admin's unlock: forget every failure counted against this account, from every address (the
   * per-address counters stay: they belong to the guesser, not the account).
   */
  async unlock(username: string): Promise<void> {
    const { account } = this.keys(username, '');
    await this.ds.query('DELETE FROM login_throttle WHERE account_key = $1 OR key = $1', [account]);
  }

  /** Whether failures against this account are being counted now (the staff list's "locked" hint). */
  async accountFailures(username: string, now: Date): Promise<number> {
    const { account } = this.keys(username, '');
    const windowStart = new Date(now.getTime() - this.policy.windowMinutes * 60_000);
    const [row]: { failures: number }[] = await this.ds.query('SELECT failures FROM login_throttle WHERE key = $1 AND window_started_at > $2', [account, windowStart]);
    return row?.failures ?? 0;
  }

  /** A successful login clears the pair and the account counters (not the address: a sprayer stays slowed). */
  async succeeded(username: string, ip: string, now: Date): Promise<void> {
    const k = this.keys(username, ip);
    const stale = new Date(now.getTime() - this.policy.windowMinutes * 60_000);
    await this.ds.query('DELETE FROM login_throttle WHERE key = ANY($1) OR (window_started_at < $2 AND (blocked_until IS NULL OR blocked_until < $3))', [[k.pair, k.account], stale, now]);
  }
}
