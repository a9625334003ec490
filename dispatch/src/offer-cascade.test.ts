import { applyCascadeEvent, createCascade, type CascadeEffect, type CascadeEvent, type CascadeState } from './offer-cascade';

const T0 = new Date('2026-12-05T10:00:00+08:00');
const at = (s: number) => new Date(T0.getTime() + s * 1000);
const TIMEOUT = 120_000;

/** Run events in order; every step must be accepted unless it is the last. */
function run(state: CascadeState, ...events: CascadeEvent[]) {
  let effects: CascadeEffect[] = [];
  let step = { state, effects } as ReturnType<typeof applyCascadeEvent>;
  for (const [i, e] of events.entries()) {
    step = applyCascadeEvent(step.state, e);
    if (step.rejection && i < events.length - 1) throw new Error(`event ${i} (${e.type}) rejected: ${step.rejection.code}`);
  }
  return step;
}
const sequential = () => createCascade({ jobId: 'j', parallel: 1, timeoutMs: TIMEOUT });
const parallel3 = () => createCascade({ jobId: 'j', parallel: 3, timeoutMs: TIMEOUT });
const start = (ids: string[], s = 0): CascadeEvent => ({ type: 'start', at: at(s), candidateIds: ids });
const statuses = (s: CascadeState) => s.offers.map((o) => `${o.candidateId}:${o.status}`);

describe('offer cascade: sequential', () => {
  it('when started, then the first candidate gets an offer with a timer at now + timeout', () => {
    const step = run(sequential(), start(['a', 'b', 'c']));
    expect(step.state.status).toBe('offering');
    expect(step.effects).toEqual([{ type: 'send_offer', offerId: 'j/1', candidateId: 'a', expiresAt: at(120) }]);
    expect(step.state.queue).toEqual(['b', 'c']);
  });

  it.each<[string, CascadeEvent, string[], CascadeEffect[]]>([
    ['a declines', { type: 'decline', at: at(30), offerId: 'j/1', note: '  在外地 ' }, ['a:declined', 'b:open'], [{ type: 'cancel_timer', offerId: 'j/1' }, { type: 'send_offer', offerId: 'j/2', candidateId: 'b', expiresAt: at(150) }]],
    ['a times out', { type: 'timeout', at: at(120), offerId: 'j/1' }, ['a:timed_out', 'b:open'], [{ type: 'send_offer', offerId: 'j/2', candidateId: 'b', expiresAt: at(240) }]],
    ['a accepts', { type: 'accept', at: at(10), offerId: 'j/1' }, ['a:accepted'], [{ type: 'cancel_timer', offerId: 'j/1' }, { type: 'confirm_assignment', candidateId: 'a', offerId: 'j/1', via: 'offer' }]],
  ])('when %s, then the offers are %j', (_, event, expected, effects) => {
    const step = run(sequential(), start(['a', 'b']), event);
    expect(step.rejection).toBeUndefined();
    expect(statuses(step.state)).toEqual(expected);
    expect(step.effects).toEqual(effects);
  });

  it('when a decline carries a note, then the note is kept trimmed', () => {
    expect(run(sequential(), start(['a', 'b']), { type: 'decline', at: at(1), offerId: 'j/1', note: '  在外地 ' }).state.offers[0]!.declineNote).toBe('在外地');
  });

  it('when everyone declines or times out, then the job goes back to the dispatcher with every outcome', () => {
    const step = run(
      sequential(),
      start(['a', 'b', 'c']),
      { type: 'decline', at: at(10), offerId: 'j/1', note: '生病' },
      { type: 'timeout', at: at(130), offerId: 'j/2' },
      { type: 'decline', at: at(140), offerId: 'j/3' },
    );
    expect(step.state.status).toBe('with_dispatcher');
    expect(step.effects).toEqual([
      { type: 'cancel_timer', offerId: 'j/3' },
      {
        type: 'return_to_dispatcher',
        cause: 'list_exhausted',
        outcomes: [
          { offerId: 'j/1', candidateId: 'a', status: 'declined', withdrawReason: null, declineNote: '生病' },
          { offerId: 'j/2', candidateId: 'b', status: 'timed_out', withdrawReason: null, declineNote: null },
          { offerId: 'j/3', candidateId: 'c', status: 'declined', withdrawReason: null, declineNote: null },
        ],
      },
    ]);
  });

  it('when started with nobody eligible, then the job goes straight back to the dispatcher', () => {
    const step = run(sequential(), start([]));
    expect(step.state.status).toBe('with_dispatcher');
    expect(step.effects).toEqual([{ type: 'return_to_dispatcher', cause: 'no_candidates', outcomes: [] }]);
  });

  it('when the list repeats a candidate, then they get one offer', () => {
    const step = run(sequential(), start(['a', 'a', 'b']), { type: 'decline', at: at(1), offerId: 'j/1' });
    expect(statuses(step.state)).toEqual(['a:declined', 'b:open']);
  });
});

