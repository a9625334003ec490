import assert from 'node:assert/strict';
import fc from 'fast-check';
import { applyCascadeEvent, createCascade, type CascadeEvent, type CascadeState } from './offer-cascade';

const T0 = Date.parse('2026-12-05T02:00:00Z');
const TIMEOUT = 120_000;
const POOL = ['c0', 'c1', 'c2', 'c3', 'c4', 'c5'];

/** An abstract command, turned into a concrete event against the state it meets. */
const commandArb = fc.record({
  kind: fc.constantFrom('accept', 'accept', 'decline', 'timeout', 'timeout', 'withdraw_one', 'withdraw_all', 'assign', 'reoffer', 'cancel'),
  pick: fc.nat(),
  /** Seconds that pass before the command. */
  wait: fc.integer({ min: 0, max: 200 }),
  list: fc.subarray(POOL),
});
type Command = ReturnType<typeof commandArb.generate>['value'];

function toEvent(s: CascadeState, c: Command, now: number): CascadeEvent {
  const at = new Date(now);
  // Any offer, open or not: late and double answers happen.
  const offer = s.offers.length ? s.offers[c.pick % s.offers.length]! : undefined;
  const offerId = offer?.offerId ?? `${s.jobId}/99`;
  switch (c.kind) {
    case 'accept':
      return { type: 'accept', at, offerId };
    case 'decline':
      return { type: 'decline', at, offerId };
    case 'timeout':
      // Timers fire at or after their due time; sometimes a stale timer fires for an offer already ended.
      return { type: 'timeout', at: offer ? new Date(Math.max(now, offer.expiresAt.getTime())) : at, offerId };
    case 'withdraw_one':
      return { type: 'withdraw', at, offerId };
    case 'withdraw_all':
      return { type: 'withdraw', at };
    case 'assign':
      return { type: 'assign', at, candidateId: POOL[c.pick % POOL.length]! };
    case 'reoffer':
      return { type: 'reoffer', at, candidateIds: c.list };
    case 'cancel':
      return { type: 'cancel', at };
    default:
      throw new Error(`unknown command ${c.kind as string}`);
  }
}

/** Checks the state against the timers the server would hold, after every step. */
function checkInvariants(s: CascadeState, timers: Set<string>): void {
  const open = s.offers.filter((o) => o.status === 'open');
  const accepted = s.offers.filter((o) => o.status === 'accepted');
  assert.ok(accepted.length <= 1, 'two accepted offers');
  assert.equal(s.status === 'assigned', s.assignee !== null, 'assigned without an assignee or the reverse');
  if (accepted.length) assert.equal(s.assignee?.offerId, accepted[0]!.offerId);
  if (s.status !== 'offering') assert.deepEqual(open, [], `open offers while ${s.status}`);
  else assert.ok(open.length >= 1, 'offering with nothing open');
  assert.ok(open.length <= s.parallel, 'more open offers than parallel');
  assert.equal(new Set(open.map((o) => o.candidateId)).size, open.length, 'two open offers to one candidate');
  // Exactly one live timer per open offer: none leaks, none is missing.
  assert.deepEqual([...timers].sort(), open.map((o) => o.offerId).sort(), 'live timers differ from open offers');
  for (const o of s.offers) assert.equal(o.endedAt === null, o.status === 'open', `offer ${o.offerId} end time`);
}

describe('offer cascade properties', () => {
  it('whatever happens, there are never two accepted offers, timers match open offers, and every offer ends', () => {
    fc.assert(
      fc.property(fc.integer({ min: 1, max: 3 }), fc.subarray(POOL), fc.array(commandArb, { maxLength: 40 }), (parallel, first, commands) => {
        let now = T0;
        const timers = new Set<string>();
        const sent = new Set<string>();
        let state = createCascade({ jobId: 'j', parallel, timeoutMs: TIMEOUT });
        const apply = (event: CascadeEvent) => {
          const step = applyCascadeEvent(state, event);
          if (step.rejection && step.state === state) assert.deepEqual(step.effects, []);
          for (const e of step.effects) {
            if (e.type === 'send_offer') {
              assert.ok(!sent.has(e.offerId), `offer id ${e.offerId} sent twice`);
              sent.add(e.offerId);
              timers.add(e.offerId);
            }
            if (e.type === 'cancel_timer') assert.ok(timers.delete(e.offerId), `cancel of a timer not held: ${e.offerId}`);
          }
          // A timer that fired and was accepted is spent.
          if (event.type === 'timeout' && !step.rejection) assert.ok(timers.delete(event.offerId), `timeout of a timer not held: ${event.offerId}`);
          const confirmations = step.effects.filter((e) => e.type === 'confirm_assignment');
          assert.ok(confirmations.length <= 1, 'two confirmations in one step');
          state = step.state;
          checkInvariants(state, timers);
        };

        apply({ type: 'start', at: new Date(now), candidateIds: first });
        for (const c of commands) {
          now += c.wait * 1000;
          apply(toEvent(state, c, now));
        }
        // Nobody answers any more: the timers fire until nothing is open.
        for (let rounds = 0; state.offers.some((o) => o.status === 'open'); rounds++) {
          assert.ok(rounds <= POOL.length * 2, 'timeouts never end the cascade');
          const next = state.offers.find((o) => o.status === 'open')!;
          now = Math.max(now, next.expiresAt.getTime());
          apply({ type: 'timeout', at: new Date(now), offerId: next.offerId });
        }
        assert.ok(['assigned', 'with_dispatcher', 'cancelled'].includes(state.status), `ended ${state.status}`);
        assert.equal(timers.size, 0);
        assert.ok(state.offers.every((o) => o.endedAt !== null));
      }),
      { numRuns: 1000 },
    );
  });
});
