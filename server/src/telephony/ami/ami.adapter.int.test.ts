/**
 * The real AmiAdapter (asterisk-manager over TCP) against recorded Asterisk traffic replayed by
 * AmiReplayServer on an ephemeral port: events, click-to-call, queue actions and error codes.
 */
import pino from 'pino';
import type { TelephonyEvent } from '../telephony-events';
import type { TelephonyState } from '../telephony.port';
import { inboundMessages, loadAmiFixture, multiplyCalls } from '../../../test/support/ami-fixtures';
import { AmiReplayServer, type AmiReplayServerOptions } from '../../../test/support/ami-replay-server';
import { AmiAdapter, type AmiAdapterOptions } from './ami.adapter';
import { AmiCallTracker } from './ami.mapper';

const clock = { now: () => new Date('2026-11-22T12:00:00Z') };
const cleanups: Array<() => Promise<void>> = [];
afterEach(async () => {
  while (cleanups.length) await cleanups.pop()!();
});

async function until<T>(probe: () => T | undefined | false, timeoutMs = 3000): Promise<T> {
  const deadline = Date.now() + timeoutMs;
  for (;;) {
    const value = probe();
    if (value !== undefined && value !== false) return value;
    if (Date.now() > deadline) throw new Error('condition not reached in time');
    await new Promise((r) => setTimeout(r, 5));
  }
}

async function connect(options: AmiReplayServerOptions, extra: Partial<AmiAdapterOptions> = {}) {
  const server = await AmiReplayServer.start(options);
  const logs: Array<{ level: number; msg: string }> = [];
  const logger = pino({ level: 'debug' }, { write: (line: string) => void logs.push(JSON.parse(line)) });
  const adapter = new AmiAdapter({ connection: server.connection(), logger, clock, reconnect: { initialDelayMs: 10, maxDelayMs: 50 }, ...extra });
  const events: TelephonyEvent[] = [];
  const states: TelephonyState[] = [];
  adapter.onEvent((e) => events.push(e));
  adapter.onStateChange((s) => states.push(s));
  cleanups.push(async () => {
    await adapter.close();
    await server.close();
  });
  await adapter.start();
  return { server, adapter, events, states, logs };
}

/**
 * What the pure mapper makes of the frames the replay streams to a client that sends none of the recorded
 * actions (responses to the recording client's own actions, e.g. its QueueStatus, are not replayed).
 */
function mapped(name: string): TelephonyEvent[] {
  const tracker = new AmiCallTracker();
  return inboundMessages(loadAmiFixture(name))
    .filter((m) => m.actionid === undefined)
    .flatMap((m) => tracker.handle(m, clock.now()));
}

