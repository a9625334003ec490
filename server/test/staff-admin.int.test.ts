/**
 * Staff administration by the security admin over real HTTP and sockets: list/search in scope, create with a
 * one-time password that must be changed, edit roles (several; security_admin and auditor alone), district,
 * extension and skills, deactivate (sessions and open sockets end at once), activate, unlock, reset password;
 * every change audited with the staff id and old → new, never a password.
 */
import { StaffSession } from '../src/auth/session.entity';
import { StaffUser } from '../src/staff/staff-user.entity';
import { until } from './support/until';
import { api, connectSocket, login, makeDistricts, makeUser, startTestApp, TEST_PASSWORD, type RunningApp } from './support/test-app';

let t: RunningApp;
let tree: Awaited<ReturnType<typeof makeDistricts>>;
let secToken: string;
let secId: string;
let districtSecToken: string;

beforeAll(async () => {
  t = await startTestApp({ env: { LOGIN_MAX_FAILURES: '2' } });
  tree = await makeDistricts(t.ds);
  const sec = await makeUser(t.ds, 'security_admin', tree.city);
  secId = sec.id;
  secToken = await login(t.baseUrl, sec.username);
  const districtSec = await makeUser(t.ds, 'security_admin', tree.district);
  districtSecToken = await login(t.baseUrl, districtSec.username);
});
afterAll(() => t.close());

const auditOf = (subjectId: string): Promise<{ action: string; actor_id: string; purpose: string | null }[]> =>
  t.ds.query(`SELECT action, actor_id, purpose FROM audit_log WHERE subject_id = $1 ORDER BY id`, [subjectId]);

const newStaff = (over: Record<string, unknown> = {}) => ({
  username: `li.na-${Math.random().toString(36).slice(2, 8)}`,
  displayName: '李娜',
  roles: ['agent'],
  districtCode: tree.district,
  sipExtension: null,
  skills: ['sign_language', 'dialect:四川话'],
  ...over,
});

