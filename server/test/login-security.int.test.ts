/**
 * Login and HTTP hardening: throttling that locks nobody else out and tells no usernames apart, old bcrypt
 * hashes still verified (and rehashed to scrypt), the must-change password, CSRF origin checks, security
 * headers and no-store.
 */
import bcrypt from 'bcryptjs';
import { StaffUser } from '../src/staff/staff-user.entity';
import { api, connectSocket, login, makeDistricts, makeUser, startTestApp, TEST_PASSWORD, uniq, type RunningApp } from './support/test-app';

let t: RunningApp;
let tree: Awaited<ReturnType<typeof makeDistricts>>;

beforeAll(async () => {
  t = await startTestApp({ env: { LOGIN_IP_MAX_FAILURES: '8', LOGIN_ACCOUNT_MAX_DELAY_SECONDS: '2', CONSOLE_ORIGIN: 'https://console.example.org' } });
  tree = await makeDistricts(t.ds);
});
afterAll(() => t.close());

const ipOf = () => `10.${Math.floor(Math.random() * 250)}.${Math.floor(Math.random() * 250)}.${Math.floor(Math.random() * 250) + 1}`;

async function loginFrom(ip: string, username: string, password: string, headers: Record<string, string> = {}) {
  const started = performance.now();
  const res = await fetch(`${t.baseUrl}/api/auth/login`, { method: 'POST', headers: { 'content-type': 'application/json', 'x-forwarded-for': ip, ...headers }, body: JSON.stringify({ username, password }) });
  return { status: res.status, body: (await res.json().catch(() => null)) as any, ms: performance.now() - started, res };
}

describe('login throttling', () => {
  it('when an unknown and a known username get a wrong password, then the answers are identical and take similar time', async () => {
    const user = await makeUser(t.ds, 'agent', tree.district);
    const ip = ipOf();
    await loginFrom(ip, `warmup-${uniq()}`, 'wrong'); // the dummy hash is made once
    const known = [];
    const unknown = [];
    for (let i = 0; i < 3; i++) {
      known.push(await loginFrom(ipOf(), user.username, `wrong-${i}`));
      unknown.push(await loginFrom(ipOf(), `nobody-${uniq()}`, `wrong-${i}`));
    }
    for (const r of [...known, ...unknown]) {
      expect(r.status).toBe(401);
      expect(r.body).toEqual({ error: { code: 'auth/invalid-credentials', message: '用户名或密码错误' } });
    }
    const median = (xs: number[]) => xs.sort((a, b) => a - b)[1]!;
    const a = median(known.map((r) => r.ms));
    const b = median(unknown.map((r) => r.ms));
    expect(Math.abs(a - b)).toBeLessThan(Math.max(a, b) * 0.6 + 30);
  });

  it('when an unknown username fails five times from one address, then it is refused like a real one (no oracle)', async () => {
    const ip = ipOf();
    const ghost = `ghost-${uniq()}`;
    for (let i = 0; i < 5; i++) expect((await loginFrom(ip, ghost, 'wrong')).status).toBe(401);
    expect((await loginFrom(ip, ghost, 'wrong')).body.error.code).toBe('auth/throttled');
  });

  it('when strangers fail on an account from many addresses, then the real user still logs in (delayed, not locked)', async () => {
    const user = await makeUser(t.ds, 'agent', tree.district);
    for (let i = 0; i < 7; i++) expect((await loginFrom(ipOf(), user.username, 'wrong')).status).toBe(401);
    const real = await loginFrom(ipOf(), user.username, TEST_PASSWORD);
    expect(real.status).toBe(200);
    expect(real.ms).toBeGreaterThan(900); // the per-account delay, capped at LOGIN_ACCOUNT_MAX_DELAY_SECONDS
    // A success clears the account counter: the next login is immediate again.
    expect((await loginFrom(ipOf(), user.username, TEST_PASSWORD)).ms).toBeLessThan(900);
  });

  it('when one address sprays many accounts, then that address is refused and others are not', async () => {
    const ip = ipOf();
    for (let i = 0; i < 8; i++) expect((await loginFrom(ip, `spray-${uniq()}`, 'wrong')).status).toBe(401);
    const user = await makeUser(t.ds, 'agent', tree.district);
    expect((await loginFrom(ip, user.username, TEST_PASSWORD)).status).toBe(429);
    expect((await loginFrom(ipOf(), user.username, TEST_PASSWORD)).status).toBe(200);
  });

  it('when the throttle window passes, then the address may try again', async () => {
    const user = await makeUser(t.ds, 'agent', tree.district);
    const ip = ipOf();
    for (let i = 0; i < 5; i++) await loginFrom(ip, user.username, 'wrong');
    expect((await loginFrom(ip, user.username, TEST_PASSWORD)).status).toBe(429);
    t.clock.advance(16 * 60_000);
    try {
      expect((await loginFrom(ip, user.username, TEST_PASSWORD)).status).toBe(200);
    } finally {
      t.clock.advance(-16 * 60_000);
    }
  });
});

