import { randomUUID } from 'node:crypto';
import {
  calendarYear,
  liabilityByDistrictAndMonth,
  SYSTEM_ACCOUNTS,
  verifyLedger,
  yearSummary,
  type LiabilityRow,
  type MovementKind,
  type YearSummary,
} from '../../../dispatch/src/ledger';
import type { Actor } from '../auth/auth.service';
import { entryOf } from './ledger-store';
import type { LiabilityQuery, StatementQuery } from './timebank.schema';
import { auditActor, type TimebankContext } from './timebank-context';
import { volunteerInScope } from './timebank-scope';

export interface StatementLine {
  transactionId: string;
  at: Date;
  kind: MovementKind;
  units: number;
  balance: number;
  counterpartyAccountId: string;
  reference: string | null;
  note: string | null;
  reversesTransactionId: string | null;
}

export interface Statement {
  accountId: string;
  volunteerId: string;
  name: string;
  balanceUnits: number;
  year: number;
  summary: YearSummary;
  lines: StatementLine[];
  total: number;
}

export interface MovementResult {
  transactionId: string | null;
  units: number;
  balanceUnits: number;
  replayed: boolean;
}

export interface LiabilityReport {
  rows: (Omit<LiabilityRow, 'districtId'> & { districtCode: string | null })[];
  totals: { issued: number; redeemed: number; expired: number; outstanding: number };
}

export interface LedgerCheck {
  entries: number;
  transactions: number;
  sumUnits: number;
  problems: string[];
  cachedBalancesMatch: boolean;
}

/**
 * Statements (a volunteer's balance, a page of entries newest first with the running balance, the year
 * summary), coins given to the mutual-aid pool, the federation's view by district and month, and the check
 * that the stored ledger is sound (balanced pairs, sum zero, cached balances equal the sums).
 */
export class TimebankStatements {
  constructor(private readonly ctx: TimebankContext) {}

  /**
   * A volunteer's statement. `actor` null: the volunteer's own portal session (no scope; it is their account).
   * The page is read in SQL (window sum for the running balance); the year summary folds the account's entries.
   */
  async statement(actor: Actor | null, volunteerId: string, q: StatementQuery): Promise<Statement> {
    const now = this.ctx.clock.now();
    const year = q.year ?? calendarYear(now, this.ctx.ledger.settings);
    return this.ctx.ds.transaction(async (m) => {
      const v = await volunteerInScope(m, actor, volunteerId);
      const rows = await m.query(
        `SELECT * FROM (
           SELECT seq, transaction_id, leg, account_id, counterparty_account_id, units, kind, at, idempotency_key, reference, reverses_transaction_id, maker_id, checker_id, note,
                  sum(units) OVER (ORDER BY seq) AS balance
             FROM time_coin_entry WHERE account_id = $1) s
          ORDER BY seq DESC LIMIT $2 OFFSET $3`,
        [v.accountId, q.limit, q.offset],
      );
      const [{ n }] = await m.query(`SELECT count(*)::int AS n FROM time_coin_entry WHERE account_id = $1`, [v.accountId]);
      const summary = yearSummary(await this.ctx.ledger.entriesOf(m, v.accountId), v.accountId, year, this.ctx.ledger.settings);
      const balanceUnits = await this.ctx.ledger.balanceOf(m, v.accountId);
      await this.ctx.audit.record({ ...auditActor(actor), actorUsername: actor?.username ?? `volunteer:${v.id}`, action: 'timebank.statement.read', subjectType: 'volunteer', subjectId: v.id, outcome: 'ok' }, m);
      return {
        accountId: v.accountId,
        volunteerId: v.id,
        name: v.name,
        balanceUnits,
        year,
        summary,
        total: n,
        lines: rows.map((r: Record<string, any>) => {
          const e = entryOf(r as never);
          return { transactionId: e.transactionId, at: e.at, kind: e.kind, units: e.units, balance: Number(r.balance), counterpartyAccountId: e.counterpartyAccountId, reference: e.reference, note: e.note, reversesTransactionId: e.reversesTransactionId };
        }),
      };
    });
  }