describe('offer cascade: refused answers', () => {
  it.each<[string, CascadeEvent[], string, string]>([
    ['an accept after the offer timed out', [start(['a', 'b']), { type: 'timeout', at: at(120), offerId: 'j/1' }, { type: 'accept', at: at(125), offerId: 'j/1' }], 'offer_expired', 'b:open'],
    ['an accept after the dispatcher withdrew the offer', [start(['a', 'b']), { type: 'withdraw', at: at(5), offerId: 'j/1' }, { type: 'accept', at: at(6), offerId: 'j/1' }], 'offer_withdrawn', 'b:open'],
    ['a second accept of the same offer', [start(['a', 'b']), { type: 'accept', at: at(5), offerId: 'j/1' }, { type: 'accept', at: at(6), offerId: 'j/1' }], 'already_accepted', 'a:accepted'],
    ['a decline after accepting', [start(['a', 'b']), { type: 'accept', at: at(5), offerId: 'j/1' }, { type: 'decline', at: at(6), offerId: 'j/1' }], 'already_accepted', 'a:accepted'],
    ['an accept after declining', [start(['a', 'b']), { type: 'decline', at: at(5), offerId: 'j/1' }, { type: 'accept', at: at(6), offerId: 'j/1' }], 'offer_declined', 'b:open'],
    ['an accept of an offer that was never sent', [start(['a']), { type: 'accept', at: at(5), offerId: 'j/9' }], 'unknown_offer', 'a:open'],
    ['a timer firing early', [start(['a']), { type: 'timeout', at: at(119), offerId: 'j/1' }], 'timer_not_due', 'a:open'],
    ['a timer firing twice', [start(['a', 'b']), { type: 'timeout', at: at(120), offerId: 'j/1' }, { type: 'timeout', at: at(121), offerId: 'j/1' }], 'not_allowed', 'b:open'],
    ['a second start', [start(['a']), start(['b'], 1)], 'not_allowed', 'a:open'],
  ])('when %s, then it is refused (%s) and nothing changes', (_, events, code, lastOffer) => {
    const before = run(sequential(), ...events.slice(0, -1)).state;
    const step = applyCascadeEvent(before, events[events.length - 1]!);
    expect(step.rejection?.code).toBe(code);
    expect(step.rejection?.message).toEqual(expect.any(String));
    expect(step.state).toBe(before);
    expect(step.effects).toEqual([]);
    expect(statuses(step.state).at(-1)).toBe(lastOffer);
  });

  it('when an accept arrives after the deadline but before the timer fired, then it is refused and the offer expires and the next goes out', () => {
    const step = run(sequential(), start(['a', 'b']), { type: 'accept', at: at(121), offerId: 'j/1' });
    expect(step.rejection?.code).toBe('offer_expired');
    expect(statuses(step.state)).toEqual(['a:timed_out', 'b:open']);
    expect(step.state.assignee).toBeNull();
    expect(step.effects).toEqual([{ type: 'cancel_timer', offerId: 'j/1' }, { type: 'send_offer', offerId: 'j/2', candidateId: 'b', expiresAt: at(241) }]);
  });

  it('when the state is given to a step, then it is never mutated', () => {
    const s1 = run(sequential(), start(['a', 'b'])).state;
    const frozen = structuredClone(s1);
    applyCascadeEvent(s1, { type: 'accept', at: at(1), offerId: 'j/1' });
    expect(s1).toEqual(frozen);
  });
});

