/**
 * "2xx only after commit", tested the hard way: the real server process on its own PGlite data directory
 * takes a stream of signed SOS alarms, is killed with SIGKILL mid-stream, and is started again on the same
 * directory. Every alarm that was answered 2xx before the kill must have its order afterwards, and a device
 * retrying any alarm (answered or not) gets its order without a duplicate.
 */
import { spawn, spawnSync, type ChildProcess } from 'node:child_process';
import fs from 'node:fs';
import net from 'node:net';
import os from 'node:os';
import path from 'node:path';
import { postAlarm, type AlarmDevice } from './support/alarm-devices';
import { TEST_DATA_KEY } from './support/test-app';

const ROOT = path.resolve(__dirname, '../..');
const TS_NODE = require.resolve('ts-node/dist/bin.js');
jest.setTimeout(120_000);

interface Setup {
  agent: { username: string; password: string };
  devices: AlarmDevice[];
}

async function freePort(): Promise<number> {
  const srv = net.createServer();
  await new Promise<void>((r) => srv.listen(0, '127.0.0.1', () => r()));
  const { port } = srv.address() as net.AddressInfo;
  await new Promise<void>((r) => srv.close(() => r()));
  return port;
}

/** The real server (server/src/main.ts through ts-node + swc), one process: kill -9 kills the server itself. */
async function startServer(dataDir: string): Promise<{ child: ChildProcess; baseUrl: string }> {
  const port = await freePort();
  const child = spawn(process.execPath, [TS_NODE, '--swc', path.join(ROOT, 'server/src/main.ts')], {
    cwd: ROOT,
    env: { ...process.env, DATA_DIR: dataDir, PORT: String(port), HOST: '127.0.0.1', SEED_DEMO: 'never', LOG_LEVEL: 'error', ANXIN_DATA_KEY: TEST_DATA_KEY, NODE_ENV: 'development', DATABASE_URL: '' },
    stdio: ['ignore', 'ignore', 'pipe'],
  });
  let stderr = '';
  child.stderr!.on('data', (d) => (stderr += d));
  const baseUrl = `http://127.0.0.1:${port}`;
  const deadline = Date.now() + 60_000;
  for (;;) {
    if (child.exitCode !== null) throw new Error(`server exited with ${child.exitCode}: ${stderr}`);
    try {
      if ((await fetch(`${baseUrl}/api/health`)).ok) return { child, baseUrl };
    } catch {
      /* not listening yet */
    }
    if (Date.now() > deadline) throw new Error(`server did not start: ${stderr}`);
    await new Promise((r) => setTimeout(r, 100));
  }
}

const exited = (child: ChildProcess) => new Promise<void>((r) => (child.exitCode !== null || child.signalCode !== null ? r() : child.once('exit', () => r())));

describe('alarms survive kill -9', () => {
  let dataDir: string;
  let server: { child: ChildProcess; baseUrl: string } | null = null;

  beforeAll(() => {
    dataDir = fs.mkdtempSync(path.join(os.tmpdir(), 'anxin-kill9-'));
  });
  afterAll(async () => {
    if (server && server.child.exitCode === null) {
      server.child.kill('SIGTERM');
      await exited(server.child);
    }
    fs.rmSync(dataDir, { recursive: true, force: true });
  });

  it('when the server is killed mid-stream, then every alarm answered 2xx has its order after restart, and retries are idempotent', async () => {
    const setup = spawnSync(process.execPath, [TS_NODE, '--swc', path.join(ROOT, 'server/test/support/crash-setup.ts'), dataDir, '60'], { cwd: ROOT, encoding: 'utf8', env: { ...process.env, DATABASE_URL: '' } });
    expect(setup.status).toBe(0);
    const { agent, devices } = JSON.parse(setup.stdout) as Setup;

    server = await startServer(dataDir);
    const { baseUrl, child } = server;
    const sent: { device: AlarmDevice; idempotencyKey: string; status: number | 'lost'; body: any }[] = [];
    let acknowledged = 0;
    let killed = false;
    // 60 devices, one SOS each, 12 in flight at a time; SIGKILL once 25 are acknowledged.
    let next = 0;
    await Promise.all(
      Array.from({ length: 12 }, async () => {
        while (next < devices.length && !killed) {
          const device = devices[next++]!;
          const idempotencyKey = `kill9-${device.serial}`;
          const entry = { device, idempotencyKey, status: 'lost' as number | 'lost', body: null as any };
          sent.push(entry);
          try {
            const r = await postAlarm(baseUrl, device, { body: { type: 'sos', detail: 'kill -9 test' }, idempotencyKey });
            entry.status = r.status;
            entry.body = r.body;
            if (r.status === 201 && ++acknowledged === 25 && !killed) {
              killed = true;
              child.kill('SIGKILL');
            }
          } catch {
            entry.status = 'lost'; // connection reset by the kill: the device does not know
          }
        }
      }),
    );
    await exited(child);
    expect(child.signalCode).toBe('SIGKILL');
    const acked = sent.filter((s) => s.status === 201);
    expect(acked.length).toBeGreaterThanOrEqual(25);
    expect(acked.length).toBeLessThan(devices.length); // the stream was cut by the kill
    expect(sent.every((s) => s.status === 201 || s.status === 'lost')).toBe(true);

    server = await startServer(dataDir);
    const login = await fetch(`${server.baseUrl}/api/auth/login`, { method: 'POST', headers: { 'content-type': 'application/json' }, body: JSON.stringify(agent) });
    const { token } = (await login.json()) as { token: string };

    for (const s of acked) {
      const res = await fetch(`${server.baseUrl}/api/tickets/${s.body.ticketId}`, { headers: { authorization: `Bearer ${token}` } });
      expect([s.body.ticketNumber, res.status]).toEqual([s.body.ticketNumber, 200]);
      const ticket = (await res.json()) as { priority: string; category: string; personId: string };
      expect(ticket).toMatchObject({ priority: 'P0', category: 'emergency', personId: s.device.personId });
      // The device retries (it may not have seen the answer): same receipt, no second order.
      const retry = await postAlarm(server.baseUrl, s.device, { body: { type: 'sos', detail: 'kill -9 test' }, idempotencyKey: s.idempotencyKey });
      expect(retry).toMatchObject({ status: 201, replayed: true, body: { ticketId: s.body.ticketId, alarmId: s.body.alarmId } });
    }
    // Alarms whose answer was lost in the kill: a retry gets an order now (committed before, or fresh).
    for (const s of sent.filter((x) => x.status === 'lost')) {
      const retry = await postAlarm(server.baseUrl, s.device, { body: { type: 'sos', detail: 'kill -9 test' }, idempotencyKey: s.idempotencyKey });
      expect(retry.status).toBe(201);
      expect(retry.body.ticketId).toEqual(expect.any(String));
    }
  });
});
