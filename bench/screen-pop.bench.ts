/**
 * Screen-pop benchmark (issue: the spine).
 *
 * With 100,000 persons in PostgreSQL, the built server runs as a child process with its AMI adapter
 * connected to a fake Asterisk in this process that replays calls DERIVED from the recorded
 * `inbound-answered-caller-hangup` traffic (ids and caller numbers rewritten to seeded persons).
 * Measured here, on one clock:
 *  - pop latency: the AgentCalled frame leaving the fake AMI socket → `call:ringing` arriving at the
 *    agent's socket.io client, at 50 new calls per second;
 *  - sustained AMI events per second with every call row persisted (replay as fast as possible);
 *  - the floor: a bare socket.io round trip to a bare server process on the same machine;
 *  - server RSS.
 * Env: BENCH_DATABASE_URL (default postgres://postgres@127.0.0.1:5432/anxin_bench, seeded once),
 * BENCH_PERSONS (100000), BENCH_CALLS (500), BENCH_RATE (50), BENCH_BURST_CALLS (1500), BENCH_WARMUP (25).
 */
import { spawn } from 'node:child_process';
import { performance } from 'node:perf_hooks';
import { Client } from 'pg';
import { io as ioClient, type Socket } from 'socket.io-client';
import { loadAmiFixture, multiplyCalls } from '../server/test/support/ami-fixtures';
import { AmiReplayServer } from '../server/test/support/ami-replay-server';
import { line, ms, summarize } from './support/stats';
import { loginToken, ROOT, rssMb, startServer } from './support/processes';
import { ensureSeeded } from './support/seeded-db';

const DB_URL = process.env.BENCH_DATABASE_URL ?? 'postgres://postgres@127.0.0.1:5432/anxin_bench';
const PERSONS = Number(process.env.BENCH_PERSONS ?? 100_000);
const CALLS = Number(process.env.BENCH_CALLS ?? 500);
const RATE = Number(process.env.BENCH_RATE ?? 50);
const BURST_CALLS = Number(process.env.BENCH_BURST_CALLS ?? 1500);
/** The first calls warm up JIT, pools and caches; they are reported apart. */
const WARMUP = Number(process.env.BENCH_WARMUP ?? 25);
const PASSWORD = 'Anxin@2026';

async function knownCallers(n: number): Promise<string[]> {
  const c = new Client({ connectionString: DB_URL });
  await c.connect();
  try {
    await c.query('DELETE FROM ticket_call');
    await c.query('DELETE FROM call');
    const { rows } = await c.query(
      "SELECT e164 FROM phone_number WHERE person_id IS NOT NULL AND kind = 'mobile' ORDER BY md5(e164) LIMIT $1",
      [n],
    );
    return rows.map((r: { e164: string }) => r.e164.replace(/^\+86/, ''));
  } finally {
    await c.end();
  }
}

/** Bare socket.io server in its own process: the floor. */
async function socketIoFloor(samples: number): Promise<ReturnType<typeof summarize>> {
  const script = "const h=require('http').createServer();const io=new (require('socket.io').Server)(h);io.on('connection',s=>s.on('ping',(x,a)=>a(x)));h.listen(0,'127.0.0.1',()=>process.send(h.address().port));";
  const child = spawn(process.execPath, ['-e', script], { cwd: ROOT, stdio: ['ignore', 'inherit', 'inherit', 'ipc'] });
  const port: number = await new Promise((r) => child.once('message', (m) => r(m as number)));
  const socket = ioClient(`http://127.0.0.1:${port}`, { transports: ['websocket'], forceNew: true });
  await new Promise((r) => socket.once('connect', () => r(null)));
  const rtts: number[] = [];
  for (let i = 0; i < samples + 50; i++) {
    const t0 = performance.now();
    await new Promise((r) => socket.emit('ping', i, r));
    if (i >= 50) rtts.push(performance.now() - t0);
  }
  socket.disconnect();
  child.kill();
  return summarize(rtts);
}

async function popLatency(callers: string[]): Promise<{ lat: ReturnType<typeof summarize>; cold: ReturnType<typeof summarize>; rss: number; missing: number; persisted: number }> {
  const sent = new Map<string, number>();
  let go!: () => void;
  const started = new Promise<void>((r) => (go = r));
  const load = multiplyCalls(loadAmiFixture('inbound-answered-caller-hangup'), CALLS, { spacingSeconds: 1 / RATE, callers });
  const replay = await AmiReplayServer.start({
    sessions: [{ fixtures: load, speed: 1, startWhen: started }],
    onWrite: (text) => {
      if (!text.includes('AgentCalled')) return;
      const now = performance.now();
      for (const frame of text.split('\r\n\r\n')) {
        if (!frame.startsWith('Event: AgentCalled')) continue;
        const linked = /\r\nLinkedid: (\S+)/.exec(frame)?.[1];
        if (linked) sent.set(`asterisk:${linked}`, now);
      }
    },
  });
  const server = await startServer(
    { DATABASE_URL: DB_URL, ASTERISK_AMI_URL: `ami://hotline:hotline-secret@127.0.0.1:${replay.port}` },
    (h) => h.telephony?.asterisk === 'up',
  );
  const token = await loginToken(server.baseUrl, 'agent8001', PASSWORD);
  const agent: Socket = ioClient(server.baseUrl, { auth: { token }, transports: ['websocket'], forceNew: true });
  await new Promise((r) => agent.once('connect', () => r(null)));
  const latencies: number[] = [];
  agent.on('call:ringing', ({ call }: { call: { callKey: string } }) => {
    const t = sent.get(call.callKey);
    if (t !== undefined) latencies.push(performance.now() - t);
  });
  let rss = 0;
  const sampler = setInterval(() => (rss = Math.max(rss, rssMb(server.child.pid!))), 100);
  go();
  const deadline = Date.now() + (CALLS / RATE) * 1000 + 20_000;
  while (latencies.length < CALLS && Date.now() < deadline) await new Promise((r) => setTimeout(r, 50));
  await new Promise((r) => setTimeout(r, 6000)); // let the last calls end (recorded call ~6 s)
  clearInterval(sampler);
  const c = new Client({ connectionString: DB_URL });
  await c.connect();
  const { rows } = await c.query("SELECT count(*)::int AS n FROM call WHERE status = 'ended' AND person_id IS NOT NULL");
  await c.end();
  agent.disconnect();
  await server.stop();
  await replay.close();
  return { lat: summarize(latencies.slice(WARMUP)), cold: summarize(latencies.slice(0, WARMUP)), rss, missing: CALLS - latencies.length, persisted: rows[0].n };
}