describe('password hashes', () => {
  it('when a user still has a bcrypt hash, then the login works and the hash is replaced by scrypt', async () => {
    const user = await makeUser(t.ds, 'agent', tree.district, { passwordHash: bcrypt.hashSync(TEST_PASSWORD, 4) });
    expect((await loginFrom(ipOf(), user.username, 'wrong')).status).toBe(401);
    expect((await loginFrom(ipOf(), user.username, TEST_PASSWORD)).status).toBe(200);
    const stored = await t.ds.getRepository(StaffUser).findOneByOrFail({ id: user.id });
    expect(stored.passwordHash).toMatch(/^scrypt\$15\$8\$1\$/);
    expect((await loginFrom(ipOf(), user.username, TEST_PASSWORD)).status).toBe(200);
  });
});

describe('must-change password', () => {
  async function pendingUser() {
    // A supervisor: an admin would also have to send a TOTP code (see totp.int.test.ts).
    const user = await makeUser(t.ds, 'supervisor', tree.city, { mustChangePassword: true });
    const res = await loginFrom(ipOf(), user.username, TEST_PASSWORD);
    expect(res.body.mustChangePassword).toBe(true);
    return { user, token: res.body.token as string };
  }

  it('when the password must be changed, then only me, logout and change password answer, and no socket connects', async () => {
    const { token } = await pendingUser();
    expect((await api(t.baseUrl, 'GET', '/api/auth/me', token)).body.mustChangePassword).toBe(true);
    const districts = await api(t.baseUrl, 'GET', '/api/districts', token);
    expect(districts.status).toBe(403);
    expect(districts.body.error.code).toBe('auth/password-change-required');
    await expect(connectSocket(t.baseUrl, token)).rejects.toThrow('auth/password-change-required');
    expect((await api(t.baseUrl, 'POST', '/api/auth/logout', token)).status).toBe(204);
  });

  it.each([
    ['too short', 'Short-1', 'too-short'],
    ['containing the username', null, 'is-username'],
    ['a common password', 'password1234', 'common'],
    ['unchanged', TEST_PASSWORD, 'unchanged'],
  ])('when the new password is %s, then 400 with the reason', async (_label, next, reason) => {
    const { user, token } = await pendingUser();
    const res = await api(t.baseUrl, 'POST', '/api/auth/password', token, { currentPassword: TEST_PASSWORD, newPassword: next ?? `x-${user.username}-long-enough` });
    expect(res.status).toBe(400);
    expect(res.body.error.details[0]).toMatchObject({ path: 'newPassword', reason });
  });

  it('when the current password is wrong, then 400 on currentPassword (the session stays) and nothing changes', async () => {
    const { token } = await pendingUser();
    const res = await api(t.baseUrl, 'POST', '/api/auth/password', token, { currentPassword: 'wrong', newPassword: 'A-much-better-passphrase' });
    expect(res.status).toBe(400);
    expect(res.body.error.details[0]).toMatchObject({ path: 'currentPassword', reason: 'wrong-current' });
    expect((await api(t.baseUrl, 'GET', '/api/auth/me', token)).status).toBe(200);
    expect((await api(t.baseUrl, 'GET', '/api/districts', token)).status).toBe(403);
  });

  it('when the password is changed, then the session may do everything, the other sessions end, and the new password logs in', async () => {
    const { user, token } = await pendingUser();
    const other = (await loginFrom(ipOf(), user.username, TEST_PASSWORD)).body.token as string;
    expect((await api(t.baseUrl, 'POST', '/api/auth/password', token, { currentPassword: TEST_PASSWORD, newPassword: 'A-much-better-passphrase' })).status).toBe(204);
    expect((await api(t.baseUrl, 'GET', '/api/districts', token)).status).toBe(200);
    expect((await api(t.baseUrl, 'GET', '/api/auth/me', other)).status).toBe(401);
    expect((await loginFrom(ipOf(), user.username, 'A-much-better-passphrase')).body.mustChangePassword).toBe(false);
    expect((await loginFrom(ipOf(), user.username, TEST_PASSWORD)).status).toBe(401);
  });
});

