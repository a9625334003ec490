/**
 * What the tracker remembers about one call between AMI events, and how a finished call becomes its single
 * `call.ended` event. Pure.
 */
import { outcomeOfCause, outcomeOfDialStatus, type CallOutcome } from '../call-outcome';
import type { CallAnswered, CallEnded, CallOriginated } from '../telephony-events';
import type { OriginateResponseEvent } from './ami.schemas';
import { isAgentSideChannel, known, secondsBetween } from './ami-values';

/** What the adapter asked for in an Originate, so the OriginateResponse can be reported in our terms. */
export interface OriginateExpectation {
  /** Our request id, sent as the Originate's ActionID. */
  requestId: string;
  agentExtension?: string;
  toNumber: string;
  variables?: Record<string, string>;
}

export interface CallRecord {
  /** Asterisk Linkedid, shared by every leg of the call. */
  callKey: string;
  /** A canonical event was emitted for this call, so its end must be reported too. */
  announced: boolean;
  callerChannel?: string;
  fromNumber?: string;
  fromName?: string;
  toNumber?: string;
  /** QUEUE_PRIO of the caller channel (SOS devices get 10). */
  priority: number;
  queue?: string;
  offered: boolean;
  sosRaised: boolean;
  /** Agent legs already announced as ringing (DestUniqueid, or Interface when absent). */
  rung: Set<string>;
  /** `at` absent: answered while we were away (a reconnect found it bridged), the answer time is unknown. */
  answered?: { agentExtension: string; at?: Date; holdSeconds?: number };
  complete?: { reason?: string; agentExtension?: string; holdSeconds?: number; talkSeconds?: number };
  abandoned?: { holdSeconds?: number };
  leftQueue: boolean;
  originate?: { requestId: string; agentExtension?: string; at: Date };
  /**
   * Last DialStatus of a dial made by the caller channel itself (Uniqueid = Linkedid): for an originated call,
   * the customer leg (ANSWER, BUSY, NOANSWER, CANCEL, CONGESTION, CHANUNAVAIL).
   */
  dialStatus?: string;
  /** When that dial was answered (DialEnd ANSWER): for an originated call, when the customer picked up. */
  dialAnsweredAt?: Date;
  /** The first verdict-carrying Q.850 cause (not 0/16/31) of a leg other than the caller's and the agent's. */
  legCause?: number;
  /** The channel of the first HangupRequest / SoftHangupRequest / Hangup seen on the call. */
  firstHangupChannel?: string;
}

/** A fresh record for a call first seen now. */
export function newCallRecord(callKey: string): CallRecord {
  return { callKey, announced: false, priority: 0, offered: false, sosRaised: false, rung: new Set(), leftQueue: false };
}

const COMPLETE_REASONS: Record<string, CallEnded['reason']> = { caller: 'caller_hangup', agent: 'agent_hangup' };

/**
 * What became of an originated call's customer leg: answered when its dial was answered; else the dial's
 * BUSY / NOANSWER, else the Q.850 cause of the customer's leg or of the originated channel, else what the dial
 * status says (CONGESTION, CHANUNAVAIL). Undefined when the PBX said nothing about a customer: no dial from the
 * originated channel and a normal clearing (its context answered by itself, e.g. a hold line).
 */
export function originatedOutcome(call: CallRecord, cause: number | undefined): CallOutcome | undefined {
  if (call.dialAnsweredAt) return 'answered';
  const byDial = outcomeOfDialStatus(call.dialStatus);
  if (byDial === 'busy' || byDial === 'no_answer') return byDial;
  return outcomeOfCause(call.legCause) ?? outcomeOfCause(cause) ?? byDial ?? (call.dialStatus !== undefined ? 'failed' : undefined);
}

const REASON_OF_FAILURE: Record<Exclude<CallOutcome, 'answered'>, CallEnded['reason']> = {
  busy: 'busy', no_answer: 'no_answer', unreachable: 'failed', rejected: 'failed', failed: 'failed',
};

/**
 * Click-to-call: a customer leg that was not answered ends with its outcome's reason (busy, no_answer, else
 * failed), the customer leg's cause and no talk; an answered one by who hung up first, talk time counted from
 * the customer's answer (from the OriginateResponse when no customer dial was seen).
 */
