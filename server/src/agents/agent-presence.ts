/**
 * Agent presence (坐席状态) and how each state is reflected on the PBX queue. Pure.
 *
 * available → in the queue, unpaused; break / wrap-up → paused with a reason; offline → out of the queue.
 */
import type { TelephonyErrorCode } from '../telephony/telephony.port';

export const PRESENCE_STATES = ['available', 'break', 'wrap_up', 'offline'] as const;
export type PresenceState = (typeof PRESENCE_STATES)[number];

/** One queue action, with the adapter failures that still mean "the queue is as wanted". */
export type QueueStep =
  | { op: 'add'; tolerate: readonly TelephonyErrorCode[] }
  | { op: 'pause'; paused: boolean; reason?: string; tolerate: readonly TelephonyErrorCode[] }
  | { op: 'remove'; tolerate: readonly TelephonyErrorCode[]; fallback?: QueueStep };

/**
 * The queue actions that put an agent's queue membership in line with `state`.
 *
 * - `add` may be refused because the member is already there (static members in queues.conf): the unpause
 *   that follows proves the membership, so a refusal is tolerated.
 * - pausing someone who is not a member changes nothing they would notice: not-found is tolerated.
 * - static members cannot be removed: the removal falls back to a pause with reason `offline`.
 *
 * @example queueStepsFor('break') // [{ op: 'pause', paused: true, reason: 'break', tolerate: ['not-found'] }]
 */
export function queueStepsFor(state: PresenceState): QueueStep[] {
  switch (state) {
    case 'available':
      return [
        { op: 'add', tolerate: ['rejected'] },
        { op: 'pause', paused: false, tolerate: [] },
      ];
    case 'break':
      return [{ op: 'pause', paused: true, reason: 'break', tolerate: ['not-found'] }];
    case 'wrap_up':
      return [{ op: 'pause', paused: true, reason: 'wrap-up', tolerate: ['not-found'] }];
    case 'offline':
      return [{ op: 'remove', tolerate: ['not-found'], fallback: { op: 'pause', paused: true, reason: 'offline', tolerate: ['not-found'] } }];
  }
}

/** Whether an agent in this state should be offered calls (for wallboards and the console). */
export function takesCalls(state: PresenceState): boolean {
  return state === 'available';
}
