/**
 * Logins must not slow the alarm API (issue 7: bcryptjs on the event loop took alarm acks from 4–7 ms to 8.7 s
 * while 200 logins ran).
 *
 * The built server runs as a child process on a fresh embedded PGlite directory (or BENCH_DATABASE_URL) with
 * BENCH_LOGINS staff users and keyed SOS pendants. In the same run, signed alarms go out at BENCH_RATE per
 * second (open loop) and their POST → 201 latency is measured:
 *  - floor: alarms alone for BENCH_SECONDS;
 *  - under load: the same rate while BENCH_LOGINS logins (each a different user, all sent at once) are in
 *    flight; only alarms sent before the last login answered count. Login latency is reported too.
 * BENCH_HASH=bcrypt gives the users old bcrypt hashes (verified in a worker thread, then rehashed to scrypt).
 * Env: BENCH_RATE (20), BENCH_SECONDS (5), BENCH_LOGINS (200), BENCH_HASH (scrypt), BENCH_WARMUP (100),
 * BENCH_DATABASE_URL (unset → PGlite).
 */
import fs from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { performance } from 'node:perf_hooks';
import bcrypt from 'bcryptjs';
import { openDatabase } from '../db/src/database';
import { fieldCryptoFromSecret } from '../server/src/shared/crypto-from-config';
import { makeAlarmDevices, postAlarm, type AlarmDevice } from '../server/test/support/alarm-devices';
import { makeDistricts, makeUser, TEST_DATA_KEY, TEST_PASSWORD } from '../server/test/support/test-app';
import { startServer } from './support/processes';
import { line, ms, summarize } from './support/stats';

const RATE = Number(process.env.BENCH_RATE ?? 20);
const SECONDS = Number(process.env.BENCH_SECONDS ?? 5);
const LOGINS = Number(process.env.BENCH_LOGINS ?? 200);
const HASH = process.env.BENCH_HASH === 'bcrypt' ? 'bcrypt' : 'scrypt';
const WARMUP = Number(process.env.BENCH_WARMUP ?? 100);
const DB_URL = process.env.BENCH_DATABASE_URL;

interface AlarmRun {
  ack: number[];
  errors: number;
}

async function prepare(devicesNeeded: number): Promise<{ dataDir: string | null; devices: AlarmDevice[]; users: string[] }> {
  const dataDir = DB_URL ? null : fs.mkdtempSync(path.join(os.tmpdir(), 'anxin-bench-login-'));
  const db = await openDatabase({ url: DB_URL, dataDir: dataDir ?? './data' });
  try {
    const tree = await makeDistricts(db.ds);
    const legacy = HASH === 'bcrypt' ? { passwordHash: bcrypt.hashSync(TEST_PASSWORD, 10) } : {};
    const users: string[] = [];
    for (let i = 0; i < LOGINS; i++) users.push((await makeUser(db.ds, 'agent', tree.city, legacy)).username);
    const crypto = fieldCryptoFromSecret(TEST_DATA_KEY);
    const devices: AlarmDevice[] = [];
    for (let done = 0; done < devicesNeeded; done += 1000) {
      devices.push(...(await makeAlarmDevices(db.ds, crypto, tree.community, Array.from({ length: Math.min(1000, devicesNeeded - done) }, () => ({})))));
    }
    return { dataDir, devices, users };
  } finally {
    await db.close();
  }
}

/** Alarms at `RATE`/s from `devices` until `until()` says stop (or the devices run out). */
async function alarmsUntil(baseUrl: string, devices: AlarmDevice[], until: () => boolean): Promise<AlarmRun> {
  const run: AlarmRun = { ack: [], errors: 0 };
  const start = performance.now();
  const pending: Promise<void>[] = [];
  for (let i = 0; i < devices.length && !until(); i++) {
    const wait = start + (i * 1000) / RATE - performance.now();
    if (wait > 0) await new Promise((r) => setTimeout(r, wait));
    const device = devices[i]!;
    pending.push(
      (async () => {
        const t0 = performance.now();
        try {
          const r = await postAlarm(baseUrl, device, { body: { type: 'sos', battery: 80 } });
          if (r.status === 201) run.ack.push(performance.now() - t0);
          else run.errors++;
        } catch {
          run.errors++;
        }
      })(),
    );
  }
  await Promise.all(pending);
  return run;
}

