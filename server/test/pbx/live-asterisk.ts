/**
 * A real Asterisk 20 (the build in `../shared/pbx/`) started with the project's own `docker/asterisk/`
 * configuration: CHANGE_ME values filled with test values, ports moved to free loopback ports, the lab
 * certificate made by the shipped script, and the dialplan's server URL pointed at the test server.
 * Only the live-PBX suite (`npm run test:pbx`) uses it; a plain clone has no `../shared`.
 */
import { execFileSync, spawn, spawnSync } from 'node:child_process';
import dgram from 'node:dgram';
import fs from 'node:fs';
import net from 'node:net';
import os from 'node:os';
import path from 'node:path';

const ROOT = path.resolve(__dirname, '../../..');
const SHIPPED = path.join(ROOT, 'docker/asterisk');
export const ASTERISK_RUN = process.env.ANXIN_ASTERISK_RUN ?? path.resolve(ROOT, '../shared/pbx/asterisk-run');

export const AMI_USER = 'hotline';
export const AMI_SECRET = 'pbx-test-secret';
export const LOOKUP_TOKEN = 'pbx-test-lookup-token-0123456789';

export interface LiveAsteriskOptions {
  /** Base URL of the Anxin server the dialplan asks (`GET /ivr/lookup`). */
  apiUrl: string;
  /** AMI port to listen on (a free one when absent): the server's adapter may be made before Asterisk starts. */
  amiPort?: number;
  /** WSS (TLS WebSocket) port, when the server's SIP_WSS_URL must be known before Asterisk starts. */
  wssPort?: number;
  /** Agent extension → SIP password, written over the shipped `[NNNN](agent-auth)` placeholders. */
  agentPasswords?: Record<string, string>;
}

export interface LiveAsterisk {
  confDir: string;
  runDir: string;
  sipPort: number;
  amiPort: number;
  httpPort: number;
  wssPort: number;
  /** `ami://hotline:…@127.0.0.1:<amiPort>` for the server's `ASTERISK_AMI_URL`. */
  amiUrl: string;
  /** Run one CLI command and return its output. */
  rx(command: string): string;
  /** Everything Asterisk logged to its console so far (errors and warnings included, whatever logger.conf says). */
  log(): string;
  /** ERROR lines of the log, less those caused by the unreachable placeholder carrier. */
  unexpectedErrors(): string[];
  /** Stop Asterisk and start it again with the same configuration (a PBX restart). */
  restart(): Promise<void>;
  stop(): Promise<void>;
}

/** Whether the live-PBX suite can run here. */
export function liveAsteriskAvailable(): { ok: true } | { ok: false; why: string } {
  if (!fs.existsSync(ASTERISK_RUN)) return { ok: false, why: `${ASTERISK_RUN} not found (../shared/pbx is not there)` };
  if (spawnSync('sipp', ['-v']).error) return { ok: false, why: 'sipp not found (apt-get install -y sip-tester)' };
  return { ok: true };
}

/** A TCP port free on loopback right now. */
export async function freeTcpPort(): Promise<number> {
  const server = net.createServer();
  await new Promise<void>((resolve) => server.listen(0, '127.0.0.1', resolve));
  const { port } = server.address() as net.AddressInfo;
  await new Promise<void>((resolve) => server.close(() => resolve()));
  return port;
}

/** A UDP port free on loopback right now. */
export async function freeUdpPort(): Promise<number> {
  const socket = dgram.createSocket('udp4');
  await new Promise<void>((resolve) => socket.bind(0, '127.0.0.1', resolve));
  const { port } = socket.address();
  await new Promise<void>((resolve) => socket.close(() => resolve()));
  return port;
}

/** The carrier trunk's placeholder host cannot resolve here: those lines are expected, nothing else is. */
const PLACEHOLDER_CARRIER = /sip\.carrier\.example\.cn|trunk-identify/;

