import { addDays, atLocal, DEFAULT_RETRY, DEFAULT_WINDOW, defaultCadence, dueAtOf, nextAttemptAt, nextCallTime, shanghaiDate, slotAfter, slotOnOrAfter, windowIsUsable, type Recurrence } from './care-recurrence';

/** Every slot of `r` from its anchor up to `until`. */
function slots(r: Recurrence, until: string): string[] {
  const out: string[] = [];
  for (let s = slotOnOrAfter(r, r.anchorDay); s <= until; s = slotAfter(r, s)) out.push(s);
  return out;
}

describe('care recurrence', () => {
  it.each([
    ['high', 'weekly'],
    ['key', 'monthly'],
    ['general', 'quarterly'],
  ] as const)('when a %s-risk person gets a plan, then the default cadence is %s', (tier, cadence) => {
    expect(defaultCadence(tier)).toBe(cadence);
  });

  it('when the anchor is the 31st, then monthly slots clamp to each month end and return to the 31st', () => {
    expect(slots({ cadence: 'monthly', anchorDay: '2027-12-31' }, '2028-05-31')).toEqual(['2027-12-31', '2028-01-31', '2028-02-29', '2028-03-31', '2028-04-30', '2028-05-31']);
    expect(slots({ cadence: 'monthly', anchorDay: '2026-01-31' }, '2026-03-31')).toEqual(['2026-01-31', '2026-02-28', '2026-03-31']);
  });

  it('when the anchor is 29 February, then quarterly slots keep the 29th and the next February has 28 days', () => {
    expect(slots({ cadence: 'quarterly', anchorDay: '2028-02-29' }, '2029-06-01')).toEqual(['2028-02-29', '2028-05-29', '2028-08-29', '2028-11-29', '2029-02-28', '2029-05-29']);
  });

  it('when weekly crosses a year end and a leap day, then slots stay 7 days apart', () => {
    expect(slots({ cadence: 'weekly', anchorDay: '2027-12-27' }, '2028-01-17')).toEqual(['2027-12-27', '2028-01-03', '2028-01-10', '2028-01-17']);
    expect(slots({ cadence: 'weekly', anchorDay: '2028-02-22' }, '2028-03-08')).toEqual(['2028-02-22', '2028-02-29', '2028-03-07']);
  });

  it('when twice weekly, then two calls a week, 3 and 4 days apart', () => {
    expect(slots({ cadence: 'twice_weekly', anchorDay: '2026-11-30' }, '2026-12-14')).toEqual(['2026-11-30', '2026-12-03', '2026-12-07', '2026-12-10', '2026-12-14']);
  });

  it('when custom every 10 days, then across February in a leap year the gap stays 10 days', () => {
    expect(slots({ cadence: 'custom', intervalDays: 10, anchorDay: '2028-02-15' }, '2028-03-20')).toEqual(['2028-02-15', '2028-02-25', '2028-03-06', '2028-03-16']);
  });

  it('when asked for a day before the anchor, then the anchor is the first slot', () => {
    expect(slotOnOrAfter({ cadence: 'monthly', anchorDay: '2026-06-15' }, '2026-01-01')).toBe('2026-06-15');
  });

  it('when a day is between slots, then the next slot is returned (monthly from a clamped month)', () => {
    expect(slotOnOrAfter({ cadence: 'monthly', anchorDay: '2026-01-30' }, '2026-03-01')).toBe('2026-03-30');
    expect(slotOnOrAfter({ cadence: 'quarterly', anchorDay: '2026-01-15' }, '2026-04-16')).toBe('2026-07-15');
  });

  it('when UTC is still the previous evening, then the Shanghai day is already the next one', () => {
    expect(shanghaiDate(new Date('2028-02-28T16:00:00Z'))).toBe('2028-02-29');
    expect(addDays('2028-02-28', 2)).toBe('2028-03-01');
    expect(atLocal('2028-02-29', 9 * 60).toISOString()).toBe('2028-02-29T01:00:00.000Z');
  });

  describe('window and quiet hours', () => {
    const at = (local: string) => new Date(`${local}+08:00`);
    it.each([
      ['before the window', '2026-03-02T07:15:00', '2026-03-02T09:00:00'],
      ['inside the window', '2026-03-02T10:20:00', '2026-03-02T10:20:00'],
      ['in the quiet hours', '2026-03-02T12:30:00', '2026-03-02T14:00:00'],
      ['at the end of the window', '2026-03-02T18:00:00', '2026-03-03T09:00:00'],
      ['late at night', '2026-03-02T23:59:00', '2026-03-03T09:00:00'],
    ])('when the time is %s, then the next call time is the next open minute', (_case, local, expected) => {
      expect(nextCallTime(at(local), DEFAULT_WINDOW).getTime()).toBe(at(expected).getTime());
    });

    it('when quiet hours wrap midnight over the window start, then calls start when they end', () => {
      const w = { start: 6 * 60, end: 20 * 60, quietStart: 19 * 60, quietEnd: 8 * 60 };
      expect(nextCallTime(at('2026-03-02T06:30:00'), w).getTime()).toBe(at('2026-03-02T08:00:00').getTime());
      expect(nextCallTime(at('2026-03-02T19:10:00'), w).getTime()).toBe(at('2026-03-03T08:00:00').getTime());
    });

    it('when the quiet hours cover the whole window, then the window is unusable', () => {
      expect(windowIsUsable({ start: 600, end: 700, quietStart: 500, quietEnd: 800 })).toBe(false);
      expect(windowIsUsable(DEFAULT_WINDOW)).toBe(true);
    });

    it('when a slot day is due, then the call is due at the window opening that day (on 29 Feb too)', () => {
      expect(dueAtOf('2028-02-29', { start: 12 * 60 + 30, end: 17 * 60, quietStart: 12 * 60, quietEnd: 14 * 60 }).getTime()).toBe(at('2028-02-29T14:00:00').getTime());
    });

    it('when nobody answers, then 3 attempts an hour apart inside the window, skipping the quiet hours, then none', () => {
      const first = at('2026-03-02T10:30:00');
      const second = nextAttemptAt(first, 1, DEFAULT_WINDOW, DEFAULT_RETRY)!;
      expect(second.getTime()).toBe(at('2026-03-02T11:30:00').getTime());
      const third = nextAttemptAt(second, 2, DEFAULT_WINDOW, DEFAULT_RETRY)!;
      expect(third.getTime()).toBe(at('2026-03-02T14:00:00').getTime());
      expect(nextAttemptAt(third, 3, DEFAULT_WINDOW, DEFAULT_RETRY)).toBeNull();
    });

    it('when the last attempt is late in the day, then the retry moves to the next morning', () => {
      expect(nextAttemptAt(at('2026-12-31T17:30:00'), 1, DEFAULT_WINDOW)!.getTime()).toBe(at('2027-01-01T09:00:00').getTime());
    });
  });
});
