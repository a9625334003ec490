/**
 * The recorded AMI traffic under `server/test/fixtures/ami/` (see its README): loading, reading, and deriving
 * load-test traffic from it.
 *
 * Every frame these helpers hand out is a recorded frame, or for {@link multiplyCalls} a recorded frame with
 * its identifiers rewritten; nothing here makes up an AMI event shape.
 */
import { readFileSync, readdirSync } from 'node:fs';
import { join } from 'node:path';
import { parseAmiFrame, rawActionId, type AmiValue } from '../../src/telephony/ami/ami-frame';

export const AMI_FIXTURE_DIR = join(__dirname, '..', 'fixtures', 'ami');

export interface AmiFixtureHeader {
  scenario: string;
  description?: string;
  connection_closed?: { t: number; by: 'asterisk' | 'client' };
  /** Set on traffic derived by {@link multiplyCalls}: the scenario it was derived from. */
  derivedFrom?: string;
  [key: string]: unknown;
}

export interface AmiFixtureFrame {
  /** Seconds since the TCP connect. */
  t: number;
  dir: 'in' | 'out';
  raw: string;
}

export interface AmiFixture {
  header: AmiFixtureHeader;
  frames: AmiFixtureFrame[];
}

/** Names of the recorded scenarios (file names without `.jsonl`). */
export function listAmiFixtures(): string[] {
  return readdirSync(AMI_FIXTURE_DIR)
    .filter((f) => f.endsWith('.jsonl'))
    .map((f) => f.slice(0, -'.jsonl'.length))
    .sort();
}

/**
 * Load one recording.
 * @example const fixture = loadAmiFixture('inbound-abandoned');
 */
export function loadAmiFixture(name: string): AmiFixture {
  const lines = readFileSync(join(AMI_FIXTURE_DIR, `${name}.jsonl`), 'utf8').split('\n').filter(Boolean);
  const [head, ...rest] = lines;
  return { header: JSON.parse(head!) as AmiFixtureHeader, frames: rest.map((l) => JSON.parse(l) as AmiFixtureFrame) };
}

/** The `in` frames from Asterisk, parsed as `asterisk-manager` delivers them (the banner left out). */
export function inboundMessages(fixture: AmiFixture): Record<string, AmiValue>[] {
  return fixture.frames
    .filter((f) => f.dir === 'in' && !f.raw.startsWith('Asterisk Call Manager'))
    .map((f) => parseAmiFrame(f.raw));
}

/** The actions the recording client sent, parsed (lower-cased keys). */
export function recordedActions(fixture: AmiFixture): Record<string, AmiValue>[] {
  return fixture.frames.filter((f) => f.dir === 'out').map((f) => parseAmiFrame(f.raw));
}

const ID_KEY = /^(?:Uniqueid|Linkedid|DestUniqueid|DestLinkedid|LocalOneUniqueid|LocalOneLinkedid|LocalTwoUniqueid|LocalTwoLinkedid)$/;
const CHANNEL_KEY = /Channel$/;
const CALL_KEY = /^(?:Uniqueid|Linkedid|DestLinkedid|LocalOneLinkedid)$/;

/** The frames of the one call in a recording: those naming one of its Uniqueids/Linkedids. */
function callFrames(template: AmiFixture): AmiFixtureFrame[] {
  return template.frames.filter((f) => f.dir === 'in' && f.raw.split('\r\n').some((line) => CALL_KEY.test(line.split(': ')[0]!)));
}

/** Asterisk ids are `epoch.sequence`; copy `i` of a call with `m` ids gets sequences `i*m + seq`. */
function rewriteId(id: string, copy: number, idsPerCall: number): string {
  const match = /^(\d+)\.(\d+)$/.exec(id);
  return match ? `${match[1]}.${copy * idsPerCall + Number(match[2])}` : id;
}

/** Channel names end in an 8-hex-digit sequence (`PJSIP/trunk-00000000`, `Local/8001@agents-00000000;1`). */
function rewriteChannel(channel: string, copy: number, channelsPerCall: number): string {
  return channel.replace(/-([0-9a-f]{8})(;[12])?$/, (_m, seq: string, half = '') => {
    const next = copy * channelsPerCall + parseInt(seq, 16);
    return `-${next.toString(16).padStart(8, '0')}${half}`;
  });
}

