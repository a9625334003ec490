import type { PresenceState } from '../agents/agent-presence';
import type { PresenceView } from '../agents/agent-presence.service';
import type { SoftphoneStatusInput } from '../agents/agent-presence.schema';
import type { CallView, ScreenPop, SecurityAlert } from '../shared/domain-events';
import type { JobSlaOverdueNotice } from '../dispatch/dispatch-words';
import type { JobSummaryView, OfferViewData } from '../dispatch/job-views';
import type { TimebankNotices } from '../timebank/timebank-events';
import type { SosAcknowledged, SosAlert, SosCallLinked, SosClosed, SosEscalated } from '../sos/sos-events';

/** Ack envelope of every client command. */
export type Ack<T> = { ok: true; data: T } | { ok: false; code: string; message: string };

/** Server → client notices (past tense). Shared with the console. The time bank's: `timebank/timebank-events.ts`. */
export interface ServerToClientEvents extends TimebankNotices {
  'call:ringing': (payload: { call: CallView; pop: ScreenPop }) => void;
  'call:answered': (payload: { call: CallView }) => void;
  'call:ended': (payload: { call: CallView }) => void;
  'call:updated': (payload: { call: CallView }) => void;
  'ticket:created': (payload: { ticketId: string; number: string; priority: string; category: string }) => void;
  'ticket:updated': (payload: { ticketId: string; number: string; status: string }) => void;
  'agent:state-changed': (payload: { agentExtension: string; agentUserId: string | null; queue: string; state: string; paused: boolean; pausedReason?: string; member: boolean }) => void;
  'telephony:state-changed': (payload: { state: string; since: string }) => void;
  /** An agent's chosen presence (to that agent and supervisors). */
  'agent:presence-changed': (payload: PresenceView) => void;
  /** An SOS (or a further press of an open one): alert with sound, flashing and text. Agents and supervisors in scope. */
  'sos:raised': (payload: SosAlert) => void;
  /** A step of the escalation chain ran (nobody had acknowledged). */
  'sos:escalated': (payload: SosEscalated) => void;
  /** Someone took the SOS: stop the alert. */
  'sos:acknowledged': (payload: SosAcknowledged) => void;
  'sos:closed': (payload: SosClosed) => void;
  /** A call from an SOS device belongs to this SOS order (its pop opens the order, not a new one). */
  'sos:call-linked': (payload: SosCallLinked) => void;
  /** To the security admins: e.g. one user revealed many persons in a short time (see the audit entry). */
  'security:alert': (payload: SecurityAlert) => void;
  /** A service job changed (dispatchers and supervisors in scope). */
  'job:updated': (payload: { job: JobSummaryView }) => void;
  /** An offer was sent, answered, timed out or withdrawn. */
  'offer:updated': (payload: { jobId: string; offer: OfferViewData }) => void;
  /** A job's dispatch deadline passed with nobody assigned (supervisors in scope). */
  'job:sla-overdue': (payload: JobSlaOverdueNotice) => void;
  /** The care work list of the scope changed (no task details: the list is fetched again). */
  'care:tasks-changed': (payload: { reason: string }) => void;
}

/** Client → server commands (imperative `noun:verb`) with an ack. */
export interface ClientToServerEvents {
  'session:whoami': (ack: (res: Ack<{ userId: string; username: string; role: string; roles: string[]; sipExtension: string | null }>) => void) => void;
  /** The caller's own presence (agents, supervisors). */
  'presence:get': (ack: (res: Ack<PresenceView>) => void) => void;
  /** Choose available / break / wrap_up / offline; reflected on the PBX queue when telephony is configured. */
  'presence:set': (payload: { state: PresenceState; reason?: string }, ack: (res: Ack<PresenceView>) => void) => void;
  /** The console's softphone: registered, or not and why (an available agent is paused meanwhile). */
  'softphone:status': (payload: SoftphoneStatusInput, ack: (res: Ack<PresenceView>) => void) => void;
  /** Take an SOS (hotkey): stops its escalation chain. */
  'sos:acknowledge': (payload: { sosId: string; note?: string }, ack: (res: Ack<{ sosId: string; status: string; ticketNumber: string }>) => void) => void;
}

/** Room names come from here, never inline strings. */
export const rooms = {
  user: (userId: string) => `user:${userId}`,
  role: (role: string) => `role:${role}`,
  /** Every socket of one login session (ended together on logout). */
  session: (sessionId: string) => `session:${sessionId}`,
  /** Everyone whose scope is the whole city. */
  cityWide: () => 'scope:*',
  scope: (prefix: string) => `scope:${prefix}`,
  /** Agents and supervisors who must hear SOS alerts of a scope (`*` = the whole city). */
  sosAudience: (prefix: string) => `sos-audience:${prefix}`,
  /** Dispatchers and supervisors who follow the dispatch board of a scope (`*` = the whole city). */
  dispatchAudience: (prefix: string) => `dispatch-audience:${prefix}`,
};

/** The scope rooms that must hear about a record of `districtCode`: city-wide and every ancestor code. */
export function scopeRoomsFor(districtCode: string): string[] {
  const out = [rooms.cityWide()];
  for (const len of [6, 9, 12]) if (districtCode.length >= len) out.push(rooms.scope(districtCode.slice(0, len)));
  return out;
}

/** The SOS audience rooms for a record of `districtCode`: the city-wide one and every ancestor code. */
export function sosRoomsFor(districtCode: string): string[] {
  return scopeRoomsFor(districtCode).map((room) => rooms.sosAudience(room.slice('scope:'.length)));
}