async function sustainedEvents(callers: string[]): Promise<{ frames: number; seconds: number; persisted: number; rss: number }> {
  const c = new Client({ connectionString: DB_URL });
  await c.connect();
  await c.query('DELETE FROM call');
  let frames = 0;
  let first = 0;
  let go!: () => void;
  const started = new Promise<void>((r) => (go = r));
  const load = multiplyCalls(loadAmiFixture('inbound-answered-caller-hangup'), BURST_CALLS, { spacingSeconds: 0.001, callers });
  const replay = await AmiReplayServer.start({
    sessions: [{ fixtures: load, speed: 'max', startWhen: started }],
    onWrite: (text) => {
      if (!first) first = performance.now();
      frames += text.split('\r\n\r\n').length - 1;
    },
  });
  const server = await startServer(
    { DATABASE_URL: DB_URL, ASTERISK_AMI_URL: `ami://hotline:hotline-secret@127.0.0.1:${replay.port}` },
    (h) => h.telephony?.asterisk === 'up',
  );
  let rss = 0;
  const sampler = setInterval(() => (rss = Math.max(rss, rssMb(server.child.pid!))), 100);
  const t0 = performance.now();
  go();
  let persisted = 0;
  while (persisted < BURST_CALLS && performance.now() - t0 < 300_000) {
    const { rows } = await c.query("SELECT count(*)::int AS n FROM call WHERE status = 'ended'");
    persisted = rows[0].n;
    if (persisted < BURST_CALLS) await new Promise((r) => setTimeout(r, 20));
  }
  const seconds = (performance.now() - (first || t0)) / 1000;
  clearInterval(sampler);
  await c.end();
  await server.stop();
  await replay.close();
  return { frames, seconds, persisted, rss };
}

async function main(): Promise<void> {
  console.log(`\nScreen-pop benchmark — ${new Date().toISOString()}`);
  await ensureSeeded(DB_URL, PERSONS);
  const callers = await knownCallers(Math.max(CALLS, BURST_CALLS));

  const floor = await socketIoFloor(1000);
  console.log('\nFloor: bare socket.io round trip (separate process, loopback)');
  line('p50 / p99 / max', `${ms(floor.p50)} / ${ms(floor.p99)} / ${ms(floor.max)}`);

  const pop = await popLatency(callers);
  console.log(`\nScreen pop at ${RATE} new calls/s, ${CALLS} calls (first ${WARMUP} as warm-up), ${PERSONS.toLocaleString()} persons in PostgreSQL`);
  line('AgentCalled frame → call:ringing p50', ms(pop.lat.p50));
  line('p95', ms(pop.lat.p95));
  line('p99 (target < 25 ms)', ms(pop.lat.p99));
  line('max', ms(pop.lat.max));
  line('warm-up calls p50 / max', `${ms(pop.cold.p50)} / ${ms(pop.cold.max)}`);
  line('pops received / missing', `${pop.lat.n + pop.cold.n} / ${pop.missing}`);
  line('calls persisted as ended with person matched', String(pop.persisted));
  line('ratio p50 pop / p50 floor', `${(pop.lat.p50 / floor.p50).toFixed(1)}x`);
  line('ratio p99 pop / p99 floor', `${(pop.lat.p99 / floor.p99).toFixed(1)}x`);
  line('server RSS max (target < 300 MB)', `${pop.rss.toFixed(0)} MB`);

  const burst = await sustainedEvents(callers);
  console.log(`\nSustained AMI events, ${BURST_CALLS} calls replayed as fast as possible`);
  line('AMI frames sent', String(burst.frames));
  line('until every call row persisted as ended', `${burst.seconds.toFixed(2)} s (${burst.persisted} rows)`);
  line('AMI events per second (target ≥ 5,000)', (burst.frames / burst.seconds).toFixed(0));
  line('server RSS max (target < 300 MB)', `${burst.rss.toFixed(0)} MB`);
  console.log('');
}

main().catch((err) => {
  console.error(err);
  process.exit(1);
});
