/**
 * SOS from the PBX: the recorded `sos-device-call` traffic (Asterisk 20: AstDB hit, `UserEvent AnxinSos`,
 * queue at priority 10, Agent 8001 answers) replayed over TCP to the real AmiAdapter. The only test file of
 * the caller side that uses the fixture numbers (pendant 13900000001): it holds the fixture lock and resets
 * the fixture rows first, as the other replay tests do.
 */
import pino from 'pino';
import type { DataSource } from 'typeorm';
import type { ServerToClientEvents } from '../src/realtime/realtime-events';
import { AmiAdapter } from '../src/telephony/ami/ami.adapter';
import { loadAmiFixture, multiplyCalls } from './support/ami-fixtures';
import { AmiReplayServer } from './support/ami-replay-server';
import { acquireFixtureLock, resetFixturePeople, type FixturePeople } from './support/fixture-people';
import { connectSocket, login, startTestApp, testDataSource, type RunningApp, type TestSocket } from './support/test-app';
import { until as untilSettled, type Probe } from './support/until';

type Alert = Parameters<ServerToClientEvents['sos:raised']>[0];
type Ack = Parameters<ServerToClientEvents['sos:acknowledged']>[0];
type Linked = Parameters<ServerToClientEvents['sos:call-linked']>[0];

const LINKED_ID = '1795346189.0';
const CALL_KEY = `asterisk:${LINKED_ID}`;

let release: () => void;
let people: FixturePeople;

beforeAll(async () => {
  release = await acquireFixtureLock();
  const ds = await testDataSource();
  try {
    // Earlier runs (and other replay tests) may have left an SOS and a call for the recorded Linkedid.
    await ds.query(`DELETE FROM ticket WHERE id IN (SELECT ticket_id FROM sos_incident WHERE call_key = $1)`, [CALL_KEY]);
    await ds.query(`DELETE FROM call WHERE call_key = $1`, [CALL_KEY]);
    people = await resetFixturePeople(ds);
  } finally {
    await ds.destroy();
  }
});
afterAll(() => release?.());

/** Waits of these tests run longer than the default (escalation steps follow replayed calls). */
const until = <T,>(probe: Probe<T>, timeoutMs = 8000): Promise<T> => untilSettled(probe, timeoutMs);

