/**
 * Two real server processes on one PostgreSQL database: the single-node jobs (SOS escalation, audit sealing,
 * heartbeat checks) run on exactly one of them; when that one is killed with SIGKILL, the other takes over
 * within seconds. Needs a PostgreSQL server (`ANXIN_TEST_PG_ADMIN_URL`, found by global setup): the test
 * makes a database of its own there, since advisory locks are per database.
 */
import { spawn, type ChildProcess } from 'node:child_process';
import fs from 'node:fs';
import net from 'node:net';
import os from 'node:os';
import path from 'node:path';
import { Client } from 'pg';
import { TEST_DATA_KEY, uniq } from './support/test-app';
import { until } from './support/until';

const ROOT = path.resolve(__dirname, '../..');
const TS_NODE = require.resolve('ts-node/dist/bin.js');
const ADMIN_URL = process.env.ANXIN_TEST_PG_ADMIN_URL;
jest.setTimeout(120_000);

interface Node {
  name: string;
  child: ChildProcess;
  baseUrl: string;
  stderr: () => string;
}
interface JobView {
  name: string;
  node: string;
  state: string;
  runs: number;
  singleNode: boolean;
}
interface Health {
  scheduler: { node: string; leader: boolean; jobs: JobView[] };
}

async function freePort(): Promise<number> {
  const srv = net.createServer();
  await new Promise<void>((r) => srv.listen(0, '127.0.0.1', () => r()));
  const { port } = srv.address() as net.AddressInfo;
  await new Promise<void>((r) => srv.close(() => r()));
  return port;
}

async function startNode(name: string, databaseUrl: string, dataDir: string): Promise<Node> {
  const port = await freePort();
  const child = spawn(process.execPath, [TS_NODE, '--swc', path.join(ROOT, 'server/src/main.ts')], {
    cwd: ROOT,
    env: { ...process.env, DATABASE_URL: databaseUrl, DATA_DIR: dataDir, PORT: String(port), HOST: '127.0.0.1', SEED_DEMO: 'never', LOG_LEVEL: 'error', ANXIN_DATA_KEY: TEST_DATA_KEY, NODE_ENV: 'development', BACKGROUND_JOBS: 'on', SCHEDULER_NODE_ID: name },
    stdio: ['ignore', 'ignore', 'pipe'],
  });
  let stderr = '';
  child.stderr!.on('data', (d) => (stderr += d));
  const baseUrl = `http://127.0.0.1:${port}`;
  await until(async () => {
    if (child.exitCode !== null) throw new Error(`node ${name} exited with ${child.exitCode}: ${stderr}`);
    return (await fetch(`${baseUrl}/api/health`).catch(() => null))?.ok;
  }, 60_000, 100);
  return { name, child, baseUrl, stderr: () => stderr };
}

const health = async (n: Node): Promise<Health> => (await fetch(`${n.baseUrl}/api/health`)).json() as Promise<Health>;
const job = (h: Health, name: string, node: string) => h.scheduler.jobs.find((j) => j.name === name && j.node === node);
const exited = (child: ChildProcess) => new Promise<void>((r) => (child.exitCode !== null || child.signalCode !== null ? r() : child.once('exit', () => r())));

(ADMIN_URL ? describe : describe.skip)('scheduler across two server processes', () => {
  const db = `anxin_failover_${process.pid}_${uniq()}`;
  const nodes: Node[] = [];
  let dataDir: string;

  async function admin<T>(work: (c: Client) => Promise<T>): Promise<T> {
    const c = new Client({ connectionString: ADMIN_URL });
    await c.connect();
    try {
      return await work(c);
    } finally {
      await c.end();
    }
  }

  beforeAll(async () => {
    dataDir = fs.mkdtempSync(path.join(os.tmpdir(), 'anxin-failover-'));
    await admin((c) => c.query(`CREATE DATABASE ${db}`));
  });
  afterAll(async () => {
    for (const n of nodes) {
      if (n.child.exitCode === null && n.child.signalCode === null) n.child.kill('SIGTERM');
      await exited(n.child);
    }
    await admin((c) => c.query(`DROP DATABASE IF EXISTS ${db} WITH (FORCE)`)).catch(() => undefined);
    fs.rmSync(dataDir, { recursive: true, force: true });
  });

  it('when two nodes run, then the single-node jobs run on one only; when it is killed -9, then the other takes them over within seconds', async () => {
    const url = new URL(ADMIN_URL!);
    url.pathname = `/${db}`;
    // One after the other: the first applies the migrations.
    nodes.push(await startNode('node-a', url.toString(), path.join(dataDir, 'a')));
    nodes.push(await startNode('node-b', url.toString(), path.join(dataDir, 'b')));
    const [a, b] = nodes as [Node, Node];

    // Exactly one leader, and the single-node SOS escalation runs there and only there.
    const settled = await until(async () => {
      const [ha, hb] = await Promise.all([health(a), health(b)]);
      const leader = ha.scheduler.leader ? a : hb.scheduler.leader ? b : null;
      if (!leader || ha.scheduler.leader === hb.scheduler.leader) return null;
      const h = leader === a ? ha : hb;
      return (job(h, 'sos-escalation', leader.name)?.runs ?? 0) >= 2 ? { leader, follower: leader === a ? b : a } : null;
    }, 15_000, 200);
    const { leader, follower } = settled;
    const before = await health(follower);
    expect(before.scheduler.leader).toBe(false);
    for (const name of ['sos-escalation', 'audit-seal', 'device-heartbeats']) {
      expect(job(before, name, follower.name)).toMatchObject({ state: 'standby', runs: 0, singleNode: true });
    }
    // Jobs every node runs do run on the follower too.
    await until(async () => (job(await health(follower), 'session-sweep', follower.name)?.runs ?? 0) >= 1, 20_000, 200);

    leader.child.kill('SIGKILL');
    await exited(leader.child);
    const after = await until(async () => {
      const h = await health(follower);
      return h.scheduler.leader && (job(h, 'sos-escalation', follower.name)?.runs ?? 0) >= 1 ? h : null;
    }, 15_000, 100);
    expect(job(after, 'sos-escalation', follower.name)!.state).not.toBe('standby');
    expect(follower.stderr()).not.toMatch(/scheduled job failed/);
  });
});
