/**
 * AMI → canonical telephony events. Pure and deterministic: no I/O, no timers; an event's time is its AMI
 * `Timestamp` header (frames without one, such as list items, take the caller's fallback or the last time seen).
 *
 * `AmiCallTracker` consumes AMI events one by one (objects as `asterisk-manager` delivers them: lower-cased
 * keys, string values) and returns the `TelephonyEvent`s they imply. The call key is Asterisk's Linkedid,
 * shared by all legs; a call ends when its caller channel (Uniqueid = Linkedid) hangs up, exactly once.
 * Exact duplicate frames, and repeated facts (a second AgentConnect, an unchanged member state), emit nothing.
 */
import type { z } from 'zod';
import type { CallOffered, CallsSnapshot, TelephonyEvent } from '../telephony-events';
import { amiString, type AmiMessage } from './ami-frame';
import { customerAnsweredEventOf, endedEventOf, newCallRecord, originatedEventOf, RecentSet, type CallRecord, type OriginateExpectation } from './ami-call-state';
import { MEMBER_EVENT_NAMES, MemberStates, memberStateOf } from './ami-members';
import * as s from './ami.schemas';
import { outcomeOfCause } from '../call-outcome';
import { atFromTimestamp, dialledNumber, extensionFromInterface, isAgentSideChannel, known } from './ami-values';

export { snapshotFromLists } from './ami-snapshot';
export { extensionFromChannel, extensionFromInterface } from './ami-values';
export type { OriginateExpectation } from './ami-call-state';

export interface AmiCallTrackerOptions {
  /** Told about frames of a known event type that fail their schema; they are otherwise ignored. */
  onMalformed?: (event: string, reason: string) => void;
  /** How many recent frames and ended calls are remembered to drop duplicates. Default 4096. */
  memory?: number;
}

type Out = TelephonyEvent[];
type Handler = (message: AmiMessage, at: Date, out: Out) => void;

const VARIABLES = new Set(['QUEUE_PRIO', '__HOTLINE_DID', 'HOTLINE_DID']);

function variableName(message: AmiMessage): string | undefined {
  const v = message.variable;
  return typeof v === 'string' ? v : v && !Array.isArray(v) ? Object.keys(v)[0] : undefined;
}

/**
 * Turns a stream of AMI events into canonical telephony events.
 *
 * @example
 * const tracker = new AmiCallTracker();
 * manager.on('managerevent', (e) => tracker.handle(e, clock.now()).forEach(publish));
 */
export class AmiCallTracker {
  private readonly calls = new Map<string, CallRecord>();
  /** Uniqueid → Linkedid of live channels (an OriginateResponse names only the Uniqueid). */
  private readonly channels = new Map<string, string>();
  private readonly members = new MemberStates();
  private readonly originates = new Map<string, OriginateExpectation>();
  private readonly recentFrames: RecentSet;
  private readonly endedCalls: RecentSet;
  private readonly reportedOriginates: RecentSet;
  private lastAt: Date | undefined;
  private readonly handlers: Record<string, Handler> = {
    newchannel: this.parsed(s.newchannelSchema, (e) => this.onNewchannel(e)),
    varset: this.parsed(s.varSetSchema, (e) => this.onVarSet(e)),
    userevent: this.parsed(s.userEventSchema, (e, at, out) => this.onUserEvent(e, at, out)),
    queuecallerjoin: this.parsed(s.queueCallerJoinSchema, (e, at, out) => this.onJoin(e, at, out)),
    queuecallerleave: this.parsed(s.queueCallerLeaveSchema, (e) => this.update(e.linkedid, (c) => (c.leftQueue = true))),
    queuecallerabandon: this.parsed(s.queueCallerAbandonSchema, (e) =>
      this.update(e.linkedid, (c) => (c.abandoned = { holdSeconds: e.holdtime })),
    ),
    agentcalled: this.parsed(s.agentCalledSchema, (e, at, out) => this.onAgentCalled(e, at, out)),
    agentconnect: this.parsed(s.agentConnectSchema, (e, at, out) => this.onAgentConnect(e, at, out)),
    agentcomplete: this.parsed(s.agentCompleteSchema, (e) =>
      this.update(e.linkedid, (c) => {
        const agentExtension = extensionFromInterface(e.interface);
        c.complete = { reason: e.reason, agentExtension, holdSeconds: e.holdtime, talkSeconds: e.talktime };
      }),
    ),
    dialend: this.parsed(s.dialEndSchema, (e, at, out) => this.onDialEnd(e, at, out)),
    originateresponse: this.parsed(s.originateResponseSchema, (e, at, out) => this.onOriginateResponse(e, at, out)),
    hanguprequest: this.parsed(s.hangupRequestSchema, (e) => this.noteHangup(e.linkedid, e.channel)),
    softhanguprequest: this.parsed(s.hangupRequestSchema, (e) => this.noteHangup(e.linkedid, e.channel)),
    hangup: this.parsed(s.hangupSchema, (e, at, out) => this.onHangup(e, at, out)),
  };

