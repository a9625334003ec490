import { randomUUID } from 'node:crypto';
import { accountKind, addCalendarMonths } from '../../../dispatch/src/ledger';
import type { Actor } from '../auth/auth.service';
import { AppError } from '../shared/app-error';
import { auditActor, type TimebankContext } from './timebank-context';
import { scopeFilter } from './timebank-scope';

export interface ExpiredAccount {
  accountId: string;
  transactionId: string;
  units: number;
}

export interface ExpiryRun {
  expiryMonths: number;
  /** Accounts looked at (a credit old enough and a positive balance). */
  examined: number;
  expired: ExpiredAccount[];
  units: number;
}

/** Days added to the cutoff so that month-end clamping (31 Jan + 1 month = 28 Feb) never hides a candidate. */
const CUTOFF_SLACK_MS = 4 * 24 * 3_600_000;

/**
 * Coins expiring under `TIMEBANK_EXPIRY_MONTHS` (过期): for each member account holding a credit older than
 * the setting, the pure rule (`expire`, oldest units spent first) moves what is left of the expired credits to
 * `system:expired` as a balanced pair, one account per database transaction (locked like any movement, so a
 * second run at the same time finds nothing). Run by the scheduler's `timebank-expiry` job (actor null:
 * every account) or by a supervisor (their districts' volunteers; relatives' accounts only city-wide).
 * Expiry is the policy's own movement: no second person (maker-checker is for adjustments and reversals).
 */
export class TimebankExpiry {
  constructor(private readonly ctx: TimebankContext) {}

  /** @example const run = await expiry.run(null); // { expired: [{ accountId, units, transactionId }], … } */
  async run(actor: Actor | null): Promise<ExpiryRun> {
    const months = this.ctx.ledger.settings.expiryMonths;
    if (months === null) throw new AppError('ledger/expiry-disabled', '当前政策下时间币不会过期（未设置 TIMEBANK_EXPIRY_MONTHS）');
    const now = this.ctx.clock.now();
    const cutoff = new Date(addCalendarMonths(now, -months, this.ctx.ledger.settings).getTime() + CUTOFF_SLACK_MS);
    const scope = actor ? scopeFilter(actor, 'v.district_code', 2) : { sql: 'TRUE', params: [] as string[] };
    const cityWide = actor === null || actor.scopePrefix === null;
    const candidates: { account_id: string }[] = await this.ctx.ds.query(
      `SELECT b.account_id FROM time_coin_balance b
         LEFT JOIN volunteer v ON b.account_id LIKE 'volunteer:%' AND v.id::text = substr(b.account_id, 11)
        WHERE b.units > 0
          AND ((b.account_id LIKE 'volunteer:%' AND v.id IS NOT NULL AND ${scope.sql}) OR (b.account_id LIKE 'person:%' AND ${cityWide}))
          AND EXISTS (SELECT 1 FROM time_coin_entry e WHERE e.account_id = b.account_id AND e.units > 0 AND e.at <= $1)
        ORDER BY b.account_id`,
      [cutoff, ...scope.params],
    );
    const expired: ExpiredAccount[] = [];
    for (const { account_id: accountId } of candidates) {
      const done = await this.expireAccount(actor, accountId, now);
      if (done) expired.push(done);
    }
    const units = expired.reduce((s, e) => s + e.units, 0);
    await this.ctx.audit.record({ ...auditActor(actor), action: 'timebank.expiry.run', purpose: `${expired.length} accounts, ${units} units, after ${months} months`, outcome: 'ok' });
    return { expiryMonths: months, examined: candidates.length, expired, units };
  }

  private async expireAccount(actor: Actor | null, accountId: string, now: Date): Promise<ExpiredAccount | null> {
    try {
      return await this.ctx.ds.transaction(async (m) => {
        const transactionId = randomUUID();
        const applied = await this.ctx.ledger.apply(m, { type: 'expire', transactionId, accountId }, [accountId], now);
        const units = applied.entries.find((e) => e.leg === 'credit')?.units ?? 0;
        const kind = accountKind(accountId) === 'person' ? 'person' : 'volunteer';
        await this.ctx.audit.record({ ...auditActor(actor), action: 'timebank.expire', subjectType: kind, subjectId: accountId.slice(kind.length + 1), purpose: `${units} units, tx ${transactionId}`, outcome: 'ok' }, m);
        return { accountId, transactionId, units };
      });
    } catch (err) {
      if (err instanceof AppError && err.code === 'ledger/nothing-to-expire') return null;
      throw err;
    }
  }
}
