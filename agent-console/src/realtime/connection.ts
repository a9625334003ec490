import { io, type Socket } from 'socket.io-client';
import { api } from '../api/endpoints';
import type { ClientCommands, PresenceView, ServerEvents, TelephonyState, User } from '../api/wire';
import { invalidate, queryClient } from '../app/query';
import { session } from '../state/session';
import { createStore } from '../state/store';
import { onSosAcknowledged, onSosClosed, onSosEscalated, onSosRaised, sosTakenFor } from '../features/sos/sos-store';
import { onJobSlaOverdue, onJobUpdated, onOfferUpdated } from './dispatch-notices';
import { onCallChanged, onRinging, onSosCallLinked } from './live-calls';

export type ConsoleSocket = Socket<ServerEvents, ClientCommands>;

export interface ConnectionState {
  socket: 'idle' | 'connecting' | 'up' | 'down';
  telephony: TelephonyState | 'unknown';
  /** When the phone system entered its state (ISO), for "lost N minutes ago". */
  telephonySince: string | null;
  /** The signed-in agent's own presence, as the server last confirmed it. */
  presence: PresenceView | null;
}

export const connection = createStore<ConnectionState>({ socket: 'idle', telephony: 'unknown', telephonySince: null, presence: null });

/** Recent ticket notices, so pages not yet on react-query can refresh. */
export const ticketNotices = createStore(0);

/** A server notice that a resource changed: bump the old counter and mark its queries stale. */
function ticketsChanged(): void {
  ticketNotices.set((n) => n + 1);
  invalidate('tickets');
}

let socket: ConsoleSocket | null = null;

/**
 * Open the socket.io connection (the session cookie authenticates it) and route server notices into the
 * console's stores. Reconnects by itself; the state drives the "connection lost" banner.
 */
export function connectRealtime(user: User): ConsoleSocket {
  disconnectRealtime();
  const s: ConsoleSocket = io({ transports: ['websocket'], withCredentials: true, reconnectionDelayMax: 5000 });
  socket = s;
  connection.set((c) => ({ ...c, socket: 'connecting' }));
  // The care work list refreshes when the server says it changed (a task claimed elsewhere leaves it at once);
  // after a reconnect too, since notices may have been missed meanwhile.
  const careChanged = () => void queryClient.invalidateQueries({ queryKey: ['care', 'tasks'] });
  s.on('care:tasks-changed', careChanged);
  s.on('connect', () => {
    careChanged();
    connection.set((c) => ({ ...c, socket: 'up' }));
    void refreshTelephony();
    if (user.role === 'agent' || user.role === 'supervisor') {
      s.emit('presence:get', (res) => res.ok && acceptPresence(res.data));
    }
  });
  s.on('disconnect', (reason) => {
    connection.set((c) => ({ ...c, socket: 'down' }));
    // The server ends a socket whose session ended (logout elsewhere, the session cap, deactivation, idle):
    // ask whether the session is still there — a 401 shows the sign-in dialog; otherwise connect again.
    if (reason === 'io server disconnect') {
      api.me().then(() => socket === s && s.connect(), () => undefined);
    }
  });
  s.on('connect_error', (err) => {
    connection.set((c) => ({ ...c, socket: 'down' }));
    if (err.message === 'auth/unauthenticated' && session.get().status === 'signed-in') session.set({ status: 'signed-out', reason: 'expired' });
  });
  s.on('call:ringing', ({ call, pop }) => onRinging(call, pop, performance.now(), pop.isSos && sosTakenFor(pop)));
  s.on('call:updated', ({ call }) => onCallChanged(call, user.userId));
  s.on('telephony:state-changed', ({ state, since }) => connection.set((c) => ({ ...c, telephony: state as TelephonyState, telephonySince: since })));
  s.on('agent:presence-changed', (view) => {
    if (view.userId === user.userId) acceptPresence(view);
  });
  s.on('sos:raised', onSosRaised);
  s.on('sos:escalated', onSosEscalated);
  s.on('sos:acknowledged', onSosAcknowledged);
  s.on('sos:closed', onSosClosed);
  s.on('sos:call-linked', onSosCallLinked);
  s.on('ticket:created', ticketsChanged);
  s.on('ticket:updated', ticketsChanged);
  s.on('job:updated', onJobUpdated);
  s.on('offer:updated', onOfferUpdated);
  s.on('job:sla-overdue', onJobSlaOverdue);
  // Time bank (时间银行): coins credited, a correction asked or decided, a redemption, a public sign-up.
  for (const event of ['timebank:credited', 'timebank:approval-changed', 'timebank:redemption-changed', 'timebank:signup-received'] as const) {
    s.on(event, () => invalidate('timebank'));
  }
  return s;
}

/**
 * Take a presence the server sent, unless the console already holds a newer one: the answer to the
 * `presence:get` sent on connect can arrive after the answer to a `presence:set` the agent made meanwhile
 * (the server checks each command's session asynchronously, so their order is not kept).
 */
export function acceptPresence(view: PresenceView): void {
  connection.set((c) => (isOlder(view, c.presence) ? c : { ...c, presence: view }));
}

function isOlder(view: PresenceView, held: PresenceView | null): boolean {
  if (!held?.changedAt) return false;
  if (!view.changedAt) return true;
  return Date.parse(view.changedAt) < Date.parse(held.changedAt);
}

export function disconnectRealtime(): void {
  socket?.removeAllListeners();
  socket?.disconnect();
  socket = null;
  connection.set({ socket: 'idle', telephony: 'unknown', telephonySince: null, presence: null });
}

export function getSocket(): ConsoleSocket | null {
  return socket;
}

async function refreshTelephony(): Promise<void> {
  try {
    const health = await api.health();
    connection.set((c) => ({ ...c, telephony: health.telephony.asterisk, telephonySince: health.telephony.since ?? null }));
  } catch {
    /* the banner keeps its last known state */
  }
}
