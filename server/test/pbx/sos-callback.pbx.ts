/**
 * An SOS nobody answers, on the shipped Asterisk configuration, with both queue-member settings: the SOS
 * pendant calls (sipp), no agent takes it, the chain's automatic callback is originated and Asterisk runs it
 * (`[anxin-sos-callback]` joins the queue at top priority) instead of refusing the channel.
 */
import pino from 'pino';
import { loadConfig } from '../../src/config/config';
import { createTelephony } from '../../src/telephony/create-telephony';
import type { TelephonyPort } from '../../src/telephony/telephony.port';
import { makePerson } from '../support/factories';
import { makeDistricts, randomMobile, startTestApp, TestClock, TEST_DATA_KEY, type RunningApp } from '../support/test-app';
import { until } from '../support/until';
import { AMI_SECRET, AMI_USER, freeTcpPort, liveAsteriskAvailable, LOOKUP_TOKEN, sippCall, startLiveAsterisk, type LiveAsterisk } from './live-asterisk';

jest.setTimeout(90_000);

describe.each(['Local/{ext}@agents/n', 'PJSIP/{ext}'])('an SOS nobody answers (queue members %s)', (memberInterface) => {
  let pbx: LiveAsterisk;
  let running: RunningApp;
  let telephony: TelephonyPort;

  beforeAll(async () => {
    const available = liveAsteriskAvailable();
    if (!available.ok) throw new Error(`live-PBX suite cannot run: ${available.why}`);
    const [serverPort, amiPort] = [await freeTcpPort(), await freeTcpPort()];
    pbx = await startLiveAsterisk({ apiUrl: `http://127.0.0.1:${serverPort}`, amiPort });
    const env = { PORT: String(serverPort), ASTERISK_AMI_URL: `ami://${AMI_USER}:${AMI_SECRET}@127.0.0.1:${amiPort}`, ASTERISK_MEMBER_INTERFACE: memberInterface, IVR_LOOKUP_TOKEN: LOOKUP_TOKEN, BACKGROUND_JOBS: 'off', SOS_AGENT_ANSWER_SECONDS: '30' };
    telephony = createTelephony(loadConfig({ NODE_ENV: 'test', ANXIN_DATA_KEY: TEST_DATA_KEY, ...env }), pino({ level: process.env.TEST_LOG_LEVEL ?? 'silent' }), { now: () => new Date() })!;
    // A year back: only this test's SOS is ever due on this clock.
    running = await startTestApp({ telephony, clock: new TestClock(new Date(Date.now() - 365 * 24 * 3600_000)), env });
    await until(() => telephony.state === 'up', 20_000);
  });

  afterAll(async () => {
    await running?.close();
    await pbx?.stop();
  });

  it('when the pendant calls and no agent answers, then the automatic callback reaches the PBX and Asterisk runs it', async () => {
    const { district } = await makeDistricts(running.ds);
    const pendant = randomMobile();
    const mobile = randomMobile();
    const person = await makePerson(running.ds, district, {
      phones: [{ e164: mobile, kind: 'mobile' }, { e164: pendant, kind: 'sos_device' }],
      devices: [{ kind: 'sos_pendant', serial: `SN-CB-${Date.now()}`, mode: 'home', armed: true, battery: 90, phoneE164: pendant }],
    });
    const run = await sippCall(pbx, 'uac-sos-expect-queue-priority.xml', '4008001234', pendant.replace('+86', ''));
    expect(run.code).toBe(0);
    const [sos] = await until(async () => {
      const rows = await running.ds.query(`SELECT id, ticket_id FROM sos_incident WHERE person_id = $1`, [person.id]);
      return rows.length ? rows : false;
    }, 15_000);

    running.clock.advance(30_000); // nobody acknowledged
    try {
      expect(await running.app.services.callerSide.escalation.tick()).toBe(1);
      await running.app.services.callerSide.outboxWorker.kick();
      await until(() => pbx.log().includes(`Anxin SOS callback for ticket`), 15_000, 100);
      // One half runs [anxin-sos-callback] (answers, joins the queue at priority 10), the other dials the person
      // through [from-internal] — here into the placeholder trunk, which cannot be reached from this machine.
      await until(() => pbx.log().includes('@from-internal:1] Dial("Local/sos-callback@agents-'), 10_000, 100);
      expect(pbx.log()).toMatch(/Executing \[sos-callback@agents:\d+\] Set\("Local\/sos-callback@agents-[0-9a-f]+;2", "QUEUE_PRIO=10"\)/);
      expect(pbx.log()).toContain(`Dial("Local/sos-callback@agents-`);
      const [message] = await running.ds.query(`SELECT id, status, payload FROM outbox WHERE ticket_id = $1 AND kind = 'call'`, [sos.ticket_id]);
      expect(message.status).toBe('sent');
      expect([mobile, pendant].map((n) => n.replace('+86', ''))).toContain(message.payload.toNumber);
      expect(pbx.log()).toContain(`"PJSIP/${message.payload.toNumber}@trunk,45")`);
      const kinds = (await running.ds.query('SELECT kind FROM ticket_event WHERE ticket_id = $1', [sos.ticket_id])).map((e: { kind: string }) => e.kind);
      expect(kinds).toContain('sos_escalation');
      expect(kinds).not.toContain('sos_callback_failed');
      // The person could not be reached (the trunk host does not resolve): the callback's call row says so,
      // never caller_hangup. Asterisk reports the customer leg with DialEnd CONGESTION / cause 34 here.
      const [callback] = await until(async () => {
        const rows = await running.ds.query(`SELECT status, outcome, end_reason, hangup_cause, talk_seconds FROM call WHERE originate_request_id LIKE $1 AND status = 'ended'`, [`anxin-ob-${message.id}-%`]);
        return rows.length ? rows : false;
      }, 15_000, 100);
      expect(callback).toMatchObject({ outcome: 'unreachable', end_reason: 'failed', talk_seconds: 0 });
    } finally {
      await running.ds.query(`UPDATE sos_incident SET status = 'false_alarm', next_step_at = NULL, closed_at = now() WHERE id = $1`, [sos.id]);
    }
  });
});