describe('create', () => {
  it('when a security admin creates a user, then a one-time password is returned once, works only for a password change, and the creation is audited without it', async () => {
    const body = newStaff({ roles: ['agent', 'supervisor'] });
    const res = await api(t.baseUrl, 'POST', '/api/staff', secToken, body);
    expect(res.status).toBe(201);
    expect(res.body).toMatchObject({ username: body.username, roles: ['agent', 'supervisor'], districtCode: tree.district, skills: ['sign_language', 'dialect:四川话'], mustChangePassword: true, active: true, totpEnrolled: false });
    expect(res.body.oneTimePassword).toMatch(/^[A-Za-z0-9]{4}(-[A-Za-z0-9]{4}){3}$/);
    expect(JSON.stringify(res.body)).not.toMatch(/passwordHash|totpSecret/);

    const stored = await t.ds.getRepository(StaffUser).findOneByOrFail({ id: res.body.id });
    expect({ role: stored.role, roles: stored.roles }).toEqual({ role: 'agent', roles: ['agent', 'supervisor'] });

    const token = await login(t.baseUrl, body.username, res.body.oneTimePassword);
    expect((await api(t.baseUrl, 'GET', '/api/persons?q=x', token)).body.error.code).toBe('auth/password-change-required');
    const newPassword = 'Harbour-Lantern-Quiet-7';
    expect((await api(t.baseUrl, 'POST', '/api/auth/password', token, { currentPassword: res.body.oneTimePassword, newPassword })).status).toBe(204);
    expect((await api(t.baseUrl, 'GET', '/api/persons?q=x', token)).status).toBe(200);

    const rows = await auditOf(res.body.id);
    expect(rows[0]).toMatchObject({ action: 'staff.create', actor_id: secId });
    expect(rows[0]!.purpose).toContain('roles: - → agent,supervisor');
    const all = JSON.stringify(await t.ds.query('SELECT * FROM audit_log WHERE subject_id = $1 OR actor_id::text = $1', [res.body.id]));
    expect(all).not.toContain(res.body.oneTimePassword);
    expect(all).not.toContain(newPassword);
  });

  it('when security_admin or auditor is combined with another role, then 400 with reason sole-role and nothing is written', async () => {
    for (const roles of [['auditor', 'agent'], ['security_admin', 'admin']]) {
      const body = newStaff({ roles });
      const res = await api(t.baseUrl, 'POST', '/api/staff', secToken, body);
      expect(res.status).toBe(400);
      expect(res.body.error.details).toEqual([expect.objectContaining({ path: 'roles', reason: 'sole-role' })]);
      expect(await t.ds.getRepository(StaffUser).existsBy({ username: body.username })).toBe(false);
    }
  });

  it('when the username or the extension is taken, then 409 staff/duplicate naming the field', async () => {
    const ext = String(Math.floor(100000 + Math.random() * 899999));
    const first = await api(t.baseUrl, 'POST', '/api/staff', secToken, newStaff({ sipExtension: ext }));
    expect(first.status).toBe(201);
    const again = await api(t.baseUrl, 'POST', '/api/staff', secToken, newStaff({ username: first.body.username }));
    expect(again).toMatchObject({ status: 409, body: { error: { code: 'staff/duplicate', details: [{ path: 'username' }] } } });
    const ext2 = await api(t.baseUrl, 'POST', '/api/staff', secToken, newStaff({ sipExtension: ext }));
    expect(ext2).toMatchObject({ status: 409, body: { error: { code: 'staff/duplicate', details: [{ path: 'sipExtension' }] } } });
  });

  it('when the input is bad (unknown role, control characters, bad district, unknown skill, extra field), then 400 with the field named', async () => {
    const cases: [Record<string, unknown>, string][] = [
      [{ roles: ['root'] }, 'roles.0'],
      [{ roles: [] }, 'roles'],
      [{ displayName: '李\u0007娜' }, 'displayName'],
      [{ districtCode: '12ab' }, 'districtCode'],
      [{ skills: ['juggling'] }, 'skills.0'],
      [{ username: 'A B' }, 'username'],
      [{ sipExtension: '12' }, 'sipExtension'],
    ];
    for (const [over] of cases) {
      const res = await api(t.baseUrl, 'POST', '/api/staff', secToken, newStaff(over));
      expect(res.status).toBe(400);
      expect(res.body.error.code).toMatch(/^validation\//);
    }
    const extra = await api(t.baseUrl, 'POST', '/api/staff', secToken, { ...newStaff(), passwordHash: 'x' });
    expect(extra.status).toBe(400);
    const unknownDistrict = await api(t.baseUrl, 'POST', '/api/staff', secToken, newStaff({ districtCode: '999999999999' }));
    expect(unknownDistrict.body.error.details).toEqual([expect.objectContaining({ path: 'districtCode', reason: 'unknown-district' })]);
  });
});

describe('district scope', () => {
  it('when a district security admin lists, gets or edits staff, then only their district is visible and others answer 404 like missing ids', async () => {
    const inside = await makeUser(t.ds, 'agent', tree.district);
    const outside = await makeUser(t.ds, 'agent', tree.otherDistrict);
    const list = await api(t.baseUrl, 'GET', '/api/staff?limit=200', districtSecToken);
    const ids = list.body.items.map((u: { id: string }) => u.id);
    expect(ids).toContain(inside.id);
    expect(ids).not.toContain(outside.id);
    expect((await api(t.baseUrl, 'GET', `/api/staff/${outside.id}`, districtSecToken)).status).toBe(404);
    expect((await api(t.baseUrl, 'PATCH', `/api/staff/${outside.id}`, districtSecToken, { displayName: '改名' })).status).toBe(404);
    expect((await api(t.baseUrl, 'POST', `/api/staff/${outside.id}/deactivate`, districtSecToken)).status).toBe(404);
    expect((await api(t.baseUrl, 'POST', `/api/staff/${outside.id}/reset-password`, districtSecToken)).status).toBe(404);
    // …and cannot move someone out of their own scope, nor create one there.
    const move = await api(t.baseUrl, 'PATCH', `/api/staff/${inside.id}`, districtSecToken, { districtCode: tree.otherDistrict });
    expect(move.body.error.details).toEqual([expect.objectContaining({ reason: 'unknown-district' })]);
    expect((await t.ds.getRepository(StaffUser).findOneByOrFail({ id: inside.id })).districtCode).toBe(tree.district);
  });

  it('when a security admin whose district row is missing lists staff, then nothing is listed (fail closed)', async () => {
    const orphan = await makeUser(t.ds, 'security_admin', tree.district);
    // The foreign key forbids such a row; bypass it the way a broken import or a deleted district would.
    await t.ds.transaction(async (m) => {
      await m.query('SET LOCAL session_replication_role = replica');
      await m.query('UPDATE staff_user SET district_code = $1 WHERE id = $2', ['990000000000', orphan.id]);
    });
    const token = await login(t.baseUrl, orphan.username);
    const list = await api(t.baseUrl, 'GET', '/api/staff', token);
    expect(list).toMatchObject({ status: 200, body: { items: [], total: 0 } });
  });

  it('when searching by name, role and active flag, then the filters apply and the read is audited with each listed user', async () => {
    const marker = `搜索${tree.district}`; // the database is shared with other runs: a name only this run uses
    const a = await makeUser(t.ds, 'dispatcher', tree.district, { displayName: `${marker}甲` });
    await makeUser(t.ds, 'dispatcher', tree.district, { displayName: `${marker}乙`, active: false });
    await makeUser(t.ds, 'agent', tree.district, { displayName: `${marker}丙` });
    const res = await api(t.baseUrl, 'GET', `/api/staff?q=${encodeURIComponent(marker)}&role=dispatcher&active=true`, secToken);
    expect(res.body.items.map((u: { id: string }) => u.id)).toEqual([a.id]);
    const [row] = await t.ds.query(`SELECT subjects FROM audit_log WHERE action = 'staff.read' AND actor_id = $1 ORDER BY id DESC LIMIT 1`, [secId]);
    expect(row.subjects).toEqual([`staff:${a.id}`]);
  });
});

describe('edit', () => {
  it('when roles, district, extension and skills change, then they are stored, audited old → new, and the user\'s sessions and sockets end', async () => {
    const user = await makeUser(t.ds, 'agent', tree.district);
    const token = await login(t.baseUrl, user.username);
    const socket = await connectSocket(t.baseUrl, token);
    const ext = String(Math.floor(100000 + Math.random() * 899999));
    const res = await api(t.baseUrl, 'PATCH', `/api/staff/${user.id}`, secToken, { roles: ['dispatcher', 'agent'], districtCode: tree.street, sipExtension: ext, skills: ['medical'] });
    expect(res).toMatchObject({ status: 200, body: { roles: ['dispatcher', 'agent'], districtCode: tree.street, sipExtension: ext, skills: ['medical'] } });
    const stored = await t.ds.getRepository(StaffUser).findOneByOrFail({ id: user.id });
    expect({ role: stored.role, roles: stored.roles }).toEqual({ role: 'dispatcher', roles: ['dispatcher', 'agent'] });
    await until(() => !socket.connected, 5000);
    expect(await t.ds.getRepository(StaffSession).countBy({ userId: user.id })).toBe(0);
    const [row] = (await auditOf(user.id)).filter((r) => r.action === 'staff.update');
    expect(row!.purpose).toBe(`roles: agent → dispatcher,agent; districtCode: ${tree.district} → ${tree.street}; sipExtension: - → ${ext}; skills: - → medical`);

    // Both roles work: the dispatcher's orders and the agent's call log.
    const again = await login(t.baseUrl, user.username);
    expect((await api(t.baseUrl, 'GET', '/api/calls', again)).status).toBe(200);
    expect((await api(t.baseUrl, 'GET', '/api/tickets', again)).status).toBe(200);
  });

  it('when only the display name changes, then sessions stay; when a security admin edits their own roles or deactivates themselves, then 409', async () => {
    const user = await makeUser(t.ds, 'agent', tree.district);
    const token = await login(t.baseUrl, user.username);
    expect((await api(t.baseUrl, 'PATCH', `/api/staff/${user.id}`, secToken, { displayName: '新名字' })).body.displayName).toBe('新名字');
    expect((await api(t.baseUrl, 'GET', '/api/auth/me', token)).status).toBe(200);
    expect((await api(t.baseUrl, 'PATCH', `/api/staff/${secId}`, secToken, { roles: ['admin'] })).status).toBe(409);
    expect((await api(t.baseUrl, 'POST', `/api/staff/${secId}/deactivate`, secToken)).status).toBe(409);
  });
});

describe('account actions', () => {
  it('when a user is deactivated, then every session ends, the open socket is disconnected at once, login fails, and it is audited; activate lets them back', async () => {
    const user = await makeUser(t.ds, 'agent', tree.district);
    const token = await login(t.baseUrl, user.username);
    const socket = await connectSocket(t.baseUrl, token);
    const started = Date.now();
    expect((await api(t.baseUrl, 'POST', `/api/staff/${user.id}/deactivate`, secToken)).status).toBe(204);
    await until(() => !socket.connected, 5000);
    expect(Date.now() - started).toBeLessThan(2000); // at once, not at the next sweep
    expect((await api(t.baseUrl, 'GET', '/api/auth/me', token)).status).toBe(401);
    await expect(login(t.baseUrl, user.username)).rejects.toThrow(/401/);
    expect((await auditOf(user.id)).map((r) => r.action)).toContain('staff.deactivate');

    expect((await api(t.baseUrl, 'POST', `/api/staff/${user.id}/activate`, secToken)).status).toBe(204);
    await expect(login(t.baseUrl, user.username)).resolves.toEqual(expect.any(String));
    expect((await auditOf(user.id)).map((r) => r.action)).toContain('staff.activate');
  });

  it('when a user is throttled after failed logins, then unlock clears it from every address and is audited', async () => {
    const user = await makeUser(t.ds, 'agent', tree.district);
    for (let i = 0; i < 2; i++) expect((await api(t.baseUrl, 'POST', '/api/auth/login', undefined, { username: user.username, password: 'wrong-password-123' })).status).toBe(401);
    expect((await api(t.baseUrl, 'POST', '/api/auth/login', undefined, { username: user.username, password: TEST_PASSWORD })).status).toBe(429);
    expect((await api(t.baseUrl, 'GET', `/api/staff/${user.id}`, secToken)).body.failedLogins).toBe(2);
    expect((await api(t.baseUrl, 'POST', `/api/staff/${user.id}/unlock`, secToken)).status).toBe(204);
    expect((await api(t.baseUrl, 'POST', '/api/auth/login', undefined, { username: user.username, password: TEST_PASSWORD })).status).toBe(200);
    expect((await auditOf(user.id)).map((r) => r.action)).toContain('staff.unlock');
  });

  it('when the password is reset, then the old one stops working, sessions end, the one-time password must be changed first, and no password is audited', async () => {
    const user = await makeUser(t.ds, 'supervisor', tree.district);
    const token = await login(t.baseUrl, user.username);
    const socket = await connectSocket(t.baseUrl, token);
    const res = await api(t.baseUrl, 'POST', `/api/staff/${user.id}/reset-password`, secToken);
    expect(res.status).toBe(200);
    await until(() => !socket.connected, 5000);
    await expect(login(t.baseUrl, user.username)).rejects.toThrow(/401/);
    const fresh = await login(t.baseUrl, user.username, res.body.oneTimePassword);
    expect((await api(t.baseUrl, 'GET', '/api/auth/me', fresh)).body.mustChangePassword).toBe(true);
    expect((await api(t.baseUrl, 'GET', '/api/tickets', fresh)).status).toBe(403);
    const rows = await auditOf(user.id);
    expect(rows.map((r) => r.action)).toContain('staff.password-reset');
    expect(JSON.stringify(rows)).not.toContain(res.body.oneTimePassword);
  });
});

describe('roles', () => {
  it('when a non-security-admin calls any staff endpoint, then 403; an unknown id answers 404', async () => {
    for (const role of ['agent', 'dispatcher', 'supervisor', 'admin', 'auditor'] as const) {
      const u = await makeUser(t.ds, role, tree.city);
      const token = await login(t.baseUrl, u.username);
      expect((await api(t.baseUrl, 'GET', '/api/staff', token)).status).toBe(403);
      expect((await api(t.baseUrl, 'POST', '/api/staff', token, newStaff())).status).toBe(403);
    }
    expect((await api(t.baseUrl, 'GET', '/api/staff/00000000-0000-4000-8000-000000000000', secToken)).status).toBe(404);
  });
});