/**
 * DERIVED TRAFFIC, for load tests and benchmarks: N distinct calls made from the one call recorded in
 * `template` (e.g. `inbound-answered-caller-hangup`). Copy `i` is the recorded call's frames with, consistently
 * across all frames: Uniqueid/Linkedid (and Dest…/LocalOne…/LocalTwo… ids) moved to their own sequence
 * numbers, channel sequence suffixes renumbered, the caller number replaced by `callers[i]` when given,
 * else `caller + i` (also inside
 * dialplan data), BridgeUniqueid made distinct, and Timestamp and offsets shifted by `i * spacingSeconds`.
 * Frames that name no channel of the call (device and member states, bridge housekeeping, responses to the
 * recording client's other actions) are dropped. The banner and Login exchange are kept; the copies are
 * merged in time order. The header says `derivedFrom`.
 *
 * @example const load = multiplyCalls(loadAmiFixture('inbound-answered-caller-hangup'), 500, { spacingSeconds: 0.01 });
 */
export function multiplyCalls(template: AmiFixture, n: number, opts: { spacingSeconds?: number; callers?: readonly string[] } = {}): AmiFixture {
  const spacing = opts.spacingSeconds ?? 0.05;
  const frames = callFrames(template);
  const loginEnd = template.frames.findIndex((f) => f.dir === 'in' && rawActionId(f.raw) === 'a1');
  const prologue = template.frames.slice(0, loginEnd + 1);
  const ids = new Set<string>();
  const channels = new Set<string>();
  let caller: string | undefined;
  for (const frame of frames) {
    for (const line of frame.raw.split('\r\n')) {
      const [key, value] = line.split(': ') as [string, string | undefined];
      if (value === undefined) continue;
      if (ID_KEY.test(key)) ids.add(value);
      if (CHANNEL_KEY.test(key)) channels.add(value.replace(/;[12]$/, ''));
      if (key === 'CallerIDNum' && caller === undefined && /^\d{6,}$/.test(value)) caller = value;
    }
  }
  const copies: AmiFixtureFrame[] = [];
  for (let i = 0; i < n; i++) {
    const shift = i * spacing;
    for (const frame of frames) {
      const lines = frame.raw.split('\r\n').map((line) => {
        const [key, ...rest] = line.split(': ');
        const value = rest.join(': ');
        if (!rest.length) return line;
        if (ID_KEY.test(key!)) return `${key}: ${rewriteId(value, i, ids.size)}`;
        if (CHANNEL_KEY.test(key!)) return `${key}: ${rewriteChannel(value, i, channels.size)}`;
        if (key === 'BridgeUniqueid') return `${key}: ${value.slice(0, 24)}${i.toString(16).padStart(12, '0')}`;
        if (key === 'Timestamp') return `${key}: ${(Number(value) + shift).toFixed(6)}`;
        return line;
      });
      let raw = lines.join('\r\n');
      const callerOfCopy = opts.callers?.length ? opts.callers[i % opts.callers.length] : caller && String(BigInt(caller) + BigInt(i));
      if (caller && callerOfCopy) raw = raw.split(caller).join(callerOfCopy);
      copies.push({ t: Number((frame.t + shift).toFixed(6)), dir: 'in', raw });
    }
  }
  copies.sort((a, b) => a.t - b.t);
  const header: AmiFixtureHeader = {
    scenario: `${template.header.scenario}-x${n}`,
    derivedFrom: template.header.scenario,
    description: `DERIVED from the recording "${template.header.scenario}": ${n} copies of its call, ids rewritten, ${spacing} s apart.`,
  };
  return { header, frames: [...prologue, ...copies] };
}

