import { backoffMs, DEFAULT_BACKOFF } from './backoff';

describe('backoffMs', () => {
  it.each([
    [1, 5_000],
    [2, 10_000],
    [3, 20_000],
    [7, 320_000],
    [8, 600_000],
    [40, 600_000],
  ])('when try %i failed (no jitter), then the next waits %i ms', (attempt, ms) => {
    expect(backoffMs(attempt, DEFAULT_BACKOFF, () => 0.5)).toBe(ms);
  });

  it('when jitter applies, then the delay stays within ±20 % and under the cap', () => {
    expect(backoffMs(2, DEFAULT_BACKOFF, () => 0)).toBe(8_000);
    expect(backoffMs(2, DEFAULT_BACKOFF, () => 0.999999)).toBe(12_000);
    expect(backoffMs(9, DEFAULT_BACKOFF, () => 0.999999)).toBe(600_000);
  });
});
