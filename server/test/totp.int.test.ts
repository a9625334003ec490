/**
 * The TOTP second factor over real HTTP and sockets: forced enrolment for admin / security admin / auditor,
 * optional for others (TOTP_REQUIRED_FOR=all makes it everyone's), the login step with a code or a one-time
 * recovery code, throttled wrong codes, secrets encrypted and recovery codes hashed at rest, and the security
 * admin's reset of a lost factor.
 */
import { StaffRecoveryCode } from '../src/auth/recovery-code.entity';
import { totpCodeAt } from '../src/auth/totp';
import { StaffUser } from '../src/staff/staff-user.entity';
import { api, connectSocket, login, makeDistricts, makeUser, startTestApp, TEST_PASSWORD, totpCodeFor, type RunningApp } from './support/test-app';

let t: RunningApp;
let tree: Awaited<ReturnType<typeof makeDistricts>>;

beforeAll(async () => {
  t = await startTestApp({ env: { LOGIN_MAX_FAILURES: '3' } });
  tree = await makeDistricts(t.ds);
});
afterAll(() => t.close());

const loginWith = (username: string, code?: string, password = TEST_PASSWORD) => api(t.baseUrl, 'POST', '/api/auth/login', undefined, { username, password, ...(code ? { code } : {}) });

/** Enrol over HTTP as the user would: start, read the secret, confirm with the app's code. */
async function enrol(token: string): Promise<{ secret: string; recoveryCodes: string[] }> {
  const start = await api(t.baseUrl, 'POST', '/api/auth/totp/enrolment', token);
  expect(start.status).toBe(200);
  const confirm = await api(t.baseUrl, 'POST', '/api/auth/totp/confirm', token, { code: totpCodeFor(t.baseUrl, start.body.secret) });
  expect(confirm.status).toBe(200);
  return { secret: start.body.secret, recoveryCodes: confirm.body.recoveryCodes };
}

describe('forced enrolment', () => {
  it('when an auditor without a second factor logs in, then only enrolment is open (HTTP and sockets) until a code confirms it; the secret is encrypted and the recovery codes hashed', async () => {
    const user = await makeUser(t.ds, 'auditor', tree.city, { totpEnabledAt: null });
    const res = await loginWith(user.username);
    expect(res).toMatchObject({ status: 200, body: { mustEnrolTotp: true, mustChangePassword: false } });
    const token = res.body.token as string;
    expect((await api(t.baseUrl, 'GET', '/api/audit', token)).body.error.code).toBe('auth/totp-enrolment-required');
    await expect(connectSocket(t.baseUrl, token)).rejects.toThrow('auth/totp-enrolment-required');
    expect((await api(t.baseUrl, 'GET', '/api/auth/me', token)).body.mustEnrolTotp).toBe(true);

    const start = await api(t.baseUrl, 'POST', '/api/auth/totp/enrolment', token);
    expect(start.body).toMatchObject({ secret: expect.stringMatching(/^[A-Z2-7]{32}$/), uri: expect.stringContaining('otpauth://totp/'), qrDataUrl: expect.stringMatching(/^data:image\/gif;base64,/) });
    const wrong = await api(t.baseUrl, 'POST', '/api/auth/totp/confirm', token, { code: totpCodeAt(start.body.secret, new Date(t.clock.now().getTime() + 300_000)) });
    expect(wrong).toMatchObject({ status: 400, body: { error: { details: [{ path: 'code', reason: 'invalid-code' }] } } });
    expect((await api(t.baseUrl, 'GET', '/api/audit', token)).status).toBe(403);

    const confirm = await api(t.baseUrl, 'POST', '/api/auth/totp/confirm', token, { code: totpCodeFor(t.baseUrl, start.body.secret) });
    expect(confirm.status).toBe(200);
    expect(confirm.body.recoveryCodes).toHaveLength(10);
    expect(new Set(confirm.body.recoveryCodes).size).toBe(10);
    expect((await api(t.baseUrl, 'GET', '/api/audit', token)).status).toBe(200);
    expect((await api(t.baseUrl, 'POST', '/api/auth/totp/enrolment', token)).status).toBe(409);

    const stored = await t.ds.getRepository(StaffUser).findOneByOrFail({ id: user.id });
    expect(stored.totpSecret).toMatch(/^v\d+:/);
    expect(stored.totpSecret).not.toContain(start.body.secret);
    const hashes = (await t.ds.getRepository(StaffRecoveryCode).findBy({ userId: user.id })).map((r) => r.codeHash);
    expect(hashes).toHaveLength(10);
    for (const code of confirm.body.recoveryCodes) expect(hashes).not.toContain(code);
    const actions = (await t.ds.query(`SELECT action, outcome FROM audit_log WHERE actor_id = $1 ORDER BY id`, [user.id])) as { action: string; outcome: string }[];
    expect(actions).toEqual(expect.arrayContaining([{ action: 'auth.totp-enrol-start', outcome: 'ok' }, { action: 'auth.totp-enrol', outcome: 'denied' }, { action: 'auth.totp-enrol', outcome: 'ok' }]));
    expect(JSON.stringify(await t.ds.query('SELECT * FROM audit_log WHERE actor_id = $1', [user.id]))).not.toContain(start.body.secret);
  });

  it('when an agent has no second factor, then the login needs none; TOTP_REQUIRED_FOR=all makes them enrol', async () => {
    const agent = await makeUser(t.ds, 'agent', tree.district);
    expect((await loginWith(agent.username)).body.mustEnrolTotp).toBe(false);
    const all = await startTestApp({ env: { TOTP_REQUIRED_FOR: 'all' } });
    try {
      const res = await api(all.baseUrl, 'POST', '/api/auth/login', undefined, { username: agent.username, password: TEST_PASSWORD });
      expect(res.body.mustEnrolTotp).toBe(true);
      expect((await api(all.baseUrl, 'GET', '/api/tickets', res.body.token)).status).toBe(403);
    } finally {
      await all.close();
    }
  });
});

