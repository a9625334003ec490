import { createHash } from 'node:crypto';
import type { DataSource } from 'typeorm';
import { AppError } from '../shared/app-error';
import type { Clock } from '../shared/clock';

/**
 * A fixed-window counter per key in PostgreSQL (`timebank_throttle`): the public sign-up and the volunteer
 * link exchange are limited per client address across restarts and nodes. Keys are hashed.
 */
export class TimebankThrottle {
  constructor(
    private readonly ds: DataSource,
    private readonly clock: Clock,
    private readonly perHour: number,
  ) {}

  /** Count one attempt; over the limit: 429 `timebank/signup-throttled` with the seconds to wait. */
  async hit(key: string): Promise<void> {
    const now = this.clock.now();
    const hashed = createHash('sha256').update(key).digest('hex');
    const [row] = await this.ds.query(
      `INSERT INTO timebank_throttle AS t (key, window_start, count) VALUES ($1, $2, 1)
       ON CONFLICT (key) DO UPDATE SET
         count = CASE WHEN t.window_start <= $2::timestamptz - interval '1 hour' THEN 1 ELSE t.count + 1 END,
         window_start = CASE WHEN t.window_start <= $2::timestamptz - interval '1 hour' THEN $2 ELSE t.window_start END
       RETURNING count, window_start`,
      [hashed, now],
    );
    if (Number(row.count) > this.perHour) {
      const retryAfterSeconds = Math.max(1, Math.ceil((new Date(row.window_start).getTime() + 3600_000 - now.getTime()) / 1000));
      throw new AppError('timebank/signup-throttled', '提交太频繁，请稍后再试', { retryAfterSeconds });
    }
  }
}
