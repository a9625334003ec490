import type { CallView, ScreenPop } from '../shared/domain-events';

/** Ack envelope of every client command. */
export type Ack<T> = { ok: true; data: T } | { ok: false; code: string; message: string };

/** Server → client notices (past tense). Shared with the console. */
export interface ServerToClientEvents {
  'call:ringing': (payload: { call: CallView; pop: ScreenPop }) => void;
  'call:answered': (payload: { call: CallView }) => void;
  'call:ended': (payload: { call: CallView }) => void;
  'call:updated': (payload: { call: CallView }) => void;
  'ticket:created': (payload: { ticketId: string; number: string; priority: string; category: string }) => void;
  'ticket:updated': (payload: { ticketId: string; number: string; status: string }) => void;
  'agent:state-changed': (payload: { agentExtension: string; agentUserId: string | null; queue: string; state: string; paused: boolean; pausedReason?: string; member: boolean }) => void;
  'telephony:state-changed': (payload: { state: string }) => void;
}

/** Client → server commands (imperative `noun:verb`) with an ack. */
export interface ClientToServerEvents {
  'session:whoami': (ack: (res: Ack<{ userId: string; username: string; role: string; sipExtension: string | null }>) => void) => void;
}

/** Room names come from here, never inline strings. */
export const rooms = {
  user: (userId: string) => `user:${userId}`,
  role: (role: string) => `role:${role}`,
  /** Everyone whose scope is the whole city. */
  cityWide: () => 'scope:*',
  scope: (prefix: string) => `scope:${prefix}`,
};

/** The scope rooms that must hear about a record of `districtCode`: city-wide and every ancestor code. */
export function scopeRoomsFor(districtCode: string): string[] {
  const out = [rooms.cityWide()];
  for (const len of [6, 9, 12]) if (districtCode.length >= len) out.push(rooms.scope(districtCode.slice(0, len)));
  return out;
}
