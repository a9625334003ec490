import type { IncomingMessage, Server as HttpServer } from 'node:http';
import { Server, type Socket } from 'socket.io';
import type { Actor, AuthService } from '../auth/auth.service';
import type { Logger } from '../config/logger';
import type { OriginPolicy } from '../http/origin-policy';
import type { DomainEvents } from '../shared/domain-events';
import { rooms, scopeRoomsFor, sosRoomsFor, type ClientToServerEvents, type ServerToClientEvents } from './realtime-events';
import { lastAck } from './command-ack';

export interface HubSocketData {
  actor: Actor;
  /** The session the socket was opened with (token hash): ended sessions end their sockets. */
  sessionId: string;
}

export type HubSocket = Socket<ClientToServerEvents, ServerToClientEvents, Record<string, never>, HubSocketData>;

export const SESSION_COOKIE = 'anxin_session';

export interface HubOptions {
  origins: OriginPolicy;
}

const UNAUTHENTICATED = { ok: false as const, code: 'auth/unauthenticated', message: '会话已结束，请重新登录' };

/**
 * socket.io hub: authenticates sockets with the session token, puts each in its user, role, session and
 * district-scope rooms, and fans out domain events (already committed) to exactly those rooms.
 *
 * A socket lives no longer than its session: logout, the session cap and deactivation (`session.ended`)
 * disconnect it at once, every client command re-checks the session first, and {@link sweep}
 * (the scheduler's `session-sweep` job, on every node) disconnects sockets whose session expired or went idle. Nothing a client sends can throw
 * out of the hub: handshake parsing is contained and every command handler is wrapped.
 */
export class RealtimeHub {
  readonly io: Server<ClientToServerEvents, ServerToClientEvents, Record<string, never>, HubSocketData>;
  private readonly commandSets: Array<(socket: HubSocket) => void> = [];
  private sweeping = false;

  constructor(
    http: HttpServer,
    private readonly auth: AuthService,
    events: DomainEvents,
    private readonly log: Logger,
    private readonly opts: HubOptions,
  ) {
    this.io = new Server(http, {
      serveClient: false,
      cors: { origin: false },
      maxHttpBufferSize: 100_000,
      // A browser must come from the console's origin; a client without Origin must bring a token (checked below).
      allowRequest: (req, cb) => {
        try {
          const origin = req.headers.origin;
          cb(null, origin === undefined || this.opts.origins.allows(origin, hostsOf(req)));
        } catch (err) {
          this.log.warn({ err }, 'socket allowRequest failed');
          cb('bad request', false);
        }
      },
    });
    this.io.use((socket, next) => {
      let token: string | null;
      try {
        token = tokenOf(socket, this.opts.origins);
      } catch (err) {
        this.log.warn({ err }, 'socket handshake unreadable');
        token = null;
      }
      if (!token) return next(new Error('auth/unauthenticated'));
      this.auth
        .resolve(token)
        .then((session) => {
          if (!session) return next(new Error('auth/unauthenticated'));
          if (session.mustChangePassword) return next(new Error('auth/password-change-required'));
          if (session.mustEnrolTotp) return next(new Error('auth/totp-enrolment-required'));
          socket.data.actor = session.actor;
          socket.data.sessionId = session.sessionId;
          next();
        })
        .catch((err) => {
          this.log.error({ err }, 'socket auth failed');
          next(new Error('internal'));
        });
    });
    this.io.on('connection', (socket) => {
      try {
        this.onConnection(socket);
      } catch (err) {
        this.log.error({ err }, 'socket setup failed');
        socket.disconnect(true);
      }
    });
    events.on('session.ended', ({ userId, sessionIds, reason }) => {
      const target = sessionIds.map((id) => rooms.session(id));
      if (reason === 'deactivated' || reason === 'password-reset' || reason === 'access-changed') target.push(rooms.user(userId));
      if (target.length) this.io.in(target).disconnectSockets(true);
    });
    this.subscribe(events);
  }

