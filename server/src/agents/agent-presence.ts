/**
 * Agent presence (坐席状态) and how each state is reflected on the PBX queue. Pure.
 *
 * available → in the queue, unpaused; break / wrap-up → paused with a reason; offline → out of the queue.
 * An available agent whose browser softphone is not registered cannot take a call: paused with reason
 * `softphone` until it registers again (the console says why and offers a break).
 */
import type { TelephonyErrorCode } from '../telephony/telephony.port';

export const PRESENCE_STATES = ['available', 'break', 'wrap_up', 'offline'] as const;
export type PresenceState = (typeof PRESENCE_STATES)[number];

/** The browser softphone as the console reports it; null (not reported) for agents on a desk phone. */
export const SOFTPHONE_STATES = ['registered', 'unregistered'] as const;
export type SoftphoneState = (typeof SOFTPHONE_STATES)[number];

/**
 * Why a softphone is not registered: `transport` (the WSS connection fails: PBX down, port blocked, or a
 * certificate the browser does not trust), `forbidden` (REGISTER 403: e.g. the PBX does not identify the
 * endpoint), `auth_failed` (401/407 again: wrong password), `not_found` (404: no such endpoint),
 * `timeout` (408 or no answer), `server_error` (5xx), `unknown`.
 */
export const SOFTPHONE_FAILURES = ['transport', 'forbidden', 'auth_failed', 'not_found', 'timeout', 'server_error', 'unknown'] as const;
export type SoftphoneFailure = (typeof SOFTPHONE_FAILURES)[number];

/** The queue pause reason of an available agent whose softphone is not registered. */
export const SOFTPHONE_PAUSE_REASON = 'softphone';

/** One queue action, with the adapter failures that still mean "the queue is as wanted". */
export type QueueStep =
  | { op: 'add'; tolerate: readonly TelephonyErrorCode[] }
  | { op: 'pause'; paused: boolean; reason?: string; tolerate: readonly TelephonyErrorCode[] }
  | { op: 'remove'; tolerate: readonly TelephonyErrorCode[]; fallback?: QueueStep };

/**
 * The queue actions that put an agent's queue membership in line with `state` (and, when available, with
 * a softphone that is not registered: in the queue but paused).
 *
 * - `add` may be refused because the member is already there (static members in queues.conf): the unpause
 *   that follows proves the membership, so a refusal is tolerated.
 * - pausing someone who is not a member changes nothing they would notice: not-found is tolerated.
 * - static members cannot be removed: the removal falls back to a pause with reason `offline`.
 *
 * @example queueStepsFor('break') // [{ op: 'pause', paused: true, reason: 'break', tolerate: ['not-found'] }]
 * @example queueStepsFor('available', 'unregistered') // [{ op: 'add', … }, { op: 'pause', paused: true, reason: 'softphone', … }]
 */
export function queueStepsFor(state: PresenceState, softphone: SoftphoneState | null = null): QueueStep[] {
  switch (state) {
    case 'available':
      return [
        { op: 'add', tolerate: ['rejected'] },
        softphone === 'unregistered' ? { op: 'pause', paused: true, reason: SOFTPHONE_PAUSE_REASON, tolerate: [] } : { op: 'pause', paused: false, tolerate: [] },
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
export function takesCalls(state: PresenceState, softphone: SoftphoneState | null = null): boolean {
  return state === 'available' && softphone !== 'unregistered';
}
