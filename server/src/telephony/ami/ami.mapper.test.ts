/**
 * The pure AMI mapper: click-to-call, member states, reconciliation snapshots, duplicates and malformed frames,
 * all from the recordings in server/test/fixtures/ami (inbound calls: ami.mapper.inbound.test.ts).
 */
import type { AmiValue } from './ami-frame';
import type { TelephonyEvent } from '../telephony-events';
import { inboundMessages, listAmiFixtures, loadAmiFixture } from '../../../test/support/ami-fixtures';
import { AmiCallTracker, extensionFromInterface, snapshotFromLists, type OriginateExpectation } from './ami.mapper';
import { atFromTimestamp } from './ami-values';

const at = (time: string): Date => new Date(`2026-11-22T${time}Z`);

function replay(name: string, tracker = new AmiCallTracker()): TelephonyEvent[] {
  return inboundMessages(loadAmiFixture(name)).flatMap((m) => tracker.handle(m));
}

/** Agent states as [queue, extension, state, paused reason?, 'removed'?] tuples. */
function agentStates(events: TelephonyEvent[]): unknown[][] {
  return events.flatMap((e) =>
    e.type === 'agent.state' ? [[e.queue, e.agentExtension, e.state, ...(e.pausedReason ? [e.pausedReason] : []), ...(e.member ? [] : ['removed'])]] : [],
  );
}

const ticket = (n: number): OriginateExpectation => ({
  requestId: 'a2', agentExtension: '8001', toNumber: '13800138000', variables: { ANXIN_TICKET: `T-20261122-000${n}` },
});