  private onConnection(socket: HubSocket): void {
    const { actor, sessionId } = socket.data;
    void socket.join([rooms.user(actor.userId), ...actor.roles.map((r) => rooms.role(r)), rooms.session(sessionId), actor.scopePrefix ? rooms.scope(actor.scopePrefix) : rooms.cityWide()]);
    if (actor.roles.includes('agent') || actor.roles.includes('supervisor')) void socket.join(rooms.sosAudience(actor.scopePrefix ?? '*'));
    socket.on('error', (err) => this.log.debug({ err: err.message, userId: actor.userId }, 'socket packet refused'));
    // Every incoming command re-checks the session (and counts as activity for the idle timeout).
    socket.use((packet, next) => {
      this.auth
        .check(sessionId)
        .then((session) => {
          if (session && !session.mustChangePassword && !session.mustEnrolTotp) return next();
          const ack = packet[packet.length - 1];
          if (typeof ack === 'function') (ack as (res: typeof UNAUTHENTICATED) => void)(UNAUTHENTICATED);
          socket.disconnect(true);
        })
        .catch((err) => {
          this.log.error({ err }, 'socket session check failed');
          const ack = packet[packet.length - 1];
          if (typeof ack === 'function') (ack as (res: unknown) => void)({ ok: false, code: 'internal', message: '服务器内部错误' });
        });
    });
    const guarded = this.guard(socket);
    guarded.on('session:whoami', (...args: unknown[]) => {
      const ack = lastAck(args);
      if (typeof ack !== 'function') return;
      ack({ ok: true, data: { userId: actor.userId, username: actor.username, role: actor.role, roles: actor.roles, sipExtension: actor.sipExtension } });
    });
    for (const register of this.commandSets) register(guarded);
  }

  /**
   * Add a module's client commands (registered on every socket that connects from now on). The socket handed
   * to `register` wraps each handler: the session is checked before it runs, and a throw or rejection is logged
   * and answered `internal`, never fatal.
   */
  addCommands(register: (socket: HubSocket) => void): void {
    this.commandSets.push(register);
  }

  /** Disconnect this node's sockets whose session has ended (expired, idle, user deactivated). */
  async sweep(): Promise<void> {
    if (this.sweeping) return;
    this.sweeping = true;
    try {
      const sockets = [...this.io.of('/').sockets.values()];
      const live = await this.auth.liveSessions([...new Set(sockets.map((s) => s.data.sessionId).filter(Boolean))]);
      for (const s of sockets) if (!live.has(s.data.sessionId)) s.disconnect(true);
    } catch (err) {
      this.log.error({ err }, 'socket session sweep failed');
    } finally {
      this.sweeping = false;
    }
  }

  /** The socket as command modules see it: `on` wraps each handler so nothing it throws escapes. */
  private guard(socket: HubSocket): HubSocket {
    const contain =
      (event: string, handler: (...args: unknown[]) => unknown) =>
      (...args: unknown[]) => {
        const ack = args[args.length - 1];
        const fail = (err: unknown) => {
          this.log.error({ err, event, userId: socket.data.actor?.userId }, 'socket handler failed');
          if (typeof ack === 'function') ack({ ok: false, code: 'internal', message: '服务器内部错误' });
        };
        try {
          const result = handler(...args);
          if (result && typeof (result as Promise<unknown>).then === 'function') (result as Promise<unknown>).catch(fail);
        } catch (err) {
          fail(err);
        }
      };
    return new Proxy(socket, {
      get(target, prop) {
        if (prop === 'on') {
          return (event: string, handler: (...args: unknown[]) => unknown) => {
            (target.on as (e: string, h: (...args: unknown[]) => unknown) => unknown)(event, contain(event, handler));
            return target;
          };
        }
        const value = Reflect.get(target, prop, target) as unknown;
        return typeof value === 'function' ? (value as (...a: unknown[]) => unknown).bind(target) : value;
      },
    });
  }

