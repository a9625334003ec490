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
import { parseAmiFrame, splitAmiFrames, withActionId, type AmiValue } from '../../src/telephony/ami/ami-frame';
import { buildReplayScript, type ReplayScript, type ReplaySession, type ReplayStep } from './ami-fixtures';

export type { ReplaySession } from './ami-fixtures';

export interface AmiReplayServerOptions {
  /** Connection `i` plays `sessions[i]`. */
  sessions: ReplaySession[];
  /** Connections beyond the list: refused (closed at once, the default) or given the last session again. */
  afterLast?: 'refuse' | 'repeat-last';
  /** Answer actions without a recorded counterpart with `Response: Error` (default) or not at all. */
  unmatched?: 'error' | 'ignore';
  /** Called with each chunk just before it is written to a client (benchmarks timestamp frames here). */
  onWrite?: (text: string, connection: number) => void;
}

/** One frame the client wrote. `fields` has lower-cased keys, as `parseAmiFrame` gives them. */
export interface ClientFrame {
  connection: number;
  raw: string;
  action?: string;
  actionId?: string;
  fields: Record<string, AmiValue>;
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
    private readonly script: ReplayScript,
    private readonly speed: number | 'max',
    private readonly server: AmiReplayServer,
    private readonly startWhen?: Promise<unknown>,
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
    this.server.options.onWrite?.(text, this.index);
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
      if (recorded.gated) recorded.release();
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
    if (accepted && this.startWhen) await this.startWhen;
    await this.play(accepted ? this.script.steps : [], at);
  }

  private async play(steps: ReplayStep[], startT: number): Promise<void> {
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
  private refusing = false;

  private constructor(
    private readonly server: net.Server,
    readonly options: AmiReplayServerOptions,
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

  /**
   * While unreachable, every connection is dropped and new ones are refused (a PBX that is down); the sessions
   * not yet played wait. `reachable(true)` lets the client's next reconnect in again.
   */
  reachable(up: boolean): void {
    this.refusing = !up;
    if (!up) this.dropAll();
  }

  /** Drop connection `index` (if it is still open), as a network failure would; later ones are untouched. */
  drop(index: number): void {
    this.connections[index]?.kill();
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
    if (this.refusing) return void socket.destroy();
    const { sessions, afterLast = 'refuse' } = this.options;
    const index = this.connections.length;
    const session = sessions[index] ?? (afterLast === 'repeat-last' ? sessions.at(-1) : undefined);
    if (!session) return void socket.destroy();
    this.connections.push(new Connection(index, socket, buildReplayScript(session), session.speed ?? 'max', this, session.startWhen));
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