describe('login with a second factor', () => {
  it('when the code is missing, wrong, right, or a recovery code (once), then 401 totp-required, 401 invalid-code, 200, 200, and 401 on reuse', async () => {
    const user = await makeUser(t.ds, 'agent', tree.district);
    const { secret, recoveryCodes } = await enrol(await login(t.baseUrl, user.username)); // optional for an agent
    const missing = await loginWith(user.username);
    expect(missing).toMatchObject({ status: 401, body: { error: { code: 'auth/totp-required' } } });
    expect(missing.body.token).toBeUndefined();
    const wrongPasswordWithCode = await loginWith(user.username, totpCodeFor(t.baseUrl, secret), 'not-the-password-1');
    expect(wrongPasswordWithCode.body.error.code).toBe('auth/invalid-credentials');
    const wrong = await loginWith(user.username, totpCodeAt(secret, new Date(t.clock.now().getTime() + 600_000)));
    expect(wrong).toMatchObject({ status: 401, body: { error: { code: 'auth/invalid-credentials', details: [{ reason: 'invalid-code' }] } } });
    expect((await loginWith(user.username, totpCodeFor(t.baseUrl, secret))).status).toBe(200);

    const recovery = recoveryCodes[3]!;
    const viaRecovery = await loginWith(user.username, recovery.toUpperCase());
    expect(viaRecovery.status).toBe(200);
    expect((await api(t.baseUrl, 'GET', '/api/auth/me', viaRecovery.body.token)).body).toMatchObject({ totpEnrolled: true, recoveryCodesLeft: 9 });
    expect((await loginWith(user.username, recovery)).status).toBe(401);
    const [used] = await t.ds.query(`SELECT purpose FROM audit_log WHERE actor_id = $1 AND action = 'auth.login' AND outcome = 'ok' ORDER BY id DESC LIMIT 1`, [user.id]);
    expect(used.purpose).toBe('second factor: recovery code');
  });

  it('when recovery codes are regenerated with a current code, then the old ones stop working and the new ones work once; a wrong code is refused', async () => {
    const user = await makeUser(t.ds, 'supervisor', tree.district);
    const token = await login(t.baseUrl, user.username);
    const { secret, recoveryCodes: old } = await enrol(token);
    const wrong = await api(t.baseUrl, 'POST', '/api/auth/totp/recovery-codes', token, { code: totpCodeAt(secret, new Date(t.clock.now().getTime() + 600_000)) });
    expect(wrong).toMatchObject({ status: 400, body: { error: { details: [{ reason: 'invalid-code' }] } } });
    const fresh = await api(t.baseUrl, 'POST', '/api/auth/totp/recovery-codes', token, { code: totpCodeFor(t.baseUrl, secret) });
    expect(fresh.status).toBe(200);
    expect(fresh.body.recoveryCodes).toHaveLength(10);
    expect((await loginWith(user.username, old[0])).status).toBe(401);
    expect((await loginWith(user.username, fresh.body.recoveryCodes[0])).status).toBe(200);
  });

  it('when wrong codes are sent repeatedly, then the login is throttled like wrong passwords (429), even with the right code', async () => {
    const user = await makeUser(t.ds, 'admin', tree.city);
    const secret = (await t.ds.getRepository(StaffUser).findOneByOrFail({ id: user.id })).totpSecret;
    expect(secret).not.toBeNull();
    for (let i = 0; i < 3; i++) expect((await loginWith(user.username, '000000')).status).toBe(401);
    // The helper's code is right; the pair is throttled now.
    await expect(login(t.baseUrl, user.username)).rejects.toThrow(/429/);
  });

  it('when the security admin resets a lost second factor, then sessions end, the codes are gone, and the user must enrol again', async () => {
    const sec = await login(t.baseUrl, (await makeUser(t.ds, 'security_admin', tree.city)).username);
    const user = await makeUser(t.ds, 'auditor', tree.city);
    const token = await login(t.baseUrl, user.username);
    expect((await api(t.baseUrl, 'POST', `/api/staff/${user.id}/reset-totp`, sec)).status).toBe(204);
    expect((await api(t.baseUrl, 'GET', '/api/auth/me', token)).status).toBe(401);
    const again = await loginWith(user.username);
    expect(again.body.mustEnrolTotp).toBe(true);
    expect((await api(t.baseUrl, 'GET', `/api/staff/${user.id}`, sec)).body.totpEnrolled).toBe(false);
    const [row] = await t.ds.query(`SELECT purpose FROM audit_log WHERE subject_id = $1 AND action = 'staff.totp-reset'`, [user.id]);
    expect(row.purpose).toBe('totp: enrolled → none');
  });
});
