import { EventEmitter } from 'node:events';
import type { CallState } from '../calls/call-state';
import type { PersonDetail } from '../persons/person.service';
import type { SosAcknowledged, SosAlert, SosClosed, SosEscalated } from '../sos/sos-events';

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
  person: PersonDetail | null;
  /** Other people whose contact number this is (a guardian calling for them). */
  knownAsContactOf: { personId: string; name: string; relation: string }[];
}

export interface CallView extends CallState {
  id: string;
  fromE164: string | null;
  toE164: string | null;
  personId: string | null;
  agentUserId: string | null;
}

/** Why a session ended (logout, the per-user cap, deactivation, a password change elsewhere). */
export type SessionEndReason = 'logout' | 'replaced' | 'deactivated' | 'password-changed';

/**
 * Domain events, emitted only after the transaction that caused them committed.
 * The realtime hub is the main listener.
 */
export interface DomainEventMap {
  'call.ringing': { call: CallView; agentUserId: string | null; pop: ScreenPop };
  'call.updated': { call: CallView };
  'ticket.created': { ticketId: string; number: string; districtCode: string; priority: string; category: string };
  'ticket.updated': { ticketId: string; number: string; districtCode: string; status: string };
  'agent.state': { agentExtension: string; agentUserId: string | null; queue: string; state: string; paused: boolean; pausedReason?: string; member: boolean };
  'telephony.state': { state: string };
  'sos.raised': SosAlert;
  'sos.escalated': SosEscalated;
  'sos.acknowledged': SosAcknowledged;
  'sos.closed': SosClosed;
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