  constructor(private readonly options: AmiCallTrackerOptions = {}) {
    const memory = options.memory ?? 4096;
    this.recentFrames = new RecentSet(memory);
    this.endedCalls = new RecentSet(memory);
    this.reportedOriginates = new RecentSet(memory);
    for (const name of MEMBER_EVENT_NAMES) this.handlers[name] = (m, at, out) => this.onMember(m, at, out);
  }

  /**
   * Consume one AMI event; returns the canonical events it implies (often none).
   * @param fallbackAt time for frames without a `Timestamp` header (list items); default: the last time seen.
   */
  handle(message: AmiMessage, fallbackAt?: Date): TelephonyEvent[] {
    const stamped = atFromTimestamp(amiString(message, 'timestamp'));
    if (stamped) this.lastAt = stamped;
    const name = amiString(message, 'event')?.toLowerCase();
    const handler = name ? this.handlers[name] : undefined;
    if (!handler || (name === 'varset' && !VARIABLES.has(variableName(message) ?? ''))) return [];
    const text = JSON.stringify(message);
    if (!this.recentFrames.add(text)) return [];
    // Work on a copy rebuilt from that text: the frame's values are slices of the socket chunk they were read
    // from, and any value the tracker keeps (call key, numbers, channels) would pin the whole chunk (64 kB
    // under load) for as long as it remembers the call.
    const frame = JSON.parse(text) as AmiMessage;
    const out: Out = [];
    handler(frame, stamped ?? fallbackAt ?? this.lastAt ?? new Date(0), out);
    return out;
  }

  /** Remember an Originate we sent, so its OriginateResponse carries our request's details. */
  expectOriginate(expectation: OriginateExpectation): void {
    this.originates.set(expectation.requestId, expectation);
    this.reportedOriginates.delete(expectation.requestId); // a retried request id is reported again
  }

  /** Forget an Originate that Asterisk refused outright (no OriginateResponse will come). */
  forgetOriginate(requestId: string): void {
    this.originates.delete(requestId);
  }

  /**
   * Align with a fresh snapshot after a reconnect: calls not in it ended while we were away (the call log
   * closes them from the snapshot; no `call.ended` is made up here); calls in it are followed from now on, so
   * their later events and their end are reported. Member states become the new baseline.
   */
  applySnapshot(snapshot: CallsSnapshot): void {
    const live = new Set(snapshot.calls.map((c) => c.callKey));
    for (const key of this.calls.keys()) if (!live.has(key)) this.calls.delete(key);
    for (const [uniqueid, linkedid] of this.channels) if (!live.has(linkedid)) this.channels.delete(uniqueid);
    for (const active of snapshot.calls) {
      this.update(active.callKey, (call) => {
        call.announced = true;
        call.fromNumber ??= known(active.fromNumber);
        call.toNumber ??= active.toNumber;
        call.queue ??= active.queue;
        if (call.queue) call.offered = true;
        if (active.state === 'bridged' && active.agentExtension && !call.answered) {
          call.answered = { agentExtension: active.agentExtension }; // answered while we were away: when is unknown
        }
      });
    }
    this.members.baseline(snapshot.members);
  }

