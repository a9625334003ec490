import type { CallView, DialAccepted, PersonSummary, ScreenPop, SosCallLinked } from '../api/wire';
import { createStore } from '../state/store';

/** A call this agent is involved in: ringing with its pop, in progress, or just ended (kept for the order form). */
export interface LiveCall {
  call: CallView;
  pop: ScreenPop | null;
  /** `performance.now()` when the pop arrived (the render benchmark measures from here). */
  receivedAt: number;
  /** For an unknown caller: the person the agent picked by searching (the order form uses it). */
  chosenPerson?: PersonSummary;
}

export interface SosAlert {
  callId: string;
  name: string | null;
  from: string | null;
  acknowledged: boolean;
}

export interface LiveCallsState {
  calls: LiveCall[];
  /** The call the pop panel and the order form are about. */
  focusId: string | null;
  sos: SosAlert[];
  /** The last click-to-call this console placed (shown until its call appears). */
  dialing: (DialAccepted & { at: number }) | null;
  /** SOS calls by call id: the SOS order each belongs to (its pop opens that order, not a new one). */
  sosLinks: Record<string, SosCallLinked>;
}

const MAX_KEPT = 6;

export const liveCalls = createStore<LiveCallsState>({ calls: [], focusId: null, sos: [], dialing: null, sosLinks: {} });

/**
 * `call:ringing`: add or refresh the call with its pop; it takes the focus unless another call is in progress.
 * An SOS call alerts, unless its SOS is known to be taken already (`sosTaken`, or its order link says so):
 * a further press of a taken SOS is no new alarm.
 */
export function onRinging(call: CallView, pop: ScreenPop, receivedAt: number, sosTaken = false): void {
  liveCalls.set((s) => {
    const rest = s.calls.filter((c) => c.call.id !== call.id);
    const calls = [{ call, pop, receivedAt }, ...rest].filter((c, i) => i < MAX_KEPT || c.call.status !== 'ended');
    const focused = s.calls.find((c) => c.call.id === s.focusId);
    const keepFocus = focused && focused.call.status === 'answered';
    const sos = pop.isSos && !s.sos.some((a) => a.callId === call.id)
      ? [...s.sos, { callId: call.id, name: pop.person?.name ?? null, from: pop.fromMasked, acknowledged: sosTaken || isTaken(s.sosLinks[call.id]) }]
      : s.sos;
    return { ...s, calls, focusId: keepFocus ? s.focusId : call.id, sos };
  });
}

/** `call:updated` / `answered` / `ended`: update a known call; an outbound call of ours appears here first. */
export function onCallChanged(call: CallView, myUserId: string): void {
  liveCalls.set((s) => {
    const known = s.calls.find((c) => c.call.id === call.id);
    if (known) {
      const calls = s.calls.map((c) => (c.call.id === call.id ? { ...c, call } : c));
      const sos = call.status === 'answered' ? s.sos.map((a) => (a.callId === call.id ? { ...a, acknowledged: true } : a)) : s.sos;
      return { ...s, calls, sos };
    }
    if (call.direction !== 'outbound' || call.agentUserId !== myUserId) return s;
    const mine = s.dialing && call.originateRequestId === s.dialing.requestId;
    return { ...s, calls: [{ call, pop: null, receivedAt: performance.now() }, ...s.calls].slice(0, MAX_KEPT), focusId: call.id, dialing: mine ? null : s.dialing };
  });
}

const isTaken = (link: SosCallLinked | undefined): boolean => !!link && link.status !== 'active';

/** `sos:call-linked`: remember the call's SOS order; a taken SOS stops this call's alert. */
export function onSosCallLinked(link: SosCallLinked): void {
  liveCalls.set((s) => ({
    ...s,
    sosLinks: { ...s.sosLinks, [link.callId]: link },
    sos: isTaken(link) ? s.sos.map((a) => (a.callId === link.callId ? { ...a, acknowledged: true } : a)) : s.sos,
  }));
}

export function choosePerson(callId: string, person: PersonSummary | undefined): void {
  liveCalls.set((s) => ({ ...s, calls: s.calls.map((c) => (c.call.id === callId ? { ...c, chosenPerson: person } : c)) }));
}

export function focusCall(callId: string): void {
  liveCalls.set((s) => ({ ...s, focusId: callId }));
}

export function dismissCall(callId: string): void {
  liveCalls.set((s) => {
    const calls = s.calls.filter((c) => c.call.id !== callId);
    return { ...s, calls, focusId: s.focusId === callId ? (calls[0]?.call.id ?? null) : s.focusId };
  });
}

/** Acknowledge every open SOS alert (stops the sound and the flashing); returns what was acknowledged. */
export function acknowledgeSos(): SosAlert[] {
  const open = liveCalls.get().sos.filter((a) => !a.acknowledged);
  if (open.length) liveCalls.set((s) => ({ ...s, sos: s.sos.map((a) => ({ ...a, acknowledged: true })) }));
  return open;
}

export function setDialing(d: LiveCallsState['dialing']): void {
  liveCalls.set((s) => ({ ...s, dialing: d }));
}

export function focusedCall(s: LiveCallsState): LiveCall | null {
  return s.calls.find((c) => c.call.id === s.focusId) ?? null;
}
