/**
 * The AmiAdapter's connection life: a refused login, an unreachable PBX, a dropped socket followed by a
 * reconnect with a reconciling snapshot, and junk frames — all over TCP against recorded traffic.
 */
import net from 'node:net';
import pino from 'pino';
import type { TelephonyEvent } from '../telephony-events';
import type { TelephonyState } from '../telephony.port';
import { loadAmiFixture, type AmiFixture } from '../../../test/support/ami-fixtures';
import { AmiReplayServer, type AmiReplayServerOptions } from '../../../test/support/ami-replay-server';
import { AmiAdapter, type AmiAdapterOptions } from './ami.adapter';

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

function adapterFor(connection: AmiAdapterOptions['connection'], extra: Partial<AmiAdapterOptions> = {}) {
  const logs: Array<{ level: number; msg: string; reason?: string }> = [];
  const logger = pino({ level: 'debug' }, { write: (line: string) => void logs.push(JSON.parse(line)) });
  const adapter = new AmiAdapter({ connection, logger, clock, reconnect: { initialDelayMs: 10, maxDelayMs: 50 }, ...extra });
  const events: TelephonyEvent[] = [];
  const states: TelephonyState[] = [];
  adapter.onEvent((e) => events.push(e));
  adapter.onStateChange((s) => states.push(s));
  cleanups.push(() => adapter.close());
  return { adapter, events, states, logs };
}

async function replay(options: AmiReplayServerOptions, extra: Partial<AmiAdapterOptions> = {}) {
  const server = await AmiReplayServer.start(options);
  cleanups.push(() => server.close());
  const harness = adapterFor(server.connection(), extra);
  await harness.adapter.start();
  return { server, ...harness };
}

describe('AmiAdapter when the PBX refuses or is away', () => {
  it('when the secret is wrong, then the adapter is down with the reason logged as an error, and does not crash', async () => {
    const { adapter, states, logs } = await replay(
      { sessions: [{ fixtures: loadAmiFixture('ami-errors-bad-login') }] },
      { reconnect: { initialDelayMs: 60_000 } },
    );
    expect(adapter.state).toBe('down');
    expect(states).toEqual(['connecting', 'down']);
    expect(logs).toContainEqual(expect.objectContaining({ level: 50, reason: 'AMI login refused: Authentication failed' }));
  });

  it('when the login keeps failing, then the adapter keeps retrying with backoff and never comes up', async () => {
    const { server, adapter, states } = await replay({ sessions: [{ fixtures: loadAmiFixture('ami-errors-bad-login') }], afterLast: 'repeat-last' });
    await server.waitForConnections(3);
    expect(states).not.toContain('up');
    expect(adapter.state).not.toBe('up');
  });

  it('when the PBX stays away through many retries, then the state changes once, and each delay is jittered under the cap', async () => {
    const probe = net.createServer().listen(0, '127.0.0.1');
    await new Promise((r) => probe.once('listening', r));
    const port = (probe.address() as net.AddressInfo).port;
    await new Promise((r) => probe.close(r));
    const draws = [0, 0.999, 0.5, 0, 0.999, 0.25, 0.75, 0];
    const random = () => draws.shift() ?? 0.5;
    const { adapter, states, logs } = adapterFor({ host: '127.0.0.1', port, username: 'hotline', secret: 'x' }, { reconnect: { initialDelayMs: 10, maxDelayMs: 40 }, random });
    const since: Date[] = [];
    adapter.onStateChange((_s, at) => since.push(at));
    await adapter.start();
    await until(() => logs.filter((l) => l.msg === 'AMI reconnect scheduled').length >= 6, 5000);
    const delays = logs.filter((l) => l.msg === 'AMI reconnect scheduled').slice(0, 6).map((l) => (l as { delayMs?: number }).delayMs);
    // ceilings 10, 20, 40, 40, 40, 40 (capped), each drawn between half and all of it
    expect(delays).toEqual([5, 20, 30, 20, 40, 25]);
    expect(states).toEqual(['connecting', 'down']);
    expect(adapter.stateSince).toEqual(since.at(-1));
  });

  it('when nothing listens on the port, then the adapter is down with a temporary connection failure', async () => {
    const probe = net.createServer().listen(0, '127.0.0.1');
    await new Promise((r) => probe.once('listening', r));
    const port = (probe.address() as net.AddressInfo).port;
    await new Promise((r) => probe.close(r));
    const { adapter, logs } = adapterFor({ host: '127.0.0.1', port, username: 'hotline', secret: 'x' }, { reconnect: { initialDelayMs: 60_000 } });
    await adapter.start();
    expect(adapter.state).toBe('down');
    expect(logs).toContainEqual(expect.objectContaining({ level: 40, reason: expect.stringContaining('ECONNREFUSED') }));
  });
});

