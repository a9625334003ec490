/**
 * Time bank (issue 11): 1,000,000 ledger entries across 100,000 volunteers; a volunteer's statement (page of
 * 20 with running balance, year summary, audit row) and balance p50/p99 (target p99 < 10 ms), against a
 * primary-key lookup floor in the same run; then redemptions per second under contention (many workers on
 * one item and a few hundred accounts), through the real services.
 *
 * Use a fresh PostgreSQL database (BENCH_DATABASE_URL; entries are append-only, the run leaves them there).
 * Env: BENCH_VOLUNTEERS (100000), BENCH_TX_PER_VOLUNTEER (5: two entries each), BENCH_SAMPLES (1000),
 * BENCH_WORKERS (16), BENCH_SECONDS (5).
 */
import { randomUUID } from 'node:crypto';
import { performance } from 'node:perf_hooks';
import { openDatabase } from '../db/src/database';
import { auditKeysFromSecret } from '../server/src/audit/audit-crypto';
import { AuditService } from '../server/src/audit/audit.service';
import type { TicketService } from '../server/src/tickets/ticket.service';
import { LedgerStore } from '../server/src/timebank/ledger-store';
import { TimebankShop } from '../server/src/timebank/shop.service';
import { TimebankStatements } from '../server/src/timebank/statements.service';
import { ledgerSettingsFrom } from '../server/src/timebank/timebank.config';
import { TimebankEvents } from '../server/src/timebank/timebank-events';
import { loadConfig } from '../server/src/config/config';
import { makeDistricts } from '../server/test/support/test-app';
import { line, ms, summarize } from './support/stats';

const VOLUNTEERS = Number(process.env.BENCH_VOLUNTEERS ?? 100_000);
const TX = Number(process.env.BENCH_TX_PER_VOLUNTEER ?? 5);
const SAMPLES = Number(process.env.BENCH_SAMPLES ?? 1000);
const WORKERS = Number(process.env.BENCH_WORKERS ?? 16);
const SECONDS = Number(process.env.BENCH_SECONDS ?? 5);

async function timed(n: number, f: (i: number) => Promise<unknown>): Promise<number[]> {
  const out: number[] = [];
  for (let i = 0; i < n; i++) {
    const s = performance.now();
    await f(i);
    out.push(performance.now() - s);
  }
  return out;
}

async function main(): Promise<void> {
  const url = process.env.BENCH_DATABASE_URL;
  if (!url) throw new Error('BENCH_DATABASE_URL (a fresh PostgreSQL database) is required');
  const db = await openDatabase({ url, dataDir: './data' });
  const ds = db.ds;
  const clock = { now: () => new Date() };
  const settings = ledgerSettingsFrom(loadConfig({ NODE_ENV: 'test', TIMEBANK_LIFETIME_CAP_COINS: '0' }));
  const ctx = { ds, ledger: new LedgerStore(settings), audit: new AuditService(ds, clock, { keys: auditKeysFromSecret('bench-timebank-key-0123456789abcdef') }), clock, events: new TimebankEvents() };
  const statements = new TimebankStatements(ctx);
  const shop = new TimebankShop(ctx, undefined as unknown as TicketService);
  try {
    const tree = await makeDistricts(ds);
    const seed = performance.now();
    await ds.query(
      `INSERT INTO volunteer (name, gender, phone_e164, district_code, centre_lat, centre_lng, radius_km, pin_hash)
       SELECT '压测志愿者' || i, 'female', '+86199' || lpad(i::text, 8, '0'), $1, 31.2, 121.4, 5, '!' FROM generate_series(1, $2::int) AS i`,
      [tree.community, VOLUNTEERS],
    );
    await ds.query(
      `INSERT INTO time_coin_entry (transaction_id, leg, account_id, counterparty_account_id, units, kind, at, idempotency_key, reference)
       SELECT t.tx, l.leg, CASE l.leg WHEN 'debit' THEN 'system:issuer' ELSE t.acc END, CASE l.leg WHEN 'debit' THEN t.acc ELSE 'system:issuer' END,
              CASE l.leg WHEN 'debit' THEN -200 ELSE 200 END, 'earn', t.at, 'earn:job:' || t.tx, 'job:' || t.tx
         FROM (SELECT md5(v.id::text || k) AS tx, 'volunteer:' || v.id::text AS acc, now() - (k || ' days')::interval AS at
                 FROM volunteer v, generate_series(1, $2::int) AS k WHERE v.district_code = $1 ORDER BY v.id, k) t,
              (VALUES ('debit'), ('credit')) AS l(leg)`,
      [tree.community, TX],
    );
    await ds.query(`INSERT INTO time_coin_balance (account_id, units) SELECT 'volunteer:' || id::text, $2::int * 200 FROM volunteer WHERE district_code = $1`, [tree.community, TX]);
    await ds.query('ANALYZE');
    const [{ n }] = await ds.query(`SELECT count(*)::int AS n FROM time_coin_entry`);
    line('seed volunteers + entries', `${((performance.now() - seed) / 1000).toFixed(1)} s (${n.toLocaleString('en')} entries)`);

    const ids: string[] = (await ds.query(`SELECT id FROM volunteer WHERE district_code = $1`, [tree.community])).map((r: { id: string }) => r.id);
    const pick = () => ids[Math.floor(Math.random() * ids.length)]!;
    const floor = summarize(await timed(SAMPLES, () => ds.query(`SELECT id, name FROM volunteer WHERE id = $1`, [pick()])));
    const balance = summarize(await timed(SAMPLES, () => ctx.ledger.balanceOf(ds.manager, `volunteer:${pick()}`)));
    const statement = summarize(await timed(SAMPLES, () => statements.statement(null, pick(), { limit: 20, offset: 0 })));
    line('floor: primary-key lookup', `p50 ${ms(floor.p50)}  p99 ${ms(floor.p99)}`);
    line('balance (cached row)', `p50 ${ms(balance.p50)}  p99 ${ms(balance.p99)}`);
    line('statement (page, running balance, year, audit)', `p50 ${ms(statement.p50)}  p99 ${ms(statement.p99)}  max ${ms(statement.max)}`);

    const [item] = await ds.query(`INSERT INTO shop_item (kind, name, price_units, stock) VALUES ('goods', '压测商品', 10, 1000000) RETURNING id`);
    const buyers = ids.slice(0, 300);
    let done = 0;
    let refused = 0;
    const until = performance.now() + SECONDS * 1000;
    await Promise.all(
      Array.from({ length: WORKERS }, async () => {
        while (performance.now() < until) {
          try {
            await shop.redeem(null, { volunteerId: buyers[Math.floor(Math.random() * buyers.length)]!, itemId: item.id, quantity: 1, idempotencyKey: randomUUID() });
            done++;
          } catch {
            refused++;
          }
        }
      }),
    );
    line(`redemptions, ${WORKERS} workers, 1 item, ${buyers.length} accounts`, `${Math.round(done / SECONDS)}/s (${done} in ${SECONDS} s, ${refused} refused)`);
    const [stock] = await ds.query(`SELECT stock FROM shop_item WHERE id = $1`, [item.id]);
    line('stock + redeemed = 1,000,000', String(stock.stock + done === 1_000_000));
    if (stock.stock + done !== 1_000_000) process.exitCode = 1;
  } finally {
    await db.close();
  }
}

void main();
