import { randomBytes, randomInt } from 'node:crypto';
import type { AddressInfo } from 'node:net';
import os from 'node:os';
import path from 'node:path';
import pino from 'pino';
import { io as ioClient, type Socket } from 'socket.io-client';
import type { DataSource } from 'typeorm';
import { createDataSource } from '../../../db/src/data-source';
import { createApp, type App } from '../../src/app';
import { hashPassword } from '../../src/auth/auth.service';
import { loadConfig } from '../../src/config/config';
import { District } from '../../src/districts/district.entity';
import type { ClientToServerEvents, ServerToClientEvents } from '../../src/realtime/realtime-events';
import type { Clock } from '../../src/shared/clock';
import { fieldCryptoFromSecret } from '../../src/shared/crypto-from-config';
import { StaffUser, type StaffRole } from '../../src/staff/staff-user.entity';
import { newTotpSecret, TOTP_ROLES, totpCodeAt } from '../../src/auth/totp';
import type { TelephonyPort } from '../../src/telephony/telephony.port';

export const TEST_PASSWORD = 'Test@Pass-2026';
export const TEST_DATA_KEY = 'anxin-test-data-key-0123456789abcdef';

/** The test database (PGlite or PostgreSQL, chosen by global setup). */
export async function testDataSource(): Promise<DataSource> {
  const url = process.env.ANXIN_TEST_DATABASE_URL;
  if (!url) throw new Error('ANXIN_TEST_DATABASE_URL is not set: run tests through jest (global setup)');
  const ds = createDataSource({ url, poolSize: 4 });
  await ds.initialize();
  return ds;
}

export class TestClock implements Clock {
  constructor(private t = new Date()) {}
  now(): Date {
    return new Date(this.t);
  }
  advance(ms: number): void {
    this.t = new Date(this.t.getTime() + ms);
  }
}

export interface RunningApp {
  app: App;
  ds: DataSource;
  baseUrl: string;
  clock: TestClock;
  close(): Promise<void>;
}

/** A real server on an ephemeral port against the test database. */
export async function startTestApp(opts: { telephony?: TelephonyPort | null; clock?: TestClock; env?: Record<string, string>; beforeStart?: (ds: DataSource) => Promise<void> } = {}): Promise<RunningApp> {
  const ds = await testDataSource();
  await opts.beforeStart?.(ds);
  const clock = opts.clock ?? new TestClock();
  // Each app's audit checkpoints go to its own temporary file (never into the repository's ./data).
  const checkpoints = path.join(os.tmpdir(), `anxin-audit-checkpoints-${process.pid}-${uniq()}.jsonl`);
  const config = loadConfig({ NODE_ENV: 'test', PORT: '0', ANXIN_DATA_KEY: TEST_DATA_KEY, LOG_LEVEL: 'silent', AUDIT_CHECKPOINT_FILE: checkpoints, DATA_DIR: path.join(os.tmpdir(), `anxin-test-data-${process.pid}`), LOGIN_IP_MAX_FAILURES: '10000', ...opts.env });
  const app = createApp({
    config,
    log: pino({ level: process.env.TEST_LOG_LEVEL ?? 'silent' }),
    ds,
    databaseKind: process.env.ANXIN_TEST_DB_KIND === 'postgres' ? 'postgres' : 'pglite',
    crypto: fieldCryptoFromSecret(TEST_DATA_KEY),
    clock,
    telephony: opts.telephony ?? null,
  });
  await app.start();
  const { port } = app.http.address() as AddressInfo;
  appClocks.set(`http://127.0.0.1:${port}`, clock);
  return {
    app,
    ds,
    clock,
    baseUrl: `http://127.0.0.1:${port}`,
    async close() {
      await app.close();
      await ds.destroy();
    },
  };
}

export const uniq = (): string => randomBytes(4).toString('hex');

/** A fresh city → district → street → community tree with unique codes (tests share one database). */
export async function makeDistricts(ds: DataSource): Promise<{ city: string; district: string; street: string; community: string; otherDistrict: string }> {
  for (;;) {
    const city = String(randomInt(100000, 999999));
    if (await ds.getRepository(District).existsBy({ code: city })) continue;
    const district = `${city.slice(0, 4)}${String(randomInt(10, 99))}`;
    const otherDistrict = `${city.slice(0, 4)}${String(randomInt(10, 99))}`;
    if (district === otherDistrict || district === city) continue;
    const rows: District[] = [
      { code: city, name: `测试市${city}`, level: 'city', parentCode: null },
      { code: district, name: '测试区', level: 'district', parentCode: city },
      { code: otherDistrict, name: '另一区', level: 'district', parentCode: city },
      { code: `${district}001`, name: '测试街道', level: 'street', parentCode: district },
      { code: `${district}001001`, name: '测试社区', level: 'community', parentCode: `${district}001` },
    ];
    try {
      await ds.getRepository(District).insert(rows);
    } catch {
      continue; // a code collided with another test's tree: draw again
    }
    return { city, district, street: `${district}001`, community: `${district}001001`, otherDistrict };
  }
}

