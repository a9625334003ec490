/**
 * The time bank over real HTTP on the test database: a confirmed job credits its volunteer once, the shop
 * reserves stock and debits coins in one transaction and refunds by a new pair, corrections need a second
 * supervisor, scope and roles hold, and the stored ledger stays sound (sum zero, cached balances = sums).
 */
import { randomUUID } from 'node:crypto';
import type { DataSource } from 'typeorm';
import { makeCompletedJob, makeVolunteer } from './support/timebank-fixtures';
import { makePerson } from './support/factories';
import { api, login, makeDistricts, makeUser, startTestApp, type RunningApp } from './support/test-app';

let t: RunningApp;
let ds: DataSource;
let tree: Awaited<ReturnType<typeof makeDistricts>>;
let supA: string;
let supB: string;
let supAId: string;
let dispatcher: string;
let agent: string;
let outsider: string;

beforeAll(async () => {
  t = await startTestApp({ env: { BACKGROUND_JOBS: 'off' } });
  ds = t.ds;
  tree = await makeDistricts(ds);
  const a = await makeUser(ds, 'supervisor', tree.district);
  supAId = a.id;
  supA = await login(t.baseUrl, a.username);
  supB = await login(t.baseUrl, (await makeUser(ds, 'supervisor', tree.district)).username);
  dispatcher = await login(t.baseUrl, (await makeUser(ds, 'dispatcher', tree.district)).username);
  agent = await login(t.baseUrl, (await makeUser(ds, 'agent', tree.district)).username);
  outsider = await login(t.baseUrl, (await makeUser(ds, 'supervisor', tree.otherDistrict)).username);
});
afterAll(async () => {
  await t?.close();
});

const balance = async (volunteerId: string): Promise<number> => {
  const [row] = await ds.query(`SELECT coalesce(sum(units), 0)::int AS units FROM time_coin_entry WHERE account_id = $1`, [`volunteer:${volunteerId}`]);
  return row.units;
};
const cached = async (volunteerId: string): Promise<number | null> => {
  const [row] = await ds.query(`SELECT units::int AS units FROM time_coin_balance WHERE account_id = $1`, [`volunteer:${volunteerId}`]);
  return row ? row.units : null;
};

async function ledgerIsSound(): Promise<void> {
  const check = await api(t.baseUrl, 'GET', '/api/timebank/reports/ledger-check', supA);
  expect(check.status).toBe(200);
  expect(check.body).toMatchObject({ sumUnits: 0, problems: [], cachedBalancesMatch: true });
}

describe('earning', () => {
  it('when the recipient confirms a completed job, then its volunteer is credited once by the rounded hours, however often it is confirmed', async () => {
    const v = await makeVolunteer(ds, tree.community);
    const { jobId } = await makeCompletedJob(ds, tree.community, v.id, 107, supAId); // 1 h 47 → 1.5 h (half hours, down)
    const first = await api(t.baseUrl, 'POST', `/api/timebank/jobs/${jobId}/confirm`, dispatcher, { by: 'recipient' });
    expect(first.status).toBe(200);
    expect(first.body).toMatchObject({ status: 'credited', units: 150, overCapUnits: 0 });
    const again = await api(t.baseUrl, 'POST', `/api/timebank/jobs/${jobId}/confirm`, dispatcher, { by: 'recipient' });
    expect(again.body).toMatchObject({ status: 'already-credited', transactionId: first.body.transactionId, units: 150 });
    expect(await t.app.services.timebank.earning.creditJob(jobId)).toMatchObject({ status: 'already-credited' });
    expect(await t.app.services.timebank.earning.sweep()).toBe(0);
    expect(await balance(v.id)).toBe(150);
    expect(await cached(v.id)).toBe(150);
    const entries = await ds.query(`SELECT leg, account_id, units, kind, idempotency_key FROM time_coin_entry WHERE transaction_id = $1 ORDER BY leg`, [first.body.transactionId]);
    expect(entries).toEqual([
      { leg: 'credit', account_id: `volunteer:${v.id}`, units: 150, kind: 'earn', idempotency_key: `earn:job:${jobId}` },
      { leg: 'debit', account_id: 'system:issuer', units: -150, kind: 'earn', idempotency_key: `earn:job:${jobId}` },
    ]);
    const statement = await api(t.baseUrl, 'GET', `/api/timebank/volunteers/${v.id}/statement`, dispatcher);
    expect(statement.status).toBe(200);
    expect(statement.body).toMatchObject({ balanceUnits: 150, total: 1, summary: { issued: 150, closing: 150 } });
    expect(statement.body.lines[0]).toMatchObject({ kind: 'earn', units: 150, balance: 150, reference: `job:${jobId}` });
    const [audit] = await ds.query(`SELECT count(*)::int AS n FROM audit_log WHERE action = 'timebank.earn.job' AND subject_id = $1`, [v.id]);
    expect(audit.n).toBe(1);
    await ledgerIsSound();
  });

  it('when a job has no check-out or is not completed, then confirming it credits nothing and says why; the sweep credits it once a satisfied 回访 exists', async () => {
    const v = await makeVolunteer(ds, tree.community);
    const open = await makeCompletedJob(ds, tree.community, v.id, 60, supAId, { status: 'on_site' });
    const refused = await api(t.baseUrl, 'POST', `/api/timebank/jobs/${open.jobId}/confirm`, dispatcher, { by: 'recipient' });
    expect(refused.body).toMatchObject({ status: 'refused', code: 'ledger/job-not-completed', units: 0 });
    expect(await balance(v.id)).toBe(0);

    const surveyed = await makeCompletedJob(ds, tree.community, v.id, 120, supAId);
    expect(await t.app.services.timebank.earning.sweep()).toBe(0); // not confirmed yet
    await ds.query(`INSERT INTO care_task (kind, ticket_id, slot, district_code, risk_rank, due_at, status, outcome, satisfaction, resolved) VALUES ('survey', $1, 'r1', $2, 3, now(), 'done', 'reached', 'satisfied', true)`, [surveyed.ticketId, tree.community]);
    expect(await t.app.services.timebank.earning.sweep()).toBe(1);
    expect(await t.app.services.timebank.earning.sweep()).toBe(0);
    expect(await balance(v.id)).toBe(200);
    const [note] = await ds.query(`SELECT note FROM time_coin_entry WHERE idempotency_key = $1 AND leg = 'credit'`, [`earn:job:${surveyed.jobId}`]);
    expect(note.note).toBe('confirmed by callback');
  });
});

