/**
 * Recorded Asterisk traffic → real AmiAdapter over TCP → call log in the database → socket.io.
 * The fixture callers and agents 8001–8003 are the demo seed's, so a replay pops real records.
 */
import pino from 'pino';
import { Call } from '../src/calls/call.entity';
import type { ServerToClientEvents } from '../src/realtime/realtime-events';
import { AmiAdapter } from '../src/telephony/ami/ami.adapter';
import { loadAmiFixture } from './support/ami-fixtures';
import { AmiReplayServer, type ReplaySession } from './support/ami-replay-server';
import { acquireFixtureLock, resetFixturePeople, type FixturePeople } from './support/fixture-people';
import { api, connectSocket, login, startTestApp, testDataSource, type RunningApp, type TestSocket } from './support/test-app';
import { until } from './support/until';

type Ringing = Parameters<ServerToClientEvents['call:ringing']>[0];

let release: () => void;
let people: FixturePeople;

beforeAll(async () => {
  release = await acquireFixtureLock();
  const ds = await testDataSource();
  try {
    people = await resetFixturePeople(ds);
    // Earlier runs on a shared database may have left calls with the recorded Linkedids.
    await ds.query("DELETE FROM call WHERE call_key LIKE 'asterisk:1795%'");
  } finally {
    await ds.destroy();
  }
});
afterAll(() => release?.());

interface Harness {
  t: RunningApp;
  replay: AmiReplayServer;
  sockets: Record<'a8001' | 'a8002' | 'sup', TestSocket>;
  tokens: Record<'a8001' | 'a8002' | 'sup', string>;
  go: () => void;
}

async function harness(sessions: Omit<ReplaySession, 'startWhen'>[]): Promise<Harness> {
  let go!: () => void;
  const started = new Promise<void>((r) => (go = r));
  const replay = await AmiReplayServer.start({ sessions: sessions.map((s) => ({ ...s, startWhen: started })) });
  const adapter = new AmiAdapter({ connection: replay.connection(), logger: pino({ level: 'silent' }), clock: { now: () => new Date() }, reconnect: { initialDelayMs: 10, maxDelayMs: 50 } });
  const t = await startTestApp({ telephony: adapter });
  const tokens = {
    a8001: await login(t.baseUrl, people.agents['8001'].username, people.password),
    a8002: await login(t.baseUrl, people.agents['8002'].username, people.password),
    sup: await login(t.baseUrl, people.supervisor.username, people.password),
  };
  const sockets = {
    a8001: await connectSocket(t.baseUrl, tokens.a8001),
    a8002: await connectSocket(t.baseUrl, tokens.a8002),
    sup: await connectSocket(t.baseUrl, tokens.sup),
  };
  return {
    t,
    replay,
    sockets,
    tokens,
    go,
  };
}

async function closeHarness(h: Harness): Promise<void> {
  for (const s of Object.values(h.sockets)) s.disconnect();
  await h.t.close();
  await h.replay.close();
}

function collect<K extends keyof ServerToClientEvents>(socket: TestSocket, event: K): Parameters<ServerToClientEvents[K]>[0][] {
  const out: Parameters<ServerToClientEvents[K]>[0][] = [];
  socket.on(event as 'call:ringing', ((p: never) => out.push(p)) as never);
  return out;
}

const callRow = (h: Harness, linkedId: string) => h.t.ds.getRepository(Call).findOneBy({ callKey: `asterisk:${linkedId}` });

