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

  it('when asked who takes calls, then only available agents do', () => {
    expect(PRESENCE_STATES.filter(takesCalls)).toEqual(['available']);
  });
});
