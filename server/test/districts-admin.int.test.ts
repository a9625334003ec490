/**
 * District administration over real HTTP and a real database (issue 8): the CSV import writes every row or
 * none and names each bad line; rename; retire refused while persons, open orders or staff remain, and
 * never a delete; scope fails closed.
 */
import { randomInt } from 'node:crypto';
import type { DataSource } from 'typeorm';
import { makePerson } from './support/factories';
import { api, login, makeDistricts, makeUser, startTestApp, type RunningApp } from './support/test-app';

let t: RunningApp;
let ds: DataSource;
let tree: Awaited<ReturnType<typeof makeDistricts>>;
let admin: string;
let supervisor: string;

beforeAll(async () => {
  t = await startTestApp({ env: { BACKGROUND_JOBS: 'off' } });
  ds = t.ds;
  tree = await makeDistricts(ds);
  admin = await login(t.baseUrl, (await makeUser(ds, 'admin', tree.city)).username);
  supervisor = await login(t.baseUrl, (await makeUser(ds, 'supervisor', tree.city)).username);
});
afterAll(() => t.close());

async function importCsv(token: string, csv: string): Promise<{ status: number; body: any }> {
  const res = await fetch(`${t.baseUrl}/api/districts/import`, { method: 'POST', headers: { authorization: `Bearer ${token}`, 'content-type': 'text/csv' }, body: csv });
  return { status: res.status, body: await res.json() };
}

/** A free 区 code under the test city (its first four digits) and a CSV of a 区 with a street and a community. */
async function freshDistrictCsv(): Promise<{ code: string; csv: string }> {
  for (;;) {
    const code = `${tree.city.slice(0, 4)}${String(randomInt(10, 100))}`;
    if ((await ds.query('SELECT 1 FROM district WHERE code = $1', [code])).length) continue;
    return { code, csv: `代码,名称,上级代码\n${code},新区${code},${tree.city}\n${code}001000,新街道,${code}\n${code}001001,新社区,${code}001000\n` };
  }
}

const codesUnder = async (prefix: string) => (await ds.query('SELECT code FROM district WHERE code LIKE $1 ORDER BY code', [`${prefix}%`])).map((r: { code: string }) => r.code);

describe('district import', () => {
  it('when a clean CSV is imported, then every district is written with its level and parent, and the import is audited', async () => {
    const { code, csv } = await freshDistrictCsv();
    const r = await importCsv(admin, csv);
    expect(r).toEqual({ status: 201, body: { created: 3 } });
    const rows = await ds.query('SELECT code, level, parent_code FROM district WHERE code LIKE $1 ORDER BY code', [`${code}%`]);
    expect(rows).toEqual([
      { code, level: 'district', parent_code: tree.city },
      { code: `${code}001`, level: 'street', parent_code: code },
      { code: `${code}001001`, level: 'community', parent_code: `${code}001` },
    ]);
    const [entry] = await ds.query(`SELECT purpose, outcome FROM audit_log WHERE action = 'district.import' AND purpose LIKE $1`, [`%${code}%`]);
    expect(entry).toMatchObject({ outcome: 'ok' });
  });

  it('when one line of a file is bad, then 400 names the line and its problem and nothing of the file is written', async () => {
    const { code, csv } = await freshDistrictCsv();
    const r = await importCsv(admin, `${csv}${code}002001,错层社区,${code}\n${code}009001,孤儿社区,${code}009000\n`);
    expect(r.status).toBe(400);
    expect(r.body.error.code).toBe('district/import-invalid');
    expect(r.body.error.details.errors).toEqual([
      { line: 5, code: 'wrong-level', districtCode: `${code}002001` },
      { line: 6, code: 'unknown-parent', districtCode: `${code}009001` },
    ]);
    expect(await codesUnder(code)).toEqual([]);
  });

  it('when a file repeats a code of the tree, then it is a duplicate and nothing is written', async () => {
    const { code, csv } = await freshDistrictCsv();
    const r = await importCsv(admin, `${csv}${tree.district},重复,${tree.city}\n`);
    expect(r.body.error.details.errors).toEqual([{ line: 5, code: 'duplicate-code', districtCode: tree.district }]);
    expect(await codesUnder(code)).toEqual([]);
  });

  it('when the body is not CSV text, then 400 says so', async () => {
    const res = await fetch(`${t.baseUrl}/api/districts/import`, { method: 'POST', headers: { authorization: `Bearer ${admin}`, 'content-type': 'application/json' }, body: '{}' });
    expect(res.status).toBe(400);
    expect((await res.json()).error.code).toBe('validation/invalid');
  });

  it('when an admin scoped to one 区 imports under another, then the line is out of scope and nothing is written', async () => {
    const scoped = await login(t.baseUrl, (await makeUser(ds, 'admin', tree.district)).username);
    const r = await importCsv(scoped, `${tree.otherDistrict}777000,越界街道,${tree.otherDistrict}\n`);
    expect(r.body.error.details.errors).toEqual([{ line: 1, code: 'out-of-scope', districtCode: `${tree.otherDistrict}777000` }]);
    expect(await codesUnder(`${tree.otherDistrict}777`)).toEqual([]);
  });
});