describe('screen pop from recorded AMI traffic', () => {
  it('when 13800138000 calls and Agent 8001 rings, then only 8001 and the supervisor get the pop with 张建国', async () => {
    const h = await harness([{ fixtures: loadAmiFixture('inbound-answered-caller-hangup') }]);
    try {
      const pops8001 = collect(h.sockets.a8001, 'call:ringing');
      const pops8002 = collect(h.sockets.a8002, 'call:ringing');
      const popsSup = collect(h.sockets.sup, 'call:ringing');
      const ended8001 = collect(h.sockets.a8001, 'call:ended');
      h.go();
      await until(() => ended8001.length === 1);
      expect(pops8001).toHaveLength(1);
      expect(popsSup).toHaveLength(1);
      expect(pops8002).toEqual([]);
      const pop = (pops8001[0] as Ringing).pop;
      expect(pop.person).toMatchObject({ id: people.personIds['ami-test-caller'], name: '张建国' });
      expect(pop.fromE164).toBe('+8613800138000');
      expect(pop.person!.contacts.length).toBeGreaterThan(0);
      expect(JSON.stringify(pop)).not.toMatch(/\d{17}[\dX]/); // identifiers masked

      const row = await callRow(h, '1795346132.0');
      expect(row).toMatchObject({
        direction: 'inbound',
        status: 'ended',
        fromE164: '+8613800138000',
        toE164: '+864008001234',
        personId: people.personIds['ami-test-caller'],
        queue: 'hotline',
        agentExtension: '8001',
        agentUserId: people.agents['8001'].id,
        endReason: 'caller_hangup',
        hangupCause: 16,
        needsFollowUp: false,
      });
      expect(row!.answeredAt).not.toBeNull();
      expect(row!.waitSeconds).toBe(1);
      const list = await api(h.t.baseUrl, 'GET', '/api/calls?agentExtension=8001&limit=200', h.tokens.a8001);
      expect(list.body.items.map((c: { id: string }) => c.id)).toContain(row!.id);
    } finally {
      await closeHarness(h);
    }
  });

  it('when the caller abandons, then the call is flagged for follow-up and nobody got a pop', async () => {
    const h = await harness([{ fixtures: loadAmiFixture('inbound-abandoned') }]);
    try {
      const pops = collect(h.sockets.sup, 'call:ringing');
      const ended = collect(h.sockets.sup, 'call:ended');
      h.go();
      await until(() => ended.length === 1);
      expect(pops).toEqual([]);
      const row = await callRow(h, '1795346155.0');
      expect(row).toMatchObject({ status: 'ended', endReason: 'abandoned', hangupCause: 0, needsFollowUp: true, talkSeconds: 0, answeredAt: null });
      const missed = await api(h.t.baseUrl, 'GET', '/api/calls?needsFollowUp=true&limit=200', h.tokens.sup);
      expect(missed.body.items.map((c: { id: string }) => c.id)).toContain(row!.id);
    } finally {
      await closeHarness(h);
    }
  });

  it('when ten calls burst in, then ten rows are written with the recorded outcomes and pops go to the rung agents only', async () => {
    const h = await harness([{ fixtures: loadAmiFixture('concurrent-burst') }]);
    try {
      const ended = collect(h.sockets.sup, 'call:ended');
      const pops8001 = collect(h.sockets.a8001, 'call:ringing');
      const pops8002 = collect(h.sockets.a8002, 'call:ringing');
      const popsSup = collect(h.sockets.sup, 'call:ringing');
      h.go();
      await until(() => ended.length === 10);
      await h.t.app.services.callLog.drain();
      const rows = await h.t.ds.query(`SELECT end_reason, count(*)::int AS n FROM call WHERE from_e164 LIKE '+86138001380%' AND call_key LIKE 'asterisk:1795%' AND from_e164 <> '+8613800138000' GROUP BY end_reason ORDER BY end_reason`);
      expect(rows).toEqual([
        { end_reason: 'abandoned', n: 7 },
        { end_reason: 'agent_hangup', n: 2 },
        { end_reason: 'caller_hangup', n: 1 },
      ]);
      expect(popsSup.length).toBe(pops8001.length + pops8002.length);
      for (const p of [...pops8001, ...pops8002]) expect((p as Ringing).pop.person?.name).toBeTruthy();
      expect(new Set(pops8001.map((p) => (p as Ringing).call.agentExtension))).toEqual(new Set(['8001']));
    } finally {
      await closeHarness(h);
    }
  });

  it('when the SOS pendant calls, then the call is SOS with priority 10 and pops the pendant owner', async () => {
    const h = await harness([{ fixtures: loadAmiFixture('sos-device-call') }]);
    try {
      const pops = collect(h.sockets.a8001, 'call:ringing');
      h.go();
      await until(() => pops.length === 1);
      const pop = (pops[0] as Ringing).pop;
      expect(pop).toMatchObject({ isSos: true, priority: 10, fromE164: '+8613900000001' });
      expect(pop.person?.id).toBe(people.personIds['ami-sos-pendant']);
      expect(pop.person?.devices.map((d) => d.serial)).toContain('pendant-0001');
    } finally {
      await closeHarness(h);
    }
  });

  it('when the caller chose 3 in the IVR, then the pop and the call row carry the choice before answer', async () => {
    const h = await harness([{ fixtures: loadAmiFixture('ivr-choice') }]);
    try {
      const pops = collect(h.sockets.a8001, 'call:ringing');
      h.go();
      await until(() => pops.length === 1);
      expect((pops[0] as Ringing).pop.ivrChoice).toBe('3');
      expect((pops[0] as Ringing).call.answeredAt).toBeNull();
    } finally {
      await closeHarness(h);
    }
  });

  it('when the PJSIP (WebRTC) member rings, then agent 8001 gets the pop as for Local members', async () => {
    const h = await harness([{ fixtures: loadAmiFixture('webrtc-agent-call') }]);
    try {
      const pops = collect(h.sockets.a8001, 'call:ringing');
      const other = collect(h.sockets.a8002, 'call:ringing');
      h.go();
      await until(() => pops.length === 1);
      expect((pops[0] as Ringing).pop.person?.name).toBe('张建国');
      expect(other).toEqual([]);
    } finally {
      await closeHarness(h);
    }
  });

  it('when the server restarts mid-call, then the reconnect snapshot closes what ended and keeps the bridged call', async () => {
    const h = await harness([
      { fixtures: loadAmiFixture('reconcile-after-restart-crashed-client'), closeAtEnd: true },
      { fixtures: loadAmiFixture('reconcile-after-restart'), gateOn: ['CoreShowChannels', 'QueueStatus'] },
    ]);
    try {
      const ended = collect(h.sockets.sup, 'call:ended');
      h.go();
      await until(() => ended.length >= 1, 8000);
      await h.t.app.services.callLog.drain();
      const linked = (ended[0] as { call: { callKey: string } }).call.callKey.replace('asterisk:', '');
      const row = await callRow(h, linked);
      expect(row).toMatchObject({ status: 'ended', agentExtension: '8001' });
      expect(row!.answeredAt).not.toBeNull();
    } finally {
      await closeHarness(h);
    }
  });

  it('when agent 8003 joins, pauses for lunch and leaves, then supervisors and 8003 are told and others are not', async () => {
    const h = await harness([{ fixtures: loadAmiFixture('agent-membership') }]);
    try {
      const sup = collect(h.sockets.sup, 'agent:state-changed');
      const other = collect(h.sockets.a8002, 'agent:state-changed');
      h.go();
      await until(() => sup.some((s) => s.agentExtension === '8003' && !s.member));
      const mine = sup.filter((s) => s.agentExtension === '8003');
      expect(mine[0]).toMatchObject({ member: true, queue: 'hotline', agentUserId: people.agents['8003'].id });
      expect(mine.some((s) => s.paused && s.pausedReason === 'lunch')).toBe(true);
      expect(mine.at(-1)).toMatchObject({ member: false });
      expect(other.filter((s) => s.agentExtension === '8003')).toEqual([]);
    } finally {
      await closeHarness(h);
    }
  });
});