  /** Calls currently followed (for health checks and leak tests). */
  get openCalls(): number {
    return this.calls.size;
  }

  /** A handler that parses the event with its schema first; a malformed frame is reported and skipped. */
  private parsed<T>(schema: z.ZodType<T>, fn: (e: T, at: Date, out: Out) => void): Handler {
    return (message, at, out) => {
      const result = schema.safeParse(message);
      if (result.success) return fn(result.data, at, out);
      const fields = result.error.issues.map((i) => i.path.join('.')).join(', ');
      this.options.onMalformed?.(amiString(message, 'event') ?? '?', `bad or missing: ${fields}`);
    };
  }

  /** The record of a call, created on first sight; undefined for a call that already ended. */
  private callFor(linkedid: string): CallRecord | undefined {
    if (this.endedCalls.has(linkedid)) return undefined;
    let call = this.calls.get(linkedid);
    if (!call) this.calls.set(linkedid, (call = newCallRecord(linkedid)));
    return call;
  }

  private update(linkedid: string, fn: (call: CallRecord) => void): void {
    const call = this.callFor(linkedid);
    if (call) fn(call);
  }

  private onNewchannel(e: s.NewchannelEvent): void {
    this.channels.set(e.uniqueid, e.linkedid);
    if (e.uniqueid !== e.linkedid) return;
    this.update(e.linkedid, (call) => {
      call.callerChannel ??= e.channel;
      call.fromNumber ??= known(e.calleridnum);
      call.fromName ??= known(e.calleridname);
      call.toNumber ??= dialledNumber(e.exten);
    });
  }

  private onVarSet(e: s.VarSetEvent): void {
    const name = typeof e.variable === 'string' ? e.variable : Object.keys(e.variable)[0];
    this.update(e.linkedid, (call) => {
      if (name !== 'QUEUE_PRIO') call.toNumber = dialledNumber(e.value) ?? call.toNumber;
      else if (/^-?\d+$/.test(e.value ?? '')) call.priority = Number(e.value);
    });
  }

  private onUserEvent(e: s.UserEventEvent, at: Date, out: Out): void {
    const call = this.callFor(e.linkedid);
    if (!call) return;
    const base = { vendor: 'asterisk', callKey: call.callKey, at } as const;
    const fromNumber = known(e.callerid) ?? known(e.calleridnum) ?? call.fromNumber ?? '';
    const kind = e.userevent.toLowerCase();
    if (kind === 'anxinivr' && e.choice !== undefined) {
      call.announced = true;
      out.push({ type: 'ivr.choice', ...base, choice: e.choice, fromNumber });
    } else if (kind === 'anxinsos' && !call.sosRaised) {
      call.announced = call.sosRaised = true;
      const deviceId = known(e.device);
      out.push({ type: 'sos.raised', ...base, fromNumber, ...(deviceId ? { deviceId } : {}) });
    }
  }

  private onJoin(e: s.QueueCallerJoinEvent, at: Date, out: Out): void {
    const call = this.callFor(e.linkedid);
    if (!call || call.offered) return;
    call.offered = call.announced = true;
    call.queue = e.queue;
    call.callerChannel ??= e.channel;
    call.fromNumber = known(e.calleridnum) ?? call.fromNumber;
    call.fromName = known(e.calleridname) ?? call.fromName;
    const offered: CallOffered = {
      type: 'call.offered',
      vendor: 'asterisk',
      callKey: call.callKey,
      at,
      direction: 'inbound',
      fromNumber: call.fromNumber ?? '',
      queue: e.queue,
      priority: call.priority,
      channel: e.channel,
    };
    if (call.fromName) offered.fromName = call.fromName;
    if (call.toNumber) offered.toNumber = call.toNumber;
    out.push(offered);
  }

