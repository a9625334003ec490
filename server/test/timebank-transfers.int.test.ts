/**
 * Coins given to a direct relative (转赠) and coins expiring (过期), over real HTTP on the test database: what the
 * entries, balances, statements and the audit trail hold afterwards, and what is refused. The app's clock starts
 * 14 months back, so that the expiry run (12 months) can be reached by moving it on.
 */
import { randomUUID } from 'node:crypto';
import type { DataSource } from 'typeorm';
import { calendarYear, ledgerSettings, statementOf, yearSummary } from '../../dispatch/src/ledger';
import { entryOf } from '../src/timebank/ledger-store';
import { makePerson } from './support/factories';
import { makeCompletedJob, makeVolunteer } from './support/timebank-fixtures';
import { api, login, makeDistricts, makeUser, startTestApp, TestClock, type RunningApp } from './support/test-app';

const DAY = 24 * 3_600_000;
let t: RunningApp;
let ds: DataSource;
let tree: Awaited<ReturnType<typeof makeDistricts>>;
let sup: string;
let supId: string;
let otherSup: string;
let dispatcher: string;
let outsider: string;
const usernames = { sup: '', otherSup: '', dispatcher: '' };

/** Move the clock on; sessions time out meanwhile, so everyone logs in again. */
async function advance(ms: number): Promise<void> {
  t.clock.advance(ms);
  [sup, otherSup, dispatcher] = await Promise.all([login(t.baseUrl, usernames.sup), login(t.baseUrl, usernames.otherSup), login(t.baseUrl, usernames.dispatcher)]);
}

beforeAll(async () => {
  t = await startTestApp({ clock: new TestClock(new Date(Date.now() - 425 * DAY)), env: { BACKGROUND_JOBS: 'off', TIMEBANK_LIFETIME_CAP_COINS: '5', TIMEBANK_EXPIRY_MONTHS: '12' } });
  ds = t.ds;
  tree = await makeDistricts(ds);
  const s = await makeUser(ds, 'supervisor', tree.district);
  supId = s.id;
  usernames.sup = s.username;
  usernames.otherSup = (await makeUser(ds, 'supervisor', tree.otherDistrict)).username;
  usernames.dispatcher = (await makeUser(ds, 'dispatcher', tree.district)).username;
  [sup, otherSup, dispatcher] = await Promise.all([login(t.baseUrl, usernames.sup), login(t.baseUrl, usernames.otherSup), login(t.baseUrl, usernames.dispatcher)]);
  outsider = await login(t.baseUrl, (await makeUser(ds, 'dispatcher', tree.otherDistrict)).username);
});
afterAll(async () => {
  await t?.close();
});

/** A volunteer of the community credited `minutes` of work (1 coin an hour). */
async function volunteerWith(minutes: number): Promise<{ id: string; name: string }> {
  const v = await makeVolunteer(ds, tree.community);
  if (minutes > 0) {
    const { jobId } = await makeCompletedJob(ds, tree.community, v.id, minutes, supId);
    expect((await api(t.baseUrl, 'POST', `/api/timebank/jobs/${jobId}/confirm`, dispatcher, { by: 'recipient' })).status).toBe(200);
  }
  return v;
}

const transfer = (from: string, body: Record<string, unknown>, token = dispatcher) =>
  api(t.baseUrl, 'POST', `/api/timebank/volunteers/${from}/transfer`, token, { relation: '父母', note: '母亲需要上门护理服务', idempotencyKey: randomUUID(), ...body });

