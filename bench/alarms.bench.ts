/**
 * Alarm API benchmark (issue: IVR, SOS and SMS).
 *
 * The built server runs as a child process on a fresh embedded PGlite directory (or BENCH_DATABASE_URL)
 * holding `devices` persons with keyed SOS pendants. This process signs alarms like devices do and holds
 * socket.io clients for agents and a supervisor. Measured on one clock:
 *  - at a fixed rate (BENCH_RATE, default 200/s, open loop): time from sending POST /api/alarms to its 201
 *    (acknowledged, i.e. committed) and to the `sos:raised` alert arriving at an agent's socket;
 *  - the highest acknowledged alarms/s with BENCH_CONCURRENCY requests in flight (closed loop);
 *  - the floor: the same two measurements against an empty express endpoint that emits one socket.io
 *    notice (its own process, no auth, no database), and the ratios.
 * Every alarm is a first SOS of its person: a new P0 order, an SOS incident, an audit row and the alert.
 * Escalation timers are pushed beyond the run so they do not add load.
 * Env: BENCH_RATE (200), BENCH_SECONDS (10), BENCH_CONCURRENCY (32), BENCH_MAX_SECONDS (5),
 * BENCH_WARMUP (200), BENCH_AGENTS (4), BENCH_DATABASE_URL (unset → PGlite).
 */
import { spawn, type ChildProcess } from 'node:child_process';
import fs from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { performance } from 'node:perf_hooks';
import { io as ioClient, type Socket } from 'socket.io-client';
import { openDatabase } from '../db/src/database';
import { fieldCryptoFromSecret } from '../server/src/shared/crypto-from-config';
import { makeAlarmDevices, postAlarm, type AlarmDevice } from '../server/test/support/alarm-devices';
import { makeDistricts, makeUser, TEST_DATA_KEY, TEST_PASSWORD } from '../server/test/support/test-app';
import { freePort, loginToken, ROOT, rssMb, startServer } from './support/processes';
import { line, ms, summarize } from './support/stats';

const RATE = Number(process.env.BENCH_RATE ?? 200);
const SECONDS = Number(process.env.BENCH_SECONDS ?? 10);
const CONCURRENCY = Number(process.env.BENCH_CONCURRENCY ?? 32);
const MAX_SECONDS = Number(process.env.BENCH_MAX_SECONDS ?? 5);
const WARMUP = Number(process.env.BENCH_WARMUP ?? 200);
const AGENTS = Number(process.env.BENCH_AGENTS ?? 4);
const DB_URL = process.env.BENCH_DATABASE_URL;

interface Target {
  baseUrl: string;
  /** Alert arrival times (performance.now()) by ticket id, at the first agent socket. */
  alerts: Map<string, number>;
  sockets: Socket[];
}

interface Run {
  sent: number;
  acknowledged: number;
  seconds: number;
  ack: number[];
  alert: number[];
  errors: number;
}

async function connect(baseUrl: string, token: string | null, alerts: Map<string, number> | null): Promise<Socket> {
  const socket = ioClient(baseUrl, { auth: token ? { token } : {}, transports: ['websocket'], reconnection: false, forceNew: true });
  await new Promise<void>((resolve, reject) => {
    socket.once('connect', () => resolve());
    socket.once('connect_error', reject);
  });
  if (alerts) socket.on('sos:raised', (p: { ticketId: string }) => alerts.set(p.ticketId, performance.now()));
  return socket;
}

/** One alarm: POST, then wait (bounded) for its alert at the agent socket. */
async function fire(target: Target, device: AlarmDevice, run: Run): Promise<void> {
  const t0 = performance.now();
  run.sent++;
  try {
    const r = await postAlarm(target.baseUrl, device, { body: { type: 'sos', battery: 80 } });
    const tAck = performance.now();
    if (r.status !== 201) {
      run.errors++;
      return;
    }
    run.acknowledged++;
    run.ack.push(tAck - t0);
    const deadline = tAck + 5000;
    while (!target.alerts.has(r.body.ticketId) && performance.now() < deadline) await new Promise((res) => setTimeout(res, 1));
    const at = target.alerts.get(r.body.ticketId);
    if (at === undefined) run.errors++;
    else run.alert.push(at - t0);
  } catch {
    run.errors++;
  }
}

const empty = (): Run => ({ sent: 0, acknowledged: 0, seconds: 0, ack: [], alert: [], errors: 0 });

/** Open loop: one alarm every 1000/rate ms whatever the answers, for `seconds`. */
async function atRate(target: Target, devices: AlarmDevice[], rate: number, seconds: number): Promise<Run> {
  const run = empty();
  const n = Math.min(devices.length, Math.round(rate * seconds));
  const start = performance.now();
  const pending: Promise<void>[] = [];
  for (let i = 0; i < n; i++) {
    const due = start + (i * 1000) / rate;
    const wait = due - performance.now();
    if (wait > 0) await new Promise((r) => setTimeout(r, wait));
    pending.push(fire(target, devices[i]!, run));
  }
  await Promise.all(pending);
  run.seconds = (performance.now() - start) / 1000;
  return run;
}

/** Closed loop: `concurrency` alarms in flight for `seconds`. */
async function flatOut(target: Target, devices: AlarmDevice[], concurrency: number, seconds: number): Promise<Run> {
  const run = empty();
  const start = performance.now();
  const stop = start + seconds * 1000;
  let next = 0;
  await Promise.all(
    Array.from({ length: concurrency }, async () => {
      while (performance.now() < stop && next < devices.length) await fire(target, devices[next++]!, run);
    }),
  );
  run.seconds = (performance.now() - start) / 1000;
  return run;
}

