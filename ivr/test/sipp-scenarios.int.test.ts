/**
 * The sipp scenarios shipped for users with a real Asterisk (`docker/asterisk/sipp/`) run here against a
 * real SIP peer: sipp itself, playing a small PBX stand-in (`ivr/test/sipp/`). This proves the files are
 * valid sipp scenarios that complete a call: the SOS pendant's INVITE carries its number, and the IVR
 * caller presses 3 as SIP INFO DTMF (application/dtmf-relay, Signal=3) between answer and hang-up.
 * What Asterisk then does with them is covered by the recorded AMI traffic of the same calls.
 */
import { spawn, spawnSync } from 'node:child_process';
import dgram from 'node:dgram';
import fs from 'node:fs';
import os from 'node:os';
import path from 'node:path';

const SHIPPED = path.join(__dirname, '../../docker/asterisk/sipp');
const STAND_IN = path.join(__dirname, 'sipp');

jest.setTimeout(60_000);

beforeAll(() => {
  if (spawnSync('sipp', ['-v']).error) throw new Error('sipp not found: install Debian\'s sip-tester (apt-get install -y sip-tester), as .ci/run does');
});

/** A UDP port free on loopback right now. */
async function freeUdpPort(): Promise<number> {
  const socket = dgram.createSocket('udp4');
  await new Promise<void>((resolve) => socket.bind(0, '127.0.0.1', resolve));
  const { port } = socket.address();
  await new Promise<void>((resolve) => socket.close(() => resolve()));
  return port;
}

function sipp(args: string[], cwd: string): Promise<{ code: number | null; output: string }> {
  return new Promise((resolve) => {
    const child = spawn('sipp', [...args, '-nostdin', '-timeout', '30s', '-timeout_error'], { cwd });
    let output = '';
    child.stdout.on('data', (d: Buffer) => (output += d.toString()));
    child.stderr.on('data', (d: Buffer) => (output += d.toString()));
    child.on('close', (code) => resolve({ code, output }));
  });
}

interface CallRun {
  uac: { code: number | null; output: string };
  uas: { code: number | null; output: string };
  /** What the stand-in PBX received and sent (sipp's -trace_msg). */
  messages: string;
  /** The stand-in's `<log>` lines (sipp's -trace_logs). */
  logs: string;
}

/** Start the stand-in PBX, then run the shipped caller scenario against it once. */
async function runCall(standIn: string, shipped: string, service: string, caller: string): Promise<CallRun> {
  const dir = fs.mkdtempSync(path.join(os.tmpdir(), 'anxin-sipp-'));
  const [pbxPort, pbxMedia, callerPort, callerMedia] = [await freeUdpPort(), await freeUdpPort(), await freeUdpPort(), await freeUdpPort()];
  const messageFile = path.join(dir, 'pbx-messages.log');
  const logFile = path.join(dir, 'pbx.log');
  const uas = sipp(['-sf', path.join(STAND_IN, standIn), '-i', '127.0.0.1', '-p', String(pbxPort), '-mp', String(pbxMedia), '-m', '1',
    '-trace_msg', '-message_file', messageFile, '-trace_logs', '-log_file', logFile, '-trace_err', '-error_file', path.join(dir, 'pbx-errors.log')], dir);
  await new Promise((r) => setTimeout(r, 300)); // let the stand-in bind (INVITE is retransmitted anyway)
  const uac = await sipp(['-sf', path.join(SHIPPED, shipped), '-s', service, '-key', 'caller', caller, '-i', '127.0.0.1',
    '-p', String(callerPort), '-mp', String(callerMedia), '-m', '1', '-l', '1', `127.0.0.1:${pbxPort}`], dir);
  const read = (f: string): string => (fs.existsSync(f) ? fs.readFileSync(f, 'utf8') : '');
  const run = { uac, uas: await uas, messages: read(messageFile), logs: read(logFile) };
  fs.rmSync(dir, { recursive: true, force: true });
  return run;
}

describe('shipped sipp scenarios against a real SIP peer', () => {
  it('when the SOS pendant scenario calls the hotline, then one call completes from the pendant number to the hotline', async () => {
    const run = await runCall('uas-pbx-answers.xml', 'uac-sos-expect-queue-priority.xml', '4008001234', '13900000001');
    expect({ uac: run.uac.code, uas: run.uas.code }).toEqual({ uac: 0, uas: 0 });
    expect(run.messages).toMatch(/INVITE sip:4008001234@127\.0\.0\.1:\d+ SIP\/2\.0/);
    expect(run.messages).toMatch(/From: "SOS Pendant" <sip:13900000001@/);
    expect(run.messages).toMatch(/BYE sip:4008001234@/);
  });

  it('when the IVR scenario presses 3, then the digit arrives as SIP INFO DTMF after answer and before hang-up', async () => {
    const run = await runCall('uas-pbx-takes-info-dtmf.xml', 'uac-ivr-choice-3-sip-info.xml', '4008009999', '13800138000');
    expect({ uac: run.uac.code, uas: run.uas.code }).toEqual({ uac: 0, uas: 0 });
    expect(run.logs).toContain('DTMF digit 3');
    const order = ['INVITE sip:', 'ACK sip:', 'INFO sip:', 'BYE sip:'].map((m) => run.messages.indexOf(m));
    expect(order.every((at, i) => at >= 0 && (i === 0 || at > order[i - 1]!))).toBe(true);
  });
});
