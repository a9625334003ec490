/**
 * Production first start: the real server (server/src/main.ts) with NODE_ENV=production on an empty PGlite
 * directory seeds no demo users and creates exactly one admin whose one-time password, printed once, must be
 * changed before anything else.
 */
import { spawn, type ChildProcess } from 'node:child_process';
import fs from 'node:fs';
import net from 'node:net';
import os from 'node:os';
import path from 'node:path';
import { spawnSync } from 'node:child_process';
import { totpCodeAt } from '../src/auth/totp';
import { TEST_DATA_KEY } from './support/test-app';

const ROOT = path.resolve(__dirname, '../..');
const TS_NODE = require.resolve('ts-node/dist/bin.js');
jest.setTimeout(120_000);

async function freePort(): Promise<number> {
  const srv = net.createServer();
  await new Promise<void>((r) => srv.listen(0, '127.0.0.1', () => r()));
  const { port } = srv.address() as net.AddressInfo;
  await new Promise<void>((r) => srv.close(() => r()));
  return port;
}

async function startProduction(dataDir: string, env: Record<string, string> = {}): Promise<{ child: ChildProcess; baseUrl: string; stdout: () => string }> {
  const port = await freePort();
  const child = spawn(process.execPath, [TS_NODE, '--swc', path.join(ROOT, 'server/src/main.ts')], {
    cwd: ROOT,
    env: { ...process.env, DATA_DIR: dataDir, PORT: String(port), HOST: '127.0.0.1', LOG_LEVEL: 'error', ANXIN_DATA_KEY: TEST_DATA_KEY, NODE_ENV: 'production', DATABASE_URL: '', SEED_DEMO: 'auto', ...env },
    stdio: ['ignore', 'pipe', 'pipe'],
  });
  let stdout = '';
  let stderr = '';
  child.stdout!.on('data', (d) => (stdout += d));
  child.stderr!.on('data', (d) => (stderr += d));
  const baseUrl = `http://127.0.0.1:${port}`;
  const deadline = Date.now() + 60_000;
  for (;;) {
    if (child.exitCode !== null) throw new Error(`server exited with ${child.exitCode}: ${stderr}`);
    try {
      if ((await fetch(`${baseUrl}/api/health`)).ok) return { child, baseUrl, stdout: () => stdout };
    } catch {
      /* not listening yet */
    }
    if (Date.now() > deadline) throw new Error(`server did not start: ${stderr}`);
    await new Promise((r) => setTimeout(r, 100));
  }
}

/** Query a stopped server's PGlite directory in a child process (PGlite does not load inside jest workers). */
function queryDataDir(dataDir: string, sql: string): unknown[] {
  const script = `require('reflect-metadata'); const { openDatabase } = require('./db/src/database');
    (async () => { const db = await openDatabase({ dataDir: ${JSON.stringify(dataDir)} }); const rows = await db.ds.query(${JSON.stringify(sql)}); await db.close(); process.stdout.write('ROWS' + JSON.stringify(rows)); })();`;
  const out = spawnSync(process.execPath, [TS_NODE, '--swc', '-e', script], { cwd: ROOT, encoding: 'utf8', timeout: 60_000 });
  const at = out.stdout.indexOf('ROWS');
  if (at < 0) throw new Error(`query failed: ${out.stderr}`);
  return JSON.parse(out.stdout.slice(at + 4)) as unknown[];
}

async function stop(child: ChildProcess): Promise<void> {
  if (child.exitCode !== null || child.signalCode !== null) return;
  await new Promise<void>((r) => {
    child.once('exit', () => r());
    child.kill('SIGTERM');
  });
}

const post = (baseUrl: string, p: string, body: unknown, token?: string) =>
  fetch(`${baseUrl}${p}`, { method: 'POST', headers: { 'content-type': 'application/json', ...(token ? { authorization: `Bearer ${token}` } : {}) }, body: JSON.stringify(body) });

describe('production first start', () => {
  let dataDir: string;
  let server: Awaited<ReturnType<typeof startProduction>> | null = null;
  beforeEach(() => (dataDir = fs.mkdtempSync(path.join(os.tmpdir(), 'anxin-prod-'))));
  afterEach(async () => {
    if (server) await stop(server.child);
    server = null;
    fs.rmSync(dataDir, { recursive: true, force: true });
  });

  it('when production starts on an empty database, then no demo users exist, one admin has a printed one-time password that must be changed, and the change works', async () => {
    server = await startProduction(dataDir);
    const printed = /Admin user: admin {2}one-time password: (\S+)/.exec(server.stdout());
    expect(printed).not.toBeNull();
    const oneTime = printed![1]!;
    expect(server.stdout()).not.toContain('Anxin@2026');
    expect((await post(server.baseUrl, '/api/auth/login', { username: 'agent8001', password: 'Anxin@2026' })).status).toBe(401);

    const login = (await (await post(server.baseUrl, '/api/auth/login', { username: 'admin', password: oneTime })).json()) as { token: string; mustChangePassword: boolean };
    expect(login.mustChangePassword).toBe(true);
    const blocked = await fetch(`${server.baseUrl}/api/districts`, { headers: { authorization: `Bearer ${login.token}` } });
    expect(blocked.status).toBe(403);
    expect((await post(server.baseUrl, '/api/auth/password', { currentPassword: oneTime, newPassword: 'admin-short' }, login.token)).status).toBe(400);
    expect((await post(server.baseUrl, '/api/auth/password', { currentPassword: oneTime, newPassword: 'A-new-strong-passphrase' }, login.token)).status).toBe(204);
    // The admin must enrol a second factor next (TOTP), then the console opens.
    expect((await fetch(`${server.baseUrl}/api/districts`, { headers: { authorization: `Bearer ${login.token}` } })).status).toBe(403);
    const enrolment = (await (await post(server.baseUrl, '/api/auth/totp/enrolment', {}, login.token)).json()) as { secret: string };
    expect((await post(server.baseUrl, '/api/auth/totp/confirm', { code: totpCodeAt(enrolment.secret, new Date()) }, login.token)).status).toBe(200);
    expect((await fetch(`${server.baseUrl}/api/districts`, { headers: { authorization: `Bearer ${login.token}` } })).status).toBe(200);

    // A second start on the same data creates nothing and prints no password.
    await stop(server.child);
    server = await startProduction(dataDir);
    expect(server.stdout()).not.toContain('one-time password');
    await stop(server.child);
    server = null;

    const staff = queryDataDir(dataDir, 'SELECT username, role, must_change_password, active FROM staff_user ORDER BY username') as { username: string; role: string; must_change_password: boolean; active: boolean }[];
    expect(staff.filter((s) => s.active)).toEqual([{ username: 'admin', role: 'admin', must_change_password: false, active: true }]);
    expect(queryDataDir(dataDir, 'SELECT count(*)::int AS n FROM person')).toEqual([{ n: 0 }]);
  });

  it('when ANXIN_INITIAL_ADMIN_PASSWORD is set, then that is the one-time password and it is not printed', async () => {
    server = await startProduction(dataDir, { ANXIN_INITIAL_ADMIN_PASSWORD: 'Initial-Admin-Pass-1' });
    expect(server.stdout()).not.toContain('Initial-Admin-Pass-1');
    const res = (await (await post(server.baseUrl, '/api/auth/login', { username: 'admin', password: 'Initial-Admin-Pass-1' })).json()) as { mustChangePassword: boolean };
    expect(res.mustChangePassword).toBe(true);
  });
});