describe('CSRF: cookie-authenticated writes come from the console only', () => {
  let cookie: string;
  beforeAll(async () => {
    const user = await makeUser(t.ds, 'agent', tree.district);
    cookie = `anxin_session=${await login(t.baseUrl, user.username)}`;
  });
  const write = (headers: Record<string, string>) =>
    fetch(`${t.baseUrl}/api/tickets`, { method: 'POST', headers: { 'content-type': 'application/json', cookie, ...headers }, body: JSON.stringify({ category: 'inquiry', summary: '咨询助残补贴' }) });

  it.each([
    ['a foreign Origin', { origin: 'https://evil.example' }],
    ['Origin null', { origin: 'null' }],
    ['a foreign Referer and no Origin', { referer: 'https://evil.example/page' }],
    ['neither Origin nor Referer', {}],
    ['a look-alike host', { origin: 'http://127.0.0.1.evil.example' }],
  ])('when a cookie write carries %s, then 403 auth/csrf', async (_label, headers) => {
    const res = await write(headers as Record<string, string>);
    expect(res.status).toBe(403);
    expect(((await res.json()) as any).error.code).toBe('auth/csrf');
  });

  it.each([
    ['its own Origin', () => ({ origin: t.baseUrl })],
    ['its own Referer', () => ({ referer: `${t.baseUrl}/tickets` })],
    ['a configured CONSOLE_ORIGIN', () => ({ origin: 'https://console.example.org' })],
  ])('when a cookie write carries %s, then it goes through', async (_label, headers) => {
    expect((await write(headers())).status).toBe(201);
  });

  it('when a write carries a bearer token and no Origin, then it goes through (scripts, devices)', async () => {
    const token = cookie.slice('anxin_session='.length);
    expect((await api(t.baseUrl, 'POST', '/api/tickets', token, { category: 'inquiry', summary: '咨询助残补贴' })).status).toBe(201);
  });

  it('when a login comes from a foreign Origin, then 403 (login CSRF)', async () => {
    expect((await loginFrom(ipOf(), 'anyone', 'x', { origin: 'https://evil.example' })).status).toBe(403);
  });

  it('when a read carries a cookie and a foreign Origin, then it is not a CSRF matter (200)', async () => {
    expect((await fetch(`${t.baseUrl}/api/auth/me`, { headers: { cookie, origin: 'https://evil.example' } })).status).toBe(200);
  });
});

describe('security headers', () => {
  it.each([['/api/health'], ['/api/auth/me'], ['/'], ['/api/nope']])('when %s is fetched, then it carries helmet headers', async (path) => {
    const res = await fetch(`${t.baseUrl}${path}`);
    const csp = res.headers.get('content-security-policy') ?? '';
    expect(csp).toContain("frame-ancestors 'none'");
    expect(csp).toContain("default-src 'self'");
    expect(csp).toContain("script-src 'self'");
    expect(res.headers.get('x-content-type-options')).toBe('nosniff');
    expect(res.headers.get('referrer-policy')).toBe('no-referrer');
    expect(res.headers.get('x-frame-options')).toBe('DENY');
    expect(res.headers.get('strict-transport-security')).toBeNull(); // plain HTTP, not production
    expect(res.headers.get('x-powered-by')).toBeNull();
  });

  it.each([['/api/health'], ['/api/auth/me'], ['/api/persons?name=x']])('when %s answers, then Cache-Control is no-store', async (path) => {
    expect((await fetch(`${t.baseUrl}${path}`)).headers.get('cache-control')).toBe('no-store');
  });

  it('when a request came over TLS through the trusted proxy, then HSTS is sent', async () => {
    const res = await fetch(`${t.baseUrl}/api/health`, { headers: { 'x-forwarded-proto': 'https' } });
    expect(res.headers.get('strict-transport-security')).toMatch(/max-age=\d+/);
  });
});