  /** Coins the volunteer gives to the mutual-aid pool (idempotent by the console's key). */
  async donateToPool(actor: Actor, volunteerId: string, input: { units: number; idempotencyKey: string }): Promise<MovementResult> {
    const now = this.ctx.clock.now();
    return this.ctx.ds.transaction(async (m) => {
      const v = await volunteerInScope(m, actor, volunteerId);
      const transactionId = randomUUID();
      const applied = await this.ctx.ledger.apply(m, { type: 'donate', transactionId, from: v.accountId, units: input.units, idempotencyKey: `donate:${input.idempotencyKey}`, makerId: actor.userId }, [v.accountId], now);
      if (!applied.alreadyAppliedAs) await this.ctx.audit.record({ ...auditActor(actor), action: 'timebank.donate', subjectType: 'volunteer', subjectId: v.id, purpose: `${input.units} units, tx ${transactionId}`, outcome: 'ok' }, m);
      return { transactionId: applied.alreadyAppliedAs ?? transactionId, units: input.units, balanceUnits: await this.ctx.ledger.balanceOf(m, v.accountId), replayed: Boolean(applied.alreadyAppliedAs) };
    });
  }

  /**
   * The federation's view: per district of the volunteers and month, issued, redeemed, expired, transfers and
   * how the liability moved, folded by the pure report over the member and pool entries of the period. Staff of
   * a district see their districts' rows; the pool (district null) only city-wide staff.
   */
  async liability(actor: Actor, q: LiabilityQuery): Promise<LiabilityReport> {
    const offset = `${this.ctx.ledger.settings.utcOffsetMinutes} minutes`;
    const rows = await this.ctx.ds.query(
      `SELECT e.seq, e.transaction_id, e.leg, e.account_id, e.counterparty_account_id, e.units, e.kind, e.at, e.idempotency_key, e.reference, e.reverses_transaction_id, e.maker_id, e.checker_id, e.note,
              v.district_code
         FROM time_coin_entry e LEFT JOIN volunteer v ON e.account_id = 'volunteer:' || v.id::text
        WHERE (e.account_id LIKE 'volunteer:%' OR e.account_id LIKE 'person:%' OR e.account_id = $1)
          AND ($2::varchar IS NULL OR to_char(e.at + $4::interval, 'YYYY-MM') >= $2)
          AND ($3::varchar IS NULL OR to_char(e.at + $4::interval, 'YYYY-MM') <= $3)
        ORDER BY e.seq`,
      [SYSTEM_ACCOUNTS.pool, q.from ?? null, q.to ?? null, offset],
    );
    const districtOf = new Map<string, string | null>(rows.map((r: Record<string, any>) => [r.account_id, r.district_code ?? null]));
    const report = liabilityByDistrictAndMonth(rows.map(entryOf), (a) => districtOf.get(a) ?? null, this.ctx.ledger.settings)
      .filter((r) => (r.districtId === null ? actor.scopePrefix === null : actor.scopePrefix === null || r.districtId.startsWith(actor.scopePrefix)))
      .map(({ districtId, ...rest }) => ({ districtCode: districtId, ...rest }));
    const totals = report.reduce((t, r) => ({ issued: t.issued + r.issued, redeemed: t.redeemed + r.redeemed, expired: t.expired + r.expired, outstanding: t.outstanding + r.liabilityChange }), { issued: 0, redeemed: 0, expired: 0, outstanding: 0 });
    await this.ctx.audit.record({ ...auditActor(actor), action: 'timebank.report.liability', outcome: 'ok' }, undefined);
    return { rows: report, totals };
  }

  /** The stored ledger checked by the pure verifier, and every cached balance against its entries. */
  async check(actor: Actor): Promise<LedgerCheck> {
    return this.ctx.ds.transaction('REPEATABLE READ', async (m) => {
      const rows = await m.query(`SELECT seq, transaction_id, leg, account_id, counterparty_account_id, units, kind, at, idempotency_key, reference, reverses_transaction_id, maker_id, checker_id, note FROM time_coin_entry ORDER BY seq`);
      const entries = rows.map(entryOf);
      const [{ mismatches }] = await m.query(
        `SELECT count(*)::int AS mismatches FROM time_coin_balance b
           FULL JOIN (SELECT account_id, sum(units) AS units FROM time_coin_entry
                       WHERE account_id LIKE 'volunteer:%' OR account_id LIKE 'person:%' OR account_id = $1 GROUP BY account_id) s USING (account_id)
          WHERE coalesce(b.units, 0) <> coalesce(s.units, 0)`,
        [SYSTEM_ACCOUNTS.pool],
      );
      await this.ctx.audit.record({ ...auditActor(actor), action: 'timebank.ledger.check', outcome: 'ok' }, m);
      return {
        entries: entries.length,
        transactions: new Set(entries.map((e: { transactionId: string }) => e.transactionId)).size,
        sumUnits: entries.reduce((s: number, e: { units: number }) => s + e.units, 0),
        problems: verifyLedger(entries),
        cachedBalancesMatch: mismatches === 0,
      };
    });
  }
}
