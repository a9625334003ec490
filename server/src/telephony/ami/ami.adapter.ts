/**
 * `TelephonyPort` on the Asterisk Manager Interface. The driver's vendor-neutral half: it keeps one AMI
 * session logged in (reconnecting with backoff and saying so), feeds every event to the pure
 * {@link AmiCallTracker}, publishes the canonical events, reconciles after each (re)connect with a
 * `calls.snapshot`, and turns port calls into AMI actions whose failures become `TelephonyError` codes.
 * It reconnects by itself with an injectable backoff rather than through asterisk-manager's `keepConnected()`
 * (10 s minimum, login failures invisible, read buffer shared across sockets: see ami-connection.ts).
 */
import type { Logger } from 'pino';
import type { TelephonyEvent } from '../telephony-events';
import type { OriginateRequest, TelephonyPort, TelephonyState } from '../telephony.port';
import * as actions from './ami-actions';
import { AmiConnection, type AmiAction, type AmiConnectionConfig } from './ami-connection';
import { amiString, type AmiMessage } from './ami-frame';
import { TelephonyError } from './ami.errors';
import { AmiCallTracker, snapshotFromLists } from './ami.mapper';

/** The time source (the app's Clock port fits). */
export interface AmiClock {
  now(): Date;
}

export interface AmiAdapterOptions {
  /** Parsed `ASTERISK_AMI_URL` (`ami://user:secret@host:5038`). */
  connection: AmiConnectionConfig;
  logger: Logger;
  clock: AmiClock;
  /** Member interface, originate channel and outbound context; defaults in `DEFAULT_DIALPLAN`. */
  dialplan?: Partial<actions.AmiDialplan>;
  /**
   * Reconnect backoff: `initialDelayMs` doubling per failed attempt up to `maxDelayMs` (0.5 s → 3 s by
   * default: a PBX restart must not leave the hotline without pops and SOS alerts for long), each delay drawn
   * between half and all of it so that several server nodes do not reconnect in step.
   */
  reconnect?: { initialDelayMs?: number; maxDelayMs?: number };
  /** Uniform [0, 1) for the jitter; Math.random by default. */
  random?: () => number;
  /** Deadline for one action's response (default 10 s) and for connect + login (default 10 s). */
  actionTimeoutMs?: number;
  loginTimeoutMs?: number;
}

/**
 * @example
 * const ami = new AmiAdapter({ connection: config.ASTERISK_AMI_URL, logger, clock });
 * ami.onEvent((event) => callLog.apply(event));
 * await ami.start(); // resolves once the first attempt settled; `ami.state` says 'up' or 'down'
 */
export class AmiAdapter implements TelephonyPort {
  private current: TelephonyState = 'down';
  private since: Date;
  private readonly log: Logger;
  private readonly dialplan: actions.AmiDialplan;
  private readonly tracker: AmiCallTracker;
  private readonly eventListeners: Array<(event: TelephonyEvent) => void> = [];
  private readonly stateListeners: Array<(state: TelephonyState, since: Date) => void> = [];
  private session: AmiConnection | undefined;
  private reconnectTimer: NodeJS.Timeout | undefined;
  private failures = 0;
  private closing = false;
  private nextId = 0;
  private attempting: AbortController | undefined;
  private started: Promise<void> | undefined;
  private readonly originating = new Set<string>();
  /** While reconciling, frames wait here (see {@link reconcile}). */
  private buffer: ((frame: AmiMessage) => void) | undefined;
  /** When anything last arrived from the PBX (server clock): a reconnect's snapshot says so (`lastHeardAt`). */
  private heardAt: Date | undefined;

  constructor(private readonly options: AmiAdapterOptions) {
    this.log = options.logger.child({ component: 'ami', host: options.connection.host, port: options.connection.port });
    this.dialplan = { ...actions.DEFAULT_DIALPLAN, ...options.dialplan };
    this.tracker = new AmiCallTracker({ onMalformed: (event, reason) => this.log.debug({ event, reason }, 'malformed AMI frame ignored') });
    this.since = options.clock.now();
  }