/**
 * For a file holding the `outbox-workers` lock, before its app starts: files run on clocks set years back,
 * and an earlier-clock file may leave SMS pending (its carrier gone) or dispatch timers unfired. Due on this
 * file's clock, this file's workers would send or fire them. They are moved 200 years on, so a file's
 * workers act on its own rows only (no other such file runs meanwhile: they share the lock).
 * @example startTestApp({ clock, beforeStart: (ds) => parkLeftovers(ds, clock.now()) })
 */
export async function parkLeftovers(ds: DataSource, now: Date): Promise<void> {
  await ds.query(
    `UPDATE outbox SET next_attempt_at = next_attempt_at + interval '200 years', lease_until = lease_until + interval '200 years'
     WHERE (status = 'pending' AND next_attempt_at <= $1) OR (status = 'sending' AND lease_until <= $1)`,
    [now],
  );
  await ds.query(`UPDATE dispatch_timer SET due_at = due_at + interval '200 years' WHERE fired_at IS NULL AND cancelled_at IS NULL AND due_at <= $1`, [now]);
}

let cachedHash: Promise<string> | null = null;

/** Each test app's clock by base URL: TOTP codes are computed at the server's time. */
const appClocks = new Map<string, Clock>();
/** TOTP secrets of the users {@link makeUser} enrolled, by username (as the user's authenticator app holds them). */
const totpSecrets = new Map<string, string>();

/** The TOTP secret a test user was enrolled with (makeUser enrols the roles that require a second factor). */
export function totpSecretOf(username: string): string | undefined {
  return totpSecrets.get(username);
}

/** The code the user's authenticator app shows now, by the clock of the server at `baseUrl`. */
export function totpCodeFor(baseUrl: string, secret: string): string {
  return totpCodeAt(secret, appClocks.get(baseUrl)?.now() ?? new Date());
}

/**
 * A staff user with TEST_PASSWORD. Users whose roles require a second factor (admin, security_admin,
 * auditor) are enrolled with a real TOTP secret, which {@link login} uses to send the current code; pass
 * `totpEnabledAt: null` to leave one unenrolled.
 */
export async function makeUser(ds: DataSource, role: StaffRole, districtCode: string, extra: Partial<StaffUser> = {}): Promise<StaffUser> {
  cachedHash ??= hashPassword(TEST_PASSWORD);
  const repo = ds.getRepository(StaffUser);
  const username = extra.username ?? `${role}-${uniq()}`;
  const roles = extra.roles ?? [role];
  const totp: Partial<StaffUser> = {};
  if (!('totpEnabledAt' in extra) && roles.some((r) => TOTP_ROLES.includes(r))) {
    const secret = newTotpSecret();
    totpSecrets.set(username, secret);
    Object.assign(totp, { totpSecret: fieldCryptoFromSecret(TEST_DATA_KEY).encrypt(secret), totpEnabledAt: new Date() });
  }
  return repo.save(repo.create({ username, displayName: `测试${role}`, passwordHash: await cachedHash, role, skills: [], sipExtension: null, districtCode, ...totp, ...extra }));
}

/** Log in over real HTTP (with the current TOTP code when the user has one); returns the bearer token. */
export async function login(baseUrl: string, username: string, password = TEST_PASSWORD): Promise<string> {
  const secret = totpSecrets.get(username);
  const body = { username, password, ...(secret ? { code: totpCodeFor(baseUrl, secret) } : {}) };
  const res = await fetch(`${baseUrl}/api/auth/login`, { method: 'POST', headers: { 'content-type': 'application/json' }, body: JSON.stringify(body) });
  if (res.status !== 200) throw new Error(`login ${username} failed: ${res.status} ${await res.text()}`);
  return ((await res.json()) as { token: string }).token;
}

export type TestSocket = Socket<ServerToClientEvents, ClientToServerEvents>;

/** A real socket.io client, connected and authenticated. */
export async function connectSocket(baseUrl: string, token: string): Promise<TestSocket> {
  const socket: TestSocket = ioClient(baseUrl, { auth: { token }, transports: ['websocket'], reconnection: false, forceNew: true });
  return connected(socket);
}

/** Wait until a client socket connects (rejects with the server's connect_error). */
export async function connected(socket: TestSocket): Promise<TestSocket> {
  await new Promise<void>((resolve, reject) => {
    socket.once('connect', () => resolve());
    socket.once('connect_error', reject);
  });
  return socket;
}

/** JSON request helper: returns status and parsed body. */
export async function api<T = any>(baseUrl: string, method: string, path: string, token?: string, body?: unknown): Promise<{ status: number; body: T }> {
  const res = await fetch(`${baseUrl}${path}`, {
    method,
    headers: { ...(token ? { authorization: `Bearer ${token}` } : {}), ...(body !== undefined ? { 'content-type': 'application/json' } : {}) },
    body: body === undefined ? undefined : typeof body === 'string' ? body : JSON.stringify(body),
  });
  const text = await res.text();
  return { status: res.status, body: (text ? JSON.parse(text) : null) as T };
}

/** A random Chinese mobile in E.164 that no fixture uses (199 prefix). */
export function randomMobile(): string {
  return `+86199${String(randomInt(0, 99_999_999)).padStart(8, '0')}`;
}