describe('the shop', () => {
  it('when a service redemption is cancelled, then its work order is cancelled with it; a dispatcher is told to have the order cancelled; a service under way cannot be cancelled', async () => {
    const v = await makeVolunteer(ds, tree.community);
    const { jobId } = await makeCompletedJob(ds, tree.community, v.id, 300, supAId);
    await api(t.baseUrl, 'POST', `/api/timebank/jobs/${jobId}/confirm`, dispatcher, { by: 'recipient' });
    const person = await makePerson(ds, tree.community);
    const item = await api(t.baseUrl, 'POST', '/api/timebank/shop/items', supA, { kind: 'service', name: '上门助浴', priceUnits: 100, serviceType: 'help_walk' });
    expect(item.status).toBe(201);
    const redeem = async () => {
      const placed = await api(t.baseUrl, 'POST', '/api/timebank/redemptions', dispatcher, { volunteerId: v.id, itemId: item.body.id, recipientPersonId: person.id, idempotencyKey: randomUUID() });
      expect(placed.status).toBe(201);
      expect(placed.body.ticketId).toEqual(expect.any(String));
      return placed.body as { id: string; ticketId: string };
    };
    const ticketStatus = async (id: string) => (await ds.query(`SELECT status FROM ticket WHERE id = $1`, [id]))[0].status;

    const first = await redeem();
    expect(await balance(v.id)).toBe(400);
    const refused = await api(t.baseUrl, 'POST', `/api/timebank/redemptions/${first.id}/cancel`, dispatcher, { reason: '不需要了' });
    expect(refused.status).toBe(409);
    expect(refused.body.error.code).toBe('timebank/order-needs-hotline');
    expect(await ticketStatus(first.ticketId)).toBe('accepted');
    expect(await balance(v.id)).toBe(400);
    const cancelled = await api(t.baseUrl, 'POST', `/api/timebank/redemptions/${first.id}/cancel`, supA, { reason: '不需要了' });
    expect(cancelled.status).toBe(200);
    expect(cancelled.body.status).toBe('cancelled');
    expect(await ticketStatus(first.ticketId)).toBe('cancelled');
    const [event] = await ds.query(`SELECT note FROM ticket_event WHERE ticket_id = $1 AND kind = 'cancel'`, [first.ticketId]);
    expect(event.note).toContain('不需要了');
    expect(await balance(v.id)).toBe(500);

    const second = await redeem();
    await ds.query(`UPDATE ticket SET status = 'in_service' WHERE id = $1`, [second.ticketId]);
    const late = await api(t.baseUrl, 'POST', `/api/timebank/redemptions/${second.id}/cancel`, supA, { reason: '太晚了' });
    expect(late.status).toBe(409);
    expect(late.body.error.code).toBe('timebank/service-under-way');
    expect((await ds.query(`SELECT status FROM shop_redemption WHERE id = $1`, [second.id]))[0].status).toBe('placed');
    expect(await balance(v.id)).toBe(400);
    await ledgerIsSound();
  });

  it('when the last piece is redeemed, then stock and coins move together; a retry is the same redemption; a second buyer is refused; a cancellation refunds by a new pair', async () => {
    const v = await makeVolunteer(ds, tree.community);
    const { jobId } = await makeCompletedJob(ds, tree.community, v.id, 180, supAId);
    await api(t.baseUrl, 'POST', `/api/timebank/jobs/${jobId}/confirm`, dispatcher, { by: 'recipient' });
    const item = await api(t.baseUrl, 'POST', '/api/timebank/shop/items', supA, { kind: 'goods', name: '保温杯', priceUnits: 120, stock: 1 });
    expect(item.status).toBe(201);
    expect((await api(t.baseUrl, 'POST', '/api/timebank/shop/items', dispatcher, { kind: 'goods', name: '雨伞', priceUnits: 10, stock: 1 })).status).toBe(403);

    const key = randomUUID();
    const placed = await api(t.baseUrl, 'POST', '/api/timebank/redemptions', dispatcher, { volunteerId: v.id, itemId: item.body.id, idempotencyKey: key });
    expect(placed.status).toBe(201);
    expect(placed.body).toMatchObject({ status: 'placed', units: 120, quantity: 1, kind: 'goods' });
    expect((await ds.query(`SELECT stock FROM shop_item WHERE id = $1`, [item.body.id]))[0].stock).toBe(0);
    const replay = await api(t.baseUrl, 'POST', '/api/timebank/redemptions', dispatcher, { volunteerId: v.id, itemId: item.body.id, idempotencyKey: key });
    expect(replay.status).toBe(200);
    expect(replay.body).toMatchObject({ id: placed.body.id, replayed: true });
    const second = await api(t.baseUrl, 'POST', '/api/timebank/redemptions', dispatcher, { volunteerId: v.id, itemId: item.body.id, idempotencyKey: randomUUID() });
    expect(second.status).toBe(409);
    expect(second.body.error.code).toBe('timebank/out-of-stock');
    expect(await balance(v.id)).toBe(300 - 120);
    const [stock] = await ds.query(`SELECT stock FROM shop_item WHERE id = $1`, [item.body.id]);
    expect(stock.stock).toBe(0);

    const cancelled = await api(t.baseUrl, 'POST', `/api/timebank/redemptions/${placed.body.id}/cancel`, dispatcher, { reason: '志愿者不要了' });
    expect(cancelled.status).toBe(200);
    expect(cancelled.body).toMatchObject({ status: 'cancelled', refundTransactionId: expect.any(String) });
    expect((await api(t.baseUrl, 'POST', `/api/timebank/redemptions/${placed.body.id}/cancel`, dispatcher, { reason: '再取消' })).body.error.code).toBe('timebank/redemption-cancelled');
    expect(await balance(v.id)).toBe(300);
    expect(await cached(v.id)).toBe(300);
    const [back] = await ds.query(`SELECT stock FROM shop_item WHERE id = $1`, [item.body.id]);
    expect(back.stock).toBe(1);
    const kinds = await ds.query(`SELECT kind, units FROM time_coin_entry WHERE account_id = $1 ORDER BY seq`, [`volunteer:${v.id}`]);
    expect(kinds).toEqual([{ kind: 'earn', units: 300 }, { kind: 'redeem_goods', units: -120 }, { kind: 'refund', units: 120 }]);
    await ledgerIsSound();
  });

  it('when a volunteer has too few coins, then the redemption is refused and the stock is untouched', async () => {
    const v = await makeVolunteer(ds, tree.community);
    const item = await api(t.baseUrl, 'POST', '/api/timebank/shop/items', supA, { kind: 'goods', name: '大米', priceUnits: 500, stock: 3 });
    const refused = await api(t.baseUrl, 'POST', '/api/timebank/redemptions', dispatcher, { volunteerId: v.id, itemId: item.body.id, idempotencyKey: randomUUID() });
    expect(refused.status).toBe(409);
    expect(refused.body.error.code).toBe('ledger/insufficient-balance');
    const [stock] = await ds.query(`SELECT stock FROM shop_item WHERE id = $1`, [item.body.id]);
    expect(stock.stock).toBe(3);
    expect(await ds.query(`SELECT id FROM shop_redemption WHERE volunteer_id = $1`, [v.id])).toEqual([]);
  });
});

