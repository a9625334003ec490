/**
 * Presence and click-to-call through the real AmiAdapter against recorded Asterisk traffic
 * (`agent-membership`, `click-to-call-originate`) replayed on an ephemeral port.
 */
import pino from 'pino';
import { AgentPresence } from '../src/agents/agent-presence.entity';
import { Call } from '../src/calls/call.entity';
import { AmiAdapter } from '../src/telephony/ami/ami.adapter';
import type { TelephonyErrorCode, TelephonyPort, TelephonyState } from '../src/telephony/telephony.port';
import { TicketCall, TicketEvent } from '../src/tickets/ticket.entity';
import { loadAmiFixture } from './support/ami-fixtures';
import { AmiReplayServer, type ReplaySession } from './support/ami-replay-server';
import { acquireFixtureLock, resetFixturePeople, type FixturePeople } from './support/fixture-people';
import { api, connectSocket, login, makeDistricts, makeUser, startTestApp, type RunningApp, type TestSocket } from './support/test-app';
import { until } from './support/until';

let release: () => void;
let people: FixturePeople;

beforeAll(async () => {
  release = await acquireFixtureLock();
  const t = await startTestApp();
  try {
    people = await resetFixturePeople(t.ds);
    // An ended row of the same recorded call (another file replayed it) would swallow this file's events.
    await t.ds.query("DELETE FROM call WHERE call_key LIKE 'asterisk:1795%'");
  } finally {
    await t.close();
  }
});
afterAll(() => release?.());

async function withPbx(session: ReplaySession, body: (t: RunningApp, server: AmiReplayServer) => Promise<void>): Promise<void> {
  const server = await AmiReplayServer.start({ sessions: [session] });
  const adapter = new AmiAdapter({ connection: server.connection(), logger: pino({ level: 'silent' }), clock: { now: () => new Date() }, reconnect: { initialDelayMs: 10, maxDelayMs: 50 } });
  const t = await startTestApp({ telephony: adapter });
  try {
    await until(async () => adapter.state === 'up');
    await body(t, server);
  } finally {
    await t.close();
    await server.close();
  }
}

describe('presence on the PBX queue', () => {
  it('when agent 8003 goes available, on break, then offline, then QueueAdd, QueuePause and QueueRemove go out for Local/8003@agents/n', async () => {
    await withPbx({ fixtures: loadAmiFixture('agent-membership'), gateOn: ['QueueAdd', 'QueuePause', 'QueueRemove'] }, async (t, server) => {
      // Other test files' agents share the database; re-syncing their presence on connect is not under test here.
      const mine = (action: string) => server.actions(action).filter((f) => f.fields.interface === 'Local/8003@agents/n');
      const token = await login(t.baseUrl, people.agents['8003']!.username, people.password);
      const available = await api(t.baseUrl, 'PUT', '/api/agents/me/presence', token, { state: 'available' });
      expect(available).toMatchObject({ status: 200, body: { state: 'available', queue: 'synced', extension: '8003' } });
      expect(mine('QueueAdd').map((f) => f.fields)).toEqual([expect.objectContaining({ queue: 'hotline', interface: 'Local/8003@agents/n', membername: 'Agent 8003' })]);
      expect(mine('QueuePause').map((f) => f.fields)).toEqual([expect.objectContaining({ interface: 'Local/8003@agents/n', paused: 'false' })]);

      await api(t.baseUrl, 'PUT', '/api/agents/me/presence', token, { state: 'break', reason: '午餐' });
      expect(mine('QueuePause')[1]!.fields).toMatchObject({ queue: 'hotline', interface: 'Local/8003@agents/n', paused: 'true', reason: 'break' });

      const offline = await api(t.baseUrl, 'PUT', '/api/agents/me/presence', token, { state: 'offline' });
      expect(offline.body).toMatchObject({ state: 'offline', queue: 'synced' });
      expect(mine('QueueRemove').map((f) => f.fields)).toEqual([expect.objectContaining({ queue: 'hotline', interface: 'Local/8003@agents/n' })]);
      expect(await t.ds.getRepository(AgentPresence).findOneByOrFail({ userId: people.agents['8003']!.id })).toMatchObject({ state: 'offline', queueSynced: true });
    });
  });
});

