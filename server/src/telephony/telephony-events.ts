/**
 * The canonical telephony event union. Every adapter (AMI, Twilio, SIP) translates vendor traffic into
 * these shapes and decides nothing; the call log and the realtime hub consume only these.
 *
 * Ids: `callKey` is the adapter's stable key for one call across all of its legs (Asterisk's Linkedid,
 * Twilio's parent CallSid). Numbers are raw as the vendor gave them; the domain normalises to E.164.
 */

import type { CallOutcome } from './call-outcome';

export const TELEPHONY_VENDORS = ['asterisk', 'twilio'] as const;
export type TelephonyVendor = (typeof TELEPHONY_VENDORS)[number];

interface BaseEvent {
  vendor: TelephonyVendor;
  /** Stable id of the whole call (all legs): Asterisk Linkedid, Twilio parent CallSid. */
  callKey: string;
  /** When the vendor says it happened. */
  at: Date;
}

/** A call reached a queue (or the hotline): it is waiting for an agent. */
export interface CallOffered extends BaseEvent {
  type: 'call.offered';
  direction: 'inbound';
  fromNumber: string;
  fromName?: string;
  toNumber?: string;
  queue: string;
  /** Queue priority (SOS devices join with 10). */
  priority: number;
  /** The caller channel (`PJSIP/trunk-00000000`). */
  channel: string;
}

/** An agent's device is ringing for the call: this drives the screen pop. */
export interface CallRinging extends BaseEvent {
  type: 'call.ringing';
  queue?: string;
  /** Agent extension, mapped from `Local/8001@agents/n` or `PJSIP/8001`. */
  agentExtension: string;
  memberName?: string;
  fromNumber: string;
}

export interface CallAnswered extends BaseEvent {
  type: 'call.answered';
  /** The agent who took it; absent for an originated call with no agent leg (an SOS callback). */
  agentExtension?: string;
  queue?: string;
  /** Seconds the caller waited in the queue before the agent answered, as the PBX measured it. */
  holdSeconds?: number;
  /** Answered while the server was away (a reconnect found it bridged): answered by `at`, exactly when is unknown. */
  unseen?: boolean;
}

export const END_REASONS = ['caller_hangup', 'agent_hangup', 'abandoned', 'busy', 'failed', 'no_answer', 'unknown'] as const;
export type EndReason = (typeof END_REASONS)[number];

export interface CallEnded extends BaseEvent {
  type: 'call.ended';
  reason: EndReason;
  /** Q.850 cause code (16 normal clearing, 17 busy, 0 abandoned). */
  hangupCause?: number;
  talkSeconds?: number;
  holdSeconds?: number;
  agentExtension?: string;
  /** Outbound calls: what became of the customer leg (Q.850 cause / dial status, see call-outcome.ts). */
  outcome?: CallOutcome;
}

/** An originate (click-to-call) the server asked for has started or failed. */
export interface CallOriginated extends BaseEvent {
  type: 'call.originated';
  direction: 'outbound';
  /** ActionID of our Originate, so the server can match its own request. */
  requestId: string;
  agentExtension?: string;
  toNumber: string;
  outcome: 'success' | 'failure';
  /** Vendor reason code for failures (Asterisk Reason: 5 busy, 3 no answer, 8 congestion…). */
  failureCode?: number;
  variables: Record<string, string>;
}

export const AGENT_DEVICE_STATES = ['available', 'ringing', 'in_use', 'paused', 'unavailable'] as const;
export type AgentDeviceState = (typeof AGENT_DEVICE_STATES)[number];

export interface AgentStateChanged {
  type: 'agent.state';
  vendor: TelephonyVendor;
  at: Date;
  queue: string;
  agentExtension: string;
  memberName?: string;
  state: AgentDeviceState;
  paused: boolean;
  pausedReason?: string;
  /** Whether the member is still in the queue (false after QueueRemove). */
  member: boolean;
}

export interface IvrChoice extends BaseEvent {
  type: 'ivr.choice';
  choice: string;
  fromNumber: string;
}

export interface SosRaised extends BaseEvent {
  type: 'sos.raised';
  fromNumber: string;
  deviceId?: string;
}

/** One call as the PBX lists it after a (re)connect (CoreShowChannels / QueueStatus). */
export interface ActiveCall {
  callKey: string;
  fromNumber: string;
  toNumber?: string;
  queue?: string;
  /** Set when the call is bridged to an agent. */
  agentExtension?: string;
  state: 'queued' | 'ringing' | 'bridged' | 'dialing';
  /** Seconds since the channel was created, as the PBX reports it. */
  durationSeconds?: number;
}

/**
 * What the PBX holds right now, emitted after every (re)connect so the call log can close calls that
 * ended while we were away and pick up calls that started.
 */
export interface CallsSnapshot {
  type: 'calls.snapshot';
  vendor: TelephonyVendor;
  at: Date;
  calls: ActiveCall[];
  members: AgentStateChanged[];
  /**
   * When the previous connection last received anything from the PBX (server clock): calls it did not see end
   * were still up then. Absent on the first connection of a process (after a restart nothing is known).
   */
  lastHeardAt?: Date;
}

export type TelephonyEvent =
  | CallOffered
  | CallRinging
  | CallAnswered
  | CallEnded
  | CallOriginated
  | AgentStateChanged
  | IvrChoice
  | SosRaised
  | CallsSnapshot;

export type TelephonyEventType = TelephonyEvent['type'];