  get state(): TelephonyState {
    return this.current;
  }

  /** Connect and log in; resolves when the first attempt has settled, never rejects (a failure means retries). */
  start(): Promise<void> {
    this.closing = false;
    this.started ??= this.attempt();
    return this.started;
  }

  /** Stop reconnecting and close the session. */
  async close(): Promise<void> {
    this.closing = true;
    this.started = undefined;
    clearTimeout(this.reconnectTimer);
    this.attempting?.abort();
    const session = this.session;
    this.session = undefined;
    await session?.close();
    this.setState('down', 'closed');
  }

  onEvent(listener: (event: TelephonyEvent) => void): void {
    this.eventListeners.push(listener);
  }

  onStateChange(listener: (state: TelephonyState, since: Date) => void): void {
    this.stateListeners.push(listener);
  }

  get stateSince(): Date {
    return this.since;
  }

  /** Click-to-call; resolves when Asterisk queued it. The outcome comes as `call.originated` (same requestId). */
  async originate(req: OriginateRequest): Promise<void> {
    const action = actions.originateAction(req, this.dialplan);
    if (this.originating.has(req.requestId)) throw new TelephonyError('rejected', `originate ${req.requestId} is already in flight`);
    const expectation = { requestId: req.requestId, agentExtension: req.agentExtension, toNumber: req.toNumber, variables: req.variables };
    this.originating.add(req.requestId);
    this.tracker.expectOriginate(expectation);
    try {
      await this.send(action);
    } catch (error) {
      this.tracker.forgetOriginate(req.requestId);
      throw error;
    } finally {
      this.originating.delete(req.requestId);
    }
  }

  async hangup(channel: string): Promise<void> {
    await this.send(actions.hangupAction(channel));
  }

  async queueAdd(queue: string, agentExtension: string, memberName?: string): Promise<void> {
    await this.send(actions.queueAddAction(queue, agentExtension, memberName, this.dialplan));
  }

  async queueRemove(queue: string, agentExtension: string): Promise<void> {
    await this.send(actions.queueRemoveAction(queue, agentExtension, this.dialplan));
  }

  async queuePause(queue: string | undefined, agentExtension: string, paused: boolean, reason?: string): Promise<void> {
    await this.send(actions.queuePauseAction(queue, agentExtension, paused, reason, this.dialplan));
  }

  private async send(action: AmiAction): Promise<AmiMessage> {
    const session = this.session;
    if (!session || this.current !== 'up') throw new TelephonyError('temporary', `AMI is ${this.current}`);
    const withId = { ...action, actionid: action.actionid ?? this.actionId() };
    this.log.debug({ action: withId.action, actionId: withId.actionid }, 'AMI action');
    return session.send(withId, this.options.actionTimeoutMs ?? 10_000);
  }

  private actionId(): string {
    return `anxin-${++this.nextId}`;
  }

  private async attempt(): Promise<void> {
    this.reconnectTimer = undefined;
    // Retries after a loss stay `down` (with the time it was lost) until the PBX is back: no connecting/down
    // flapping for every socket on every retry.
    if (this.failures === 0) this.setState('connecting');
    const lastHeardAt = this.heardAt;
    const handlers = {
      onFrame: (frame: AmiMessage) => {
        this.heardAt = this.options.clock.now();
        return this.buffer ? this.buffer(frame) : this.process(frame);
      },
      onUnknown: (frame: AmiMessage) => this.log.debug({ keys: Object.keys(frame) }, 'unknown AMI frame ignored'),
      onClose: (session: AmiConnection, reason: string) => this.lost(session, reason),
    };
    const abort = (this.attempting = new AbortController());
    try {
      const session = await AmiConnection.open(this.options.connection, handlers, this.options.loginTimeoutMs ?? 10_000, abort.signal);
      this.attempting = undefined;
      if (this.closing) return void (await session.close());
      this.session = session;
      this.failures = 0;
      this.setState('up');
      await this.reconcile(session, lastHeardAt);
    } catch (error) {
      if (this.attempting === abort) this.attempting = undefined;
      if (this.closing) return;
      const failure = error instanceof TelephonyError ? error : new TelephonyError('unknown', String(error));
      this.setState('down', failure.message, failure.code === 'unauthorized' ? 'error' : 'warn');
      this.scheduleReconnect();
    }
  }