describe('SOS from the recorded PBX traffic', () => {
  let t: RunningApp;
  let ds: DataSource;
  let replay: AmiReplayServer;
  let sockets: TestSocket[] = [];

  afterEach(async () => {
    for (const s of sockets) s.disconnect();
    sockets = [];
    await t?.close();
    await replay?.close();
  });

  it('when the pendant calls, then a P0 order is opened at once, every agent and the supervisor are alerted, and Agent 8001 answering acknowledges it', async () => {
    let go!: () => void;
    const started = new Promise<void>((r) => (go = r));
    replay = await AmiReplayServer.start({ sessions: [{ fixtures: loadAmiFixture('sos-device-call'), startWhen: started }] });
    const adapter = new AmiAdapter({ connection: replay.connection(), logger: pino({ level: 'silent' }), clock: { now: () => new Date() }, reconnect: { initialDelayMs: 10, maxDelayMs: 50 } });
    t = await startTestApp({ telephony: adapter, env: { BACKGROUND_JOBS: 'off' } });
    ds = t.ds;
    const a8001 = await connectSocket(t.baseUrl, await login(t.baseUrl, people.agents['8001']!.username, people.password));
    const a8002 = await connectSocket(t.baseUrl, await login(t.baseUrl, people.agents['8002']!.username, people.password));
    const sup = await connectSocket(t.baseUrl, await login(t.baseUrl, people.supervisor.username, people.password));
    sockets = [a8001, a8002, sup];
    const alerts = new Map<TestSocket, Alert[]>(sockets.map((s) => [s, []]));
    const acks: Ack[] = [];
    for (const s of sockets) s.on('sos:raised', (p) => alerts.get(s)!.push(p));
    a8002.on('sos:acknowledged', (p) => acks.push(p));

    go();
    await until(() => sockets.every((s) => alerts.get(s)!.length > 0));
    const owner = people.personIds['ami-sos-pendant'];
    for (const s of sockets) {
      expect(alerts.get(s)).toEqual([
        expect.objectContaining({ source: 'device_call', alarmType: 'call', personId: owner, deviceSerial: 'pendant-0001', fromMasked: '139****0001', repeat: false, silent: false }),
      ]);
    }
    const alert = alerts.get(a8002)![0]!;

    // The agent answers in the recording (AgentConnect): that acknowledges the SOS and stops the chain.
    const ack = await until(() => acks[0]);
    expect(ack).toMatchObject({ sosId: alert.sosId, ticketNumber: alert.ticketNumber, byUserId: people.agents['8001']!.id, how: 'call_answered' });

    const [incident] = await ds.query('SELECT status, call_key, acknowledged_by_id, next_step_at, person_id FROM sos_incident WHERE id = $1', [alert.sosId]);
    expect(incident).toEqual({ status: 'acknowledged', call_key: CALL_KEY, acknowledged_by_id: people.agents['8001']!.id, next_step_at: null, person_id: owner });
    const [ticket] = await ds.query('SELECT priority, category, channel, status, person_id FROM ticket WHERE id = $1', [alert.ticketId]);
    expect(ticket).toEqual({ priority: 'P0', category: 'emergency', channel: 'sos_button', status: 'in_service', person_id: owner });
    const [call] = await ds.query('SELECT c.id, c.is_sos, c.priority FROM call c JOIN ticket_call tc ON tc.call_id = c.id WHERE tc.ticket_id = $1', [alert.ticketId]);
    expect(call).toMatchObject({ is_sos: true, priority: 10 });
    const kinds = (await ds.query('SELECT kind FROM ticket_event WHERE ticket_id = $1 ORDER BY id', [alert.ticketId])).map((e: { kind: string }) => e.kind);
    expect(kinds).toEqual(['created', 'sos_raised', 'call_linked', 'sos_ack', 'start']);

    // The AstDB entry and the server's own lookup agree: the pendant is an SOS device.
    const lookup = await fetch(`${t.baseUrl}/ivr/lookup?number=13900000001`);
    expect(await lookup.text()).toBe('sos:pendant-0001');
  });

  it('when the pendant calls again after its SOS was taken, then it is no new alarm: the press is on the same order, the call is linked to it, and answering changes nothing else', async () => {
    // DERIVED from the recording: the same pendant call twice, 10 recorded seconds apart (own Linkedids),
    // played 4× faster — the first call is answered (and its SOS acknowledged) before the second dials.
    const twice = multiplyCalls(loadAmiFixture('sos-device-call'), 2, { spacingSeconds: 10, callers: ['13900000001'] });
    const keys = [...new Set(twice.frames.flatMap((f) => (/Event: UserEvent\r\n/.test(f.raw) ? [/\r\nLinkedid: ([^\r]+)/.exec(f.raw)![1]!] : [])))].map((id) => `asterisk:${id}`);
    expect(keys).toHaveLength(2);
    let go!: () => void;
    const started = new Promise<void>((r) => (go = r));
    replay = await AmiReplayServer.start({ sessions: [{ fixtures: twice, startWhen: started, speed: 4 }] });
    const adapter = new AmiAdapter({ connection: replay.connection(), logger: pino({ level: 'silent' }), clock: { now: () => new Date() }, reconnect: { initialDelayMs: 10, maxDelayMs: 50 } });
    t = await startTestApp({ telephony: adapter, env: { BACKGROUND_JOBS: 'off' } });
    ds = t.ds;
    await ds.query(`DELETE FROM ticket WHERE id IN (SELECT s.ticket_id FROM sos_incident s JOIN sos_call sc ON sc.sos_id = s.id WHERE sc.call_key = ANY($1))`, [keys]);
    await ds.query(`DELETE FROM call WHERE call_key = ANY($1)`, [keys]);
    people = await resetFixturePeople(ds); // the first test left the pendant's SOS open
    const a8002 = await connectSocket(t.baseUrl, await login(t.baseUrl, people.agents['8002']!.username, people.password));
    sockets = [a8002];
    const alerts: Alert[] = [];
    const acks: Ack[] = [];
    const links: Linked[] = [];
    a8002.on('sos:raised', (p) => alerts.push(p));
    a8002.on('sos:acknowledged', (p) => acks.push(p));
    a8002.on('sos:call-linked', (p) => links.push(p));

    go();
    await until(() => alerts.length === 2 && links.some((l) => l.status === 'acknowledged' && alerts[1] && l.callId !== links[0]!.callId));
    await until(async () => (await ds.query(`SELECT status FROM call WHERE call_key = $1`, [keys[1]]))[0]?.status === 'ended');
    await t.app.services.callerSide.telephonyHandler.drain();

    const [first, second] = alerts as [Alert, Alert];
    expect(first).toMatchObject({ repeat: false, acknowledgedAt: null });
    expect(second).toMatchObject({ sosId: first.sosId, ticketId: first.ticketId, repeat: true, acknowledgedAt: acks[0]!.at });
    expect(acks.map((a) => [a.sosId, a.how])).toEqual([[first.sosId, 'call_answered']]); // once: the second answer is no new acknowledgement

    const calls: { id: string; call_key: string }[] = await ds.query('SELECT id, call_key FROM call WHERE call_key = ANY($1) ORDER BY offered_at', [keys]);
    expect(calls.map((c) => c.call_key)).toEqual(keys);
    // Each call's pop is told its order: the first while the SOS waited, the second as already taken.
    const linkOf = (callId: string) => links.filter((l) => l.callId === callId).map((l) => ({ ticketId: l.ticketId, status: l.status }));
    expect(linkOf(calls[0]!.id)[0]).toEqual({ ticketId: first.ticketId, status: 'active' });
    expect(new Set(linkOf(calls[1]!.id).map((l) => JSON.stringify(l)))).toEqual(new Set([JSON.stringify({ ticketId: first.ticketId, status: 'acknowledged' })]));

    // One order for the person, both calls on it, the repeated press on its timeline.
    const owner = people.personIds['ami-sos-pendant'];
    expect(await ds.query(`SELECT id FROM ticket WHERE person_id = $1 AND priority = 'P0'`, [owner])).toEqual([{ id: first.ticketId }]);
    const linked = (await ds.query('SELECT call_id FROM ticket_call WHERE ticket_id = $1', [first.ticketId])).map((r: { call_id: string }) => r.call_id).sort();
    expect(linked).toEqual(calls.map((c) => c.id).sort());
    const [incident] = await ds.query('SELECT status, repeat_count, acknowledged_by_id FROM sos_incident WHERE id = $1', [first.sosId]);
    expect(incident).toEqual({ status: 'acknowledged', repeat_count: 1, acknowledged_by_id: people.agents['8001']!.id });
    const events: { kind: string; note: string | null }[] = await ds.query('SELECT kind, note FROM ticket_event WHERE ticket_id = $1 ORDER BY id', [first.ticketId]);
    expect(events.map((e) => e.kind)).toEqual(['created', 'sos_raised', 'call_linked', 'sos_ack', 'start', 'sos_repeat', 'call_linked']);
    expect(events[5]!.note).toMatch(/^再次触发 SOS：.*设备 pendant-0001.*SOS 已确认/);
    // Leave the recorded Linkedids free for the other replay tests of this run.
    await ds.query(`DELETE FROM ticket WHERE id = $1`, [first.ticketId]);
    await ds.query(`DELETE FROM call WHERE call_key = ANY($1)`, [keys]);
  });
});