describe('rename and retire', () => {
  it('when an admin renames a district, then the name changes and the old and new names are audited', async () => {
    const { code, csv } = await freshDistrictCsv();
    await importCsv(admin, csv);
    const r = await api(t.baseUrl, 'PUT', `/api/districts/${code}001`, admin, { name: '改名街道' });
    expect(r.status).toBe(200);
    expect(r.body).toMatchObject({ code: `${code}001`, name: '改名街道' });
    expect((await ds.query('SELECT name FROM district WHERE code = $1', [`${code}001`]))[0].name).toBe('改名街道');
    const [entry] = await ds.query(`SELECT purpose FROM audit_log WHERE action = 'district.rename' AND subject_id = $1`, [`${code}001`]);
    expect(entry.purpose).toBe('新街道 → 改名街道');
  });

  it('when the district has an active person, an open order or active staff, then 409 gives the counts and nothing is retired', async () => {
    const { code, csv } = await freshDistrictCsv();
    await importCsv(admin, csv);
    const person = await makePerson(ds, `${code}001001`);
    await makeUser(ds, 'agent', `${code}001`);
    const agent = await login(t.baseUrl, (await makeUser(ds, 'agent', tree.city)).username);
    expect((await api(t.baseUrl, 'POST', '/api/tickets', agent, { category: 'inquiry', summary: '撤销前的工单', personId: person.id })).status).toBe(201);
    const r = await api(t.baseUrl, 'POST', `/api/districts/${code}/retire`, admin);
    expect(r.status).toBe(409);
    expect(r.body.error).toMatchObject({ code: 'district/in-use', details: { reason: 'in-use', activePersons: 1, openOrders: 1, activeStaff: 1 } });
    expect((await ds.query('SELECT count(*)::int AS n FROM district WHERE code LIKE $1 AND retired_at IS NOT NULL', [`${code}%`]))[0].n).toBe(0);
  });

  it('when nothing uses it, then the district and its subtree are retired (kept, not deleted) and leave the pickers but not the admin tree', async () => {
    const { code, csv } = await freshDistrictCsv();
    await importCsv(admin, csv);
    const r = await api(t.baseUrl, 'POST', `/api/districts/${code}/retire`, admin);
    expect(r).toMatchObject({ status: 200, body: { code, retired: 3 } });
    expect(await codesUnder(code)).toHaveLength(3);
    const pickers = await api(t.baseUrl, 'GET', '/api/districts', supervisor);
    expect(pickers.body.items.map((d: { code: string }) => d.code)).not.toContain(code);
    const all = await api(t.baseUrl, 'GET', '/api/districts?includeRetired=true', admin);
    expect(all.body.items.find((d: { code: string }) => d.code === code)).toMatchObject({ retiredAt: expect.any(String) });
    expect((await api(t.baseUrl, 'POST', `/api/districts/${code}/retire`, admin)).body.error).toMatchObject({ code: 'district/in-use', details: { reason: 'already-retired' } });
    const child = await importCsv(admin, `${code}002000,撤销后的街道,${code}\n`);
    expect(child.body.error.details.errors).toEqual([{ line: 1, code: 'unknown-parent', districtCode: `${code}002000` }]);
    const agent = await login(t.baseUrl, (await makeUser(ds, 'agent', tree.city)).username);
    const person = await api(t.baseUrl, 'POST', '/api/persons', agent, { name: '撤销后登记', gender: 'F', phones: [{ number: '13912345678' }], districtCode: `${code}001001` });
    expect(person.status).toBe(400);
    expect(person.body.error.details).toEqual([expect.objectContaining({ path: 'districtCode' })]);
  });

  it('when a person had lived there but died, then the district can be retired (only active persons hold it)', async () => {
    const { code, csv } = await freshDistrictCsv();
    await importCsv(admin, csv);
    const person = await makePerson(ds, `${code}001001`);
    await ds.query(`UPDATE person SET status = 'deceased', died_on = '2026-01-02' WHERE id = $1`, [person.id]);
    expect((await api(t.baseUrl, 'POST', `/api/districts/${code}/retire`, admin)).status).toBe(200);
  });

  it('when an admin scoped to one 区 renames or retires another, or the city, then 404 as if it did not exist', async () => {
    const scoped = await login(t.baseUrl, (await makeUser(ds, 'admin', tree.district)).username);
    for (const code of [tree.otherDistrict, tree.city]) {
      expect((await api(t.baseUrl, 'PUT', `/api/districts/${code}`, scoped, { name: '越界' })).status).toBe(404);
      expect((await api(t.baseUrl, 'POST', `/api/districts/${code}/retire`, scoped)).status).toBe(404);
    }
    expect((await api(t.baseUrl, 'POST', `/api/districts/${tree.city}/retire`, admin)).body.error.details).toEqual({ reason: 'city' });
    expect((await api(t.baseUrl, 'PUT', `/api/districts/${tree.district}001`, scoped, { name: '  ' })).status).toBe(400);
  });
});
