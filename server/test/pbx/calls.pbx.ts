/**
 * Calls through a real Asterisk 20 running the shipped configuration, into a real Anxin server on the test
 * database: sipp places them, the server's AMI adapter follows them, the call log and SOS rules act.
 */
import pino from 'pino';
import { loadConfig } from '../../src/config/config';
import { createTelephony } from '../../src/telephony/create-telephony';
import type { TelephonyPort } from '../../src/telephony/telephony.port';
import { makePerson } from '../support/factories';
import type { SosAlert } from '../../src/sos/sos-events';
import { connectSocket, login, makeDistricts, makeUser, randomMobile, startTestApp, TestClock, type RunningApp } from '../support/test-app';
import { until } from '../support/until';
import { freeTcpPort, liveAsteriskAvailable, LOOKUP_TOKEN, sippCall, startLiveAsterisk, AMI_SECRET, AMI_USER, type LiveAsterisk } from './live-asterisk';

jest.setTimeout(90_000);

let pbx: LiveAsterisk;
let running: RunningApp;
let telephony: TelephonyPort;

beforeAll(async () => {
  const available = liveAsteriskAvailable();
  if (!available.ok) throw new Error(`live-PBX suite cannot run: ${available.why}`);
  const amiPort = await freeTcpPort();
  const env = { ASTERISK_AMI_URL: `ami://${AMI_USER}:${AMI_SECRET}@127.0.0.1:${amiPort}`, IVR_LOOKUP_TOKEN: LOOKUP_TOKEN };
  const clock = new TestClock();
  telephony = createTelephony(loadConfig({ NODE_ENV: 'test', ANXIN_DATA_KEY: 'anxin-test-data-key-0123456789abcdef', ...env }), pino({ level: process.env.TEST_LOG_LEVEL ?? 'silent' }), { now: () => new Date() })!;
  running = await startTestApp({ telephony, clock, env });
  pbx = await startLiveAsterisk({ apiUrl: running.baseUrl, amiPort });
  await until(() => telephony.state === 'up', 20_000);
});

afterAll(async () => {
  await running?.close();
  await pbx?.stop();
});

const callOf = async (fromE164: string) =>
  (await running.ds.query(`SELECT status, ivr_choice, needs_follow_up, end_reason, is_sos, person_id, wait_seconds FROM call WHERE from_e164 = $1 ORDER BY created_at DESC LIMIT 1`, [fromE164]))[0];

describe('calls through the shipped PBX configuration', () => {
  it('when Asterisk restarts, then the server is back on AMI within a few seconds and the down notice carries when it was lost', async () => {
    const states: Array<{ state: string; since: Date }> = [];
    telephony.onStateChange((state, since) => states.push({ state, since }));
    const stoppedAt = new Date();
    await pbx.restart();
    await until(() => telephony.state === 'up' && states.some((s) => s.state === 'down'), 10_000, 50);
    expect(states.map((s) => s.state)).toEqual(['down', 'up']);
    expect(states[0].since.getTime()).toBeGreaterThanOrEqual(stoppedAt.getTime() - 1000);
  });

  it('when an unknown caller presses 3 by SIP INFO and hangs up in the queue, then the call is logged with the choice and flagged for follow-up', async () => {
    const caller = randomMobile();
    const national = caller.replace('+86', '');
    const run = await sippCall(pbx, 'uac-ivr-choice-3-sip-info.xml', '4008009999', national);
    expect(run.code).toBe(0);
    await until(async () => (await callOf(caller))?.status === 'ended', 15_000);
    expect(await callOf(caller)).toMatchObject({ status: 'ended', ivr_choice: '3', needs_follow_up: true, is_sos: false, person_id: null });
    expect(pbx.unexpectedErrors()).toEqual([]);
  });

  it('when a registered SOS pendant calls, then the lookup says sos, the call jumps the queue and a P0 order is open before anyone answers', async () => {
    const { district } = await makeDistricts(running.ds);
    const pendant = randomMobile();
    const person = await makePerson(running.ds, district, {
      phones: [{ e164: randomMobile(), kind: 'mobile' }, { e164: pendant, kind: 'sos_device' }],
      devices: [{ kind: 'sos_pendant', serial: `SN-PBX-${Date.now()}`, mode: 'home', armed: true, battery: 90, phoneE164: pendant }],
    });
    const agent = await makeUser(running.ds, 'agent', district);
    const socket = await connectSocket(running.baseUrl, await login(running.baseUrl, agent.username));
    const alerted = new Promise<SosAlert>((resolve) => socket.on('sos:raised', (alert) => alert.personId === person.id && resolve(alert)));
    const run = await sippCall(pbx, 'uac-sos-expect-queue-priority.xml', '4008001234', pendant.replace('+86', ''));
    expect(run.code).toBe(0);
    expect(await alerted).toMatchObject({ source: 'device_call', personId: person.id, repeat: false });
    socket.close();
    expect(pbx.log()).toMatch(new RegExp(`Set\\("PJSIP/sipp-[0-9a-f]+", "QUEUE_PRIO=10"\\)`));
    await until(async () => (await running.ds.query(`SELECT 1 FROM sos_incident WHERE person_id = $1`, [person.id])).length > 0, 15_000);
    const [sos] = await running.ds.query(`SELECT s.source, t.priority, t.category FROM sos_incident s JOIN ticket t ON t.id = s.ticket_id WHERE s.person_id = $1`, [person.id]);
    expect(sos).toMatchObject({ source: 'device_call', priority: 'P0', category: 'emergency' });
    await until(async () => (await callOf(pendant))?.status === 'ended', 15_000);
    expect(await callOf(pendant)).toMatchObject({ is_sos: true, person_id: person.id });
  });
});
