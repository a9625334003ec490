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
    expect(state).toMatchObject({ direction: 'outbound', status: 'ended', endReason: 'busy', needsFollowUp: false });
  });
});
