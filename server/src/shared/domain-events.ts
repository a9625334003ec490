import { EventEmitter } from 'node:events';
import type { CallState } from '../calls/call-state';
import type { PopPerson } from '../persons/person.service';
import type { SosAcknowledged, SosAlert, SosCallLinked, SosClosed, SosEscalated } from '../sos/sos-events';

/** The pop an agent sees while the phone rings. `person` is null for an unknown caller. */
export interface ScreenPop {
  callId: string;
  callKey: string;
  fromE164: string | null;
  fromMasked: string | null;
  queue: string | null;
  ivrChoice: string | null;
  isSos: boolean;
  priority: number;
  /** Medical notes only in the ringing agent's pop (null for watching supervisors). */
  person: PopPerson | null;
  /** Other people whose contact number this is (a guardian calling for them). */
  knownAsContactOf: { personId: string; name: string; relation: string }[];
  /** Other persons who own this number too (a shared family landline, confirmed when it was added). */
  sharedWith: { personId: string; name: string }[];
}

/**
 * Whose scope a call falls in, for the realtime fan-out (never sent to clients): the district of the
 * caller's record, else of the persons whose contact the number is (each supervisor sees those in scope),
 * else none — an unknown caller's call reaches only the ringing agent and city-wide supervisors (the PBX
 * queue carries no district).
 */
export interface PopAudience {
  districtCode: string | null;
  /** District of each person in `knownAsContactOf` and `sharedWith`, so each supervisor is shown only those in scope. */
  contactDistricts: Record<string, string>;
}
export const NO_AUDIENCE: PopAudience = Object.freeze({ districtCode: null, contactDistricts: Object.freeze({}) }) as PopAudience;

export interface CallView extends CallState {
  id: string;
  fromE164: string | null;
  toE164: string | null;
  personId: string | null;
  agentUserId: string | null;
}

/** A notice for the security admins (no person named: the audit entry holds the subjects). */
export interface SecurityAlert {
  kind: 'person.reveal-bulk';
  actorId: string;
  actorUsername: string;
  /** Distinct persons revealed within the window. */
  persons: number;
  windowMinutes: number;
  at: string;
}
/** Why a session ended (logout, the per-user cap, deactivation, a password change elsewhere, a security admin's reset or change of roles/scope/second factor). */
export type SessionEndReason = 'logout' | 'replaced' | 'deactivated' | 'password-changed' | 'password-reset' | 'access-changed';

/**
 * Domain events, emitted only after the transaction that caused them committed.
 * The realtime hub is the main listener.
 */
export interface DomainEventMap {
  'call.ringing': { call: CallView; agentUserId: string | null; pop: ScreenPop; audience: PopAudience };
  'call.updated': { call: CallView; audience: PopAudience };
  'ticket.created': { ticketId: string; number: string; districtCode: string; priority: string; category: string };
  'ticket.updated': { ticketId: string; number: string; districtCode: string; status: string };
  'agent.state': { agentExtension: string; agentUserId: string | null; queue: string; state: string; paused: boolean; pausedReason?: string; member: boolean };
  /** `since`: ISO time the adapter entered the state (for `down`: when the PBX was lost). */
  'telephony.state': { state: string; since: string };
  'sos.raised': SosAlert;
  'sos.escalated': SosEscalated;
  'sos.acknowledged': SosAcknowledged;
  'sos.closed': SosClosed;
  'sos.call-linked': SosCallLinked;
  'security.alert': SecurityAlert;
  /** Care tasks of a district changed (generated, claimed, released, done, a campaign paused …): work lists refresh. */
  'care.tasks-changed': { districtCode: string; reason: string };
  /** Sessions (ids = token hashes) that ended: every node disconnects their sockets. */
  'session.ended': { userId: string; sessionIds: string[]; reason: SessionEndReason };
}

export class DomainEvents {
  private readonly emitter = new EventEmitter().setMaxListeners(50);

  emit<K extends keyof DomainEventMap>(name: K, payload: DomainEventMap[K]): void {
    this.emitter.emit(name, payload);
  }

  on<K extends keyof DomainEventMap>(name: K, listener: (payload: DomainEventMap[K]) => void): void {
    this.emitter.on(name, listener);
  }
}