describe('click-to-call through Asterisk', () => {
  it('when agent 8001 dials a person from a work order, then Originate carries ANXIN_TICKET and the call is linked to the order and the person', async () => {
    await withPbx({ fixtures: loadAmiFixture('click-to-call-originate'), gateOn: ['Originate'] }, async (t, server) => {
      const token = await login(t.baseUrl, people.agents['8001']!.username, people.password);
      const personId = people.personIds['ami-test-caller']!;
      const ticket = await api(t.baseUrl, 'POST', '/api/tickets', token, { category: 'inquiry', summary: '回电确认补贴进度', personId });
      expect(ticket.status).toBe(201);
      const dial = await api(t.baseUrl, 'POST', '/api/calls/click-to-call', token, { number: '+86 138 0013 8000', personId, ticketId: ticket.body.id });
      expect(dial).toMatchObject({ status: 202, body: { toMasked: '138****8000', agentExtension: '8001', ticketNumber: ticket.body.number } });
      const sent = await server.waitForAction('Originate');
      expect(sent.fields).toMatchObject({ actionid: dial.body.requestId, channel: 'Local/8001@agents', exten: '13800138000', callerid: 'Anxin <4008001234>', async: 'true', variable: { ANXIN_TICKET: ticket.body.number } });

      const call = await until(() => t.ds.getRepository(Call).findOneBy({ originateRequestId: dial.body.requestId }));
      await until(() => t.ds.getRepository(TicketCall).findOneBy({ ticketId: ticket.body.id, callId: call.id }));
      const ended = await until(() => t.ds.getRepository(Call).findOneBy({ id: call.id, status: 'ended', personId }));
      expect(ended).toMatchObject({ direction: 'outbound', agentExtension: '8001', endReason: 'agent_hangup' });
      expect(await t.ds.getRepository(TicketEvent).countBy({ ticketId: ticket.body.id, kind: 'call_linked', note: call.id })).toBe(1);
    });
  });
});

