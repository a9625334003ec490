import { RevealLimiter } from './reveal-limiter';

const MIN = 60_000;

describe('RevealLimiter', () => {
  it('when a user reveals more than the limit within the window, then the next is refused until the oldest leaves it', () => {
    const l = new RevealLimiter({ limit: 3, windowMs: 10 * MIN, bulkPersons: 99 });
    for (let i = 0; i < 3; i++) expect(l.take('u', 'p', i * MIN).ok).toBe(true);
    expect(l.take('u', 'p', 3 * MIN)).toEqual({ ok: false, retryAfterSeconds: 7 * 60 });
    expect(l.take('other', 'p', 3 * MIN).ok).toBe(true);
    expect(l.take('u', 'p', 10 * MIN + 1).ok).toBe(true);
  });

  it('when a user reaches the bulk threshold of distinct persons, then one alert is raised, not one per reveal', () => {
    const l = new RevealLimiter({ limit: 100, windowMs: 10 * MIN, bulkPersons: 3 });
    expect(l.take('u', 'a', 0)).toEqual({ ok: true, bulk: null });
    expect(l.take('u', 'a', 1)).toEqual({ ok: true, bulk: null });
    expect(l.take('u', 'b', 2)).toEqual({ ok: true, bulk: null });
    expect(l.take('u', 'c', 3)).toEqual({ ok: true, bulk: { persons: ['a', 'b', 'c'] } });
    expect(l.take('u', 'd', 4)).toEqual({ ok: true, bulk: null });
    // Once the window has emptied, a new burst alerts again.
    expect(l.take('u', 'e', 20 * MIN)).toEqual({ ok: true, bulk: null });
    l.take('u', 'f', 20 * MIN + 1);
    expect(l.take('u', 'g', 20 * MIN + 2)).toEqual({ ok: true, bulk: { persons: ['e', 'f', 'g'] } });
  });
});