describe('AmiAdapter events over TCP', () => {
  it.each(['inbound-answered-caller-hangup', 'inbound-abandoned', 'concurrent-burst', 'sos-device-call', 'webrtc-agent-call'])(
    'when %s is replayed, then the adapter publishes exactly what the mapper makes of the recording',
    async (name) => {
      const expected = mapped(name);
      const { adapter, events } = await connect({ sessions: [{ fixtures: loadAmiFixture(name) }] });
      expect(adapter.state).toBe('up');
      await until(() => events.length >= expected.length);
      expect(events).toEqual(expected);
    },
  );

  it('when two recordings play back to back on one connection, then both calls are followed', async () => {
    const fixtures = [loadAmiFixture('inbound-answered-caller-hangup'), loadAmiFixture('inbound-abandoned')];
    const { server, events } = await connect({ sessions: [{ fixtures }] });
    await until(() => events.filter((e) => e.type === 'call.ended').length === 2);
    expect(events.flatMap((e) => (e.type === 'call.ended' ? [[e.callKey, e.reason]] : []))).toEqual([
      ['1795346132.0', 'caller_hangup'],
      ['1795346155.0', 'abandoned'],
    ]);
    expect(server.actions('Login')).toHaveLength(1);
  });

  it('when replayed at 20x real time, then the abandoned call still ends with its recorded hold time', async () => {
    const { events } = await connect({ sessions: [{ fixtures: loadAmiFixture('inbound-abandoned'), speed: 20 }] });
    const ended = await until(() => events.find((e) => e.type === 'call.ended'));
    expect(ended).toMatchObject({ callKey: '1795346155.0', reason: 'abandoned', hangupCause: 0, holdSeconds: 3 });
  });

  it('when 100 calls derived from one recording arrive, then each is offered and ended once under its own key', async () => {
    const load = multiplyCalls(loadAmiFixture('inbound-answered-caller-hangup'), 100, { spacingSeconds: 0.01 });
    const { events } = await connect({ sessions: [{ fixtures: load }] });
    const ends = await until(() => {
      const found = events.filter((e) => e.type === 'call.ended');
      return found.length === 100 && found;
    });
    expect(new Set(ends.map((e) => e.callKey)).size).toBe(100);
    expect(ends.every((e) => e.type === 'call.ended' && e.reason === 'caller_hangup' && e.talkSeconds === 1)).toBe(true);
    const callers = events.flatMap((e) => (e.type === 'call.offered' ? [e.fromNumber] : []));
    expect(callers).toHaveLength(100);
    expect(new Set(callers)).toEqual(new Set(Array.from({ length: 100 }, (_, i) => String(13800138000 + i))));
  });
});

describe('AmiAdapter click-to-call', () => {
  const click = (requestId: string, ticket: string) => ({
    requestId, agentExtension: '8001', toNumber: '13800138000', callerId: 'Anxin <4008001234>', variables: { ANXIN_TICKET: ticket },
  });

  it('when an originate is asked for, then the Originate frame carries our request and the success comes back with it', async () => {
    const { server, adapter, events } = await connect(
      { sessions: [{ fixtures: loadAmiFixture('click-to-call-originate'), gateOn: ['Originate'] }] },
      { dialplan: { outboundContext: 'hold-line' } },
    );
    await adapter.originate(click('click-1', 'T-20261122-0001'));
    const sent = await server.waitForAction('Originate');
    expect(sent.fields).toEqual({
      action: 'Originate', actionid: 'click-1', channel: 'Local/8001@agents', context: 'hold-line', exten: '13800138000',
      priority: '1', callerid: 'Anxin <4008001234>', async: 'true', variable: { ANXIN_TICKET: 'T-20261122-0001' },
    });
    const ended = await until(() => events.find((e) => e.type === 'call.ended'));
    expect(events.find((e) => e.type === 'call.originated')).toMatchObject({
      requestId: 'click-1', callKey: '1795346220.0', outcome: 'success', agentExtension: '8001', toNumber: '13800138000',
      variables: { ANXIN_TICKET: 'T-20261122-0001' },
    });
    expect(ended).toMatchObject({ callKey: '1795346220.0', reason: 'agent_hangup', hangupCause: 16, agentExtension: '8001' });
  });

  it('when the customer is busy, then the call is originated and ends busy with cause 17', async () => {
    const { adapter, events } = await connect({ sessions: [{ fixtures: loadAmiFixture('click-to-call-originate-busy'), gateOn: ['Originate'] }] });
    await adapter.originate(click('click-2', 'T-20261122-0002'));
    const ended = await until(() => events.find((e) => e.type === 'call.ended'));
    expect(events.find((e) => e.type === 'call.originated')).toMatchObject({ requestId: 'click-2', outcome: 'success' });
    expect(ended).toMatchObject({ callKey: '1795346233.0', reason: 'busy', hangupCause: 17, talkSeconds: 0, agentExtension: '8001' });
  });

  it('when the originated channel fails, then call.originated is a failure with Asterisk reason 5 under our request id', async () => {
    const { adapter, events } = await connect({ sessions: [{ fixtures: loadAmiFixture('click-to-call-originate-failure'), gateOn: ['Originate'] }] });
    await adapter.originate(click('click-3', 'T-20261122-0003'));
    const originated = await until(() => events.find((e) => e.type === 'call.originated'));
    expect(originated).toMatchObject({ callKey: 'click-3', requestId: 'click-3', outcome: 'failure', failureCode: 5, toNumber: '13800138000' });
    expect(events.some((e) => e.type === 'call.ended')).toBe(false);
  });
});