/** What one connection of the replay server plays. */
export interface ReplaySession {
  /** The recording(s) this connection plays; several play back to back (first banner and Login only). */
  fixtures: AmiFixture | AmiFixture[];
  /** `'max'` (default): no waiting; a number: recorded offsets divided by it (1 real time, 10 ten times faster). */
  speed?: number | 'max';
  /** Action names at which the timeline waits for the client to send that action (see the module doc). */
  gateOn?: string[];
  /** Close the socket after the last frame. Default: when the recording says Asterisk closed it by itself. */
  closeAtEnd?: boolean;
  /** Hold the recording after Login until this settles (e.g. until the test's agents have connected). */
  startWhen?: Promise<unknown>;
}

/** One recorded action of a replay script and the recorded frames that answer it. */
export interface ReplayAction {
  name?: string;
  gated: boolean;
  frames: string[];
  clientId?: string;
  release: () => void;
  released: Promise<void>;
}

/** A frame to write at recorded time `t`, or a gate where the timeline waits for the client's action. */
export type ReplayStep = { t: number; raw: string; action?: ReplayAction } | { t: number; gate: ReplayAction };

/** What one replayed connection plays: banner, Login answer, then the steps. */
export interface ReplayScript {
  banner?: string;
  login: { t: number; frames: Array<{ t: number; raw: string }> };
  steps: ReplayStep[];
  actions: ReplayAction[];
  closeAtEnd: boolean;
}

const actionName = (raw: string): string | undefined => /(?:^|\n)Action: ([^\r\n]*)/i.exec(raw)?.[1]?.toLowerCase();

/**
 * Turn a session's recordings into what one connection of the replay server plays (see ami-replay-server.ts):
 * the first recording's banner and Login answer, then every later frame in recorded order, with the frames
 * answering a recorded action attached to that action. Later recordings are shifted to start where the previous
 * one ended, without their banner and Login exchange.
 */
export function buildReplayScript(session: ReplaySession): ReplayScript {
  const fixtures = Array.isArray(session.fixtures) ? session.fixtures : [session.fixtures];
  const gates = new Set((session.gateOn ?? []).map((g) => g.toLowerCase()));
  const script: ReplayScript = { login: { t: 0, frames: [] }, steps: [], actions: [], closeAtEnd: false };
  let shift = 0;
  fixtures.forEach((fixture, index) => {
    const loginOut = fixture.frames.find((f) => f.dir === 'out' && actionName(f.raw) === 'login');
    const loginId = loginOut ? rawActionId(loginOut.raw) : undefined;
    const loginReplies = fixture.frames.filter((f) => f.dir === 'in' && loginId !== undefined && rawActionId(f.raw) === loginId);
    const start = loginReplies.at(-1)?.t ?? 0;
    if (index === 0) script.login = { t: loginOut?.t ?? 0, frames: loginReplies };
    else shift = (script.steps.at(-1)?.t ?? 0) - start;
    const byId = new Map<string, ReplayAction>();
    for (const frame of fixture.frames) {
      const id = rawActionId(frame.raw);
      if (frame.dir !== 'out' || id === undefined || id === loginId) continue;
      const name = actionName(frame.raw);
      let release!: () => void;
      const released = new Promise<void>((r) => (release = r));
      byId.set(id, { name, gated: name !== undefined && gates.has(name), frames: [], release, released });
    }
    for (const frame of fixture.frames) {
      const id = rawActionId(frame.raw);
      if (frame.t < start || (index > 0 && frame.raw.startsWith('Asterisk Call Manager')) || (id !== undefined && id === loginId)) {
        if (index === 0 && frame.raw.startsWith('Asterisk Call Manager')) script.banner = frame.raw;
        continue;
      }
      const t = frame.t + shift;
      const action = id !== undefined ? byId.get(id) : undefined;
      if (frame.dir === 'out') {
        if (action) script.actions.push(action);
        if (action?.gated) script.steps.push({ t, gate: action });
      } else if (action) {
        action.frames.push(frame.raw);
        if (action.gated) script.steps.push({ t, raw: frame.raw, action });
      } else {
        script.steps.push({ t, raw: frame.raw });
      }
    }
    const last = fixture.header.connection_closed;
    const loggedOff = fixture.frames.some((f) => f.dir === 'out' && actionName(f.raw) === 'logoff');
    script.closeAtEnd = session.closeAtEnd ?? (last?.by === 'asterisk' && !loggedOff);
  });
  return script;
}
