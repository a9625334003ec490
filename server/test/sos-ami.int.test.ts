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
import { loadAmiFixture } from './support/ami-fixtures';
import { AmiReplayServer } from './support/ami-replay-server';
import { acquireFixtureLock, resetFixturePeople, type FixturePeople } from './support/fixture-people';
import { connectSocket, login, startTestApp, testDataSource, type RunningApp, type TestSocket } from './support/test-app';
import { until as untilSettled, type Probe } from './support/until';

type Alert = Parameters<ServerToClientEvents['sos:raised']>[0];
type Ack = Parameters<ServerToClientEvents['sos:acknowledged']>[0];

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
});
