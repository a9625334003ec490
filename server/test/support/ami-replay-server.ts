/**
 * A fake Asterisk for tests and benchmarks: a TCP server that replays recorded AMI traffic
 * (`server/test/fixtures/ami/*.jsonl`) to a real AMI client.
 *
 * Per connection it sends the recorded banner, answers the client's Login with the recorded response (its
 * ActionID replaced by the client's), then writes the recording's remaining frames from Asterisk, either as
 * fast as possible (`speed: 'max'`, the default) or at the recorded offsets divided by `speed`.
 *
 * Actions: each action the client sends is matched with the first not yet used recorded action of the same
 * name (`Action:` header, case-insensitive); every recorded frame carrying that recorded ActionID (the
 * response, list items, `…Complete`, an OriginateResponse) is then sent with the client's ActionID. By default
 * they are sent at once; for action names listed in `gateOn` the timeline instead stops at the recorded action
 * until the client sends it, and plays those frames in their recorded place (faithful ordering, e.g. for
 * `Originate` or the reconnect lists). An action with no recorded counterpart is answered `Response: Error`
 * (the recorded error frame's shape) or ignored (`unmatched: 'ignore'`). Logoff is answered as recorded, then
 * the socket is closed. Responses to recorded actions the client never sends are never written.
 * Every frame the client wrote is kept in `received` for assertions.
 *
 * @example
 * const server = await AmiReplayServer.start({ sessions: [{ fixtures: loadAmiFixture('click-to-call-originate'), gateOn: ['Originate'] }] });
 * const adapter = new AmiAdapter({ connection: server.connection(), logger, clock });
 * await adapter.start();
 * await adapter.originate({ requestId: 'r1', agentExtension: '8001', toNumber: '13800138000', callerId: 'Anxin <4008001234>' });
 * expect((await server.waitForAction('Originate')).fields.channel).toBe('Local/8001@agents');
 * await adapter.close(); await server.close();
 */
import { once } from 'node:events';
import net from 'node:net';
import { parseAmiFrame, rawActionId, splitAmiFrames, withActionId, type AmiValue } from '../../src/telephony/ami/ami-frame';
import type { AmiFixture } from './ami-fixtures';

export interface ReplaySession {
  /** The recording(s) this connection plays; several play back to back (first banner and Login only). */
  fixtures: AmiFixture | AmiFixture[];
  /** `'max'` (default): no waiting; a number: recorded offsets divided by it (1 real time, 10 ten times faster). */
  speed?: number | 'max';
  /** Action names at which the timeline waits for the client to send that action (see the module doc). */
  gateOn?: string[];
  /** Close the socket after the last frame. Default: when the recording says Asterisk closed it by itself. */
  closeAtEnd?: boolean;
}

export interface AmiReplayServerOptions {
  /** Connection `i` plays `sessions[i]`. */
  sessions: ReplaySession[];
  /** Connections beyond the list: refused (closed at once, the default) or given the last session again. */
  afterLast?: 'refuse' | 'repeat-last';
  /** Answer actions without a recorded counterpart with `Response: Error` (default) or not at all. */
  unmatched?: 'error' | 'ignore';
}

/** One frame the client wrote. `fields` has lower-cased keys, as `parseAmiFrame` gives them. */
export interface ClientFrame {
  connection: number;
  raw: string;
  action?: string;
  actionId?: string;
  fields: Record<string, AmiValue>;
}

interface ScriptAction {
  name?: string;
  gated: boolean;
  frames: string[];
  clientId?: string;
  release?: () => void;
  released: Promise<void>;
}

type Step = { t: number; raw: string; action?: ScriptAction } | { t: number; gate: ScriptAction };

interface Script {
  banner?: string;
  login: { t: number; frames: Array<{ t: number; raw: string }> };
  steps: Step[];
  actions: ScriptAction[];
  closeAtEnd: boolean;
}

const actionName = (raw: string): string | undefined => /(?:^|\n)Action: ([^\r\n]*)/i.exec(raw)?.[1]?.toLowerCase();

