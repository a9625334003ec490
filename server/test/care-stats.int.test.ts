/**
 * The supervisor's care figures over real HTTP on the test database: a fixture of care calls and 回访 with known
 * answers pins progress, 探访率 per risk tier, 满意率 (second rating after rework counts; 回访失败 never
 * satisfied), 解决率 and 回访失败 per street, month bounds in Asia/Shanghai, district scope (fail closed), and the
 * audited CSV export (BOM, content).
 */
import type { DataSource } from 'typeorm';
import { seedCareStats } from './support/care-stats-fixture';
import { api, login, makeDistricts, makeUser, startTestApp, TestClock, type RunningApp } from './support/test-app';

let t: RunningApp;
let ds: DataSource;
let tree: Awaited<ReturnType<typeof makeDistricts>>;
let streetB: string;
const tokens: Record<'supervisor' | 'city' | 'agent' | 'outsider' | 'streetB', string> = {} as never;
let supervisorName: string;

beforeAll(async () => {
  t = await startTestApp({ clock: new TestClock(new Date('2026-03-15T10:00:00+08:00')), env: { BACKGROUND_JOBS: 'off' } });
  ds = t.ds;
  tree = await makeDistricts(ds);
  const supervisor = await makeUser(ds, 'supervisor', tree.district);
  supervisorName = supervisor.username;
  ({ streetB } = await seedCareStats(ds, tree, supervisor.id));
  tokens.supervisor = await login(t.baseUrl, supervisor.username);
  tokens.city = await login(t.baseUrl, (await makeUser(ds, 'supervisor', tree.city)).username);
  tokens.agent = await login(t.baseUrl, (await makeUser(ds, 'agent', tree.district)).username);
  tokens.outsider = await login(t.baseUrl, (await makeUser(ds, 'supervisor', tree.otherDistrict)).username);
  tokens.streetB = await login(t.baseUrl, (await makeUser(ds, 'supervisor', streetB)).username);
});
afterAll(async () => {
  await t?.close();
});

const STREET_A = {
  progress: { due: 7, done: 3, unreached: 1, escalated: 2, pending: 1 },
  visits: { high: { due: 5, done: 2, rate: 40 }, key: { due: 1, done: 1, rate: 100 }, general: { due: 1, done: 0, rate: 0 }, all: { due: 7, done: 3, rate: 42.9 } },
  surveys: { counted: 5, satisfied: 2, reached: 4, resolved: 3, failed: 1, satisfactionRate: 40, resolutionRate: 75 },
};
const STREET_B = {
  progress: { due: 1, done: 1, unreached: 0, escalated: 0, pending: 0 },
  visits: { high: { due: 0, done: 0, rate: null }, key: { due: 0, done: 0, rate: null }, general: { due: 1, done: 1, rate: 100 }, all: { due: 1, done: 1, rate: 100 } },
  surveys: { counted: 1, satisfied: 1, reached: 1, resolved: 1, failed: 0, satisfactionRate: 100, resolutionRate: 100 },
};
const TOTAL = {
  progress: { due: 8, done: 4, unreached: 1, escalated: 2, pending: 1 },
  visits: { high: { due: 5, done: 2, rate: 40 }, key: { due: 1, done: 1, rate: 100 }, general: { due: 2, done: 1, rate: 50 }, all: { due: 8, done: 4, rate: 50 } },
  surveys: { counted: 6, satisfied: 3, reached: 5, resolved: 4, failed: 1, satisfactionRate: 50, resolutionRate: 80 },
};

