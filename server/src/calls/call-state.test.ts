import type { CallAnswered, CallEnded, CallOffered, CallOriginated, CallRinging } from '../telephony/telephony-events';
import { applyCallEvent, type CallState } from './call-state';

const t0 = new Date('2026-11-22T11:15:32Z');
const at = (s: number) => new Date(t0.getTime() + s * 1000);
const key = '1795346132.0';
const offered: CallOffered = { type: 'call.offered', vendor: 'asterisk', callKey: key, at: at(0), direction: 'inbound', fromNumber: '13800138000', toNumber: '4008001234', queue: 'hotline', priority: 0, channel: 'PJSIP/trunk-00000000' };
const ringing: CallRinging = { type: 'call.ringing', vendor: 'asterisk', callKey: key, at: at(1), agentExtension: '8001', queue: 'hotline', fromNumber: '13800138000' };
const answered: CallAnswered = { type: 'call.answered', vendor: 'asterisk', callKey: key, at: at(2), agentExtension: '8001', queue: 'hotline', holdSeconds: 2 };
const ended = (s: number, reason: CallEnded['reason'], extra: Partial<CallEnded> = {}): CallEnded => ({ type: 'call.ended', vendor: 'asterisk', callKey: key, at: at(s), reason, hangupCause: 16, ...extra });

function run(...events: Parameters<typeof applyCallEvent>[1][]): { state: CallState; changes: boolean[] } {
  let state: CallState | null = null;
  const changes: boolean[] = [];
  for (const e of events) {
    const r = applyCallEvent(state, e);
    state = r.next;
    changes.push(r.changed);
  }
  return { state: state!, changes };
}

describe('call state machine', () => {
  it('when a call is offered, rung, answered and the caller hangs up, then wait and talk seconds are set', () => {
    const { state } = run(offered, ringing, answered, ended(5, 'caller_hangup', { talkSeconds: 3 }));
    expect(state).toMatchObject({ status: 'ended', direction: 'inbound', fromRaw: '13800138000', queue: 'hotline', agentExtension: '8001', waitSeconds: 2, talkSeconds: 3, hangupCause: 16, endReason: 'caller_hangup', needsFollowUp: false });
  });

  it('when the caller abandons before an answer, then it is flagged for follow-up with zero talk', () => {
    const { state } = run(offered, ended(3, 'abandoned', { hangupCause: 0 }));
    expect(state).toMatchObject({ status: 'ended', endReason: 'abandoned', hangupCause: 0, talkSeconds: 0, waitSeconds: 3, needsFollowUp: true, answeredAt: null });
  });

  it('when an event repeats, then nothing changes', () => {
    const { changes } = run(offered, offered, ringing, ringing, answered, answered);
    expect(changes).toEqual([true, false, true, false, true, false]);
  });

  it('when events arrive after the end, then the ended call is untouched', () => {
    const first = run(offered, answered, ended(4, 'agent_hangup'));
    const late = applyCallEvent(first.state, ringing);
    expect(late.changed).toBe(false);
    expect(late.next).toBe(first.state);
  });

  it('when a ringing arrives after the answer, then the call stays answered', () => {
    const { state } = run(offered, answered, { ...ringing, at: at(3), agentExtension: '8002' });
    expect(state.status).toBe('answered');
    expect(state.agentExtension).toBe('8001');
  });

  it('when an SOS device call joins with priority 10, then the call is SOS and keeps the priority', () => {
    const { state } = run({ type: 'sos.raised', vendor: 'asterisk', callKey: key, at: at(0), fromNumber: '13900000001' }, { ...offered, fromNumber: '13900000001', priority: 10 });
    expect(state).toMatchObject({ isSos: true, priority: 10, status: 'queued' });
  });

  it('when an IVR choice precedes the queue, then the choice is kept', () => {
    const { state } = run({ type: 'ivr.choice', vendor: 'asterisk', callKey: key, at: at(0), choice: '3', fromNumber: '13800138000' }, offered);
    expect(state).toMatchObject({ ivrChoice: '3', status: 'queued' });
  });

  it('when an originate fails with reason 5, then the outbound call ends busy', () => {
    const o: CallOriginated = { type: 'call.originated', vendor: 'asterisk', callKey: key, at: at(0), direction: 'outbound', requestId: 'r1', toNumber: '13800138000', outcome: 'failure', failureCode: 5, variables: {} };
    const { state } = run(o);
    expect(state).toMatchObject({ direction: 'outbound', status: 'ended', endReason: 'busy', outcome: 'failed', talkSeconds: 0, needsFollowUp: false });
  });
});

