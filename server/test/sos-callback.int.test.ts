/**
 * The automatic SOS callback on the recorded AMI traffic, with both queue-member settings: the callback is
 * originated as `Local/sos-callback@agents` whatever the agents' member interface (with `PJSIP/{ext}` it used
 * to become `PJSIP/sos-callback`, which Asterisk refuses), and an originate Asterisk answers with Failure is a
 * failure the chain sees: on the order's timeline, the message given up, the next step at once, and the failed
 * call logged without overflowing a column.
 */
import pino from 'pino';
import type { DataSource } from 'typeorm';
import { loadConfig } from '../src/config/config';
import { fieldCryptoFromSecret } from '../src/shared/crypto-from-config';
import { createTelephony } from '../src/telephony/create-telephony';
import type { TelephonyPort } from '../src/telephony/telephony.port';
import { makeAlarmDevices, postAlarm, type AlarmDevice } from './support/alarm-devices';
import { loadAmiFixture } from './support/ami-fixtures';
import { AmiReplayServer } from './support/ami-replay-server';
import { acquireFileLock } from './support/file-lock';
import { makeDistricts, parkLeftovers, randomMobile, startTestApp, TestClock, TEST_DATA_KEY, type RunningApp } from './support/test-app';
import { until } from './support/until';

const TIMINGS = { SOS_AGENT_ANSWER_SECONDS: '30', SOS_CALLBACK_WAIT_SECONDS: '60', SOS_CONTACT_INTERVAL_SECONDS: '45', SOS_RESPONDER_WAIT_SECONDS: '120', SOS_COMMUNITY_WAIT_SECONDS: '180' };

let release: () => void;
beforeAll(async () => {
  release = await acquireFileLock('outbox-workers');
});
afterAll(() => release?.());

describe.each(['Local/{ext}@agents/n', 'PJSIP/{ext}'])('automatic SOS callback with queue members %s', (memberInterface) => {
  let t: RunningApp;
  let ds: DataSource;
  let pbx: AmiReplayServer;
  let telephony: TelephonyPort;

  async function start(fixture: string): Promise<void> {
    pbx = await AmiReplayServer.start({ sessions: [{ fixtures: Array.from({ length: 4 }, () => loadAmiFixture(fixture)) }], afterLast: 'repeat-last' });
    const c = pbx.connection();
    const env = { ASTERISK_AMI_URL: `ami://${c.username}:${c.secret}@${c.host}:${c.port}`, ASTERISK_MEMBER_INTERFACE: memberInterface, BACKGROUND_JOBS: 'off', SESSION_IDLE_MINUTES: '1440', ...TIMINGS };
    telephony = createTelephony(loadConfig({ NODE_ENV: 'test', ANXIN_DATA_KEY: TEST_DATA_KEY, ...env }), pino({ level: 'silent' }), { now: () => new Date() })!;
    // A year back: SOS raised by other test files (now) are never due on this clock, so tick() runs only ours.
    const clock = new TestClock(new Date(Date.now() - 365 * 24 * 3600_000));
    t = await startTestApp({ telephony, clock, env, beforeStart: (d) => parkLeftovers(d, clock.now()) });
    ds = t.ds;
    await until(() => telephony.state === 'up', 5000, 10);
  }

  const raised: string[] = [];
  afterEach(async () => {
    // Ticks of later tests (here and in other files) run every due SOS: leave none of ours behind.
    await ds?.query(`UPDATE sos_incident SET status = 'false_alarm', next_step_at = NULL, closed_at = now() WHERE id = ANY($1::uuid[])`, [raised.splice(0)]);
    await t?.close();
    await pbx?.close();
  });

  async function sosNobodyTakes(): Promise<{ sosId: string; ticketId: string; mobile: string }> {
    const tree = await makeDistricts(ds);
    const mobile = randomMobile();
    const [device] = await makeAlarmDevices(ds, fieldCryptoFromSecret(TEST_DATA_KEY), tree.community, [
      { person: { phones: [{ e164: mobile, kind: 'mobile' }], contacts: [{ name: '李女儿', relation: '女儿', isGuardian: true, priority: 1, notifyOnEmergency: true, phoneE164: randomMobile() }] } },
    ]);
    const r = await postAlarm(t.baseUrl, device as AlarmDevice, { body: { type: 'sos' }, timestamp: Math.floor(t.clock.now().getTime() / 1000) });
    expect(r.status).toBe(201);
    raised.push((r.body as { sosId: string }).sosId);
    t.clock.advance(30_000); // nobody acknowledged: the callback step
    expect(await t.app.services.callerSide.escalation.tick()).toBe(1);
    await t.app.services.callerSide.outboxWorker.kick();
    return { ...(r.body as { sosId: string; ticketId: string }), mobile };
  }

  it('when nobody acknowledges, then the callback rings Local/sos-callback@agents, not the agents\' member interface', async () => {
    await start('click-to-call-originate');
    const { mobile } = await sosNobodyTakes();
    const originate = await pbx.waitForAction('Originate');
    expect(originate.fields).toMatchObject({ channel: 'Local/sos-callback@agents', exten: mobile.replace('+86', '') });
  });

  it('when Asterisk answers the callback with OriginateResponse Failure, then the order says so, the message is given up, the chain moves on at once and the call is logged', async () => {
    await start('click-to-call-originate-failure');
    const { sosId, ticketId } = await sosNobodyTakes();
    const originate = await pbx.waitForAction('Originate');
    const requestId = originate.actionId!;
    expect(requestId).toMatch(/^anxin-ob-[0-9a-f-]{36}-\d+$/);

    const events = () => ds.query('SELECT kind, note FROM ticket_event WHERE ticket_id = $1 ORDER BY id', [ticketId]) as Promise<{ kind: string; note: string }[]>;
    await until(async () => (await events()).some((e) => e.kind === 'sos_callback_failed'), 5000, 20);
    expect((await events()).find((e) => e.kind === 'sos_callback_failed')!.note).toMatch(/自动回拨未能发起（Asterisk 原因 5）；升级链立即进入下一步/);
    const [message] = await ds.query(`SELECT status, last_error FROM outbox WHERE ticket_id = $1 AND kind = 'call'`, [ticketId]);
    expect(message).toMatchObject({ status: 'dead', last_error: expect.stringContaining('reason 5') });

    // No waiting out the callback's 60 s: the contacts step runs on the next tick, at the same instant.
    expect(await t.app.services.callerSide.escalation.tick()).toBe(1);
    const [sos] = await ds.query('SELECT status, step FROM sos_incident WHERE id = $1', [sosId]);
    expect(sos).toMatchObject({ status: 'active', step: 2 });
    expect((await events()).filter((e) => e.kind === 'sos_escalation')).toHaveLength(2);

    await t.app.services.callLog.drain();
    const [call] = await ds.query('SELECT status, direction, ami_linked_id, originate_request_id FROM call WHERE originate_request_id = $1', [requestId]);
    expect(call).toMatchObject({ direction: 'outbound', ami_linked_id: null, originate_request_id: requestId });
  });
});