describe('care figures', () => {
  it('when a district supervisor reads March, then each street and the total carry the fixture’s known figures', async () => {
    const r = await api(t.baseUrl, 'GET', '/api/care/stats?month=2026-03', tokens.supervisor);
    expect(r.status).toBe(200);
    expect(r.body).toMatchObject({ month: '2026-03', from: '2026-02-28T16:00:00.000Z', to: '2026-03-31T16:00:00.000Z', groupBy: 'street', district: null });
    expect(r.body.rows).toEqual([
      { code: tree.street, name: '测试街道', ...STREET_A },
      { code: streetB, name: '第二街道', ...STREET_B },
    ]);
    expect(r.body.total).toEqual({ code: null, name: null, ...TOTAL });
  });

  it('when no month is given, then the clock’s month in Shanghai is used; April holds the rework round and the survey due just after midnight', async () => {
    expect((await api(t.baseUrl, 'GET', '/api/care/stats', tokens.supervisor)).body.total).toEqual({ code: null, name: null, ...TOTAL });
    const april = await api(t.baseUrl, 'GET', '/api/care/stats?month=2026-04', tokens.supervisor);
    expect(april.body.total.progress).toEqual({ due: 1, done: 0, unreached: 0, escalated: 0, pending: 1 });
    // t7: first rating 不满意 in March, second (counted) 满意 in April; t10 due 00:10 on 1 April in Shanghai.
    expect(april.body.total.surveys).toEqual({ counted: 2, satisfied: 2, reached: 2, resolved: 2, failed: 0, satisfactionRate: 100, resolutionRate: 100 });
    const feb = await api(t.baseUrl, 'GET', '/api/care/stats?month=2026-02', tokens.supervisor);
    expect(feb.body.total.progress.due).toBe(1);
    expect(feb.body.total.surveys.counted).toBe(1);
  });

  it('when grouped by community or filtered to one street, then the same calls add up there', async () => {
    const byCommunity = await api(t.baseUrl, 'GET', `/api/care/stats?month=2026-03&groupBy=community`, tokens.supervisor);
    expect(byCommunity.body.rows.map((r: { code: string }) => r.code)).toEqual([tree.community, `${streetB}001`]);
    expect(byCommunity.body.rows[0]).toMatchObject({ name: '测试社区', ...STREET_A });
    const street = await api(t.baseUrl, 'GET', `/api/care/stats?month=2026-03&district=${streetB}`, tokens.supervisor);
    expect(street.body).toMatchObject({ groupBy: 'community', district: { code: streetB, name: '第二街道' } });
    expect(street.body.total).toMatchObject(STREET_B);
  });

  it('when a city supervisor filters by a district, then the figures are that district’s; the other district holds its own 回访失败', async () => {
    const mine = await api(t.baseUrl, 'GET', `/api/care/stats?month=2026-03&district=${tree.district}`, tokens.city);
    expect(mine.body.total).toEqual({ code: null, name: null, ...TOTAL });
    const other = await api(t.baseUrl, 'GET', `/api/care/stats?month=2026-03&district=${tree.otherDistrict}`, tokens.city);
    expect(other.body.total.progress).toMatchObject({ due: 1, done: 1 });
    expect(other.body.total.surveys).toEqual({ counted: 1, satisfied: 0, reached: 0, resolved: 0, failed: 1, satisfactionRate: 0, resolutionRate: null });
    const city = await api(t.baseUrl, 'GET', `/api/care/stats?month=2026-03&district=${tree.city}`, tokens.city);
    expect(city.body.groupBy).toBe('district');
    const rowOf = (code: string) => city.body.rows.find((r: { code: string }) => r.code === code);
    expect(rowOf(tree.district)).toMatchObject({ name: '测试区', ...TOTAL });
    expect(rowOf(tree.otherDistrict).progress.due).toBe(1);
  });

  it('when a supervisor asks outside their districts, then it answers 404 like a missing district; a street supervisor sees only the street', async () => {
    for (const district of [tree.otherDistrict, tree.city, '999999', tree.district]) {
      const r = await api(t.baseUrl, 'GET', `/api/care/stats?month=2026-03&district=${district}`, district === tree.district ? tokens.streetB : tokens.supervisor);
      expect({ district, status: r.status, code: r.body.error?.code }).toEqual({ district, status: 404, code: 'district/not-found' });
    }
    const outsider = await api(t.baseUrl, 'GET', '/api/care/stats?month=2026-03', tokens.outsider);
    expect(outsider.body.total.progress.due).toBe(1);
    // Its one task sits on the district itself (no street): one row, the district.
    expect(outsider.body.rows.map((r: { code: string; name: string }) => [r.code, r.name])).toEqual([[tree.otherDistrict, '另一区']]);
    const streetOnly = await api(t.baseUrl, 'GET', '/api/care/stats?month=2026-03', tokens.streetB);
    expect(streetOnly.body.total).toMatchObject(STREET_B);
  });

  it('when an agent asks or the input is bad, then 403 and 400 with a reason', async () => {
    expect((await api(t.baseUrl, 'GET', '/api/care/stats', tokens.agent)).status).toBe(403);
    expect((await api(t.baseUrl, 'GET', '/api/care/stats/export.csv', tokens.agent)).status).toBe(403);
    for (const q of ['month=2026-13', 'month=26-03', 'district=12', 'groupBy=city', 'month=2026-03&x=1', 'district=330106%00']) {
      const r = await api(t.baseUrl, 'GET', `/api/care/stats?${q}`, tokens.supervisor);
      expect({ q, status: r.status }).toEqual({ q, status: 400 });
      expect(r.body.error.code).toMatch(/^validation\//);
    }
  });
});

describe('CSV export', () => {
  it('when a supervisor exports March, then the CSV starts with a BOM, holds one line per street and the total, and the export is audited', async () => {
    const res = await fetch(`${t.baseUrl}/api/care/stats/export.csv?month=2026-03`, { headers: { authorization: `Bearer ${tokens.supervisor}` } });
    expect(res.status).toBe(200);
    expect(res.headers.get('content-type')).toBe('text/csv; charset=utf-8');
    expect(res.headers.get('content-disposition')).toBe('attachment; filename="care-stats-2026-03.csv"');
    const bytes = Buffer.from(await res.arrayBuffer());
    expect([...bytes.subarray(0, 3)]).toEqual([0xef, 0xbb, 0xbf]);
    const lines = bytes.toString('utf8').slice(1).split('\r\n');
    expect(lines[0]!.split(',').slice(0, 9)).toEqual(['"月份"', '"区划代码"', '"区划"', '"应访"', '"已访"', '"未接通"', '"已升级"', '"待处理"', '"探访率(%)"']);
    expect(lines[1]).toBe(`"2026-03","${tree.street}","测试街道","7","3","1","2","1","42.9","5","2","40","1","1","100","1","0","0","5","2","40","4","3","75","1"`);
    expect(lines[2]).toBe(`"2026-03","${streetB}","第二街道","1","1","0","0","0","100","0","0","","0","0","","1","1","100","1","1","100","1","1","100","0"`);
    expect(lines[3]).toBe(`"2026-03","","合计","8","4","1","2","1","50","5","2","40","1","1","100","2","1","50","6","3","50","5","4","80","1"`);
    expect(lines[4]).toBe('');
    const [entry] = await ds.query(`SELECT purpose, outcome FROM audit_log WHERE action = 'care.stats.export' AND actor_username = $1 ORDER BY id DESC LIMIT 1`, [supervisorName]);
    expect(entry).toEqual({ purpose: 'month=2026-03 district=scope groupBy=street', outcome: 'ok' });
  });

  it('when the export asks outside the scope, then 404 and nothing is audited as exported', async () => {
    const r = await api(t.baseUrl, 'GET', `/api/care/stats/export.csv?district=${tree.otherDistrict}`, tokens.supervisor);
    expect(r.status).toBe(404);
    const rows = await ds.query(`SELECT 1 FROM audit_log WHERE action = 'care.stats.export' AND actor_username = $1 AND purpose LIKE $2`, [supervisorName, `%${tree.otherDistrict}%`]);
    expect(rows).toEqual([]);
  });
});