  private onAgentCalled(e: s.AgentCalledEvent, at: Date, out: Out): void {
    const call = this.callFor(e.linkedid);
    const agentExtension = extensionFromInterface(e.interface);
    const leg = e.destuniqueid ?? e.interface;
    if (!call || !agentExtension || call.rung.has(leg)) return;
    call.rung.add(leg);
    call.announced = true;
    const memberName = known(e.membername);
    const fromNumber = known(e.calleridnum) ?? call.fromNumber ?? '';
    const base = { vendor: 'asterisk', callKey: call.callKey, at, queue: e.queue, agentExtension } as const;
    out.push({ type: 'call.ringing', ...base, ...(memberName ? { memberName } : {}), fromNumber });
  }

  private onAgentConnect(e: s.AgentConnectEvent, at: Date, out: Out): void {
    const call = this.callFor(e.linkedid);
    const agentExtension = extensionFromInterface(e.interface);
    if (!call || !agentExtension || call.answered) return;
    call.answered = { agentExtension, at, holdSeconds: e.holdtime };
    call.announced = true;
    const hold = e.holdtime !== undefined ? { holdSeconds: e.holdtime } : {};
    out.push({ type: 'call.answered', vendor: 'asterisk', callKey: call.callKey, at, agentExtension, queue: e.queue, ...hold });
  }

  private onDialEnd(e: s.DialEndEvent, at: Date, out: Out): void {
    // Only dials made by the caller channel itself (for a click-to-call: the originated channel dialling the
    // customer). The Originate's own dial has no Channel header and is reported by its OriginateResponse; an
    // agent's Local half (;2) dialling the agent's phone is another channel.
    if (!e.channel || !e.linkedid || e.uniqueid !== e.linkedid) return;
    const call = this.calls.get(e.linkedid);
    if (!call) return;
    call.dialStatus = e.dialstatus.toUpperCase();
    if (call.dialStatus !== 'ANSWER' || call.dialAnsweredAt) return;
    call.dialAnsweredAt = at;
    if (call.originate) out.push(customerAnsweredEventOf(call, at));
  }

  private onOriginateResponse(e: s.OriginateResponseEvent, at: Date, out: Out): void {
    if (!this.reportedOriginates.add(e.actionid)) return;
    const expected = this.originates.get(e.actionid);
    this.originates.delete(e.actionid);
    const uniqueid = known(e.uniqueid);
    const linkedid = uniqueid ? (this.channels.get(uniqueid) ?? uniqueid) : undefined;
    const event = originatedEventOf(e, expected, linkedid, at);
    out.push(event);
    if (event.outcome !== 'success' || !linkedid) return;
    this.update(linkedid, (call) => {
      call.announced = true;
      call.originate = { requestId: e.actionid, agentExtension: event.agentExtension, at };
      // The customer answered before Asterisk reported the originate (its dial came first).
      if (call.dialAnsweredAt) out.push(customerAnsweredEventOf(call, call.dialAnsweredAt));
    });
  }

  private noteHangup(linkedid: string, channel: string): void {
    const call = this.calls.get(linkedid);
    if (call) call.firstHangupChannel ??= channel;
  }

  private onHangup(e: s.HangupEvent, at: Date, out: Out): void {
    this.channels.delete(e.uniqueid);
    const call = this.calls.get(e.linkedid);
    if (call) call.firstHangupChannel ??= e.channel;
    if (e.uniqueid !== e.linkedid) {
      const agentSide = call?.originate?.agentExtension !== undefined && isAgentSideChannel(e.channel, call.originate.agentExtension);
      if (call && !agentSide && outcomeOfCause(e.cause) !== undefined) call.legCause ??= e.cause;
      return;
    }
    // The caller channel is gone: the call is over, even one we never followed (a later snapshot or
    // straggling frame must not bring it back).
    this.endedCalls.add(e.linkedid);
    if (!call) return;
    this.calls.delete(call.callKey);
    if (call.announced) out.push(endedEventOf(call, at, e.cause));
  }

  private onMember(message: AmiMessage, at: Date, out: Out): void {
    const { state, problem } = memberStateOf(message, at);
    if (problem) this.options.onMalformed?.(amiString(message, 'event') ?? '?', problem);
    if (state && this.members.changed(state)) out.push(state);
  }
}
