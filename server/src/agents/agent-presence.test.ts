import { PRESENCE_STATES, queueStepsFor, takesCalls } from './agent-presence';

describe('queueStepsFor', () => {
  it.each([
    ['available', [['add', undefined, undefined], ['pause', false, undefined]]],
    ['break', [['pause', true, 'break']]],
    ['wrap_up', [['pause', true, 'wrap-up']]],
    ['offline', [['remove', undefined, undefined]]],
  ] as const)('when an agent chooses %s, then the queue gets %j', (state, expected) => {
    const steps = queueStepsFor(state).map((s) => [s.op, s.op === 'pause' ? s.paused : undefined, s.op === 'pause' ? s.reason : undefined]);
    expect(steps).toEqual(expected);
  });

  it('when going available, then a refused QueueAdd (already a static member) is tolerated but a failed unpause is not', () => {
    const [add, unpause] = queueStepsFor('available');
    expect(add!.tolerate).toEqual(['rejected']);
    expect(unpause!.tolerate).toEqual([]);
  });

  it('when going offline, then a member that cannot be removed is paused with reason offline instead', () => {
    const [remove] = queueStepsFor('offline');
    expect(remove).toMatchObject({ op: 'remove', tolerate: ['not-found'], fallback: { op: 'pause', paused: true, reason: 'offline' } });
  });

  it('when asked who takes calls, then only available agents do, and not while their softphone is unregistered', () => {
    expect(PRESENCE_STATES.filter((s) => takesCalls(s))).toEqual(['available']);
    expect(PRESENCE_STATES.filter((s) => takesCalls(s, 'registered'))).toEqual(['available']);
    expect(PRESENCE_STATES.filter((s) => takesCalls(s, 'unregistered'))).toEqual([]);
  });

  it.each([
    ['available', 'unregistered', [['add', undefined, undefined], ['pause', true, 'softphone']]],
    ['available', 'registered', [['add', undefined, undefined], ['pause', false, undefined]]],
    ['available', null, [['add', undefined, undefined], ['pause', false, undefined]]],
    ['break', 'unregistered', [['pause', true, 'break']]],
    ['offline', 'unregistered', [['remove', undefined, undefined]]],
  ] as const)('when an agent is %s with the softphone %s, then the queue gets %j', (state, softphone, expected) => {
    const steps = queueStepsFor(state, softphone).map((s) => [s.op, s.op === 'pause' ? s.paused : undefined, s.op === 'pause' ? s.reason : undefined]);
    expect(steps).toEqual(expected);
  });
});