async function login(baseUrl: string, username: string): Promise<{ ms: number; ok: boolean }> {
  const t0 = performance.now();
  const res = await fetch(`${baseUrl}/api/auth/login`, { method: 'POST', headers: { 'content-type': 'application/json' }, body: JSON.stringify({ username, password: TEST_PASSWORD }) });
  await res.arrayBuffer();
  return { ms: performance.now() - t0, ok: res.status === 200 };
}

function report(label: string, run: AlarmRun): void {
  const s = summarize(run.ack);
  line(`${label}: alarms acknowledged / errors`, `${run.ack.length} / ${run.errors}`);
  line(`${label}: POST → 201  p50 / p99 / max`, `${ms(s.p50)} / ${ms(s.p99)} / ${ms(s.max)}`);
}

async function main(): Promise<void> {
  const perPhase = Math.round(RATE * Math.max(SECONDS, 40));
  const needed = WARMUP + 2 * perPhase;
  console.log(`\nLogins vs alarm API — ${DB_URL ? 'PostgreSQL' : 'embedded PGlite'}, ${LOGINS} concurrent logins (${HASH} hashes), alarms at ${RATE}/s`);
  const t0 = performance.now();
  const { dataDir, devices, users } = await prepare(needed);
  console.log(`  prepared in ${((performance.now() - t0) / 1000).toFixed(1)} s`);
  const server = await startServer({ DATA_DIR: dataDir ?? '', DATABASE_URL: DB_URL ?? '', ANXIN_DATA_KEY: TEST_DATA_KEY, SOS_AGENT_ANSWER_SECONDS: '86400', NODE_ENV: 'production' });
  try {
    let cursor = 0;
    const take = (n: number) => devices.slice(cursor, (cursor += n));
    await alarmsUntil(server.baseUrl, take(WARMUP), () => false);
    await login(server.baseUrl, users[0]!); // warm the login path

    const floorEnd = performance.now() + SECONDS * 1000;
    const floor = await alarmsUntil(server.baseUrl, take(perPhase), () => performance.now() > floorEnd);

    let done = 0;
    const started = performance.now();
    const logins = Promise.all(users.map((u) => login(server.baseUrl, u).finally(() => done++)));
    const loaded = await alarmsUntil(server.baseUrl, take(perPhase), () => done >= users.length);
    const loginResults = await logins;
    const loginSeconds = (performance.now() - started) / 1000;

    console.log(`\n  Alarms alone for ${SECONDS} s (floor):`);
    report('floor', floor);
    console.log(`\n  Alarms while ${LOGINS} logins run (${loginSeconds.toFixed(1)} s until the last login answered):`);
    report('with logins', loaded);
    const l = summarize(loginResults.map((r) => r.ms));
    line('logins ok / failed', `${loginResults.filter((r) => r.ok).length} / ${loginResults.filter((r) => !r.ok).length}`);
    line('login latency p50 / p99 / max', `${ms(l.p50)} / ${ms(l.p99)} / ${ms(l.max)}`);

    const f = summarize(floor.ack);
    const w = summarize(loaded.ack);
    console.log('\n  Ratios (with logins / floor):');
    line('alarm POST → 201 p50', `${(w.p50 / f.p50).toFixed(2)}×  (${ms(w.p50)} vs ${ms(f.p50)})`);
    line('alarm POST → 201 p99', `${(w.p99 / f.p99).toFixed(2)}×  (${ms(w.p99)} vs ${ms(f.p99)})`);
    line('target: alarm p99 with logins < 100 ms', w.p99 < 100 && loaded.errors === 0 ? 'met' : 'NOT met');
  } finally {
    await server.stop();
    if (dataDir) fs.rmSync(dataDir, { recursive: true, force: true });
  }
}

main().catch((err) => {
  console.error(err);
  process.exit(1);
});