describe('call state machine, outbound outcomes', () => {
  const originated: CallOriginated = { type: 'call.originated', vendor: 'asterisk', callKey: key, at: at(0), direction: 'outbound', requestId: 'r1', agentExtension: '8001', toNumber: '13800138000', outcome: 'success', variables: {} };
  const customerAnswered: CallAnswered = { type: 'call.answered', vendor: 'asterisk', callKey: key, at: at(3), agentExtension: '8001' };

  it('when the customer answers and the agent hangs up, then the call was answered with its wait and talk time', () => {
    const { state } = run(originated, customerAnswered, ended(8, 'agent_hangup', { talkSeconds: 5, outcome: 'answered' }));
    expect(state).toMatchObject({ status: 'ended', direction: 'outbound', outcome: 'answered', answeredAt: at(3), waitSeconds: 3, talkSeconds: 5, endReason: 'agent_hangup' });
  });

  it('when the customer answered and the end carries no talk time, then talk counts from the answer, never zero', () => {
    const { state } = run(originated, customerAnswered, ended(9, 'caller_hangup'));
    expect(state).toMatchObject({ status: 'ended', outcome: 'answered', talkSeconds: 6 });
  });

  it('when the customer is unreachable, then the outcome is stored with no talk', () => {
    const { state } = run(originated, ended(1, 'failed', { hangupCause: 3, outcome: 'unreachable', talkSeconds: 0 }));
    expect(state).toMatchObject({ status: 'ended', outcome: 'unreachable', hangupCause: 3, endReason: 'failed', talkSeconds: 0, answeredAt: null });
  });

  it('when an inbound call ends, then it has no outcome', () => {
    const { state } = run(offered, answered, ended(5, 'caller_hangup', { talkSeconds: 3 }));
    expect(state.outcome).toBeNull();
  });
});

describe('call state machine, a call that ended while the server was away', () => {
  const unseen = (after: number, reconnect: number) => ({ type: 'call.ended-unseen' as const, vendor: 'asterisk' as const, callKey: key, at: at(reconnect), after: at(after) });

  it('when an answered call is gone at the reconnect, then it keeps its answer and records the window, with no end time and talk unknown', () => {
    const { state } = run(offered, ringing, answered, unseen(4, 17));
    expect(state).toMatchObject({ status: 'ended', answeredAt: at(2), waitSeconds: 2, endedAt: null, endedAfter: at(4), endedBefore: at(17), talkSeconds: null, endReason: 'unknown', hangupCause: null, needsFollowUp: false });
  });

  it('when a queued call is gone at the reconnect, then its wait is unknown too and it is flagged for follow-up', () => {
    const { state } = run(offered, unseen(1, 30));
    expect(state).toMatchObject({ status: 'ended', endedAt: null, waitSeconds: null, talkSeconds: null, needsFollowUp: true });
  });

  it('when a reconnect finds the call bridged though no answer was seen, then it is answered with the answer time and wait unknown, and talk is the PBX\'s', () => {
    const { state } = run(offered, ringing, { ...answered, at: at(30), holdSeconds: undefined, unseen: true }, ended(40, 'agent_hangup', { talkSeconds: 6, holdSeconds: 1 }));
    expect(state).toMatchObject({ status: 'ended', answeredAt: null, waitSeconds: 1, talkSeconds: 6, needsFollowUp: false });
  });

  it('when such a call ends with no talk figure from the PBX, then talk stays unknown rather than counted from the reconnect', () => {
    const { state } = run(offered, { ...answered, at: at(30), holdSeconds: undefined, unseen: true }, ended(40, 'caller_hangup'));
    expect(state).toMatchObject({ status: 'ended', answeredAt: null, waitSeconds: null, talkSeconds: null, needsFollowUp: false });
  });

  it('when the reconciliation runs again for a closed call, then nothing changes', () => {
    const first = run(offered, answered, ended(4, 'agent_hangup'));
    expect(applyCallEvent(first.state, unseen(4, 20)).changed).toBe(false);
  });
});