describe('AmiCallTracker, click-to-call', () => {
  const originated = (time: string, callKey: string, n: number, outcome: string, extra = {}) => ({
    type: 'call.originated', vendor: 'asterisk', at: at(time), callKey, direction: 'outbound', requestId: 'a2',
    agentExtension: '8001', toNumber: '13800138000', outcome, variables: { ANXIN_TICKET: `T-20261122-000${n}` }, ...extra,
  });
  const ended = (time: string, callKey: string, reason: string, cause: number, talk: number) => ({
    type: 'call.ended', vendor: 'asterisk', at: at(time), callKey, reason, hangupCause: cause, agentExtension: '8001', talkSeconds: talk,
  });

  it.each([
    ['click-to-call-originate', 1, [
      originated('11:17:01.856', '1795346220.0', 1, 'success'),
      ended('11:17:08.362', '1795346220.0', 'agent_hangup', 16, 7),
    ]],
    ['click-to-call-originate-busy', 2, [
      originated('11:17:14.973', '1795346233.0', 2, 'success'),
      { ...ended('11:17:14.974', '1795346233.0', 'busy', 17, 0), outcome: 'busy' },
    ]],
    ['click-to-call-originate-failure', 3, [originated('11:17:20.624', 'a2', 3, 'failure', { failureCode: 5 })]],
  ])('when %s is replayed after our Originate, then the outcome carries our request', (name, n, expected) => {
    const tracker = new AmiCallTracker();
    tracker.expectOriginate(ticket(n as number));
    const events = replay(name as string, tracker).filter((e) => e.type !== 'agent.state');
    expect(events).toEqual(expected);
    expect(tracker.openCalls).toBe(0);
  });

  describe('the customer leg (recorded on Asterisk 20.20.1 with server/test/pbx/fixture-recorder)', () => {
    const dec5 = (time: string): Date => new Date(`2026-12-05T${time}Z`);
    const expectation: OriginateExpectation = { requestId: 'a2', agentExtension: '8001', toNumber: '13800138000', variables: { ANXIN_TICKET: 'T-20261205-0001' } };
    const callEvents = (frames: Record<string, AmiValue>[]) => {
      const tracker = new AmiCallTracker();
      tracker.expectOriginate(expectation);
      const events = frames.flatMap((m) => tracker.handle(m)).filter((e) => e.type !== 'agent.state');
      expect(tracker.openCalls).toBe(0);
      return events;
    };

    it('when the customer answers (DialEnd ANSWER on the originated channel), then call.answered comes at the answer and the talk time counts from it', () => {
      const events = callEvents(inboundMessages(loadAmiFixture('click-to-call-originate-answered')));
      expect(events.map((e) => e.type)).toEqual(['call.originated', 'call.answered', 'call.ended']);
      expect(events[1]).toEqual({ type: 'call.answered', vendor: 'asterisk', callKey: '1796487628.0', at: dec5('16:20:31.493'), agentExtension: '8001' });
      // answered 16:20:31.493, the agent hung up 16:20:37.995: 6.5 s of talk, not the 8.5 s since the originate
      expect(events[2]).toEqual({
        type: 'call.ended', vendor: 'asterisk', callKey: '1796487628.0', at: dec5('16:20:37.995'), reason: 'agent_hangup', hangupCause: 16,
        agentExtension: '8001', outcome: 'answered', talkSeconds: 7,
      });
    });

    it('when the customer answers before Asterisk reports the originate, then call.answered follows call.originated with the answer time', () => {
      const frames = inboundMessages(loadAmiFixture('click-to-call-originate-answered'));
      const response = frames.findIndex((m) => m.event === 'OriginateResponse');
      const moved = [...frames.slice(0, response), ...frames.slice(response + 1)];
      const customerAnswer = moved.findIndex((m) => m.event === 'DialEnd' && m.dialstatus === 'ANSWER' && m.channel !== undefined);
      moved.splice(customerAnswer + 1, 0, frames[response]!);
      const events = callEvents(moved);
      expect(events.map((e) => e.type)).toEqual(['call.originated', 'call.answered', 'call.ended']);
      expect(events[1]).toMatchObject({ at: dec5('16:20:31.493') });
    });

    it('when the customer cannot be reached (trunk host unresolvable: DialEnd CONGESTION, cause 34), then it ends unreachable, never caller_hangup', () => {
      const events = callEvents(inboundMessages(loadAmiFixture('click-to-call-originate-unreachable')));
      expect(events.map((e) => e.type)).toEqual(['call.originated', 'call.ended']);
      expect(events[1]).toEqual({
        type: 'call.ended', vendor: 'asterisk', callKey: '1796487675.0', at: dec5('16:21:16.254'), reason: 'failed', hangupCause: 34,
        agentExtension: '8001', outcome: 'unreachable', talkSeconds: 0,
      });
    });

    it('when the customer leg fails before any dial with cause 3 (as Asterisk reported it in the issue), then it ends unreachable with cause 3', () => {
      // Derived from the recording: the customer's channel and dial removed, the originated channel's hangup cause 3.
      const frames = inboundMessages(loadAmiFixture('click-to-call-originate-unreachable'))
        .filter((m) => !JSON.stringify(m).includes('PJSIP/trunk'))
        .map((m) => (m.event === 'Hangup' && m.uniqueid === m.linkedid ? { ...m, cause: '3', 'cause-txt': 'No route to destination' } : m));
      const ended = callEvents(frames).find((e) => e.type === 'call.ended');
      expect(ended).toMatchObject({ reason: 'failed', hangupCause: 3, outcome: 'unreachable', talkSeconds: 0 });
    });
  });

  it('when a request id is announced again after its outcome, then its next OriginateResponse is reported too', () => {
    const tracker = new AmiCallTracker();
    tracker.expectOriginate(ticket(3));
    const response = inboundMessages(loadAmiFixture('click-to-call-originate-failure')).find((m) => m.event === 'OriginateResponse')!;
    expect(tracker.handle(response)).toHaveLength(1);
    expect(tracker.handle({ ...response, timestamp: '1795346250.000000' })).toEqual([]);
    tracker.expectOriginate(ticket(3));
    expect(tracker.handle({ ...response, timestamp: '1795346260.000000' })).toEqual([expect.objectContaining({ requestId: 'a2', outcome: 'failure' })]);
  });

  it('when an OriginateResponse was not announced, then it is reported from its own fields', () => {
    const events = replay('ami-errors');
    expect(events).toEqual([
      { type: 'call.originated', vendor: 'asterisk', at: at('11:18:04.666'), callKey: 'a4', direction: 'outbound', requestId: 'a4',
        toNumber: '13800138000', outcome: 'failure', failureCode: 0, variables: {} },
    ]);
  });
});