describe('softphone status and the queue', () => {
  it('when available agent 8003 reports the softphone unregistered (403), then the queue pauses them with reason softphone, supervisors see why, and registering again unpauses', async () => {
    // The membership recording twice: its QueuePause answers serve the three pauses below.
    await withPbx({ fixtures: [loadAmiFixture('agent-membership'), loadAmiFixture('agent-membership')] }, async (t, server) => {
      const mine = () => server.actions('QueuePause').filter((f) => f.fields.interface === 'Local/8003@agents/n').map((f) => ({ paused: f.fields.paused, reason: f.fields.reason }));
      const agent = await connectSocket(t.baseUrl, await login(t.baseUrl, people.agents['8003']!.username, people.password));
      const sup = await connectSocket(t.baseUrl, await login(t.baseUrl, people.supervisor.username, people.password));
      const seen: Array<{ userId: string; state: string; softphone: string | null; softphoneReason: string | null }> = [];
      sup.on('agent:presence-changed', (v) => seen.push(v));
      try {
        const status = (payload: unknown) => (agent as unknown as TestSocket).timeout(5000).emitWithAck('softphone:status', payload as never);
        expect(await agent.timeout(5000).emitWithAck('presence:set', { state: 'available' })).toMatchObject({ ok: true, data: { state: 'available', queue: 'synced', softphone: null } });

        const down = await status({ registered: false, reason: 'forbidden' });
        expect(down).toMatchObject({ ok: true, data: { state: 'available', queue: 'synced', softphone: 'unregistered', softphoneReason: 'forbidden' } });
        expect(mine()).toEqual([{ paused: 'false', reason: undefined }, { paused: 'true', reason: 'softphone' }]);
        await until(() => seen.find((v) => v.userId === people.agents['8003']!.id && v.softphone === 'unregistered'));
        expect(seen.at(-1)).toMatchObject({ state: 'available', softphoneReason: 'forbidden' });
        // The same report again changes nothing on the PBX.
        await status({ registered: false, reason: 'forbidden' });
        expect(mine()).toHaveLength(2);

        const up = await status({ registered: true });
        expect(up).toMatchObject({ ok: true, data: { state: 'available', queue: 'synced', softphone: 'registered', softphoneReason: null } });
        expect(mine().at(-1)).toEqual({ paused: 'false', reason: undefined });
        expect(await t.ds.getRepository(AgentPresence).findOneByOrFail({ userId: people.agents['8003']!.id })).toMatchObject({ state: 'available', softphone: 'registered', softphoneReason: null, queueSynced: true });
        const audit = await t.ds.query(`SELECT action, purpose FROM audit_log WHERE actor_id = $1 AND action LIKE 'presence.softphone%' ORDER BY id`, [people.agents['8003']!.id]);
        expect(audit.slice(-2)).toEqual([{ action: 'presence.softphone_unregistered', purpose: 'forbidden' }, { action: 'presence.softphone_registered', purpose: null }]);
      } finally {
        agent.disconnect();
        sup.disconnect();
      }
    });
  });

  it('when an agent on break or a dispatcher reports, or the report is malformed, then the queue is left alone and bad input gets a validation answer', async () => {
    const pbx = new ScriptedPbx({});
    const t = await startTestApp({ telephony: pbx });
    const sockets: TestSocket[] = [];
    try {
      const tree = await makeDistricts(t.ds);
      const agent = await makeUser(t.ds, 'agent', tree.city, { sipExtension: `79${String(Math.floor(Math.random() * 1e5)).padStart(5, '0')}` });
      const dispatcher = await makeUser(t.ds, 'dispatcher', tree.district);
      const a = await connectSocket(t.baseUrl, await login(t.baseUrl, agent.username));
      const d = await connectSocket(t.baseUrl, await login(t.baseUrl, dispatcher.username));
      sockets.push(a, d);
      await a.timeout(5000).emitWithAck('presence:set', { state: 'break' });
      const before = pbx.sent.length;
      expect(await a.timeout(5000).emitWithAck('softphone:status', { registered: false, reason: 'transport' })).toMatchObject({ ok: true, data: { state: 'break', softphone: 'unregistered' } });
      expect(pbx.sent.slice(before)).toEqual([]);
      // Going available while the softphone is down: in the queue but paused.
      await a.timeout(5000).emitWithAck('presence:set', { state: 'available' });
      expect(pbx.sent.slice(before)).toEqual([`add ${agent.sipExtension}`, `pause ${agent.sipExtension} true softphone`]);

      expect(await d.timeout(5000).emitWithAck('softphone:status', { registered: true })).toMatchObject({ ok: false, code: 'auth/forbidden' });
      for (const bad of [{ registered: false }, { registered: true, reason: 'forbidden' }, { registered: false, reason: 'evil\u0000' }, { registered: 'yes' }, null]) {
        expect(await a.timeout(5000).emitWithAck('softphone:status', bad as never)).toMatchObject({ ok: false, code: 'validation/invalid' });
      }
      expect(await t.ds.getRepository(AgentPresence).findOneByOrFail({ userId: agent.id })).toMatchObject({ softphone: 'unregistered', softphoneReason: 'transport' });
      // Offline forgets the report: the next session (a desk phone, say) is not held back by this one's.
      expect(await a.timeout(5000).emitWithAck('presence:set', { state: 'offline' })).toMatchObject({ ok: true, data: { state: 'offline', softphone: null, softphoneReason: null } });
      const afterOffline = pbx.sent.length;
      expect(await a.timeout(5000).emitWithAck('presence:set', { state: 'available' })).toMatchObject({ ok: true, data: { state: 'available', softphone: null } });
      expect(pbx.sent.slice(afterOffline)).toEqual([`add ${agent.sipExtension}`, `pause ${agent.sipExtension} false`]);
    } finally {
      sockets.forEach((s) => s.disconnect());
      await t.close();
    }
  });
});