/** Turn a session's recordings into the steps one connection plays. */
function buildScript(session: ReplaySession): Script {
  const fixtures = Array.isArray(session.fixtures) ? session.fixtures : [session.fixtures];
  const gates = new Set((session.gateOn ?? []).map((g) => g.toLowerCase()));
  const script: Script = { login: { t: 0, frames: [] }, steps: [], actions: [], closeAtEnd: false };
  let shift = 0;
  fixtures.forEach((fixture, index) => {
    const loginOut = fixture.frames.find((f) => f.dir === 'out' && actionName(f.raw) === 'login');
    const loginId = loginOut ? rawActionId(loginOut.raw) : undefined;
    const loginReplies = fixture.frames.filter((f) => f.dir === 'in' && loginId !== undefined && rawActionId(f.raw) === loginId);
    const start = loginReplies.at(-1)?.t ?? 0;
    if (index === 0) script.login = { t: loginOut?.t ?? 0, frames: loginReplies };
    else shift = (script.steps.at(-1)?.t ?? 0) - start;
    const byId = new Map<string, ScriptAction>();
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

class Connection {
  private buffer = '';
  private dead = false;
  private loggedIn = false;
  private readonly timers = new Set<NodeJS.Timeout>();
  readonly finished: Promise<void>;
  private finish!: () => void;

  constructor(
    readonly index: number,
    private readonly socket: net.Socket,
    private readonly script: Script,
    private readonly speed: number | 'max',
    private readonly server: AmiReplayServer,
  ) {
    this.finished = new Promise((r) => (this.finish = r));
    socket.setNoDelay(true);
    socket.setEncoding('utf8');
    socket.on('data', (data: string) => this.onData(data));
    socket.on('error', () => undefined);
    socket.on('close', () => this.kill());
    if (script.banner) socket.write(script.banner);
  }

  kill(): void {
    this.dead = true;
    for (const timer of this.timers) clearTimeout(timer);
    this.timers.clear();
    this.socket.destroy();
    this.finish();
  }

  private delay(seconds: number): Promise<void> {
    const ms = this.speed === 'max' ? 0 : (seconds * 1000) / this.speed;
    if (ms <= 0 || this.dead) return Promise.resolve();
    return new Promise((resolve) => {
      const timer = setTimeout(() => (this.timers.delete(timer), resolve()), ms);
      this.timers.add(timer);
    });
  }

  private async write(text: string): Promise<void> {
    if (this.dead || !text) return;
    if (!this.socket.write(text)) await Promise.race([once(this.socket, 'drain'), this.finished]);
  }

  private onData(data: string): void {
    const { frames, rest } = splitAmiFrames(this.buffer + data);
    this.buffer = rest;
    for (const raw of frames) this.onFrame(raw);
  }

  private onFrame(raw: string): void {
    const fields = parseAmiFrame(raw);
    const str = (v: AmiValue | undefined): string | undefined => (typeof v === 'string' ? v : undefined);
    const frame: ClientFrame = { connection: this.index, raw, action: str(fields.action), actionId: str(fields.actionid), fields };
    this.server.record(frame);
    const name = frame.action?.toLowerCase();
    const id = frame.actionId ?? '';
    if (name === 'login' && !this.loggedIn) return void this.login(id);
    const recorded = this.script.actions.find((a) => a.clientId === undefined && a.name === name);
    if (recorded) {
      recorded.clientId = id;
      if (recorded.gated) recorded.release?.();
      else void this.write(recorded.frames.map((f) => withActionId(f, id)).join(''));
    } else if (this.server.unmatched === 'error' && name !== 'logoff') {
      void this.write(`Response: Error\r\nActionID: ${id}\r\nMessage: No recorded response for ${frame.action ?? 'a frame without Action'} (AMI replay)\r\n\r\n`);
    }
    if (name === 'logoff') this.socket.end();
  }

  private async login(clientId: string): Promise<void> {
    this.loggedIn = true;
    let at = this.script.login.t;
    for (const frame of this.script.login.frames) {
      await this.delay(frame.t - at);
      at = frame.t;
      await this.write(withActionId(frame.raw, clientId));
    }
    const accepted = this.script.login.frames.some((f) => /^Response: Success/i.test(f.raw));
    await this.play(accepted ? this.script.steps : [], at);
  }

  private async play(steps: Step[], startT: number): Promise<void> {
    let at = startT;
    let chunk = '';
    const flush = async (): Promise<void> => {
      const text = chunk;
      chunk = '';
      await this.write(text);
    };
    for (const step of steps) {
      if (this.dead) return;
      if ('gate' in step) {
        await flush();
        if (step.gate.clientId === undefined) await Promise.race([step.gate.released, this.finished]);
        at = Math.max(at, step.t);
        continue;
      }
      if (step.t > at && this.speed !== 'max') {
        await flush();
        await this.delay(step.t - at);
        at = step.t;
      }
      chunk += step.action ? withActionId(step.raw, step.action.clientId ?? '') : step.raw;
      if (chunk.length >= 65536) await flush();
    }
    await flush();
    if (this.script.closeAtEnd && !this.dead) this.socket.end();
    this.finish();
  }
}

export class AmiReplayServer {
  readonly received: ClientFrame[] = [];
  readonly unmatched: 'error' | 'ignore';
  private readonly connections: Connection[] = [];
  private readonly waiters = new Set<() => void>();

  private constructor(
    private readonly server: net.Server,
    private readonly options: AmiReplayServerOptions,
  ) {
    this.unmatched = options.unmatched ?? 'error';
    server.on('connection', (socket) => this.accept(socket));
  }

  /** Listen on an ephemeral loopback port. */
  static async start(options: AmiReplayServerOptions): Promise<AmiReplayServer> {
    const server = net.createServer();
    const replay = new AmiReplayServer(server, options);
    server.listen(0, '127.0.0.1');
    await once(server, 'listening');
    return replay;
  }

  get port(): number {
    return (this.server.address() as net.AddressInfo).port;
  }

  /** Connection settings for the adapter; the replay plays the recorded login whatever the credentials. */
  connection(username = 'hotline', secret = 'hotline-secret'): { host: string; port: number; username: string; secret: string } {
    return { host: '127.0.0.1', port: this.port, username, secret };
  }

  /** Connections accepted so far. */
  get connectionCount(): number {
    return this.connections.length;
  }

  /** Frames the client sent with this Action (case-insensitive). */
  actions(name: string): ClientFrame[] {
    return this.received.filter((f) => f.action?.toLowerCase() === name.toLowerCase());
  }

  /** Resolves with the `count`-th frame the client sent with this Action. */
  waitForAction(name: string, count = 1, timeoutMs = 5000): Promise<ClientFrame> {
    return this.waitFor(() => this.actions(name)[count - 1], timeoutMs, `${count}× ${name}`);
  }

  /** Resolves once `n` connections were accepted. */
  async waitForConnections(n: number, timeoutMs = 5000): Promise<void> {
    await this.waitFor(() => (this.connections.length >= n ? true : undefined), timeoutMs, `${n} connections`);
  }

  /** Resolves once connection `index` wrote its whole recording (or closed). */
  async waitForPlayed(index: number, timeoutMs = 5000): Promise<void> {
    await this.waitForConnections(index + 1, timeoutMs);
    await this.connections[index]!.finished;
  }

  /** Drop every client connection at once, as a crashed PBX or network would. */
  dropAll(): void {
    for (const connection of this.connections) connection.kill();
  }

  async close(): Promise<void> {
    this.dropAll();
    await new Promise<void>((resolve) => this.server.close(() => resolve()));
  }

  /** @internal called by connections. */
  record(frame: ClientFrame): void {
    this.received.push(frame);
    for (const wake of [...this.waiters]) wake();
  }

  private accept(socket: net.Socket): void {
    const { sessions, afterLast = 'refuse' } = this.options;
    const index = this.connections.length;
    const session = sessions[index] ?? (afterLast === 'repeat-last' ? sessions.at(-1) : undefined);
    if (!session) return void socket.destroy();
    this.connections.push(new Connection(index, socket, buildScript(session), session.speed ?? 'max', this));
    for (const wake of [...this.waiters]) wake();
  }

  private waitFor<T>(probe: () => T | undefined, timeoutMs: number, what: string): Promise<T> {
    return new Promise((resolve, reject) => {
      const check = (): void => {
        const value = probe();
        if (value === undefined) return;
        cleanup();
        resolve(value);
      };
      const timer = setTimeout(() => (cleanup(), reject(new Error(`AMI replay: timed out waiting for ${what}`))), timeoutMs);
      const cleanup = (): void => {
        clearTimeout(timer);
        this.waiters.delete(check);
      };
      this.waiters.add(check);
      check();
    });
  }
}