describe('AmiAdapter queue actions', () => {
  it('when an agent is added, paused, unpaused and removed, then each action goes out and each state comes back', async () => {
    const { server, adapter, events } = await connect({
      sessions: [{ fixtures: loadAmiFixture('agent-membership'), gateOn: ['QueueAdd', 'QueuePause', 'QueueRemove'] }],
    });
    const states8003 = () => events.filter((e) => e.type === 'agent.state' && e.agentExtension === '8003');

    await adapter.queueAdd('hotline', '8003', 'Agent 8003');
    expect((await server.waitForAction('QueueAdd')).fields).toMatchObject({ queue: 'hotline', interface: 'Local/8003@agents/n', membername: 'Agent 8003' });
    await until(() => states8003().length === 1);

    await adapter.queuePause('hotline', '8003', true, 'lunch');
    expect((await server.waitForAction('QueuePause')).fields).toMatchObject({ queue: 'hotline', interface: 'Local/8003@agents/n', paused: 'true', reason: 'lunch' });
    await until(() => states8003().length === 2);

    await adapter.queuePause('hotline', '8003', false);
    await until(() => states8003().length === 3);

    await adapter.queueRemove('hotline', '8003');
    expect((await server.waitForAction('QueueRemove')).fields).toMatchObject({ queue: 'hotline', interface: 'Local/8003@agents/n' });
    await until(() => states8003().length === 4);

    expect(states8003().map((e) => e.type === 'agent.state' && [e.state, e.pausedReason, e.member])).toEqual([
      ['available', undefined, true], ['paused', 'lunch', true], ['available', undefined, true], ['available', undefined, false],
    ]);
  });
});

describe('AmiAdapter errors', () => {
  it('when Asterisk refuses actions, then each rejects with the matching code and the adapter stays up', async () => {
    const { adapter, events } = await connect({ sessions: [{ fixtures: loadAmiFixture('ami-errors') }] }, { dialplan: { outboundContext: 'no-such-context' } });
    const request = { requestId: 'bad-1', agentExtension: '8001', toNumber: '13800138000', callerId: 'Anxin <4008001234>' };
    await expect(adapter.originate(request)).rejects.toMatchObject({ name: 'TelephonyError', code: 'not-found' });
    await adapter.originate({ ...request, requestId: 'bad-2' });
    await expect(adapter.queueRemove('hotline', '8099')).rejects.toMatchObject({ code: 'not-found' });
    await expect(adapter.queuePause('hotline', '8099', true)).rejects.toMatchObject({ code: 'not-found' });
    const failed = await until(() => events.find((e) => e.type === 'call.originated'));
    expect(failed).toMatchObject({ requestId: 'bad-2', callKey: 'bad-2', outcome: 'failure', failureCode: 0 });
    expect(adapter.state).toBe('up');
  });

  it('when an action gets no answer in time, then it rejects as temporary', async () => {
    const { adapter } = await connect({ sessions: [{ fixtures: loadAmiFixture('inbound-abandoned') }], unmatched: 'ignore' }, { actionTimeoutMs: 100 });
    await expect(adapter.hangup('PJSIP/trunk-00000000')).rejects.toMatchObject({ code: 'temporary' });
  });

  it('when the adapter is not connected, then actions reject as temporary without touching the network', async () => {
    const logger = pino({ level: 'silent' });
    const adapter = new AmiAdapter({ connection: { host: '127.0.0.1', port: 1, username: 'u', secret: 's' }, logger, clock });
    await expect(adapter.queuePause(undefined, '8001', true)).rejects.toMatchObject({ code: 'temporary' });
    expect(adapter.state).toBe('down');
  });
});
