/**
 * One logged-in AMI session over `asterisk-manager`: connect + login with a deadline, actions with a deadline
 * and error mapping, list actions collected up to their `…Complete` event, and every other frame handed on in
 * order. A session is used once: when it closes, the adapter opens a new one.
 *
 * Why a fresh `asterisk-manager` instance per session instead of its `keepConnected()`: that reconnect waits
 * 10 s and more (60 s max) and logs with console.log; its auto-login drops the login result (the callback is
 * bound to the username), so a wrong secret is invisible; and the read buffer survives the socket, so a frame
 * torn by a dropped connection would be glued onto the next session's first frame.
 */
import AsteriskManager from 'asterisk-manager';
import { amiString, type AmiMessage } from './ami-frame';
import { amiErrorCode, TelephonyError } from './ami.errors';

export interface AmiConnectionConfig {
  host: string;
  port: number;
  username: string;
  secret: string;
}

export type AmiAction = AsteriskManager.ManagerAction;

export interface AmiSessionHandlers {
  /** Every frame that is not part of one of our list responses, in arrival order. */
  onFrame(frame: AmiMessage): void;
  /** A frame that is neither an event nor a response (ignored by the adapter, logged at debug). */
  onUnknown?(frame: AmiMessage): void;
  /** The session ended (socket closed) after a successful login. */
  onClose(session: AmiConnection, reason: string): void;
}

interface PendingList {
  items: AmiMessage[];
  onComplete?: () => void;
  resolve(items: AmiMessage[]): void;
  reject(error: Error): void;
}

export class AmiConnection {
  private readonly lists = new Map<string, PendingList>();
  private readonly pending = new Map<string, (error: Error) => void>();
  private closed = false;
  /** Logged in: only then does a closing socket count as a lost session. */
  private ready = false;
  private closeReason = 'closed by Asterisk';
  private readonly closedPromise: Promise<void>;
  private markClosed!: () => void;

  private constructor(
    private readonly manager: AsteriskManager.Manager,
    private handlers: AmiSessionHandlers | undefined,
  ) {
    this.closedPromise = new Promise((resolve) => (this.markClosed = resolve));
    manager.on('managerevent', (frame) => this.route(frame));
    manager.on('asterisk', (frame) => {
      if (frame.response === undefined) this.handlers?.onUnknown?.(frame);
    });
    manager.on('error', (error) => (this.closeReason = `socket error: ${error.message}`));
    manager.on('close', () => this.onSocketClosed());
  }

  /**
   * Connect and log in. Rejects with `unauthorized` when Asterisk refuses the login, `temporary` when the
   * socket fails, the login does not complete within `timeoutMs`, or `signal` aborts. (A TCP connect still
   * pending at that point is closed as soon as it completes: asterisk-manager does not expose the socket.)
   */
  static open(config: AmiConnectionConfig, handlers: AmiSessionHandlers, timeoutMs: number, signal?: AbortSignal): Promise<AmiConnection> {
    const manager = new AsteriskManager(undefined, config.host, config.username, config.secret, true);
    // Handlers are attached before login: asterisk-manager delivers the login callback a tick after the
    // events that arrived in the same TCP chunk (FullyBooted, the first call events), which must not be lost.
    const session = new AmiConnection(manager, handlers);
    return new Promise((resolve, reject) => {
      let settled = false;
      const settle = (error?: Error): void => {
        if (settled) return;
        settled = true;
        clearTimeout(timer);
        if (!error) {
          session.ready = true;
          return resolve(session);
        }
        session.handlers = undefined;
        session.closed = true;
        if (manager.isConnected()) manager.disconnect();
        reject(error);
      };
      const timer = setTimeout(() => settle(new TelephonyError('temporary', `AMI login timed out after ${timeoutMs} ms`)), timeoutMs);
      session.closedPromise.then(() => settle(new TelephonyError('temporary', `AMI connection failed: ${session.closeReason}`)));
      signal?.addEventListener('abort', () => settle(new TelephonyError('temporary', 'AMI connect aborted')), { once: true });
      manager.connect(config.port, config.host, () => {
        if (settled) return manager.disconnect(); // gave up while connecting
        manager.login((err) => {
          const message = err ? (amiString(err, 'message') ?? 'login refused') : undefined;
          settle(message ? new TelephonyError('unauthorized', `AMI login refused: ${message}`) : undefined);
        });
      });
    });
  }

  /** Send an action; resolves with its response, rejects with a TelephonyError. */
  send(action: AmiAction, timeoutMs: number): Promise<AmiMessage> {
    return new Promise((resolve, reject) => {
      if (this.closed) return reject(new TelephonyError('temporary', 'AMI connection is closed'));
      let id = '';
      const timer = setTimeout(() => {
        this.pending.delete(id);
        this.manager.removeAllListeners(id);
        reject(new TelephonyError('temporary', `AMI ${action.action} timed out after ${timeoutMs} ms`));
      }, timeoutMs);
      id = this.manager.action({ ...action }, (err, response) => {
        clearTimeout(timer);
        this.pending.delete(id);
        if (!err) return resolve(response);
        const message = amiString(err, 'message') ?? 'error';
        reject(new TelephonyError(amiErrorCode(message), `AMI ${action.action}: ${message}`, { action: action.action }));
      });
      this.pending.set(id, (error) => {
        clearTimeout(timer);
        reject(error);
      });
    });
  }

  /**
   * Send a list action (CoreShowChannels, QueueStatus…) and collect its items up to the `…Complete` event.
   * `onComplete` runs synchronously when that event is read, before any later frame is handed on.
   */
  async list(action: AmiAction, timeoutMs: number, onComplete?: () => void): Promise<AmiMessage[]> {
    const id = action.actionid!;
    const items = new Promise<AmiMessage[]>((resolve, reject) => this.lists.set(id, { items: [], onComplete, resolve, reject }));
    items.catch(() => undefined); // may reject (connection lost) before it is awaited below
    const timer = setTimeout(() => this.lists.get(id)?.reject(new TelephonyError('temporary', `AMI ${action.action} list timed out`)), timeoutMs);
    try {
      await this.send(action, timeoutMs);
      return await items;
    } finally {
      clearTimeout(timer);
      this.lists.delete(id);
    }
  }

  /** Close the socket; resolves once it is closed (or after a short grace period). */
  async close(): Promise<void> {
    this.closeReason = 'closed by us';
    this.handlers = undefined;
    if (!this.closed) this.manager.disconnect();
    await Promise.race([this.closedPromise, new Promise((r) => setTimeout(r, 1000).unref())]);
  }

  private route(frame: AmiMessage): void {
    const id = amiString(frame, 'actionid');
    const list = id !== undefined ? this.lists.get(id) : undefined;
    if (!list) return this.handlers?.onFrame(frame);
    const complete = amiString(frame, 'eventlist')?.toLowerCase() === 'complete' || /complete$/i.test(amiString(frame, 'event') ?? '');
    if (!complete) return void list.items.push(frame);
    list.onComplete?.();
    list.resolve(list.items);
  }

  private onSocketClosed(): void {
    if (this.closed && !this.handlers) return this.markClosed();
    this.closed = true;
    const error = new TelephonyError('temporary', `AMI connection lost: ${this.closeReason}`);
    for (const reject of this.pending.values()) reject(error);
    for (const list of this.lists.values()) list.reject(error);
    this.pending.clear();
    const handlers = this.handlers;
    this.handlers = undefined;
    this.markClosed();
    if (this.ready) handlers?.onClose(this, this.closeReason);
  }
}