async function prepare(devicesNeeded: number): Promise<{ dataDir: string | null; devices: AlarmDevice[]; users: string[] }> {
  const dataDir = DB_URL ? null : fs.mkdtempSync(path.join(os.tmpdir(), 'anxin-bench-alarms-'));
  const db = await openDatabase({ url: DB_URL, dataDir: dataDir ?? './data' });
  try {
    const tree = await makeDistricts(db.ds);
    const users = [];
    for (let i = 0; i < AGENTS; i++) users.push((await makeUser(db.ds, 'agent', tree.city)).username);
    users.push((await makeUser(db.ds, 'supervisor', tree.city)).username);
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

async function startFloor(): Promise<{ child: ChildProcess; baseUrl: string }> {
  const port = await freePort();
  const script = path.join(ROOT, 'dist/bench/support/alarm-floor-server.js');
  if (!fs.existsSync(script)) throw new Error('dist/ is missing: run npm run build');
  const child = spawn(process.execPath, [script, String(port)], { stdio: ['ignore', 'pipe', 'inherit'] });
  await new Promise<void>((resolve) => child.stdout!.once('data', () => resolve()));
  return { child, baseUrl: `http://127.0.0.1:${port}` };
}

function report(label: string, run: Run): void {
  const ack = summarize(run.ack);
  const alert = summarize(run.alert);
  line(`${label}: sent / acknowledged / errors`, `${run.sent} / ${run.acknowledged} / ${run.errors}`);
  line(`${label}: acknowledged alarms/s`, (run.acknowledged / run.seconds).toFixed(1));
  line(`${label}: POST → 2xx  p50 / p95 / p99`, `${ms(ack.p50)} / ${ms(ack.p95)} / ${ms(ack.p99)}`);
  line(`${label}: POST → agent alert  p50 / p95 / p99 / max`, `${ms(alert.p50)} / ${ms(alert.p95)} / ${ms(alert.p99)} / ${ms(alert.max)}`);
}

async function main(): Promise<void> {
  const needed = WARMUP + Math.round(RATE * SECONDS) + Math.round(MAX_SECONDS * 600);
  console.log(`\nAlarm API benchmark — ${DB_URL ? 'PostgreSQL' : 'embedded PGlite'}, ${needed} persons with keyed pendants, ${AGENTS} agents + 1 supervisor listening`);
  const t0 = performance.now();
  const { dataDir, devices, users } = await prepare(needed);
  console.log(`  prepared in ${((performance.now() - t0) / 1000).toFixed(1)} s`);

  const server = await startServer({ DATA_DIR: dataDir ?? '', DATABASE_URL: DB_URL ?? '', ANXIN_DATA_KEY: TEST_DATA_KEY, SOS_AGENT_ANSWER_SECONDS: '86400', NODE_ENV: 'production' });
  const floor = await startFloor();
  const real: Target = { baseUrl: server.baseUrl, alerts: new Map(), sockets: [] };
  const bare: Target = { baseUrl: floor.baseUrl, alerts: new Map(), sockets: [] };
  try {
    for (const [i, username] of users.entries()) {
      const token = await loginToken(server.baseUrl, username, TEST_PASSWORD);
      real.sockets.push(await connect(server.baseUrl, token, i === 0 ? real.alerts : null));
      bare.sockets.push(await connect(floor.baseUrl, null, i === 0 ? bare.alerts : null));
    }
    let cursor = 0;
    const take = (n: number) => devices.slice(cursor, (cursor += n));

    await atRate(real, take(WARMUP), 50, WARMUP / 50); // JIT, pools, caches
    await atRate(bare, devices.slice(0, WARMUP), 50, WARMUP / 50);

    const realRate = await atRate(real, take(Math.round(RATE * SECONDS)), RATE, SECONDS);
    const bareRate = await atRate(bare, devices.slice(0, Math.round(RATE * SECONDS)), RATE, SECONDS);
    const rss = rssMb(server.child.pid!);
    const realMax = await flatOut(real, devices.slice(cursor), CONCURRENCY, MAX_SECONDS);
    const bareMax = await flatOut(bare, devices, CONCURRENCY, MAX_SECONDS);

    console.log(`\n  At ${RATE} alarms/s for ${SECONDS} s (open loop):`);
    report('anxin', realRate);
    report('floor', bareRate);
    console.log(`\n  Flat out, ${CONCURRENCY} in flight for ${MAX_SECONDS} s:`);
    report('anxin', realMax);
    report('floor', bareMax);

    const p99 = summarize(realRate.alert).p99;
    const floorP99 = summarize(bareRate.alert).p99;
    console.log('\n  Ratios (anxin / floor):');
    line('alert p99 at the target rate', `${(p99 / floorP99).toFixed(1)}×  (${ms(p99)} vs ${ms(floorP99)})`);
    line('ack p99 at the target rate', `${(summarize(realRate.ack).p99 / summarize(bareRate.ack).p99).toFixed(1)}×`);
    line('max acknowledged alarms/s', `${((realMax.acknowledged / realMax.seconds) / (bareMax.acknowledged / bareMax.seconds)).toFixed(2)}×  (${(realMax.acknowledged / realMax.seconds).toFixed(0)} vs ${(bareMax.acknowledged / bareMax.seconds).toFixed(0)})`);
    line('server RSS after the rate run', `${rss.toFixed(0)} MB`);
    line(`target: alert p99 < 100 ms at ${RATE}/s`, p99 < 100 && realRate.errors === 0 ? 'met' : 'NOT met');
  } finally {
    for (const s of [...real.sockets, ...bare.sockets]) s.disconnect();
    await server.stop();
    floor.child.kill('SIGTERM');
    if (dataDir) fs.rmSync(dataDir, { recursive: true, force: true });
  }
}

main().catch((err) => {
  console.error(err);
  process.exit(1);
});