/** G.711 µ-law of one 16-bit sample. */
function ulaw(sample: number): number {
  const sign = sample < 0 ? 0x80 : 0;
  let magnitude = Math.min(Math.abs(sample), 32635) + 0x84;
  let exponent = 7;
  for (let mask = 0x4000; (magnitude & mask) === 0 && exponent > 0; mask >>= 1) exponent--;
  const mantissa = (magnitude >> (exponent + 3)) & 0x0f;
  return ~(sign | (exponent << 4) | mantissa) & 0xff;
}

/** 8 kHz mono µ-law WAV of a 440 Hz tone: what a sipp caller streams as its voice (`rtp_stream`). */
export function ulawToneWav(seconds = 2): Buffer {
  const rate = 8000;
  const data = Buffer.alloc(rate * seconds);
  for (let i = 0; i < data.length; i++) data[i] = ulaw(Math.round(6000 * Math.sin((2 * Math.PI * 440 * i) / rate)));
  const header = Buffer.alloc(44);
  header.write('RIFF', 0);
  header.writeUInt32LE(36 + data.length, 4);
  header.write('WAVEfmt ', 8);
  header.writeUInt32LE(16, 16);
  header.writeUInt16LE(7, 20); // WAVE_FORMAT_MULAW
  header.writeUInt16LE(1, 22);
  header.writeUInt32LE(rate, 24);
  header.writeUInt32LE(rate, 28);
  header.writeUInt16LE(1, 32);
  header.writeUInt16LE(8, 34);
  header.write('data', 36);
  header.writeUInt32LE(data.length, 40);
  return Buffer.concat([header, data]);
}

/** 8 kHz mono 16-bit PCM WAV: a soft 440 Hz tone with pauses, for the `default` music-on-hold class. */
function holdToneWav(seconds = 4): Buffer {
  const rate = 8000;
  const samples = rate * seconds;
  const data = Buffer.alloc(samples * 2);
  for (let i = 0; i < samples; i++) {
    const on = Math.floor(i / (rate / 2)) % 2 === 0;
    data.writeInt16LE(on ? Math.round(3000 * Math.sin((2 * Math.PI * 440 * i) / rate)) : 0, i * 2);
  }
  const header = Buffer.alloc(44);
  header.write('RIFF', 0);
  header.writeUInt32LE(36 + data.length, 4);
  header.write('WAVEfmt ', 8);
  header.writeUInt32LE(16, 16);
  header.writeUInt16LE(1, 20);
  header.writeUInt16LE(1, 22);
  header.writeUInt32LE(rate, 24);
  header.writeUInt32LE(rate * 2, 28);
  header.writeUInt16LE(2, 32);
  header.writeUInt16LE(16, 34);
  header.write('data', 36);
  header.writeUInt32LE(data.length, 40);
  return Buffer.concat([header, data]);
}

/**
 * Stand-ins for the Mandarin prompts the generated dialplan lists (`; Sound files` in extensions_anxin.conf),
 * 2 s each, in the build's sound directory. Without them `Read()` returns at once and every caller falls
 * through the menu to an agent (fail open), so no menu choice could be tested.
 */
function writePrompts(soundsDir: string): void {
  const dialplan = fs.readFileSync(path.join(SHIPPED, 'extensions_anxin.conf'), 'utf8');
  const prompts = [...new Set(dialplan.match(/^;\s+(anxin\/[a-z0-9_-]+)$/gm)?.map((line) => line.replace(/^;\s+/, '')) ?? [])];
  if (prompts.length === 0) throw new Error('extensions_anxin.conf lists no sound files');
  const tone = holdToneWav(2);
  for (const prompt of prompts) {
    const file = path.join(soundsDir, `${prompt}.wav`);
    fs.mkdirSync(path.dirname(file), { recursive: true });
    if (!fs.existsSync(file)) fs.writeFileSync(file, tone);
  }
}