function endOriginated(call: CallRecord, origin: NonNullable<CallRecord['originate']>, ended: CallEnded, at: Date, cause: number | undefined): void {
  const ext = origin.agentExtension;
  if (ext) ended.agentExtension = ext;
  const outcome = originatedOutcome(call, cause);
  if (outcome) ended.outcome = outcome;
  if (outcome && outcome !== 'answered') {
    ended.reason = REASON_OF_FAILURE[outcome];
    if (call.legCause !== undefined) ended.hangupCause = call.legCause;
    ended.talkSeconds = 0;
    return;
  }
  const agentFirst = ext !== undefined && call.firstHangupChannel !== undefined && isAgentSideChannel(call.firstHangupChannel, ext);
  ended.reason = agentFirst ? 'agent_hangup' : 'caller_hangup';
  ended.talkSeconds = secondsBetween(call.dialAnsweredAt ?? origin.at, at);
}

/**
 * The `call.ended` event of a call whose caller channel (Uniqueid = Linkedid) just hung up.
 *
 * Inbound: AgentComplete decides (Reason caller/agent, TalkTime, HoldTime, the member); QueueCallerAbandon
 * makes it `abandoned` with its HoldTime; an answered call without AgentComplete (we reconnected in between)
 * falls back to who hung up first and the time since the answer; a caller who left the queue without an agent
 * is `no_answer`. Click-to-call (an OriginateResponse Success was seen): see {@link endOriginated}.
 */
export function endedEventOf(call: CallRecord, at: Date, cause: number | undefined): CallEnded {
  const ended: CallEnded = { type: 'call.ended', vendor: 'asterisk', callKey: call.callKey, at, reason: 'unknown' };
  if (cause !== undefined) ended.hangupCause = cause;

  if (call.originate) {
    endOriginated(call, call.originate, ended, at, cause);
  } else if (call.complete) {
    const { reason, agentExtension, holdSeconds, talkSeconds } = call.complete;
    ended.reason = (reason && COMPLETE_REASONS[reason.toLowerCase()]) || 'unknown';
    if (talkSeconds !== undefined) ended.talkSeconds = talkSeconds;
    if (holdSeconds !== undefined) ended.holdSeconds = holdSeconds;
    if (agentExtension) ended.agentExtension = agentExtension;
  } else if (call.abandoned) {
    ended.reason = 'abandoned';
    ended.talkSeconds = 0;
    if (call.abandoned.holdSeconds !== undefined) ended.holdSeconds = call.abandoned.holdSeconds;
  } else if (call.answered) {
    const { agentExtension, holdSeconds } = call.answered;
    const first = call.firstHangupChannel;
    ended.reason = first !== undefined && first !== call.callerChannel ? 'agent_hangup' : 'caller_hangup';
    if (call.answered.at) ended.talkSeconds = secondsBetween(call.answered.at, at); // else unknown: never counted from the reconnect
    if (holdSeconds !== undefined) ended.holdSeconds = holdSeconds;
    ended.agentExtension = agentExtension;
  } else if (call.leftQueue) {
    ended.reason = 'no_answer';
  }
  return ended;
}

/** The `call.answered` of an originated call whose customer picked up (DialEnd ANSWER on the customer leg). */
export function customerAnsweredEventOf(call: CallRecord, at: Date): CallAnswered {
  const agentExtension = call.originate?.agentExtension;
  return { type: 'call.answered', vendor: 'asterisk', callKey: call.callKey, at, ...(agentExtension ? { agentExtension } : {}) };
}

/**
 * The `call.originated` event of an OriginateResponse. Without the expectation (an Originate we did not
 * register) the number comes from the response's Exten. A failure has no channel (`Uniqueid: <unknown>`):
 * its call key is then the request id.
 */
export function originatedEventOf(
  e: OriginateResponseEvent,
  expected: OriginateExpectation | undefined,
  callKey: string | undefined,
  at: Date,
): CallOriginated {
  const success = e.response.toLowerCase() === 'success';
  const event: CallOriginated = {
    type: 'call.originated',
    vendor: 'asterisk',
    callKey: callKey ?? e.actionid,
    at,
    direction: 'outbound',
    requestId: e.actionid,
    toNumber: expected?.toNumber ?? known(e.exten) ?? '',
    outcome: success ? 'success' : 'failure',
    variables: { ...expected?.variables },
  };
  if (expected?.agentExtension) event.agentExtension = expected.agentExtension;
  if (!success && e.reason !== undefined) event.failureCode = e.reason;
  return event;
}

/** An insertion-ordered set that forgets its oldest entries beyond `limit` (duplicate suppression). */
export class RecentSet {
  private readonly items = new Set<string>();
  constructor(private readonly limit: number) {}

  has(key: string): boolean {
    return this.items.has(key);
  }

  delete(key: string): void {
    this.items.delete(key);
  }

  /** Adds the key; returns false when it was already present. */
  add(key: string): boolean {
    if (this.items.has(key)) return false;
    this.items.add(key);
    if (this.items.size > this.limit) this.items.delete(this.items.values().next().value as string);
    return true;
  }
}
