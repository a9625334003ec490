import { EventEmitter } from 'node:events';
import type { Server } from 'socket.io';
import { rooms, scopeRoomsFor, type ClientToServerEvents, type ServerToClientEvents } from '../realtime/realtime-events';

/** Time-bank notices as the console receives them (past tense, after the commit). */
export interface TimebankNotices {
  'timebank:credited': (payload: { volunteerId: string; transactionId: string; units: number; source: 'job' | 'activity' | 'adjustment' }) => void;
  'timebank:approval-changed': (payload: { approvalId: string; status: 'pending' | 'approved' | 'rejected'; type: 'adjust' | 'reverse' }) => void;
  'timebank:redemption-changed': (payload: { redemptionId: string; volunteerId: string; status: 'placed' | 'cancelled'; itemId: string; stock: number | null }) => void;
  'timebank:signup-received': (payload: { signupId: string; districtCode: string }) => void;
}

type Payload<K extends keyof TimebankNotices> = Parameters<TimebankNotices[K]>[0];

/**
 * The time bank's domain events: each carries the district it belongs to (never sent) and is emitted by the
 * services only after their transaction committed.
 */
export class TimebankEvents {
  private readonly emitter = new EventEmitter().setMaxListeners(20);

  emit<K extends keyof TimebankNotices>(name: K, districtCode: string | null, payload: Payload<K>): void {
    this.emitter.emit(name, districtCode, payload);
  }

  on<K extends keyof TimebankNotices>(name: K, listener: (districtCode: string | null, payload: Payload<K>) => void): void {
    this.emitter.on(name, listener);
  }
}

/** Roles that hold no time-bank permission: they are left out of the scope rooms' fan-out. */
const NOT_TIMEBANK = ['agent', 'admin', 'security_admin', 'auditor'].map(rooms.role);

/**
 * Fan time-bank notices out to dispatchers and supervisors whose scope covers the record's district (a notice
 * of no district — the mutual-aid pool — reaches city-wide staff only). Payloads carry ids and numbers, no names.
 */
export function registerTimebankFanout(io: Server<ClientToServerEvents, ServerToClientEvents>, events: TimebankEvents): void {
  const send = <K extends keyof TimebankNotices>(name: K) =>
    events.on(name, (districtCode, payload) => {
      const target = districtCode ? scopeRoomsFor(districtCode) : [rooms.cityWide()];
      (io.to(target).except(NOT_TIMEBANK).emit as (event: K, p: Payload<K>) => boolean)(name, payload);
    });
  send('timebank:credited');
  send('timebank:approval-changed');
  send('timebank:redemption-changed');
  send('timebank:signup-received');
}
