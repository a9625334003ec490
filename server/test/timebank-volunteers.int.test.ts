/**
 * Volunteers in the time bank over real HTTP: a public sign-up (no login, throttled per address) that staff
 * approve into a volunteer, training records and service history, and the volunteer's own portal: a one-time
 * link exchanged for a session that reads only their statement and redeems goods.
 */
import { randomInt, randomUUID } from 'node:crypto';
import type { DataSource } from 'typeorm';
import { makeCompletedJob } from './support/timebank-fixtures';
import { api, login, makeDistricts, makeUser, randomMobile, startTestApp, type RunningApp } from './support/test-app';

let t: RunningApp;
let ds: DataSource;
let tree: Awaited<ReturnType<typeof makeDistricts>>;
let dispatcher: string;
let dispatcherId: string;
let supervisor: string;
let outsider: string;

/**
 * The throttle counts per client address in the database that every test file shares, and they all call
 * from 127.0.0.1; the server trusts a loopback proxy's X-Forwarded-For, so each test here speaks as its own
 * address and counts only its own attempts.
 */
const ownAddress = () => `10.${randomInt(256)}.${randomInt(256)}.${randomInt(1, 255)}`;
async function publicPost(path: string, body: unknown, address: string): Promise<{ status: number; body: any; retryAfter: string | null }> {
  const res = await fetch(`${t.baseUrl}${path}`, { method: 'POST', headers: { 'content-type': 'application/json', 'x-forwarded-for': address }, body: JSON.stringify(body) });
  const text = await res.text();
  return { status: res.status, body: text ? JSON.parse(text) : null, retryAfter: res.headers.get('retry-after') };
}

beforeAll(async () => {
  t = await startTestApp({ env: { BACKGROUND_JOBS: 'off', TIMEBANK_SIGNUPS_PER_HOUR: '3' } });
  ds = t.ds;
  tree = await makeDistricts(ds);
  const d = await makeUser(ds, 'dispatcher', tree.district);
  dispatcherId = d.id;
  dispatcher = await login(t.baseUrl, d.username);
  supervisor = await login(t.baseUrl, (await makeUser(ds, 'supervisor', tree.district)).username);
  outsider = await login(t.baseUrl, (await makeUser(ds, 'dispatcher', tree.otherDistrict)).username);
});
afterAll(async () => {
  await t?.close();
});