  private lost(session: AmiConnection, reason: string): void {
    if (session !== this.session) return;
    this.session = undefined;
    if (this.closing) return;
    this.setState('down', `connection lost (${reason})`, 'warn');
    this.scheduleReconnect();
  }

  private scheduleReconnect(): void {
    if (this.closing || this.reconnectTimer) return;
    const { initialDelayMs = 500, maxDelayMs = 3000 } = this.options.reconnect ?? {};
    const ceiling = Math.min(maxDelayMs, initialDelayMs * 2 ** Math.min(this.failures, 20));
    const delayMs = Math.round(ceiling * (0.5 + 0.5 * (this.options.random ?? Math.random)()));
    this.failures += 1;
    this.log.info({ delayMs, attempt: this.failures }, 'AMI reconnect scheduled');
    this.reconnectTimer = setTimeout(() => void this.attempt(), delayMs);
  }

  /**
   * After login: list the channels, then the queues, and publish a `calls.snapshot`. Frames that arrive meanwhile
   * are held; those read before the channel list completed are older than it and are processed before the
   * snapshot, the rest after it — so the call log never sees an event older than the snapshot after it.
   * `lastHeardAt`: when the previous connection last heard from the PBX (none on the first connection).
   */
  private async reconcile(session: AmiConnection, lastHeardAt: Date | undefined): Promise<void> {
    const held: Array<{ frame: AmiMessage; newer: boolean }> = [];
    let channelsListed = false;
    this.buffer = (frame) => held.push({ frame, newer: channelsListed });
    const timeout = this.options.actionTimeoutMs ?? 10_000;
    try {
      const channels = await session.list({ action: 'CoreShowChannels', actionid: this.actionId() }, timeout, () => (channelsListed = true));
      const queues = await session.list({ action: 'QueueStatus', actionid: this.actionId() }, timeout);
      const snapshot = { ...snapshotFromLists(channels, queues, this.options.clock.now()), ...(lastHeardAt ? { lastHeardAt } : {}) };
      held.filter((h) => !h.newer).forEach((h) => this.process(h.frame));
      this.tracker.applySnapshot(snapshot);
      this.publish(snapshot);
      this.log.info({ calls: snapshot.calls.length, members: snapshot.members.length }, 'AMI snapshot');
      held.filter((h) => h.newer).forEach((h) => this.process(h.frame));
    } catch (error) {
      this.log.warn({ err: error }, 'AMI snapshot failed; calls not reconciled');
      held.forEach((h) => this.process(h.frame));
    } finally {
      this.buffer = undefined;
    }
  }

  private process(frame: AmiMessage): void {
    try {
      for (const event of this.tracker.handle(frame, this.options.clock.now())) this.publish(event);
    } catch (error) {
      this.log.warn({ err: error, event: amiString(frame, 'event') }, 'AMI frame could not be mapped');
    }
  }

  private publish(event: TelephonyEvent): void {
    for (const listener of this.eventListeners) {
      try {
        listener(event);
      } catch (error) {
        this.log.error({ err: error, type: event.type }, 'telephony event listener failed');
      }
    }
  }

  private setState(state: TelephonyState, reason?: string, level: 'info' | 'warn' | 'error' = 'info'): void {
    if (state === this.current) return;
    this.current = state;
    this.since = this.options.clock.now();
    this.log[level]({ state, reason }, `AMI ${state}${reason ? `: ${reason}` : ''}`);
    for (const listener of this.stateListeners) {
      try {
        listener(state, this.since);
      } catch (error) {
        this.log.error({ err: error }, 'telephony state listener failed');
      }
    }
  }
}
