/**
 * The persisted ledger's invariants as properties (fast-check): for any sequence of earnings (some completed
 * twice), redemptions, cancellations, coins to the pool, transfers between relatives and approved adjustments, over real HTTP on the test
 * database, the entries sum to zero, every cached balance equals its entries' sum, nothing but the issuer is
 * below zero, the lifetime cap holds and each job is credited once. And the last piece in stock, redeemed by
 * many volunteers at once, goes to exactly one (run it on PostgreSQL 15 with DATABASE_URL for real concurrency).
 */
import { randomUUID } from 'node:crypto';
import fc from 'fast-check';
import type { DataSource } from 'typeorm';
import { makeCompletedJob, makeVolunteer } from './support/timebank-fixtures';
import { api, login, makeDistricts, makeUser, startTestApp, type RunningApp } from './support/test-app';

let t: RunningApp;
let ds: DataSource;
let tree: Awaited<ReturnType<typeof makeDistricts>>;
let supA: string;
let supB: string;
let supAId: string;
let dispatcher: string;

/** Lifetime cap of 5 coins, so that sequences reach it. */
const CAP_UNITS = 500;

beforeAll(async () => {
  t = await startTestApp({ env: { BACKGROUND_JOBS: 'off', TIMEBANK_LIFETIME_CAP_COINS: '5' } });
  ds = t.ds;
  tree = await makeDistricts(ds);
  const a = await makeUser(ds, 'supervisor', tree.district);
  supAId = a.id;
  supA = await login(t.baseUrl, a.username);
  supB = await login(t.baseUrl, (await makeUser(ds, 'supervisor', tree.district)).username);
  dispatcher = await login(t.baseUrl, (await makeUser(ds, 'dispatcher', tree.district)).username);
});
afterAll(async () => {
  await t?.close();
});

type Op =
  | { op: 'earn'; who: number; minutes: number; twice: boolean }
  | { op: 'redeem'; who: number; quantity: number }
  | { op: 'cancel'; nth: number }
  | { op: 'donate'; who: number; units: number }
  | { op: 'adjust'; who: number; units: number }
  | { op: 'transfer'; who: number; to: number; units: number };

const opArb: fc.Arbitrary<Op> = fc.oneof(
  fc.record({ op: fc.constant('earn' as const), who: fc.nat(2), minutes: fc.integer({ min: 20, max: 300 }), twice: fc.boolean() }),
  fc.record({ op: fc.constant('redeem' as const), who: fc.nat(2), quantity: fc.integer({ min: 1, max: 3 }) }),
  fc.record({ op: fc.constant('cancel' as const), nth: fc.nat(5) }),
  fc.record({ op: fc.constant('donate' as const), who: fc.nat(2), units: fc.integer({ min: 1, max: 200 }) }),
  fc.record({ op: fc.constant('adjust' as const), who: fc.nat(2), units: fc.integer({ min: -150, max: 150 }).filter((u) => u !== 0) }),
  fc.record({ op: fc.constant('transfer' as const), who: fc.nat(2), to: fc.nat(2), units: fc.integer({ min: 1, max: 200 }) }),
);

