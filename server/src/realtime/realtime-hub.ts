import type { Server as HttpServer } from 'node:http';
import { Server, type Socket } from 'socket.io';
import type { Actor, AuthService } from '../auth/auth.service';
import type { Logger } from '../config/logger';
import type { DomainEvents } from '../shared/domain-events';
import { rooms, scopeRoomsFor, sosRoomsFor, type ClientToServerEvents, type ServerToClientEvents } from './realtime-events';

export type HubSocket = Socket<ClientToServerEvents, ServerToClientEvents, Record<string, never>, { actor: Actor }>;

export const SESSION_COOKIE = 'anxin_session';

/**
 * socket.io hub: authenticates sockets with the session token, puts each in its user, role and
 * district-scope rooms, and fans out domain events (already committed) to exactly those rooms.
 */
export class RealtimeHub {
  readonly io: Server<ClientToServerEvents, ServerToClientEvents, Record<string, never>, { actor: Actor }>;
  private readonly commandSets: Array<(socket: HubSocket) => void> = [];

  constructor(
    http: HttpServer,
    private readonly auth: AuthService,
    events: DomainEvents,
    private readonly log: Logger,
  ) {
    this.io = new Server(http, { serveClient: false, cors: { origin: false } });
    this.io.use((socket, next) => {
      const token = tokenOf(socket);
      if (!token) return next(new Error('auth/unauthenticated'));
      this.auth
        .authenticate(token)
        .then((actor) => {
          if (!actor) return next(new Error('auth/unauthenticated'));
          socket.data.actor = actor;
          next();
        })
        .catch((err) => {
          this.log.error({ err }, 'socket auth failed');
          next(new Error('internal'));
        });
    });
    this.io.on('connection', (socket) => this.onConnection(socket));
    this.subscribe(events);
  }

  private onConnection(socket: HubSocket): void {
    const { actor } = socket.data;
    void socket.join([rooms.user(actor.userId), rooms.role(actor.role), actor.scopePrefix ? rooms.scope(actor.scopePrefix) : rooms.cityWide()]);
    if (actor.role === 'agent' || actor.role === 'supervisor') void socket.join(rooms.sosAudience(actor.scopePrefix ?? '*'));
    socket.on('session:whoami', (ack) => {
      if (typeof ack !== 'function') return;
      ack({ ok: true, data: { userId: actor.userId, username: actor.username, role: actor.role, sipExtension: actor.sipExtension } });
    });
    for (const register of this.commandSets) register(socket);
  }

  /** Add a module's client commands (registered on every socket that connects from now on). */
  addCommands(register: (socket: HubSocket) => void): void {
    this.commandSets.push(register);
  }

  private subscribe(events: DomainEvents): void {
    const supervisors = rooms.role('supervisor');
    events.on('call.ringing', ({ call, agentUserId, pop }) => {
      // Only the ringing agent and supervisors: other agents see nothing of it.
      const target = agentUserId ? [rooms.user(agentUserId), supervisors] : [supervisors];
      this.io.to(target).emit('call:ringing', { call, pop });
    });
    events.on('call.updated', ({ call }) => {
      const target = call.agentUserId ? [rooms.user(call.agentUserId), supervisors] : [supervisors];
      this.io.to(target).emit('call:updated', { call });
      if (call.status === 'answered') this.io.to(target).emit('call:answered', { call });
      if (call.status === 'ended') this.io.to(target).emit('call:ended', { call });
    });
    events.on('ticket.created', ({ districtCode, ...rest }) => this.io.to(scopeRoomsFor(districtCode)).emit('ticket:created', rest));
    events.on('ticket.updated', ({ districtCode, ...rest }) => this.io.to(scopeRoomsFor(districtCode)).emit('ticket:updated', rest));
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
  }

  close(): Promise<void> {
    return new Promise((resolve) => {
      this.io.disconnectSockets(true);
      void this.io.close(() => resolve());
    });
  }
}

function tokenOf(socket: Socket): string | null {
  const fromAuth = (socket.handshake.auth as { token?: unknown } | undefined)?.token;
  if (typeof fromAuth === 'string') return fromAuth;
  const cookie = socket.handshake.headers.cookie ?? '';
  const match = cookie.split(/;\s*/).find((c) => c.startsWith(`${SESSION_COOKIE}=`));
  if (!match) return null;
  try {
    return decodeURIComponent(match.slice(SESSION_COOKIE.length + 1));
  } catch {
    return null; // a malformed cookie (`%ZZ`) is no session, never an uncaught throw in the handshake
  }
}
