import type { TelephonyEvent } from '../telephony/telephony-events';

export const CALL_DIRECTIONS = ['inbound', 'outbound'] as const;
export type CallDirection = (typeof CALL_DIRECTIONS)[number];

/** ivr → queued → ringing → answered → ended; outbound: dialing → answered → ended. */
export const CALL_STATUSES = ['ivr', 'queued', 'ringing', 'dialing', 'answered', 'ended'] as const;
export type CallStatus = (typeof CALL_STATUSES)[number];

/** The fields of a call the state machine owns (a subset of the `call` row). */
export interface CallState {
  callKey: string;
  direction: CallDirection;
  status: CallStatus;
  fromRaw: string | null;
  toRaw: string | null;
  queue: string | null;
  priority: number;
  isSos: boolean;
  ivrChoice: string | null;
  agentExtension: string | null;
  offeredAt: Date | null;
  answeredAt: Date | null;
  endedAt: Date | null;
  waitSeconds: number | null;
  talkSeconds: number | null;
  hangupCause: number | null;
  endReason: string | null;
  originateRequestId: string | null;
  needsFollowUp: boolean;
}

export type CallEvent = Exclude<TelephonyEvent, { type: 'agent.state' } | { type: 'calls.snapshot' }>;

export interface CallTransition {
  next: CallState;
  /** False when the event was a duplicate or arrived too late to matter: nothing to write. */
  changed: boolean;
}

const RANK: Record<CallStatus, number> = { ivr: 0, queued: 1, ringing: 2, dialing: 2, answered: 3, ended: 4 };

function blank(callKey: string, direction: CallDirection, at: Date): CallState {
  return {
    callKey,
    direction,
    status: direction === 'inbound' ? 'ivr' : 'dialing',
    fromRaw: null,
    toRaw: null,
    queue: null,
    priority: 0,
    isSos: false,
    ivrChoice: null,
    agentExtension: null,
    offeredAt: direction === 'inbound' ? null : at,
    answeredAt: null,
    endedAt: null,
    waitSeconds: null,
    talkSeconds: null,
    hangupCause: null,
    endReason: null,
    originateRequestId: null,
    needsFollowUp: false,
  };
}

const seconds = (from: Date | null, to: Date): number | null =>
  from ? Math.max(0, Math.round((to.getTime() - from.getTime()) / 1000)) : null;

/** Move forward only: a late or duplicate event never moves a call back. */
function advance(state: CallState, status: CallStatus): CallStatus {
  return RANK[status] > RANK[state.status] ? status : state.status;
}

/**
 * Apply one canonical event to a call. Pure: the caller persists `next` when `changed`.
 * Events for an ended call change nothing; repeating an event changes nothing.
 *
 * @example
 * let s = applyCallEvent(null, offered).next;
 * s = applyCallEvent(s, answered).next; // status 'answered', waitSeconds set
 */
export function applyCallEvent(current: CallState | null, event: CallEvent): CallTransition {
  const direction: CallDirection = event.type === 'call.originated' ? 'outbound' : 'inbound';
  const prev = current ?? blank(event.callKey, direction, event.at);
  if (current && current.status === 'ended') return { next: current, changed: false };
  const next: CallState = { ...prev };

  switch (event.type) {
    case 'ivr.choice':
      next.fromRaw ??= event.fromNumber;
      next.ivrChoice = event.choice;
      break;
    case 'sos.raised':
      next.fromRaw ??= event.fromNumber;
      next.isSos = true;
      next.priority = Math.max(next.priority, 10);
      break;
    case 'call.offered':
      next.fromRaw = event.fromNumber;
      next.toRaw = event.toNumber ?? next.toRaw;
      next.queue = event.queue;
      next.priority = Math.max(next.priority, event.priority);
      next.offeredAt ??= event.at;
      next.status = advance(next, 'queued');
      break;
    case 'call.ringing':
      next.fromRaw ??= event.fromNumber;
      next.queue = event.queue ?? next.queue;
      next.offeredAt ??= event.at;
      if (next.status !== 'answered') next.agentExtension = event.agentExtension;
      next.status = advance(next, 'ringing');
      break;
    case 'call.answered':
      if (next.status === 'answered') break;
      next.agentExtension = event.agentExtension;
      next.queue = event.queue ?? next.queue;
      next.answeredAt = event.at;
      next.waitSeconds = event.holdSeconds ?? seconds(next.offeredAt, event.at);
      next.status = 'answered';
      break;
    case 'call.originated':
      next.originateRequestId = event.requestId;
      next.toRaw = event.toNumber;
      next.agentExtension = event.agentExtension ?? next.agentExtension;
      if (event.outcome === 'failure') {
        next.status = 'ended';
        next.endedAt = event.at;
        next.endReason = event.failureCode === 5 ? 'busy' : 'failed';
      }
      break;
    case 'call.ended': {
      next.status = 'ended';
      next.endedAt = event.at;
      next.endReason = event.reason;
      next.hangupCause = event.hangupCause ?? null;
      next.agentExtension = event.agentExtension ?? next.agentExtension;
      next.talkSeconds = next.answeredAt ? (event.talkSeconds ?? seconds(next.answeredAt, event.at)) : 0;
      if (!next.answeredAt) next.waitSeconds = event.holdSeconds ?? seconds(next.offeredAt, event.at);
      next.needsFollowUp = next.direction === 'inbound' && !next.answeredAt;
      break;
    }
  }
  return { next, changed: !sameState(prev, next) || current === null };
}

function sameState(a: CallState, b: CallState): boolean {
  return (Object.keys(a) as (keyof CallState)[]).every((k) => {
    const x = a[k];
    const y = b[k];
    return x instanceof Date && y instanceof Date ? x.getTime() === y.getTime() : x === y;
  });
}