describe('transfer to a direct relative', () => {
  it('when a volunteer gives coins to a parent in the register, then one balanced pair records the relation, the note and the maker, the statement shows it and the audit names both', async () => {
    const v = await volunteerWith(180);
    const mother = await makePerson(ds, tree.community);
    const key = randomUUID();
    const r = await transfer(v.id, { toPersonId: mother.id, units: 100, idempotencyKey: key });
    expect(r.status).toBe(201);
    expect(r.body).toMatchObject({ fromAccountId: `volunteer:${v.id}`, toAccountId: `person:${mother.id}`, units: 100, relation: '父母', balanceUnits: 200, replayed: false });
    const legs = await ds.query(`SELECT account_id, units, kind, reference, note, maker_id FROM time_coin_entry WHERE transaction_id = $1 ORDER BY leg DESC`, [r.body.transactionId]);
    expect(legs).toEqual([
      { account_id: `volunteer:${v.id}`, units: -100, kind: 'transfer', reference: 'relation:父母', note: '母亲需要上门护理服务', maker_id: expect.any(String) },
      { account_id: `person:${mother.id}`, units: 100, kind: 'transfer', reference: 'relation:父母', note: '母亲需要上门护理服务', maker_id: legs[0].maker_id },
    ]);
    const [cached] = await ds.query(`SELECT units::int AS units FROM time_coin_balance WHERE account_id = $1`, [`person:${mother.id}`]);
    expect(cached.units).toBe(100);
    const statement = await api(t.baseUrl, 'GET', `/api/timebank/volunteers/${v.id}/statement`, dispatcher);
    expect(statement.body).toMatchObject({ balanceUnits: 200, total: 2, summary: { issued: 300, transfersNet: -100, closing: 200 } });
    expect(statement.body.lines[0]).toMatchObject({ kind: 'transfer', units: -100, balance: 200, counterpartyAccountId: `person:${mother.id}`, reference: 'relation:父母', note: '母亲需要上门护理服务' });
    const audit = await ds.query(`SELECT subjects, purpose FROM audit_log WHERE action = 'timebank.transfer' AND subject_id = $1`, [v.id]);
    expect(audit).toHaveLength(1);
    expect(audit[0].subjects).toEqual(expect.arrayContaining([`volunteer:${v.id}`, `person:${mother.id}`]));

    const again = await transfer(v.id, { toPersonId: mother.id, units: 100, idempotencyKey: key });
    expect(again.status).toBe(200);
    expect(again.body).toMatchObject({ transactionId: r.body.transactionId, replayed: true, balanceUnits: 200 });
    const other = await transfer(v.id, { toPersonId: mother.id, units: 99, idempotencyKey: key });
    expect([other.status, other.body.error.code]).toEqual([409, 'ledger/idempotency-conflict']);
    const [{ n }] = await ds.query(`SELECT count(*)::int AS n FROM time_coin_entry WHERE account_id = $1`, [`person:${mother.id}`]);
    expect(n).toBe(1);
    expect((await ds.query(`SELECT 1 FROM audit_log WHERE action = 'timebank.transfer' AND subject_id = $1`, [v.id])).length).toBe(1);
  });

  it('when a volunteer gives coins to a spouse who volunteers too, then the spouse’s statement shows the credit', async () => {
    const v = await volunteerWith(120);
    const spouse = await volunteerWith(0);
    const r = await transfer(v.id, { toVolunteerId: spouse.id, relation: '配偶', units: 150 });
    expect(r.status).toBe(201);
    const theirs = await api(t.baseUrl, 'GET', `/api/timebank/volunteers/${spouse.id}/statement`, sup);
    expect(theirs.body).toMatchObject({ balanceUnits: 150, lines: [{ kind: 'transfer', units: 150, balance: 150, counterpartyAccountId: `volunteer:${v.id}` }] });
  });

  it.each<[string, (v: { id: string }, capped: { id: string }) => Record<string, unknown>, number, string]>([
    ['more than the balance', () => ({ toPersonId: 'P', units: 301 }), 409, 'ledger/insufficient-balance'],
    ['to oneself', (v) => ({ toVolunteerId: v.id, relation: '子女', units: 10 }), 409, 'ledger/same-account'],
    ['to a neighbour', () => ({ toPersonId: 'P', relation: '邻居', units: 10 }), 409, 'ledger/not-direct-relative'],
    ['across the receiver’s lifetime cap', (_v, capped) => ({ toVolunteerId: capped.id, relation: '子女', units: 101 }), 409, 'ledger/lifetime-cap-reached'],
    ['to two receivers at once', (_v, capped) => ({ toPersonId: 'P', toVolunteerId: capped.id, units: 10 }), 400, 'validation/invalid'],
    ['to nobody', () => ({ units: 10 }), 400, 'validation/invalid'],
    ['of no coins', () => ({ toPersonId: 'P', units: 0 }), 400, 'validation/invalid'],
    ['without a note', () => ({ toPersonId: 'P', units: 10, note: '' }), 400, 'validation/invalid'],
  ])('when a transfer is %s, then it is refused and nothing moves', async (_what, body, status, code) => {
    const v = await volunteerWith(180);
    const capped = await volunteerWith(240);
    const relative = await makePerson(ds, tree.community);
    const b = body(v, capped);
    const r = await transfer(v.id, { ...b, ...(b.toPersonId ? { toPersonId: relative.id } : {}) });
    expect([r.status, r.body.error?.code]).toEqual([status, code]);
    expect((await ds.query(`SELECT 1 FROM time_coin_entry WHERE account_id = $1 AND kind = 'transfer'`, [`volunteer:${v.id}`])).length).toBe(0);
  });

  it('when the giver or the receiver lies outside the staff member’s districts, then it answers like a missing one', async () => {
    const v = await volunteerWith(60);
    const far = await makePerson(ds, tree.otherDistrict);
    const hidden = await transfer(v.id, { toPersonId: far.id, units: 10 });
    expect([hidden.status, hidden.body.error.code]).toEqual([404, 'timebank/not-found']);
    const missing = await transfer(v.id, { toPersonId: randomUUID(), units: 10 });
    expect(missing.status).toBe(404);
    expect((await transfer(v.id, { toPersonId: far.id, units: 10 }, outsider)).status).toBe(404);
    expect((await ds.query(`SELECT 1 FROM time_coin_entry WHERE account_id = $1 AND kind = 'transfer'`, [`volunteer:${v.id}`])).length).toBe(0);
  });
});