/**
 * Start Asterisk with the shipped configuration; resolves when its CLI answers and the AMI port accepts.
 * @example const pbx = await startLiveAsterisk({ apiUrl: app.baseUrl }); … await pbx.stop();
 */
export async function startLiveAsterisk(opts: LiveAsteriskOptions): Promise<LiveAsterisk> {
  const base = fs.mkdtempSync(path.join(os.tmpdir(), 'anxin-pbx-'));
  const confDir = path.join(base, 'etc');
  const runDir = path.join(base, 'run');
  const keysDir = path.join(runDir, 'keys');
  const mohDir = path.join(runDir, 'moh');
  fs.mkdirSync(confDir);
  fs.mkdirSync(path.join(keysDir, 'keys'), { recursive: true }); // res_crypto reads <astkeydir>/keys
  fs.mkdirSync(mohDir, { recursive: true });
  fs.writeFileSync(path.join(mohDir, 'hold-tone.wav'), holdToneWav());
  const [sipPort, amiPort, httpPort, wssPort] = [await freeUdpPort(), opts.amiPort ?? (await freeTcpPort()), await freeTcpPort(), opts.wssPort ?? (await freeTcpPort())];

  const edits: Record<string, (text: string) => string> = {
    'pjsip.conf': (t) => {
      let out = t.replace('bind=0.0.0.0:5060', `bind=127.0.0.1:${sipPort}`).replace(/^bind=0\.0\.0\.0$/m, 'bind=127.0.0.1');
      for (const [ext, password] of Object.entries(opts.agentPasswords ?? {})) {
        out = out.replace(new RegExp(`(\\[${ext}\\]\\(agent-auth\\)\\nusername=${ext}\\npassword=)[^\\n]+`), `$1${password}`);
      }
      return out.replace(/CHANGE_ME_DERIVED_FROM_SIP_SECRET/g, 'pbx-test-agent').replace(/CHANGE_ME/g, 'pbx-test');
    },
    'manager.conf': (t) => t.replace('port=5038', `port=${amiPort}`).replace('bindaddr=0.0.0.0', 'bindaddr=127.0.0.1').replace(/secret=CHANGE_ME/, `secret=${AMI_SECRET}`),
    'http.conf': (t) => t.replace('bindport=8088', `bindport=${httpPort}`).replace('tlsbindaddr=0.0.0.0:8089', `tlsbindaddr=127.0.0.1:${wssPort}`).replaceAll('/etc/asterisk/keys', keysDir),
    'extensions.conf': (t) => t.replace(/^ANXIN_API=.*$/m, `ANXIN_API=${opts.apiUrl}`).replace(/^ANXIN_LOOKUP_TOKEN=.*$/m, `ANXIN_LOOKUP_TOKEN=${LOOKUP_TOKEN}`),
    'musiconhold.conf': (t) => t.replace('directory=moh', `directory=${mohDir}`),
  };
  for (const file of fs.readdirSync(SHIPPED)) {
    if (!file.endsWith('.conf')) continue;
    const text = fs.readFileSync(path.join(SHIPPED, file), 'utf8');
    fs.writeFileSync(path.join(confDir, file), (edits[file] ?? ((t: string) => t))(text));
  }
  execFileSync(path.join(SHIPPED, 'make-lab-cert.sh'), [keysDir, 'localhost'], { stdio: 'ignore' });
  const prefix = runTool(['path']).trim();
  writePrompts(path.join(prefix, 'var/lib/asterisk/sounds/zh'));
  runTool(['start', confDir, runDir]);
  const asterisk = path.join(prefix, 'sbin/asterisk');

  // The CLI directly: asterisk-run's library check (`ldconfig -p | grep -q` under pipefail) fails now and then.
  const rx = (command: string) => execFileSync(asterisk, ['-C', path.join(runDir, 'asterisk.conf'), '-rx', command], { encoding: 'utf8' });
  const log = () => {
    const file = path.join(runDir, 'log/stdout.log');
    return fs.existsSync(file) ? fs.readFileSync(file, 'utf8') : '';
  };
  const halt = async () => {
    try {
      rx('core stop now');
    } catch {
      // already gone
    }
    const pidFile = path.join(runDir, 'run/asterisk-run.pid');
    const pid = fs.existsSync(pidFile) ? Number(fs.readFileSync(pidFile, 'utf8')) : 0;
    for (let i = 0; pid && i < 50 && alive(pid); i++) await new Promise((r) => setTimeout(r, 100));
    if (pid && alive(pid)) process.kill(pid, 'SIGKILL');
  };
  rx('core waitfullybooted'); // modules register late (the WebSocket "sip" protocol answers 400 until then)
  for (let i = 0; i < 50 && !(await canConnect(amiPort)); i++) await new Promise((r) => setTimeout(r, 100));
  return {
    confDir,
    runDir,
    sipPort,
    amiPort,
    httpPort,
    wssPort,
    amiUrl: `ami://${AMI_USER}:${AMI_SECRET}@127.0.0.1:${amiPort}`,
    rx,
    log,
    unexpectedErrors: () => log().split('\n').filter((line) => /\bERROR\[/.test(line) && !PLACEHOLDER_CARRIER.test(line)),
    async restart() {
      await halt();
      runTool(['start', confDir, runDir]);
      rx('core waitfullybooted');
    },
    async stop() {
      await halt();
      fs.rmSync(base, { recursive: true, force: true });
    },
  };
}

/**
 * Run asterisk-run, again when its library check misfires: under `set -o pipefail`, `ldconfig -p | grep -q`
 * fails whenever grep exits before ldconfig has written everything (SIGPIPE), and it then says libsrtp2 is missing.
 */
function runTool(args: string[]): string {
  for (let attempt = 1; ; attempt++) {
    const run = spawnSync(ASTERISK_RUN, args, { encoding: 'utf8' });
    if (run.status === 0) return run.stdout;
    if (attempt >= 5 || !/libsrtp2\.so\.1 is missing/.test(run.stderr)) throw new Error(`asterisk-run ${args[0]} failed (${run.status}): ${run.stderr.slice(-2000)}`);
  }
}

/**
 * Run one sipp scenario against the live PBX: a shipped one (`docker/asterisk/sipp/`) by name, or a path.
 * `cwd`: where sipp runs (files a scenario streams are read from there).
 * @example await sippCall(pbx, 'uac-ivr-choice-3-sip-info.xml', '4008009999', '13812345678')
 */
export async function sippCall(pbx: Pick<LiveAsterisk, 'sipPort'>, scenario: string, service: string, caller: string, cwd = os.tmpdir()): Promise<{ code: number | null; output: string }> {
  const [port, media] = [await freeUdpPort(), await freeUdpPort()];
  const file = path.isAbsolute(scenario) ? scenario : path.join(SHIPPED, 'sipp', scenario);
  return new Promise((resolve) => {
    const child = spawn('sipp', ['-sf', file, '-s', service, '-key', 'caller', caller, '-i', '127.0.0.1', '-p', String(port), '-mp', String(media),
      '-m', '1', '-l', '1', '-nostdin', '-timeout', '40s', '-timeout_error', `127.0.0.1:${pbx.sipPort}`], { cwd });
    let output = '';
    child.stdout.on('data', (d: Buffer) => (output += d.toString()));
    child.stderr.on('data', (d: Buffer) => (output += d.toString()));
    child.on('close', (code) => resolve({ code, output: output.slice(-3000) }));
  });
}

function canConnect(port: number): Promise<boolean> {
  return new Promise((resolve) => {
    const socket = net.connect(port, '127.0.0.1');
    socket.once('connect', () => (socket.destroy(), resolve(true)));
    socket.once('error', () => resolve(false));
  });
}

function alive(pid: number): boolean {
  try {
    process.kill(pid, 0);
    return true;
  } catch {
    return false;
  }
}
