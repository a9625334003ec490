import { randomUUID } from 'node:crypto';
import {
  calendarYear,
  calendarYearBounds,
  liabilityByDistrictAndMonth,
  SYSTEM_ACCOUNTS,
  verifyLedger,
  volunteerAccount,
  type LiabilityRow,
  type MovementKind,
  type YearSummary,
} from '../../../dispatch/src/ledger';
import { inScope, type Actor } from '../auth/auth.service';
import { entryOf } from './ledger-store';
import type { LiabilityQuery, StatementQuery } from './timebank.schema';
import { auditActor, type TimebankContext } from './timebank-context';
import { notFound, scopeFilter, volunteerInScope } from './timebank-scope';

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
   * One statement reads everything (one snapshot, one round trip): the volunteer in scope, the cached balance,
   * the count and the year summary as one aggregate over the account's entries, and the page newest first with
   * each line's running balance as the cached balance less the entries newer than it (a window over the newest
   * `offset + limit` entries only, not the whole history). Then the audit row. Same output as folding every
   * entry with the pure `statementOf`/`yearSummary` (the cached balance equals the entries' sum: the ledger check).
   */
  async statement(actor: Actor | null, volunteerId: string, q: StatementQuery): Promise<Statement> {
    const now = this.ctx.clock.now();
    const settings = this.ctx.ledger.settings;
    const year = q.year ?? calendarYear(now, settings);
    const { start, end } = calendarYearBounds(year, settings);
    const scope = actor ? scopeFilter(actor, 'v.district_code', 10) : { sql: 'TRUE', params: [] as string[] };
    const rows: Record<string, any>[] = await this.ctx.ds.query(
      `SELECT v.id AS volunteer_id, v.name, v.district_code, coalesce(b.units, 0) AS balance_units, a.*, p.*
         FROM volunteer v
         LEFT JOIN time_coin_balance b ON b.account_id = 'volunteer:' || v.id::text
        CROSS JOIN LATERAL (
          SELECT count(*)::int AS total,
                 coalesce(sum(units) FILTER (WHERE at < $4), 0) AS opening,
                 coalesce(sum(units) FILTER (WHERE at >= $4 AND at < $5 AND counterparty_account_id = $6), 0) AS issued,
                 coalesce(-sum(units) FILTER (WHERE at >= $4 AND at < $5 AND counterparty_account_id = ANY($7::varchar[])), 0) AS redeemed,
                 coalesce(-sum(units) FILTER (WHERE at >= $4 AND at < $5 AND counterparty_account_id = $8), 0) AS expired,
                 coalesce(sum(units) FILTER (WHERE at >= $4 AND at < $5 AND counterparty_account_id <> ALL($9::varchar[])), 0) AS transfers_net
            FROM time_coin_entry WHERE account_id = 'volunteer:' || v.id::text) a
         LEFT JOIN LATERAL (
          SELECT n.seq, n.transaction_id, n.kind, n.at, n.units AS line_units, n.counterparty_account_id, n.reference, n.note, n.reverses_transaction_id,
                 coalesce(b.units, 0) - coalesce(sum(n.units) OVER (ORDER BY n.seq DESC ROWS BETWEEN UNBOUNDED PRECEDING AND 1 PRECEDING), 0) AS line_balance
            FROM (SELECT seq, transaction_id, kind, at, units, counterparty_account_id, reference, note, reverses_transaction_id
                    FROM time_coin_entry WHERE account_id = 'volunteer:' || v.id::text ORDER BY seq DESC LIMIT $2::int + $3::int) n
           ORDER BY n.seq DESC OFFSET $3) p ON TRUE
        WHERE v.id = $1 AND ${scope.sql}
        ORDER BY p.seq DESC`,
      [volunteerId, q.limit, q.offset, start, end, SYSTEM_ACCOUNTS.issuer, [SYSTEM_ACCOUNTS.shop, SYSTEM_ACCOUNTS.service], SYSTEM_ACCOUNTS.expired, [SYSTEM_ACCOUNTS.issuer, SYSTEM_ACCOUNTS.shop, SYSTEM_ACCOUNTS.service, SYSTEM_ACCOUNTS.expired], ...scope.params],
    );
    const head = rows[0];
    if (!head || (actor && !inScope(actor, head.district_code))) throw notFound('志愿者');
    await this.ctx.audit.record({ ...auditActor(actor), actorUsername: actor?.username ?? `volunteer:${head.volunteer_id}`, action: 'timebank.statement.read', subjectType: 'volunteer', subjectId: head.volunteer_id, outcome: 'ok' }, this.ctx.ds.manager);
    const flows = { issued: Number(head.issued), redeemed: Number(head.redeemed), expired: Number(head.expired), transfersNet: Number(head.transfers_net) };
    const opening = Number(head.opening);
    const summary: YearSummary = { year, opening, ...flows, closing: opening + flows.issued - flows.redeemed - flows.expired + flows.transfersNet };
    return {
      accountId: volunteerAccount(head.volunteer_id),
      volunteerId: head.volunteer_id,
      name: head.name,
      balanceUnits: Number(head.balance_units),
      year,
      summary,
      total: head.total,
      lines: rows
        .filter((r) => r.seq !== null)
        .map((r) => ({
          transactionId: r.transaction_id,
          at: new Date(r.at),
          kind: r.kind,
          units: Number(r.line_units),
          balance: Number(r.line_balance),
          counterpartyAccountId: r.counterparty_account_id,
          reference: r.reference,
          note: r.note,
          reversesTransactionId: r.reverses_transaction_id,
        })),
    };
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
