/**
 * Volunteer activities (志愿助残活动) over real HTTP: capacity holds when many sign up at once, attendance is
 * recorded per volunteer, and crediting pays each attendee by their own hours once (again: nothing).
 */
import type { DataSource } from 'typeorm';
import { makeVolunteer } from './support/timebank-fixtures';
import { api, login, makeDistricts, makeUser, startTestApp, type RunningApp } from './support/test-app';

let t: RunningApp;
let ds: DataSource;
let tree: Awaited<ReturnType<typeof makeDistricts>>;
let dispatcher: string;
let outsider: string;

beforeAll(async () => {
  t = await startTestApp({ env: { BACKGROUND_JOBS: 'off' } });
  ds = t.ds;
  tree = await makeDistricts(ds);
  dispatcher = await login(t.baseUrl, (await makeUser(ds, 'dispatcher', tree.district)).username);
  outsider = await login(t.baseUrl, (await makeUser(ds, 'dispatcher', tree.otherDistrict)).username);
});
afterAll(async () => {
  await t?.close();
});

it('when six volunteers sign up at once for four places, then four get in; attendance credits each attendee by their own hours, once', async () => {
  const created = await api(t.baseUrl, 'POST', '/api/timebank/activities', dispatcher, {
    title: '助残义诊', districtCode: tree.community, location: '社区服务中心', startsAt: '2026-03-07T09:00:00+08:00', endsAt: '2026-03-07T12:00:00+08:00', capacity: 4,
  });
  expect(created.status).toBe(201);
  const id = created.body.id;
  expect((await api(t.baseUrl, 'GET', `/api/timebank/activities/${id}`, outsider)).status).toBe(404);
  const people = await Promise.all(Array.from({ length: 6 }, () => makeVolunteer(ds, tree.community)));
  const results = await Promise.all(people.map((p) => api(t.baseUrl, 'POST', `/api/timebank/activities/${id}/signups`, dispatcher, { volunteerId: p.id })));
  expect(results.filter((r) => r.status === 201)).toHaveLength(4);
  expect(results.filter((r) => r.status === 409).map((r) => r.body.error.code)).toEqual(['timebank/activity-full', 'timebank/activity-full']);
  const [row] = await ds.query(`SELECT signed_up, (SELECT count(*)::int FROM timebank_activity_signup WHERE activity_id = $1) AS n FROM timebank_activity WHERE id = $1`, [id]);
  expect(row).toEqual({ signed_up: 4, n: 4 });

  const inside = people.filter((_, i) => results[i]!.status === 201);
  const again = await api(t.baseUrl, 'POST', `/api/timebank/activities/${id}/signups`, dispatcher, { volunteerId: inside[0]!.id });
  expect(again.status).toBe(200);
  const attendance = await api(t.baseUrl, 'PUT', `/api/timebank/activities/${id}/attendance`, dispatcher, {
    lines: [
      { volunteerId: inside[0]!.id, attended: true, checkInAt: '2026-03-07T09:00:00+08:00', checkOutAt: '2026-03-07T12:00:00+08:00' },
      { volunteerId: inside[1]!.id, attended: true, checkInAt: '2026-03-07T09:30:00+08:00', checkOutAt: '2026-03-07T11:10:00+08:00' },
      { volunteerId: inside[2]!.id, attended: false },
    ],
  });
  expect(attendance.status).toBe(200);
  const credit = await api(t.baseUrl, 'POST', `/api/timebank/activities/${id}/credit`, dispatcher, {});
  expect(credit.status).toBe(200);
  expect(credit.body.credited).toEqual(expect.arrayContaining([
    { volunteerId: inside[0]!.id, units: 300, transactionId: expect.any(String) },
    { volunteerId: inside[1]!.id, units: 150, transactionId: expect.any(String) },
  ]));
  expect(credit.body.credited).toHaveLength(2);
  expect(credit.body.activity.status).toBe('closed');
  const twice = await api(t.baseUrl, 'POST', `/api/timebank/activities/${id}/credit`, dispatcher, {});
  expect(twice.body.credited).toEqual([]);
  expect(twice.body.skipped.map((s: { code: string }) => s.code)).toEqual(['already-credited', 'already-credited']);
  const sums = await ds.query(`SELECT account_id, sum(units)::int AS units FROM time_coin_entry WHERE reference = $1 AND leg = 'credit' GROUP BY account_id ORDER BY 2 DESC`, [`activity:${id}`]);
  expect(sums).toEqual([{ account_id: `volunteer:${inside[0]!.id}`, units: 300 }, { account_id: `volunteer:${inside[1]!.id}`, units: 150 }]);
  const roster = await api(t.baseUrl, 'GET', `/api/timebank/activities/${id}`, dispatcher);
  expect(roster.body.roster.find((l: { volunteerId: string }) => l.volunteerId === inside[0]!.id)).toMatchObject({ attended: true, creditedUnits: 300 });
  expect((await api(t.baseUrl, 'POST', `/api/timebank/activities/${id}/signups`, dispatcher, { volunteerId: people.find((p) => !inside.includes(p))!.id })).body.error.code).toBe('timebank/activity-closed');
});
