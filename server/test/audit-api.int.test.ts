/**
 * The auditor's API (search, verify, CSV export) and the group-committed audit write under one bad request.
 */
import type { DataSource } from 'typeorm';
import type { StaffRole } from '../src/staff/staff-user.entity';
import { makePerson } from './support/factories';
import { api, login, makeDistricts, makeUser, startTestApp, uniq, type RunningApp } from './support/test-app';

let t: RunningApp;
let ds: DataSource;
let tree: Awaited<ReturnType<typeof makeDistricts>>;
let auditorToken: string;
let auditorName: string;
let agent: { id: string; username: string; token: string };
let personId: string;

beforeAll(async () => {
  // The paging test moves the clock hours ahead: no idle timeout for the auditor's session here.
  t = await startTestApp({ env: { SESSION_IDLE_MINUTES: '1440' } });
  ds = t.ds;
  tree = await makeDistricts(ds);
  const auditor = await makeUser(ds, 'auditor', tree.city);
  auditorName = auditor.username;
  auditorToken = await login(t.baseUrl, auditor.username);
  const a = await makeUser(ds, 'agent', tree.district);
  agent = { id: a.id, username: a.username, token: await login(t.baseUrl, a.username) };
  personId = (await makePerson(ds, tree.district)).id;
});
afterAll(() => t.close());

const search = (qs: string, token = auditorToken) => api(t.baseUrl, 'GET', `/api/audit?${qs}`, token);
const lastEntry = async (action: string, username: string) =>
  (await ds.query('SELECT action, purpose, outcome, subjects FROM audit_log WHERE action = $1 AND actor_username = $2 ORDER BY id DESC LIMIT 1', [action, username]))[0];

describe('one bad request among many reads', () => {
  it('when 300 reads run at once and one carries a NUL byte in ?purpose, then every other read answers 200 and is audited', async () => {
    const tag = uniq();
    const results = await Promise.all(
      Array.from({ length: 300 }, (_, i) =>
        fetch(`${t.baseUrl}/api/persons/${personId}?purpose=${encodeURIComponent(i === 123 ? `bad\u0000${tag}` : `load-${tag}`)}`, { headers: { authorization: `Bearer ${agent.token}` } }).then((r) => r.status),
      ),
    );
    const others = results.filter((_, i) => i !== 123);
    expect(others.every((s) => s === 200)).toBe(true);
    expect(results[123]).toBeLessThan(500); // 200 (stored escaped) or a 4xx from an input guard: never a 500
    const [{ n }] = await ds.query('SELECT count(*)::int AS n FROM audit_log WHERE actor_username = $1 AND purpose = $2', [agent.username, `load-${tag}`]);
    expect(n).toBe(299);
  }, 60_000);
});

describe('GET /api/audit', () => {
  it('when the auditor searches by person, actor, action, purpose and outcome, then only matching entries come back, and the search is itself audited', async () => {
    const purpose = `回访核对-${uniq()}`;
    expect((await api(t.baseUrl, 'GET', `/api/persons/${personId}?purpose=${encodeURIComponent(purpose)}`, agent.token)).status).toBe(200);

    const byPerson = await search(`person=${personId}`);
    expect(byPerson.status).toBe(200);
    expect(byPerson.body.items.length).toBeGreaterThan(0);
    expect(byPerson.body.items.every((i: { subjects: string[] }) => i.subjects.includes(`person:${personId}`))).toBe(true);
    expect(byPerson.body.items[0]).toMatchObject({ action: 'person.read', actorUsername: agent.username, purpose, outcome: 'ok', subjectType: 'person', subjectId: personId });

    const byAll = await search(`actor=${agent.username}&action=person.&purpose=${encodeURIComponent(purpose.slice(2))}&outcome=ok`);
    expect(byAll.body.items).toHaveLength(1);
    expect((await search(`actor=${agent.username}&action=ticket.`)).body.items).toEqual([]);
    expect((await search(`actor=${agent.username}&outcome=denied`)).body.items).toEqual([]);
    // LIKE wildcards are plain characters
    expect((await search(`actor=${agent.username}&purpose=%25`)).body.items).toEqual([]);

    expect(await lastEntry('audit.search', auditorName)).toMatchObject({ outcome: 'ok', purpose: expect.stringContaining(`actor=${agent.username}`) });
  });

  it('when the auditor searches a time range and pages with the cursor, then each page is the next older slice', async () => {
    const tag = `page-${uniq()}`;
    const audit = t.app.services.audit;
    for (let i = 0; i < 3; i++) {
      await audit.record({ actorId: null, actorUsername: tag, action: 'person.read', purpose: `p${i}`, outcome: 'ok' });
      t.clock.advance(60 * 60_000);
    }
    const first = await search(`actor=${tag}&limit=2`);
    expect(first.body.items.map((i: { purpose: string }) => i.purpose)).toEqual(['p2', 'p1']);
    expect(first.body.nextCursor).toEqual(first.body.items[1].id);
    const second = await search(`actor=${tag}&limit=2&before=${first.body.nextCursor}`);
    expect(second.body).toMatchObject({ items: [expect.objectContaining({ purpose: 'p0' })], nextCursor: null });

    const t0 = new Date(first.body.items[1].at); // p1's time
    const ranged = await search(`actor=${tag}&from=${encodeURIComponent(new Date(t0.getTime() - 1000).toISOString())}&to=${encodeURIComponent(new Date(t0.getTime() + 1000).toISOString())}`);
    expect(ranged.body.items.map((i: { purpose: string }) => i.purpose)).toEqual(['p1']);
  });

  it.each([
    ['person=not-a-uuid'],
    ['from=2026-12-02T00:00:00Z&to=2026-12-01T00:00:00Z'],
    ['from=yesterday'],
    ['limit=1000'],
    ['before=abc'],
    ['actor=a%00b'],
    ['action=person%25'],
    ['unknown=1'],
    ['actor=a&actor=b'],
  ])('when the query is %s, then 400 with the reason', async (qs) => {
    const r = await search(qs);
    expect(r.status).toBe(400);
    // a NUL is refused at the edge, before the query schema
    expect(r.body.error.code).toBe(qs.includes('%00') ? 'validation/control-characters' : 'validation/invalid');
  });

  it.each(['agent', 'dispatcher', 'supervisor', 'admin', 'security_admin'] as StaffRole[])('when a %s asks, then 403 on search, verify and export', async (role) => {
    const u = await makeUser(ds, role, tree.city);
    const token = await login(t.baseUrl, u.username);
    expect((await search('', token)).status).toBe(403);
    expect((await api(t.baseUrl, 'POST', '/api/audit/verify', token)).status).toBe(403);
    expect((await fetch(`${t.baseUrl}/api/audit/export.csv`, { headers: { authorization: `Bearer ${token}` } })).status).toBe(403);
  });

  it('when nobody is logged in, then 401', async () => {
    expect((await api(t.baseUrl, 'GET', '/api/audit')).status).toBe(401);
    expect((await api(t.baseUrl, 'POST', '/api/audit/verify')).status).toBe(401);
  });
});

