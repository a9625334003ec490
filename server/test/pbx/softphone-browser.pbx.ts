/**
 * A call answered in the console's browser softphone, end to end on real parts: a known caller (sipp,
 * streaming audio) phones the shipped Asterisk configuration, the queue rings agent 8001's SIP.js softphone in
 * Chromium over WSS, the agent sees the screen pop and answers, media flows both ways, the caller hangs up,
 * and the call log has the answered call with its talk time. Run with both queue-member settings.
 */
import fs from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import pino from 'pino';
import type { Page } from 'playwright-core';
import { launchBrowser } from '../../../agent-console/test/support/browser';
import { ensureConsoleBuilt } from '../../../agent-console/test/support/console-build';
import { signIn } from '../../../agent-console/test/support/console-stack';
import { loadConfig } from '../../src/config/config';
import { sipPassword } from '../../src/softphone/softphone-settings';
import { StaffUser } from '../../src/staff/staff-user.entity';
import { createTelephony } from '../../src/telephony/create-telephony';
import type { TelephonyPort } from '../../src/telephony/telephony.port';
import { makePerson } from '../support/factories';
import { makeDistricts, makeUser, randomMobile, startTestApp, TEST_DATA_KEY, TEST_PASSWORD, type RunningApp } from '../support/test-app';
import { until } from '../support/until';
import { AMI_SECRET, AMI_USER, freeTcpPort, liveAsteriskAvailable, LOOKUP_TOKEN, sippCall, startLiveAsterisk, ulawToneWav, type LiveAsterisk } from './live-asterisk';

jest.setTimeout(120_000);

const SIP_SECRET = 'pbx-test-sip-secret-0123456789';
const TALKER = path.join(__dirname, 'sipp/uac-known-caller-talks.xml');

/** RTP counters of every RTCPeerConnection the page made (captured by an init script). */
async function rtpCounters(page: Page): Promise<{ received: number; sent: number }> {
  return page.evaluate(async () => {
    let received = 0;
    let sent = 0;
    for (const pc of (window as unknown as { __anxinPcs: RTCPeerConnection[] }).__anxinPcs) {
      (await pc.getStats()).forEach((s: { type: string; kind?: string; packetsReceived?: number; packetsSent?: number }) => {
        if (s.type === 'inbound-rtp' && s.kind === 'audio') received += s.packetsReceived ?? 0;
        if (s.type === 'outbound-rtp' && s.kind === 'audio') sent += s.packetsSent ?? 0;
      });
    }
    return { received, sent };
  });
}