describe('offer cascade: urgent jobs in parallel', () => {
  it('when started, then the top three get offers at once', () => {
    const step = run(parallel3(), start(['a', 'b', 'c', 'd', 'e']));
    expect(step.effects.map((e) => e.type === 'send_offer' && e.candidateId)).toEqual(['a', 'b', 'c']);
  });

  it('when one accepts, then the first accept wins and the other open offers are withdrawn with a notice', () => {
    const step = run(parallel3(), start(['a', 'b', 'c', 'd']), { type: 'accept', at: at(20), offerId: 'j/2' });
    expect(statuses(step.state)).toEqual(['a:withdrawn', 'b:accepted', 'c:withdrawn']);
    expect(step.state.assignee).toEqual({ candidateId: 'b', via: 'offer', offerId: 'j/2', at: at(20) });
    expect(step.effects).toEqual([
      { type: 'cancel_timer', offerId: 'j/2' },
      { type: 'cancel_timer', offerId: 'j/1' },
      { type: 'notify_withdrawn', offerId: 'j/1', candidateId: 'a', reason: 'taken_by_other' },
      { type: 'cancel_timer', offerId: 'j/3' },
      { type: 'notify_withdrawn', offerId: 'j/3', candidateId: 'c', reason: 'taken_by_other' },
      { type: 'confirm_assignment', candidateId: 'b', offerId: 'j/2', via: 'offer' },
    ]);
  });

  it('when a second candidate accepts a moment later, then they are told someone accepted first', () => {
    const step = run(parallel3(), start(['a', 'b', 'c']), { type: 'accept', at: at(20), offerId: 'j/2' }, { type: 'accept', at: at(21), offerId: 'j/1' });
    expect(step.rejection).toEqual({ code: 'offer_withdrawn', message: 'another candidate accepted first' });
    expect(step.state.assignee?.candidateId).toBe('b');
  });

  it('when one of the parallel offers is declined, then the next candidate fills its place', () => {
    const step = run(parallel3(), start(['a', 'b', 'c', 'd']), { type: 'decline', at: at(5), offerId: 'j/3' });
    expect(statuses(step.state)).toEqual(['a:open', 'b:open', 'c:declined', 'd:open']);
  });

  it('when all parallel offers time out and nobody is left, then the job goes back to the dispatcher once', () => {
    const step = run(parallel3(), start(['a', 'b']), { type: 'timeout', at: at(120), offerId: 'j/1' });
    expect(step.state.status).toBe('offering');
    const last = applyCascadeEvent(step.state, { type: 'timeout', at: at(120), offerId: 'j/2' });
    expect(last.state.status).toBe('with_dispatcher');
    expect(last.effects.filter((e) => e.type === 'return_to_dispatcher')).toHaveLength(1);
  });
});