describe('expiry', () => {
  it('when coins are older than the setting, then the run moves what is left of the oldest credits to the expired account, once, and only in the runner’s districts', async () => {
    const v = await volunteerWith(180);
    await advance(30 * DAY);
    expect((await api(t.baseUrl, 'POST', `/api/timebank/volunteers/${v.id}/donate`, dispatcher, { units: 100, idempotencyKey: randomUUID() })).status).toBe(200);
    await advance(150 * DAY);
    const { jobId } = await makeCompletedJob(ds, tree.community, v.id, 120, supId, { checkIn: new Date('2026-04-02T01:00:00Z') });
    await api(t.baseUrl, 'POST', `/api/timebank/jobs/${jobId}/confirm`, dispatcher, { by: 'recipient' });
    await advance(200 * DAY); // 380 days after the first credit, 200 after the second

    const elsewhere = await api(t.baseUrl, 'POST', '/api/timebank/expiry/run', otherSup, {});
    expect(elsewhere.status).toBe(200);
    expect(elsewhere.body.expired.map((e: { accountId: string }) => e.accountId)).not.toContain(`volunteer:${v.id}`);

    const run = await api(t.baseUrl, 'POST', '/api/timebank/expiry/run', sup, {});
    expect(run.status).toBe(200);
    const mine = run.body.expired.find((e: { accountId: string }) => e.accountId === `volunteer:${v.id}`);
    expect(mine).toMatchObject({ units: 200 });
    const legs = await ds.query(`SELECT account_id, units FROM time_coin_entry WHERE transaction_id = $1 ORDER BY leg DESC`, [mine.transactionId]);
    expect(legs).toEqual([
      { account_id: `volunteer:${v.id}`, units: -200 },
      { account_id: 'system:expired', units: 200 },
    ]);
    const statement = await api(t.baseUrl, 'GET', `/api/timebank/volunteers/${v.id}/statement`, dispatcher);
    expect(statement.body).toMatchObject({ balanceUnits: 200, total: 4 });
    expect(statement.body.lines.map((l: { kind: string; units: number; balance: number }) => [l.kind, l.units, l.balance])).toEqual([
      ['expire', -200, 200],
      ['earn', 200, 400],
      ['donate', -100, 200],
      ['earn', 300, 300],
    ]);
    expect((await ds.query(`SELECT 1 FROM audit_log WHERE action = 'timebank.expire' AND subject_id = $1`, [v.id])).length).toBe(1);

    const again = await api(t.baseUrl, 'POST', '/api/timebank/expiry/run', sup, {});
    expect(again.body.expired.map((e: { accountId: string }) => e.accountId)).not.toContain(`volunteer:${v.id}`);
    const check = await api(t.baseUrl, 'GET', '/api/timebank/reports/ledger-check', sup);
    expect(check.body).toMatchObject({ sumUnits: 0, problems: [], cachedBalancesMatch: true });
  });

  it('when expiry is set, then the scheduler carries the daily single-node job (it runs the same run city-wide as the system)', async () => {
    const health = await api(t.baseUrl, 'GET', '/api/health');
    expect(health.body.scheduler.jobs).toEqual(expect.arrayContaining([expect.objectContaining({ name: 'timebank-expiry', spec: '0 0 */24 * * *', singleNode: true })]));
  });

  it('when a dispatcher or a body is sent, then the run is refused', async () => {
    expect((await api(t.baseUrl, 'POST', '/api/timebank/expiry/run', dispatcher, {})).status).toBe(403);
    expect((await api(t.baseUrl, 'POST', '/api/timebank/expiry/run', sup, { months: 1 })).status).toBe(400);
  });
});

