import type { CallOutcome } from '../telephony/call-outcome';
import type { TelephonyEvent, TelephonyVendor } from '../telephony/telephony-events';

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
  /** Outbound calls: what became of the customer leg (busy, no answer, unreachable, …); null while unknown. */
  outcome: CallOutcome | null;
  /**
   * A call that ended while the server was away from the PBX: it ended after this (the last time it was known
   * to be up) and before `endedBefore` (the reconnect). `endedAt` and the talk time are then null: unknown.
   */
  endedAfter: Date | null;
  endedBefore: Date | null;
  originateRequestId: string | null;
  needsFollowUp: boolean;
}

/**
 * The call log's own event, made on a reconnect: the PBX no longer has a call we held open and no end was seen
 * (we were away). It ended after `after` and before `at`, the reconnect; nothing more is known.
 */
export interface CallEndedUnseen {
  type: 'call.ended-unseen';
  vendor: TelephonyVendor;
  callKey: string;
  at: Date;
  after: Date;
}

export type CallEvent = Exclude<TelephonyEvent, { type: 'agent.state' } | { type: 'calls.snapshot' }> | CallEndedUnseen;

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
    outcome: null,
    endedAfter: null,
    endedBefore: null,
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
      next.agentExtension = event.agentExtension ?? next.agentExtension;
      next.queue = event.queue ?? next.queue;
      if (next.direction === 'outbound') next.outcome = 'answered';
      if (event.unseen) {
        // Answered while we were away: the reconnect is not the answer time, and the wait is unknown too.
        next.waitSeconds = event.holdSeconds ?? null;
      } else {
        next.answeredAt = event.at;
        next.waitSeconds = event.holdSeconds ?? seconds(next.offeredAt, event.at);
      }
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
        next.outcome = 'failed'; // the PBX could not place it: the customer was never dialled
        next.talkSeconds = 0;
      }
      break;
    case 'call.ended': {
      const answered = next.answeredAt !== null || next.status === 'answered';
      next.status = 'ended';
      next.endedAt = event.at;
      next.endReason = event.reason;
      next.hangupCause = event.hangupCause ?? null;
      next.agentExtension = event.agentExtension ?? next.agentExtension;
      // Talk is zero only for a call nobody answered; an answer we did not see (the PBX says so) keeps its talk.
      if (next.answeredAt) next.talkSeconds = event.talkSeconds ?? seconds(next.answeredAt, event.at);
      else if (answered) next.talkSeconds = event.talkSeconds ?? null; // answer time unknown: only the PBX's own figure
      else next.talkSeconds = event.outcome === 'answered' ? (event.talkSeconds ?? null) : 0;
      if (!answered) next.waitSeconds = event.holdSeconds ?? seconds(next.offeredAt, event.at);
      else if (next.waitSeconds === null && event.holdSeconds !== undefined) next.waitSeconds = event.holdSeconds;
      if (next.direction === 'outbound') next.outcome = answered ? 'answered' : (event.outcome ?? null);
      next.needsFollowUp = next.direction === 'inbound' && !answered;
      break;
    }
    case 'call.ended-unseen': {
      // Never invent a time: only the window is known; talk (and an unanswered call's wait) stay unknown.
      const answered = next.answeredAt !== null || next.status === 'answered';
      next.status = 'ended';
      next.endedAt = null;
      next.endedAfter = event.after;
      next.endedBefore = event.at;
      next.endReason = 'unknown';
      next.hangupCause = null;
      next.talkSeconds = null;
      if (!answered) next.waitSeconds = null;
      next.outcome = next.direction === 'outbound' && answered ? 'answered' : null;
      next.needsFollowUp = next.direction === 'inbound' && !answered;
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