describe('maker-checker', () => {
  it('when a supervisor asks for an adjustment, then nothing moves until a different supervisor approves; a reversal is a new mirrored pair', async () => {
    const v = await makeVolunteer(ds, tree.community);
    const { jobId } = await makeCompletedJob(ds, tree.community, v.id, 60, supAId);
    const earned = await api(t.baseUrl, 'POST', `/api/timebank/jobs/${jobId}/confirm`, dispatcher, { by: 'recipient' });
    const asked = await api(t.baseUrl, 'POST', '/api/timebank/approvals', supA, { type: 'adjust', volunteerId: v.id, units: 50, note: '补录活动时长' });
    expect(asked.status).toBe(201);
    expect(asked.body).toMatchObject({ status: 'pending', units: 50, accountId: `volunteer:${v.id}` });
    expect(await balance(v.id)).toBe(100);
    const self = await api(t.baseUrl, 'POST', `/api/timebank/approvals/${asked.body.id}/approve`, supA, {});
    expect(self.status).toBe(409);
    expect(self.body.error.code).toBe('ledger/checker-is-maker');
    expect((await api(t.baseUrl, 'POST', `/api/timebank/approvals/${asked.body.id}/approve`, dispatcher, {})).status).toBe(403);
    expect((await api(t.baseUrl, 'POST', `/api/timebank/approvals/${asked.body.id}/approve`, outsider, {})).status).toBe(404);
    const approved = await api(t.baseUrl, 'POST', `/api/timebank/approvals/${asked.body.id}/approve`, supB, {});
    expect(approved.status).toBe(200);
    expect(approved.body).toMatchObject({ status: 'approved', resultTransactionId: expect.any(String) });
    expect(await balance(v.id)).toBe(150);
    const [adj] = await ds.query(`SELECT maker_id, checker_id, kind FROM time_coin_entry WHERE transaction_id = $1 AND leg = 'credit'`, [approved.body.resultTransactionId]);
    expect(adj).toMatchObject({ maker_id: supAId, kind: 'adjustment' });
    expect(adj.checker_id).not.toBe(supAId);
    expect((await api(t.baseUrl, 'POST', `/api/timebank/approvals/${asked.body.id}/approve`, supB, {})).body.error.code).toBe('timebank/approval-not-pending');

    const reverse = await api(t.baseUrl, 'POST', '/api/timebank/approvals', supB, { type: 'reverse', transactionId: earned.body.transactionId, note: '任务记录有误' });
    expect(reverse.status).toBe(201);
    const undone = await api(t.baseUrl, 'POST', `/api/timebank/approvals/${reverse.body.id}/approve`, supA, {});
    expect(undone.status).toBe(200);
    expect(await balance(v.id)).toBe(50);
    const mirror = await ds.query(`SELECT leg, account_id, units, reverses_transaction_id FROM time_coin_entry WHERE transaction_id = $1 ORDER BY leg`, [undone.body.resultTransactionId]);
    expect(mirror).toEqual([
      { leg: 'credit', account_id: 'system:issuer', units: 100, reverses_transaction_id: earned.body.transactionId },
      { leg: 'debit', account_id: `volunteer:${v.id}`, units: -100, reverses_transaction_id: earned.body.transactionId },
    ]);
    const twice = await api(t.baseUrl, 'POST', '/api/timebank/approvals', supB, { type: 'reverse', transactionId: earned.body.transactionId, note: '再冲一次' });
    const refused = await api(t.baseUrl, 'POST', `/api/timebank/approvals/${twice.body.id}/approve`, supA, {});
    expect(refused.status).toBe(409);
    expect(refused.body.error.code).toBe('ledger/already-reversed');
    const [still] = await ds.query(`SELECT status FROM timebank_approval WHERE id = $1`, [twice.body.id]);
    expect(still.status).toBe('pending');
    await expect(ds.query(`UPDATE time_coin_entry SET units = 1 WHERE transaction_id = $1`, [earned.body.transactionId])).rejects.toThrow(/append-only/);
    await ledgerIsSound();
  });
});

describe('roles and scope', () => {
  it('when an agent or an outsider reads a statement, then it is 403 and 404', async () => {
    const v = await makeVolunteer(ds, tree.community);
    expect((await api(t.baseUrl, 'GET', `/api/timebank/volunteers/${v.id}/statement`, agent)).status).toBe(403);
    const hidden = await api(t.baseUrl, 'GET', `/api/timebank/volunteers/${v.id}/statement`, outsider);
    expect(hidden.status).toBe(404);
    expect(hidden.body.error.code).toBe('timebank/not-found');
    expect((await api(t.baseUrl, 'GET', `/api/timebank/volunteers/${randomUUID()}/statement`, supA)).status).toBe(404);
  });
});