describe('ledger invariants', () => {
  it('when any sequence of movements runs, then the stored ledger balances, caches match, nothing but the issuer is negative, caps hold and jobs credit once', async () => {
    await fc.assert(
      fc.asyncProperty(fc.array(opArb, { minLength: 1, maxLength: 10 }), async (ops) => {
        const people = [await makeVolunteer(ds, tree.community), await makeVolunteer(ds, tree.community), await makeVolunteer(ds, tree.community)];
        const item = await api(t.baseUrl, 'POST', '/api/timebank/shop/items', supA, { kind: 'goods', name: '属性测试商品', priceUnits: 70, stock: 4 });
        const redemptions: string[] = [];
        const jobs: string[] = [];
        for (const o of ops) {
          if (o.op === 'earn') {
            const { jobId } = await makeCompletedJob(ds, tree.community, people[o.who]!.id, o.minutes, supAId);
            jobs.push(jobId);
            for (let i = 0; i < (o.twice ? 2 : 1); i++) expect((await api(t.baseUrl, 'POST', `/api/timebank/jobs/${jobId}/confirm`, dispatcher, { by: 'recipient' })).status).toBe(200);
          } else if (o.op === 'redeem') {
            const r = await api(t.baseUrl, 'POST', '/api/timebank/redemptions', dispatcher, { volunteerId: people[o.who]!.id, itemId: item.body.id, quantity: o.quantity, idempotencyKey: randomUUID() });
            expect([201, 409]).toContain(r.status);
            if (r.status === 201) redemptions.push(r.body.id);
          } else if (o.op === 'cancel') {
            const id = redemptions[o.nth % Math.max(1, redemptions.length)];
            if (id) expect([200, 409]).toContain((await api(t.baseUrl, 'POST', `/api/timebank/redemptions/${id}/cancel`, dispatcher, { reason: '属性测试取消' })).status);
          } else if (o.op === 'donate') {
            expect([200, 409]).toContain((await api(t.baseUrl, 'POST', `/api/timebank/volunteers/${people[o.who]!.id}/donate`, dispatcher, { units: o.units, idempotencyKey: randomUUID() })).status);
          } else if (o.op === 'transfer') {
            const r = await api(t.baseUrl, 'POST', `/api/timebank/volunteers/${people[o.who]!.id}/transfer`, dispatcher, { toVolunteerId: people[o.to]!.id, relation: '配偶', units: o.units, note: '属性测试转赠', idempotencyKey: randomUUID() });
            expect([201, 409]).toContain(r.status);
          } else {
            const asked = await api(t.baseUrl, 'POST', '/api/timebank/approvals', supA, { type: 'adjust', volunteerId: people[o.who]!.id, units: o.units, note: '属性测试调整' });
            expect([200, 409]).toContain((await api(t.baseUrl, 'POST', `/api/timebank/approvals/${asked.body.id}/approve`, supB, {})).status);
          }
        }
        const check = await api(t.baseUrl, 'GET', '/api/timebank/reports/ledger-check', supA);
        expect(check.body).toMatchObject({ sumUnits: 0, problems: [], cachedBalancesMatch: true });
        const accounts = people.map((p) => `volunteer:${p.id}`);
        const negative = await ds.query(`SELECT account_id FROM time_coin_entry WHERE account_id <> 'system:issuer' GROUP BY account_id HAVING sum(units) < 0`);
        expect(negative).toEqual([]);
        const credited = await ds.query(
          `SELECT e.account_id, sum(e.units)::int AS units FROM time_coin_entry e
            WHERE e.account_id = ANY($1) AND e.leg = 'credit' AND e.kind IN ('earn', 'adjustment', 'transfer')
              AND NOT EXISTS (SELECT 1 FROM time_coin_entry r WHERE r.reverses_transaction_id = e.transaction_id)
            GROUP BY e.account_id`,
          [accounts],
        );
        for (const row of credited) expect(row.units).toBeLessThanOrEqual(CAP_UNITS);
        if (jobs.length > 0) {
          const perJob = await ds.query(`SELECT idempotency_key, count(*)::int AS n FROM time_coin_entry WHERE idempotency_key = ANY($1) AND leg = 'credit' GROUP BY idempotency_key`, [jobs.map((j) => `earn:job:${j}`)]);
          for (const row of perJob) expect(row.n).toBe(1);
        }
        const [stock] = await ds.query(`SELECT stock FROM shop_item WHERE id = $1`, [item.body.id]);
        const [out] = await ds.query(`SELECT coalesce(sum(quantity), 0)::int AS q FROM shop_redemption WHERE item_id = $1 AND status = 'placed'`, [item.body.id]);
        expect(stock.stock + out.q).toBe(4);
      }),
      { numRuns: Number(process.env.TIMEBANK_PROPERTY_RUNS ?? 12), seed: Number(process.env.TIMEBANK_PROPERTY_SEED ?? 20261205) },
    );
  }, 180_000);
});

describe('the last piece in stock', () => {
  it('when many volunteers redeem the last piece at the same time, then exactly one wins, the others are told it is out of stock, and only the winner paid', async () => {
    const item = await api(t.baseUrl, 'POST', '/api/timebank/shop/items', supA, { kind: 'goods', name: '最后一件', priceUnits: 100, stock: 1 });
    const buyers = await Promise.all(Array.from({ length: 8 }, () => makeVolunteer(ds, tree.community)));
    for (const b of buyers) {
      const { jobId } = await makeCompletedJob(ds, tree.community, b.id, 120, supAId);
      await api(t.baseUrl, 'POST', `/api/timebank/jobs/${jobId}/confirm`, dispatcher, { by: 'recipient' });
    }
    const results = await Promise.all(buyers.map((b) => api(t.baseUrl, 'POST', '/api/timebank/redemptions', dispatcher, { volunteerId: b.id, itemId: item.body.id, idempotencyKey: randomUUID() })));
    const won = results.filter((r) => r.status === 201);
    expect(won).toHaveLength(1);
    expect(results.filter((r) => r.status === 409).map((r) => r.body.error.code)).toEqual(Array(7).fill('timebank/out-of-stock'));
    const [stock] = await ds.query(`SELECT stock FROM shop_item WHERE id = $1`, [item.body.id]);
    expect(stock.stock).toBe(0);
    const paid = await ds.query(`SELECT account_id FROM time_coin_entry WHERE kind = 'redeem_goods' AND leg = 'debit' AND reference = $1`, [`order:${won[0]!.body.id}`]);
    expect(paid).toEqual([{ account_id: `volunteer:${won[0]!.body.volunteerId}` }]);
    const [count] = await ds.query(`SELECT count(*)::int AS n FROM shop_redemption WHERE item_id = $1`, [item.body.id]);
    expect(count.n).toBe(1);
  });
});