it('when someone signs up on the public page and staff approve, then a volunteer exists; the volunteer opens their link once, sees only their own statement and redeems goods', async () => {
  const phone = randomMobile();
  const address = ownAddress();
  const options = await api(t.baseUrl, 'GET', '/api/public/volunteer-signup/options');
  expect(options.status).toBe(200);
  expect(options.body.districts).toEqual(expect.arrayContaining([{ code: tree.community, name: '测试社区' }]));
  const bad = await publicPost('/api/public/volunteer-signups', { name: '李', phone: '123', districtCode: tree.community, consent: true }, address);
  expect(bad.status).toBe(400);
  const sent = await publicPost('/api/public/volunteer-signups', { name: '李志愿', phone: phone.slice(3), districtCode: tree.community, skills: ['助行'], consent: true }, address);
  expect(sent.status).toBe(202);
  const again = await publicPost('/api/public/volunteer-signups', { name: '李志愿', phone: phone.slice(3), districtCode: tree.community, consent: true }, address);
  expect(again.body.signupId).toBe(sent.body.signupId);

  const pending = await api(t.baseUrl, 'GET', '/api/timebank/signups?status=pending', dispatcher);
  const mine = pending.body.items.find((s: { id: string }) => s.id === sent.body.signupId);
  expect(mine).toMatchObject({ name: '李志愿', status: 'pending' });
  expect(mine.phoneMasked).not.toContain(phone.slice(6, 10));
  expect((await api(t.baseUrl, 'POST', `/api/timebank/signups/${sent.body.signupId}/approve`, outsider, { gender: 'male', centreLat: 31.2, centreLng: 121.4, radiusKm: 3 })).status).toBe(404);
  const approved = await api(t.baseUrl, 'POST', `/api/timebank/signups/${sent.body.signupId}/approve`, dispatcher, { gender: 'male', centreLat: 31.2, centreLng: 121.4, radiusKm: 3 });
  expect(approved.status).toBe(200);
  const volunteerId = approved.body.volunteerId;
  const [v] = await ds.query(`SELECT name, phone_e164, district_code, skills FROM volunteer WHERE id = $1`, [volunteerId]);
  expect(v).toEqual({ name: '李志愿', phone_e164: phone, district_code: tree.community, skills: ['助行'] });
  expect((await api(t.baseUrl, 'POST', `/api/timebank/signups/${sent.body.signupId}/approve`, dispatcher, { gender: 'male', centreLat: 31.2, centreLng: 121.4, radiusKm: 3 })).body.error.code).toBe('timebank/signup-not-pending');

  expect((await api(t.baseUrl, 'POST', `/api/timebank/volunteers/${volunteerId}/trainings`, dispatcher, { course: '助残服务基础', hours: 2.5, completedOn: '2026-02-20' })).status).toBe(201);
  const { jobId } = await makeCompletedJob(ds, tree.community, volunteerId, 150, dispatcherId);
  await api(t.baseUrl, 'POST', `/api/timebank/jobs/${jobId}/confirm`, dispatcher, { by: 'recipient' });
  const profile = await api(t.baseUrl, 'GET', `/api/timebank/volunteers/${volunteerId}`, dispatcher);
  expect(profile.body).toMatchObject({ name: '李志愿', balanceUnits: 250, service: { jobs: 1, minutes: 150, units: 250 }, trainings: [{ course: '助残服务基础', hours: 2.5, completedOn: '2026-02-20' }] });
  const history = await api(t.baseUrl, 'GET', `/api/timebank/volunteers/${volunteerId}/service-history`, dispatcher);
  expect(history.body).toMatchObject({ totalMinutes: 150, totalUnits: 250, items: [{ kind: 'job', refId: jobId, minutes: 150, units: 250 }] });
  const list = await api(t.baseUrl, 'GET', `/api/timebank/volunteers?q=${encodeURIComponent('李志愿')}`, dispatcher);
  expect(list.body.items).toEqual([expect.objectContaining({ volunteerId, balanceUnits: 250 })]);

  const link = await api(t.baseUrl, 'POST', `/api/timebank/volunteers/${volunteerId}/portal-link`, dispatcher, {});
  expect(link.status).toBe(201);
  const session = await publicPost('/api/volunteer-portal/session', { code: link.body.code }, address);
  expect(session.status).toBe(200);
  expect((await publicPost('/api/volunteer-portal/session', { code: link.body.code }, address)).body.error.code).toBe('timebank/link-invalid');
  const token = session.body.token;
  const me = await api(t.baseUrl, 'GET', '/api/volunteer-portal/me', token);
  expect(me.body).toEqual({ volunteerId, name: '李志愿', balanceUnits: 250 });
  const statement = await api(t.baseUrl, 'GET', '/api/volunteer-portal/statement', token);
  expect(statement.body).toMatchObject({ volunteerId, balanceUnits: 250, lines: [{ kind: 'earn', units: 250 }] });
  expect((await api(t.baseUrl, 'GET', '/api/volunteer-portal/statement', dispatcher)).status).toBe(401);
  expect((await api(t.baseUrl, 'GET', `/api/timebank/volunteers/${volunteerId}/statement`, token)).status).toBe(401);

  const item = await api(t.baseUrl, 'POST', '/api/timebank/shop/items', supervisor, { kind: 'goods', name: '毛巾', priceUnits: 100, stock: 5 });
  const service = await api(t.baseUrl, 'POST', '/api/timebank/shop/items', supervisor, { kind: 'service', name: '上门理发', priceUnits: 100, serviceType: 'help_walk' });
  const shop = await api(t.baseUrl, 'GET', '/api/volunteer-portal/shop', token);
  expect(shop.body.map((i: { id: string }) => i.id)).toEqual(expect.arrayContaining([item.body.id, service.body.id]));
  const bought = await api(t.baseUrl, 'POST', '/api/volunteer-portal/redemptions', token, { itemId: item.body.id, quantity: 2, idempotencyKey: randomUUID() });
  expect(bought.status).toBe(201);
  expect(bought.body).toMatchObject({ volunteerId, units: 200, placedBy: null });
  expect((await api(t.baseUrl, 'POST', '/api/volunteer-portal/redemptions', token, { itemId: service.body.id, idempotencyKey: randomUUID() })).body.error.code).toBe('timebank/service-needs-staff');
  expect((await api(t.baseUrl, 'POST', '/api/volunteer-portal/logout', token)).status).toBe(204);
  expect((await api(t.baseUrl, 'GET', '/api/volunteer-portal/me', token)).body.error.code).toBe('timebank/portal-unauthenticated');
});

it('when one address keeps signing up, then it is throttled with Retry-After', async () => {
  let last = 0;
  let retry: string | null = null;
  const address = ownAddress();
  for (let i = 0; i < 5; i++) {
    const res = await publicPost('/api/public/volunteer-signups', { name: '王报名', phone: randomMobile(), districtCode: tree.community, consent: true }, address);
    last = res.status;
    retry = res.retryAfter;
  }
  // Another address is not held back by this one.
  expect((await publicPost('/api/public/volunteer-signups', { name: '赵报名', phone: randomMobile(), districtCode: tree.community, consent: true }, ownAddress())).status).toBe(202);
  expect(last).toBe(429);
  expect(Number(retry)).toBeGreaterThan(0);
});
