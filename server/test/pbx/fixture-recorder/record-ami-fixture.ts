/**
 * Records one AMI connection to a real Asterisk as a fixture (format: server/test/fixtures/ami/README.md):
 * logs in with `Events: on`, sends one Originate, waits until every channel it made has hung up (+2 s),
 * logs off. Used with the recording PBX beside this file (extensions.conf: a simulated agent 8001 and
 * simulated customers) started by `../shared/pbx/asterisk-run`.
 *
 *   ../shared/pbx/asterisk-run start server/test/pbx/fixture-recorder /tmp/rec-run
 *   npx ts-node --swc server/test/pbx/fixture-recorder/record-ami-fixture.ts \
 *     click-to-call-originate-answered customer-dial "what happens" > server/test/fixtures/ami/<name>.jsonl
 *   ../shared/pbx/asterisk-run stop /tmp/rec-run
 *
 * With CONTEXT `--lists` it sends no Originate but what the adapter asks after a (re)connect, CoreShowChannels
 * then QueueStatus, and logs off a second later.
 */
import net from 'node:net';

const [scenario, context, description, ticket = 'T-20261205-0001'] = process.argv.slice(2);
if (!scenario || !context || !description) {
  process.stderr.write('usage: record-ami-fixture.ts SCENARIO CONTEXT DESCRIPTION [TICKET]\n');
  process.exit(2);
}
const port = Number(process.env.AMI_PORT ?? 15038);

interface Line {
  t: number;
  dir: 'in' | 'out';
  raw: string;
}
const lines: Line[] = [];
const steps: string[] = [];
const started = process.hrtime.bigint();
const now = () => Math.round(Number(process.hrtime.bigint() - started) / 1e6) / 1000;
const stamp = (t: number) => `[${t.toFixed(3)}]`;

const socket = net.connect(port, '127.0.0.1');
let buffer = '';
let bannerSeen = false;
const live = new Set<string>();
let sawChannel = false;
let closedBy: 'asterisk' | 'client' = 'asterisk';
let finishing = false;

function send(raw: string, what: string): void {
  const t = now();
  lines.push({ t, dir: 'out', raw });
  steps.push(`${stamp(t)} sent ${what}`);
  socket.write(raw);
}

function header(frame: string, key: string): string | undefined {
  const line = frame.split('\r\n').find((l) => l.toLowerCase().startsWith(`${key.toLowerCase()}: `));
  return line?.slice(key.length + 2);
}

function onFrame(raw: string, t: number): void {
  lines.push({ t, dir: 'in', raw });
  const event = header(raw, 'Event');
  const response = header(raw, 'Response');
  if (response && !event) steps.push(`${stamp(t)}   -> Response: ${response} (${header(raw, 'Message') ?? ''})`);
  if (event === 'OriginateResponse') steps.push(`${stamp(t)} saw OriginateResponse ${header(raw, 'Response')} Reason=${header(raw, 'Reason')}`);
  if (event === 'Newchannel') {
    sawChannel = true;
    live.add(header(raw, 'Uniqueid')!);
  }
  if (event === 'Hangup') {
    live.delete(header(raw, 'Uniqueid')!);
    if (sawChannel && live.size === 0 && !finishing) {
      finishing = true;
      setTimeout(() => {
        steps.push(`${stamp(now())} all channels hung up (+2000 ms grace)`);
        send('Action: Logoff\r\nActionID: a3\r\n\r\n', 'Logoff (ActionID a3)');
      }, 2000);
    }
  }
}

socket.on('connect', () => steps.push(`${stamp(now())} TCP connected to 127.0.0.1:${port}, banner received`));
socket.on('data', (chunk: Buffer) => {
  const t = now();
  buffer += chunk.toString('utf8');
  if (!bannerSeen) {
    const end = buffer.indexOf('\r\n');
    if (end < 0) return;
    lines.push({ t, dir: 'in', raw: buffer.slice(0, end + 2) });
    buffer = buffer.slice(end + 2);
    bannerSeen = true;
    send('Action: Login\r\nActionID: a1\r\nUsername: hotline\r\nSecret: hotline-secret\r\nEvents: on\r\n\r\n', 'Login (ActionID a1)');
    if (context === '--lists') {
      setTimeout(() => send('Action: CoreShowChannels\r\nActionID: a2\r\n\r\n', 'CoreShowChannels (ActionID a2)'), 500);
      setTimeout(() => send('Action: QueueStatus\r\nActionID: a3\r\n\r\n', 'QueueStatus (ActionID a3)'), 600);
      setTimeout(() => send('Action: Logoff\r\nActionID: a4\r\n\r\n', 'Logoff (ActionID a4)'), 1600);
      return;
    }
    setTimeout(() => {
      send(
        `Action: Originate\r\nActionID: a2\r\nChannel: Local/8001@agents\r\nContext: ${context}\r\nExten: 13800138000\r\nPriority: 1\r\n` +
          `CallerID: Anxin <4008001234>\r\nAsync: true\r\nVariable: ANXIN_TICKET=${ticket}\r\n\r\n`,
        'Originate (ActionID a2)',
      );
    }, 500);
  }
  for (let end = buffer.indexOf('\r\n\r\n'); end >= 0; end = buffer.indexOf('\r\n\r\n')) {
    onFrame(buffer.slice(0, end + 4), t);
    buffer = buffer.slice(end + 4);
  }
});
socket.on('close', () => {
  const t = now();
  steps.push(`${stamp(t)} connection closed by ${closedBy}`);
  const counts: Record<string, number> = {};
  const keyEvents: string[] = [];
  for (const l of lines.filter((x) => x.dir === 'in')) {
    const event = header(l.raw, 'Event');
    const response = header(l.raw, 'Response');
    const name = event ?? (response ? `Response: ${response}` : 'banner');
    counts[name] = (counts[name] ?? 0) + 1;
    if (event === 'OriginateResponse') keyEvents.push(`${stamp(l.t)} OriginateResponse ${header(l.raw, 'Response')} Reason=${header(l.raw, 'Reason')} Channel=${header(l.raw, 'Channel')}`);
    if (event === 'DialEnd') keyEvents.push(`${stamp(l.t)} DialEnd ${header(l.raw, 'Channel') ?? '(no Channel)'} -> ${header(l.raw, 'DestChannel')} DialStatus=${header(l.raw, 'DialStatus')}`);
    if (event === 'BridgeEnter') keyEvents.push(`${stamp(l.t)} BridgeEnter ${header(l.raw, 'Channel')}`);
    if (event === 'Hangup') keyEvents.push(`${stamp(l.t)} Hangup ${header(l.raw, 'Channel')} Cause=${header(l.raw, 'Cause')} (${header(l.raw, 'Cause-txt')})`);
  }
  const inCount = lines.filter((x) => x.dir === 'in').length;
  const head = {
    scenario,
    asterisk: '20.20.1',
    description,
    steps,
    observed: { frames: lines.length, in: inCount, out: lines.length - inCount, counts, key_events: keyEvents },
    connection_closed: { t, by: closedBy },
  };
  process.stdout.write(`${JSON.stringify(head)}\n${lines.map((l) => JSON.stringify(l)).join('\n')}\n`);
});
setTimeout(() => {
  closedBy = 'client';
  socket.destroy();
}, 60_000).unref();