describe('AmiCallTracker, agent states', () => {
  it.each([
    ['agent-membership', [
      ['hotline', '8003', 'available'], ['hotline', '8003', 'paused', 'lunch'], ['hotline', '8003', 'available'],
      ['hotline', '8001', 'available'], ['hotline', '8002', 'available'], ['hotline', '8003', 'available', 'removed'],
    ]],
    ['inbound-abandoned', [
      ['hotline', '8001', 'paused', 'break'], ['hotline', '8002', 'paused', 'break'], ['hotline', '8001', 'available'], ['hotline', '8002', 'available'],
    ]],
    ['webrtc-agent-call', [
      ['hotline-webrtc', '8001', 'available'], ['hotline-webrtc', '8002', 'unavailable'], ['hotline-webrtc', '8001', 'ringing'],
      ['hotline-webrtc', '8001', 'in_use'], ['hotline-webrtc', '8001', 'available'], ['hotline-webrtc', '8001', 'unavailable'],
    ]],
    ['inbound-answered-caller-hangup', [['hotline', '8001', 'in_use'], ['hotline', '8001', 'available']]],
    ['click-to-call-originate-busy', [['hotline', '8001', 'in_use'], ['hotline', '8001', 'available']]],
  ])('when %s is replayed, then only changed member states are told', (name, expected) => {
    expect(agentStates(replay(name as string))).toEqual(expected);
  });

  it('when QueueMemberAdded arrives, then the full agent state has the time, name and membership', () => {
    const [added] = replay('agent-membership');
    expect(added).toEqual({
      type: 'agent.state', vendor: 'asterisk', at: at('11:17:26.215'), queue: 'hotline', agentExtension: '8003',
      memberName: 'Agent 8003', state: 'available', paused: false, member: true,
    });
  });

  it.each([
    ['Local/8001@agents/n', '8001'],
    ['Local/8001@agents', '8001'],
    ['PJSIP/8001', '8001'],
  ])('when the member interface is %s, then the extension is %s', (iface, ext) => {
    expect(extensionFromInterface(iface)).toBe(ext);
  });
});