describe('AmiAdapter reconnect', () => {
  it('when the socket drops mid-call, then it reconnects, publishes a snapshot, and ends the call once', async () => {
    const { server, events, states } = await replay({
      sessions: [
        { fixtures: loadAmiFixture('reconcile-after-restart-crashed-client'), closeAtEnd: true },
        { fixtures: loadAmiFixture('reconcile-after-restart'), gateOn: ['CoreShowChannels', 'QueueStatus'] },
      ],
    });
    const ended = await until(() => events.find((e) => e.type === 'call.ended'));
    expect(states).toEqual(['connecting', 'up', 'down', 'up']);
    expect(events.filter((e) => e.type !== 'agent.state').map((e) => e.type)).toEqual([
      'call.offered', 'call.ringing', 'call.answered', 'calls.snapshot', 'call.ended',
    ]);
    expect(events.find((e) => e.type === 'calls.snapshot')).toEqual({
      // lastHeardAt: when the dropped connection last received a frame (the calls it did not see end were up then)
      type: 'calls.snapshot', vendor: 'asterisk', at: clock.now(), lastHeardAt: clock.now(),
      calls: [{ callKey: '1795346251.0', fromNumber: '13800138000', toNumber: '4008001234', queue: 'hotline', agentExtension: '8001', state: 'bridged', durationSeconds: 2 }],
      members: [
        expect.objectContaining({ queue: 'hotline', agentExtension: '8001', state: 'in_use', member: true }),
        expect.objectContaining({ queue: 'hotline', agentExtension: '8002', state: 'available', member: true }),
      ],
    });
    expect(ended).toMatchObject({ callKey: '1795346251.0', reason: 'agent_hangup', hangupCause: 16, talkSeconds: 6, holdSeconds: 1, agentExtension: '8001' });
    expect(server.received.filter((f) => f.connection === 1).map((f) => f.action)).toEqual(['login', 'CoreShowChannels', 'QueueStatus']);
  });

  it('when the server drops every connection, then the adapter goes down and comes back up by itself', async () => {
    const session = { fixtures: loadAmiFixture('inbound-answered-caller-hangup') };
    const { server, adapter, states } = await replay({ sessions: [session, session] });
    await until(() => adapter.state === 'up');
    server.dropAll();
    await server.waitForConnections(2);
    await until(() => adapter.state === 'up' && states.length === 4);
    expect(states).toEqual(['connecting', 'up', 'down', 'up']);
  });
});

describe('AmiAdapter and junk on the wire', () => {
  /** inbound-abandoned with two damaged copies of recorded frames in front of the call. */
  function withJunk(): AmiFixture {
    const fixture = loadAmiFixture('inbound-abandoned');
    const join = fixture.frames.find((f) => f.raw.startsWith('Event: QueueCallerJoin'))!;
    const noLinkedid = join.raw.replace(/Linkedid: [^\r]*\r\n/, '');
    const noEvent = join.raw.replace(/^Event: [^\r]*\r\n/, '');
    const index = fixture.frames.indexOf(join);
    const junk = [noLinkedid, noEvent].map((raw) => ({ ...join, raw }));
    return { ...fixture, frames: [...fixture.frames.slice(0, index), ...junk, ...fixture.frames.slice(index)] };
  }

  it('when malformed or unknown frames arrive, then they are logged at debug and the call is still followed', async () => {
    const { adapter, events, logs } = await replay({ sessions: [{ fixtures: withJunk() }] });
    const ended = await until(() => events.find((e) => e.type === 'call.ended'));
    expect(ended).toMatchObject({ callKey: '1795346155.0', reason: 'abandoned' });
    expect(events.filter((e) => e.type === 'call.offered')).toHaveLength(1);
    expect(adapter.state).toBe('up');
    expect(logs).toContainEqual(expect.objectContaining({ level: 20, msg: 'malformed AMI frame ignored' }));
    expect(logs).toContainEqual(expect.objectContaining({ level: 20, msg: 'unknown AMI frame ignored' }));
  });
});