describe.each(['PJSIP/{ext}', 'Local/{ext}@agents/n'])('a call answered in the browser softphone (queue members %s)', (memberInterface) => {
  let pbx: LiveAsterisk;
  let running: RunningApp;
  let telephony: TelephonyPort;
  let browser: Awaited<ReturnType<typeof launchBrowser>>;
  const voiceDir = fs.mkdtempSync(path.join(os.tmpdir(), 'anxin-voice-'));

  beforeAll(async () => {
    const available = liveAsteriskAvailable();
    if (!available.ok) throw new Error(`live-PBX suite cannot run: ${available.why}`);
    fs.writeFileSync(path.join(voiceDir, 'caller-voice.wav'), ulawToneWav(2));
    const [serverPort, amiPort, wssPort] = [await freeTcpPort(), await freeTcpPort(), await freeTcpPort()];
    pbx = await startLiveAsterisk({ apiUrl: `http://127.0.0.1:${serverPort}`, amiPort, wssPort, agentPasswords: { '8001': sipPassword(SIP_SECRET, '8001') } });
    const env = {
      PORT: String(serverPort),
      CONSOLE_DIR: ensureConsoleBuilt(),
      ASTERISK_AMI_URL: `ami://${AMI_USER}:${AMI_SECRET}@127.0.0.1:${amiPort}`,
      ASTERISK_MEMBER_INTERFACE: memberInterface,
      IVR_LOOKUP_TOKEN: LOOKUP_TOKEN,
      SIP_WSS_URL: `wss://127.0.0.1:${wssPort}/ws`,
      SIP_DOMAIN: '127.0.0.1',
      SIP_SECRET,
    };
    telephony = createTelephony(loadConfig({ NODE_ENV: 'test', ANXIN_DATA_KEY: TEST_DATA_KEY, ...env }), pino({ level: process.env.TEST_LOG_LEVEL ?? 'silent' }), { now: () => new Date() })!;
    running = await startTestApp({ telephony, env });
    await until(() => telephony.state === 'up', 20_000);
    browser = await launchBrowser(undefined, ['--use-fake-ui-for-media-stream', '--use-fake-device-for-media-stream', '--ignore-certificate-errors']);
  });

  afterAll(async () => {
    await browser?.close();
    await running?.close();
    await pbx?.stop();
  });

  it('when a known caller rings agent 8001, then the browser shows the pop, answers, media flows both ways and the call is logged answered with its talk time', async () => {
    const { district } = await makeDistricts(running.ds);
    await running.ds.getRepository(StaffUser).update({ sipExtension: '8001' }, { sipExtension: null });
    const agent = await makeUser(running.ds, 'agent', district, { sipExtension: '8001' });
    const caller = randomMobile();
    const person = await makePerson(running.ds, district, { phones: [{ e164: caller, kind: 'mobile' }] });

    const page = await browser.context.newPage();
    await page.addInitScript(() => {
      const pcs: RTCPeerConnection[] = [];
      (window as unknown as { __anxinPcs: RTCPeerConnection[] }).__anxinPcs = pcs;
      const Native = window.RTCPeerConnection;
      window.RTCPeerConnection = class extends Native {
        constructor(config?: RTCConfiguration) {
          super(config);
          pcs.push(this);
        }
      } as typeof RTCPeerConnection;
    });
    await signIn(page, running.baseUrl, agent.username, TEST_PASSWORD);
    await page.getByTestId('softphone-status').getByText(/已注册：分机 8001/).waitFor({ timeout: 20_000 });
    const presence = await page.evaluate(async () => (await fetch('/api/agents/me/presence', { method: 'PUT', headers: { 'content-type': 'application/json' }, body: JSON.stringify({ state: 'available' }) })).status);
    expect(presence).toBe(200);
    await until(() => /8001/.test(pbx.rx('queue show hotline')), 10_000, 100);
    // One user agent per tab: a second one would push the first's contact out and could take the call.
    expect(pbx.log().match(/Added contact '[^']+' to AOR '8001'/g)).toHaveLength(1);

    const call = sippCall(pbx, TALKER, '4008001234', caller.replace('+86', ''), voiceDir);
    await page.getByTestId('pop-name').getByText(person.record.name).waitFor({ timeout: 15_000 }).catch(async (err) => {
      if (process.env.PBX_DEBUG) {
        await page.screenshot({ path: '/tmp/pbx-pop.png' });
        console.log(pbx.log().split('\n').slice(-80).join('\n'));
        console.log(await running.ds.query('SELECT status, agent_extension, person_id, queue FROM call WHERE from_e164 = $1', [caller]));
      }
      throw err;
    });
    const answer = page.getByRole('button', { name: /接听/ });
    await answer.waitFor();
    await until(async () => answer.isEnabled(), 15_000, 50);
    await page.keyboard.press('Alt+A');
    await until(async () => {
      const rtp = await rtpCounters(page);
      return rtp.received > 50 && rtp.sent > 50 ? rtp : false;
    }, 15_000, 200).catch(async (err) => {
      if (process.env.PBX_DEBUG) {
        console.log(await rtpCounters(page), pbx.rx('core show channels verbose'));
        console.log(pbx.log().split('\n').filter((l) => /Dial|Queue|Local|8001|codec|translation|bridge/i.test(l)).slice(-60).join('\n'));
      }
      throw err;
    });

    const run = await call;
    expect(run.code).toBe(0);
    await until(async () => (await running.ds.query(`SELECT status FROM call WHERE from_e164 = $1`, [caller]))[0]?.status === 'ended', 15_000);
    const [row] = await running.ds.query(`SELECT status, answered_at, talk_seconds, agent_extension, agent_user_id, person_id, end_reason FROM call WHERE from_e164 = $1`, [caller]);
    expect(row).toMatchObject({ status: 'ended', agent_extension: '8001', agent_user_id: agent.id, person_id: person.id, end_reason: 'caller_hangup' });
    expect(row.answered_at).not.toBeNull();
    expect(row.talk_seconds).toBeGreaterThanOrEqual(5);
    expect(pbx.unexpectedErrors()).toEqual([]);
    await page.close();
  });
});