describe('POST /api/audit/verify', () => {
  it('when the auditor verifies, then the result is returned and the check is audited', async () => {
    const r = await api(t.baseUrl, 'POST', '/api/audit/verify', auditorToken);
    expect(r.status).toBe(200);
    expect(r.body).toMatchObject({ ok: true, checkedRows: expect.any(Number), checkpointsChecked: expect.any(Number), unsealedForged: 0 });
    expect(await lastEntry('audit.verify', auditorName)).toMatchObject({ outcome: 'ok', purpose: expect.stringMatching(/^ok rows=\d+/) });
  });
});

describe('GET /api/audit/export.csv', () => {
  it('when the auditor exports a search, then a quoted, formula-safe CSV streams and the export is audited', async () => {
    const tag = `csv-${uniq()}`;
    const audit = t.app.services.audit;
    for (const purpose of ['=HYPERLINK("http://evil.example","点我")', '+1+2', '-3', '@SUM(A1)', '逗号,引号"换行\r\n结束', '普通']) {
      await audit.record({ actorId: null, actorUsername: tag, action: 'person.read', purpose, outcome: 'ok' });
    }
    const res = await fetch(`${t.baseUrl}/api/audit/export.csv?actor=${tag}`, { headers: { authorization: `Bearer ${auditorToken}` } });
    expect(res.status).toBe(200);
    expect(res.headers.get('content-type')).toMatch(/^text\/csv/);
    expect(res.headers.get('content-disposition')).toMatch(/^attachment; filename="audit-/);
    const bytes = Buffer.from(await res.arrayBuffer());
    expect([...bytes.subarray(0, 3)]).toEqual([0xef, 0xbb, 0xbf]); // BOM: spreadsheets then read the Chinese as UTF-8
    const text = bytes.subarray(3).toString('utf8');
    expect(text.startsWith('id,seq,at,actorUsername,')).toBe(true);
    const lines = text.split('\r\n').filter(Boolean);
    expect(lines).toHaveLength(7); // header + 6, each on one line (the CR LF in the purpose was escaped when stored)
    expect(text).toContain(`"'=HYPERLINK(""http://evil.example"",""点我"")"`);
    expect(text).toContain(`"'+1+2"`);
    expect(text).toContain(`"'-3"`);
    expect(text).toContain(`"'@SUM(A1)"`);
    expect(text).toContain('"逗号,引号""换行\\u000d\\u000a结束"');
    expect(await lastEntry('audit.export', auditorName)).toMatchObject({ outcome: 'ok', purpose: `actor=${tag}` });
  });

  it('when the export query is invalid, then 400 and nothing is exported', async () => {
    const res = await fetch(`${t.baseUrl}/api/audit/export.csv?person=x`, { headers: { authorization: `Bearer ${auditorToken}` } });
    expect(res.status).toBe(400);
  });
});