describe('offer cascade: dispatcher override', () => {
  it('when the dispatcher assigns someone directly, then open offers are withdrawn and the assignee confirmed', () => {
    const step = run(parallel3(), start(['a', 'b']), { type: 'assign', at: at(30), candidateId: 'x' });
    expect(step.state.status).toBe('assigned');
    expect(step.state.assignee).toEqual({ candidateId: 'x', via: 'dispatcher', offerId: null, at: at(30) });
    expect(statuses(step.state)).toEqual(['a:withdrawn', 'b:withdrawn']);
    expect(step.effects.filter((e) => e.type === 'notify_withdrawn').map((e) => e.type === 'notify_withdrawn' && e.reason)).toEqual(['assigned_directly', 'assigned_directly']);
  });

  it('when the dispatcher assigns someone who has an open offer (by phone), then that offer counts as accepted', () => {
    const step = run(parallel3(), start(['a', 'b']), { type: 'assign', at: at(30), candidateId: 'b' });
    expect(statuses(step.state)).toEqual(['a:withdrawn', 'b:accepted']);
    expect(step.state.assignee?.offerId).toBe('j/2');
  });

  it('when the dispatcher withdraws one offer, then the cascade goes on to the next candidate', () => {
    const step = run(sequential(), start(['a', 'b']), { type: 'withdraw', at: at(10), offerId: 'j/1' });
    expect(statuses(step.state)).toEqual(['a:withdrawn', 'b:open']);
    expect(step.effects[1]).toEqual({ type: 'notify_withdrawn', offerId: 'j/1', candidateId: 'a', reason: 'dispatcher' });
  });

  it('when the dispatcher withdraws the accepted assignment, then the assignee is told and the job is back with the dispatcher', () => {
    const step = run(sequential(), start(['a', 'b']), { type: 'accept', at: at(5), offerId: 'j/1' }, { type: 'withdraw', at: at(50), offerId: 'j/1' });
    expect(step.state.status).toBe('with_dispatcher');
    expect(step.state.assignee).toBeNull();
    expect(step.effects.map((e) => e.type)).toEqual(['notify_withdrawn', 'return_to_dispatcher']);
    expect(step.effects[1]).toMatchObject({ cause: 'withdrawn' });
  });

  it('when the dispatcher withdraws everything, then all open offers are withdrawn and nothing more is offered', () => {
    const step = run(parallel3(), start(['a', 'b', 'c', 'd']), { type: 'withdraw', at: at(5) });
    expect(statuses(step.state)).toEqual(['a:withdrawn', 'b:withdrawn', 'c:withdrawn']);
    expect(step.state.queue).toEqual([]);
    expect(step.state.status).toBe('with_dispatcher');
  });

  it('when the dispatcher re-offers after the list ran out, then people who declined can be asked again', () => {
    const step = run(sequential(), start(['a']), { type: 'decline', at: at(5), offerId: 'j/1' }, { type: 'reoffer', at: at(600), candidateIds: ['a', 'z'] });
    expect(step.state.status).toBe('offering');
    expect(step.effects).toEqual([{ type: 'send_offer', offerId: 'j/2', candidateId: 'a', expiresAt: at(720) }]);
  });

  it('when the dispatcher re-offers while offers are open, then nobody gets a second open offer', () => {
    const step = run(parallel3(), start(['a']), { type: 'reoffer', at: at(5), candidateIds: ['a', 'b'] });
    expect(statuses(step.state)).toEqual(['a:open', 'b:open']);
  });

  it.each<[string, CascadeEvent[]]>([
    ['re-offer an assigned job', [start(['a']), { type: 'accept', at: at(1), offerId: 'j/1' }, { type: 'reoffer', at: at(2), candidateIds: ['b'] }]],
    ['assign an assigned job', [start(['a']), { type: 'accept', at: at(1), offerId: 'j/1' }, { type: 'assign', at: at(2), candidateId: 'b' }]],
    ['withdraw when the job is with the dispatcher', [start([]), { type: 'withdraw', at: at(2) }]],
    ['re-offer a cancelled job', [start(['a']), { type: 'cancel', at: at(1) }, { type: 'reoffer', at: at(2), candidateIds: ['b'] }]],
    ['cancel twice', [start(['a']), { type: 'cancel', at: at(1) }, { type: 'cancel', at: at(2) }]],
  ])('when the dispatcher tries to %s, then it is refused', (_, events) => {
    expect(run(sequential(), ...events).rejection?.code).toBe('not_allowed');
  });

  it('when the job is cancelled while assigned, then the assignee is told', () => {
    const step = run(sequential(), start(['a']), { type: 'accept', at: at(1), offerId: 'j/1' }, { type: 'cancel', at: at(9) });
    expect(step.state.status).toBe('cancelled');
    expect(step.effects).toEqual([{ type: 'notify_withdrawn', offerId: 'j/1', candidateId: 'a', reason: 'cancelled' }]);
  });
});