/** A PBX double for the paths the recordings do not cover (a static member that cannot be removed, a PBX that is down). */
class ScriptedPbx implements TelephonyPort {
  state: TelephonyState = 'up';
  stateSince = new Date();
  readonly sent: string[] = [];
  private readonly stateListeners: Array<(s: TelephonyState, since: Date) => void> = [];
  constructor(private readonly refuse: Partial<Record<'add' | 'pause' | 'remove', TelephonyErrorCode>>) {}
  async start() {}
  async close() {}
  onEvent() {}
  onStateChange(l: (s: TelephonyState, since: Date) => void) {
    this.stateListeners.push(l);
  }
  setState(s: TelephonyState) {
    this.state = s;
    this.stateSince = new Date();
    for (const l of this.stateListeners) l(s, this.stateSince);
  }
  async originate() {}
  async hangup() {}
  private act(op: 'add' | 'pause' | 'remove', what: string) {
    if (this.state !== 'up') throw Object.assign(new Error('down'), { name: 'TelephonyError', code: 'temporary' });
    this.sent.push(what);
    const code = this.refuse[op];
    if (code) throw Object.assign(new Error(op), { name: 'TelephonyError', code });
  }
  async queueAdd(_q: string, ext: string) {
    this.act('add', `add ${ext}`);
  }
  async queueRemove(_q: string, ext: string) {
    this.act('remove', `remove ${ext}`);
  }
  async queuePause(_q: string | undefined, ext: string, paused: boolean, reason?: string) {
    this.act('pause', `pause ${ext} ${paused}${reason ? ` ${reason}` : ''}`);
  }
}

describe('presence edge cases', () => {
  it('when a static member goes offline, then the refused removal becomes a pause with reason offline', async () => {
    const pbx = new ScriptedPbx({ add: 'rejected', remove: 'rejected' });
    const t = await startTestApp({ telephony: pbx });
    try {
      const tree = await makeDistricts(t.ds);
      const agent = await makeUser(t.ds, 'agent', tree.city, { sipExtension: `76${String(Math.floor(Math.random() * 1e5)).padStart(5, '0')}` });
      const token = await login(t.baseUrl, agent.username);
      expect((await api(t.baseUrl, 'PUT', '/api/agents/me/presence', token, { state: 'available' })).body.queue).toBe('synced');
      expect((await api(t.baseUrl, 'PUT', '/api/agents/me/presence', token, { state: 'offline' })).body.queue).toBe('synced');
      const ext = agent.sipExtension!;
      expect(pbx.sent).toEqual([`add ${ext}`, `pause ${ext} false`, `remove ${ext}`, `pause ${ext} true offline`]);
    } finally {
      await t.close();
    }
  });

  it('when the PBX is down, then the choice is kept pending and applied once the PBX is back', async () => {
    const pbx = new ScriptedPbx({});
    pbx.state = 'down';
    const t = await startTestApp({ telephony: pbx });
    try {
      const tree = await makeDistricts(t.ds);
      const agent = await makeUser(t.ds, 'agent', tree.city, { sipExtension: `77${String(Math.floor(Math.random() * 1e5)).padStart(5, '0')}` });
      const token = await login(t.baseUrl, agent.username);
      expect((await api(t.baseUrl, 'PUT', '/api/agents/me/presence', token, { state: 'break' })).body).toMatchObject({ state: 'break', queue: 'pending' });
      pbx.setState('up');
      await until(async () => (await t.ds.getRepository(AgentPresence).findOneBy({ userId: agent.id }))?.queueSynced);
      expect(pbx.sent).toContain(`pause ${agent.sipExtension} true break`);
    } finally {
      await t.close();
    }
  });

  it('when the PBX refuses the unpause, then the previous state stays and the answer is 502 telephony/rejected', async () => {
    const pbx = new ScriptedPbx({ pause: 'not-found' });
    const t = await startTestApp({ telephony: pbx });
    try {
      const tree = await makeDistricts(t.ds);
      const agent = await makeUser(t.ds, 'agent', tree.city, { sipExtension: `78${String(Math.floor(Math.random() * 1e5)).padStart(5, '0')}` });
      const token = await login(t.baseUrl, agent.username);
      const r = await api(t.baseUrl, 'PUT', '/api/agents/me/presence', token, { state: 'available' });
      expect(r).toMatchObject({ status: 502, body: { error: { code: 'telephony/rejected' } } });
      expect((await api(t.baseUrl, 'GET', '/api/agents/me/presence', token)).body.state).toBe('offline');
    } finally {
      await t.close();
    }
  });
});