describe('statement', () => {
  it('when a statement is read page by page and for each year, then it equals the pure fold of all of the account’s entries', async () => {
    const v = await volunteerWith(180);
    const spouse = await volunteerWith(120);
    const mother = await makePerson(ds, tree.community);
    const firstYear = calendarYear(t.clock.now(), ledgerSettings());
    await advance(200 * DAY);
    expect((await transfer(v.id, { toPersonId: mother.id, units: 50 })).status).toBe(201);
    expect((await transfer(spouse.id, { toVolunteerId: v.id, relation: '配偶', units: 30 })).status).toBe(201);
    expect((await api(t.baseUrl, 'POST', `/api/timebank/volunteers/${v.id}/donate`, dispatcher, { units: 20, idempotencyKey: randomUUID() })).status).toBe(200);
    await advance(200 * DAY);
    const { jobId } = await makeCompletedJob(ds, tree.community, v.id, 60, supId, { checkIn: new Date(t.clock.now().getTime() - 2 * 3_600_000) });
    expect((await api(t.baseUrl, 'POST', `/api/timebank/jobs/${jobId}/confirm`, dispatcher, { by: 'recipient' })).status).toBe(200);

    const account = `volunteer:${v.id}`;
    const entries = (await ds.query(`SELECT * FROM time_coin_entry WHERE account_id = $1 ORDER BY seq`, [account])).map(entryOf);
    const all = statementOf(entries, account).reverse();
    const json = (x: unknown) => JSON.parse(JSON.stringify(x));
    for (const [limit, offset] of [[2, 0], [2, 1], [3, 3], [20, 0], [5, 10]]) {
      const page = await api(t.baseUrl, 'GET', `/api/timebank/volunteers/${v.id}/statement?limit=${limit}&offset=${offset}`, dispatcher);
      expect(page.body.lines).toEqual(json(all.slice(offset, offset + limit)));
      expect(page.body).toMatchObject({ total: entries.length, balanceUnits: all[0]!.balance });
    }
    for (const year of [firstYear - 1, firstYear, firstYear + 1, firstYear + 2]) {
      const r = await api(t.baseUrl, 'GET', `/api/timebank/volunteers/${v.id}/statement?year=${year}`, dispatcher);
      expect(r.body.summary).toEqual(yearSummary(entries, account, year, ledgerSettings()));
    }
  });
});