  private subscribe(events: DomainEvents): void {
    const supervisors = rooms.role('supervisor');
    // Calls and screen pops: realtime/call-fanout.ts (scoped per supervisor, each delivery audited).
    events.on('ticket.created', ({ districtCode, ...rest }) => this.io.to(scopeRoomsFor(districtCode)).emit('ticket:created', rest));
    events.on('ticket.updated', ({ districtCode, ...rest }) => this.io.to(scopeRoomsFor(districtCode)).emit('ticket:updated', rest));
    events.on('care.tasks-changed', ({ districtCode, reason }) => this.io.to(scopeRoomsFor(districtCode)).emit('care:tasks-changed', { reason }));
    events.on('agent.state', (state) => {
      const target = state.agentUserId ? [rooms.user(state.agentUserId), supervisors] : [supervisors];
      this.io.to(target).emit('agent:state-changed', state);
    });
    events.on('telephony.state', (state) => this.io.emit('telephony:state-changed', state));
    // SOS: every agent and supervisor whose scope covers the person's district.
    events.on('sos.raised', (alert) => this.io.to(sosRoomsFor(alert.districtCode)).emit('sos:raised', alert));
    events.on('sos.escalated', (step) => this.io.to(sosRoomsFor(step.districtCode)).emit('sos:escalated', step));
    events.on('sos.acknowledged', (ack) => this.io.to(sosRoomsFor(ack.districtCode)).emit('sos:acknowledged', ack));
    events.on('sos.closed', (closed) => this.io.to(sosRoomsFor(closed.districtCode)).emit('sos:closed', closed));
    events.on('sos.call-linked', (link) => this.io.to(sosRoomsFor(link.districtCode)).emit('sos:call-linked', link));
    events.on('security.alert', (alert) => this.io.to(rooms.role('security_admin')).emit('security:alert', alert));
  }

  close(): Promise<void> {
    return new Promise((resolve) => {
      this.io.disconnectSockets(true);
      void this.io.close(() => resolve());
    });
  }
}

function hostsOf(req: IncomingMessage): string[] {
  const forwarded = req.headers['x-forwarded-host'];
  const fromProxy = isLoopback(req.socket.remoteAddress) && typeof forwarded === 'string' ? [forwarded.split(',')[0]!.trim()] : [];
  return [req.headers.host ?? '', ...fromProxy];
}

const isLoopback = (addr: string | undefined) => addr === '127.0.0.1' || addr === '::1' || addr === '::ffff:127.0.0.1';

/**
 * The session token of a handshake: `auth.token` (any client), else the session cookie — the cookie only with
 * an Origin header of the console's own (a browser on our page; a cookie without Origin is refused).
 * Never throws on malformed input (`%ZZ`, wrong types, huge values).
 */
function tokenOf(socket: Socket, origins: OriginPolicy): string | null {
  const auth: unknown = socket.handshake.auth;
  const fromAuth = auth && typeof auth === 'object' ? (auth as { token?: unknown }).token : undefined;
  if (typeof fromAuth === 'string') return fromAuth.length <= 200 ? fromAuth : null;
  const origin = socket.handshake.headers.origin;
  if (typeof origin !== 'string' || !origins.allows(origin, hostsOf(socket.request))) return null;
  return cookieValue(socket.handshake.headers.cookie, SESSION_COOKIE);
}

/** One cookie's value from a Cookie header; null when absent or not decodable. */
export function cookieValue(header: unknown, name: string): string | null {
  if (typeof header !== 'string' || header.length > 8192) return null;
  for (const part of header.split(';')) {
    const eq = part.indexOf('=');
    if (eq < 0 || part.slice(0, eq).trim() !== name) continue;
    let value = part.slice(eq + 1).trim();
    if (value.startsWith('"') && value.endsWith('"')) value = value.slice(1, -1);
    try {
      return decodeURIComponent(value);
    } catch {
      return null;
    }
  }
  return null;
}