describe('snapshotFromLists and reconciliation', () => {
  const fixture = loadAmiFixture('reconcile-after-restart');
  const messages = inboundMessages(fixture);
  const listOf = (actionId: string) => messages.filter((m) => m.actionid === actionId);
  const snapshotAt = at('11:17:34.430');
  const snapshot = snapshotFromLists(listOf('a2'), listOf('a4'), snapshotAt);
  const liveEvents = messages.filter((m) => m.actionid === undefined);

  it('when the recorded CoreShowChannels and QueueStatus are read, then the bridged call and both members are listed', () => {
    expect(snapshot).toEqual({
      type: 'calls.snapshot', vendor: 'asterisk', at: snapshotAt,
      calls: [{ callKey: '1795346251.0', fromNumber: '13800138000', toNumber: '4008001234', queue: 'hotline', agentExtension: '8001', state: 'bridged', durationSeconds: 2 }],
      members: [
        { type: 'agent.state', vendor: 'asterisk', at: snapshotAt, queue: 'hotline', agentExtension: '8001', memberName: 'Agent 8001', state: 'in_use', paused: false, member: true },
        { type: 'agent.state', vendor: 'asterisk', at: snapshotAt, queue: 'hotline', agentExtension: '8002', memberName: 'Agent 8002', state: 'available', paused: false, member: true },
      ],
    });
  });

  it('when a QueueStatus lists a paused member, then the snapshot member is paused with its reason', () => {
    const membership = inboundMessages(loadAmiFixture('agent-membership')).filter((m) => m.actionid === 'a4');
    expect(snapshotFromLists([], membership, snapshotAt).members).toEqual([
      expect.objectContaining({ agentExtension: '8003', state: 'paused', paused: true, pausedReason: 'lunch' }),
    ]);
  });

  const END = {
    type: 'call.ended', vendor: 'asterisk', at: at('11:17:39.931'), callKey: '1795346251.0', reason: 'agent_hangup',
    hangupCause: 16, talkSeconds: 6, holdSeconds: 1, agentExtension: '8001',
  };

  it('when a new tracker starts from the snapshot, then the call it did not see start still ends once', () => {
    const tracker = new AmiCallTracker();
    tracker.applySnapshot(snapshot);
    const events = liveEvents.flatMap((m) => tracker.handle(m));
    expect(events.filter((e) => e.type !== 'agent.state')).toEqual([END]);
    expect(agentStates(events)).toEqual([['hotline', '8001', 'available']]);
    expect(tracker.openCalls).toBe(0);
  });

  it('when the first connection dropped mid-call, then the second one ends the same call without repeating its start', () => {
    const tracker = new AmiCallTracker();
    const first = replay('reconcile-after-restart-crashed-client', tracker);
    expect(first.map((e) => e.type)).toEqual(['call.offered', 'call.ringing', 'agent.state', 'call.answered']);
    tracker.applySnapshot(snapshot);
    expect(liveEvents.flatMap((m) => tracker.handle(m)).filter((e) => e.type !== 'agent.state')).toEqual([END]);
  });

  it('when a snapshot no longer lists a followed call, then the tracker forgets it without inventing an end', () => {
    const tracker = new AmiCallTracker();
    replay('reconcile-after-restart-crashed-client', tracker);
    expect(tracker.openCalls).toBe(1);
    tracker.applySnapshot({ ...snapshot, calls: [] });
    expect(tracker.openCalls).toBe(0);
  });
});

describe('AmiCallTracker robustness', () => {
  const originates: Record<string, OriginateExpectation> = {
    'click-to-call-originate': ticket(1), 'click-to-call-originate-busy': ticket(2), 'click-to-call-originate-failure': ticket(3),
  };

  it.each(listAmiFixtures())('when every frame of %s arrives twice, then the events are the same as once', (name) => {
    const once = new AmiCallTracker();
    const twice = new AmiCallTracker();
    if (originates[name]) [once, twice].forEach((t) => t.expectOriginate(originates[name]!));
    const messages = inboundMessages(loadAmiFixture(name));
    const single = messages.flatMap((m) => once.handle(m));
    const doubled = messages.flatMap((m) => [...twice.handle(m), ...twice.handle({ ...m })]);
    expect(doubled).toEqual(single);
    expect(twice.openCalls).toBe(name === 'reconcile-after-restart-crashed-client' ? 1 : 0);
  });

  it('when a recorded frame lost a required field or is unknown, then it is reported as malformed and ignored', () => {
    const problems: string[] = [];
    const tracker = new AmiCallTracker({ onMalformed: (event) => problems.push(event) });
    const join = inboundMessages(loadAmiFixture('inbound-abandoned')).find((m) => m.event === 'QueueCallerJoin')!;
    const { linkedid: _dropped, ...broken } = join as Record<string, AmiValue>;
    expect(tracker.handle(broken)).toEqual([]);
    expect(tracker.handle({ response: 'Success', message: 'no event' })).toEqual([]);
    expect(tracker.handle({ event: 'RTCPSent', channel: 'PJSIP/trunk-00000000' })).toEqual([]);
    expect(problems).toEqual(['QueueCallerJoin']);
  });

  it('when a Timestamp has microseconds, then the time keeps its milliseconds exactly', () => {
    expect(atFromTimestamp('1795346132.665735')?.toISOString()).toBe('2026-11-22T11:15:32.665Z');
    expect(atFromTimestamp('not a time')).toBeUndefined();
  });
});
