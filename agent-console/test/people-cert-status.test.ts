/** The people screens' certificate flag: expired / expiring within 30 days / valid (pure, table-driven). */
import { certStatus, daysUntil, shanghaiToday } from '../src/features/people/cert-status';

describe('certStatus', () => {
  it.each([
    ['2026-12-04', { status: 'expired', days: -1 }],
    ['2026-12-05', { status: 'expiring', days: 0 }],
    ['2027-01-04', { status: 'expiring', days: 30 }],
    ['2027-01-05', { status: 'valid', days: 31 }],
    ['2028-06-30', { status: 'valid', days: 573 }],
  ])('when a certificate expires on %s and today is 2026-12-05, then it is %p', (expiresOn, view) => {
    expect(certStatus(expiresOn, '2026-12-05')).toEqual(view);
  });

  it('when the window is given, then it is used', () => {
    expect(certStatus('2026-12-15', '2026-12-05', 7)).toEqual({ status: 'valid', days: 10 });
  });

  it('when it is late evening UTC, then "today" is already the next Shanghai day', () => {
    expect(shanghaiToday(Date.parse('2026-12-05T16:30:00Z'))).toBe('2026-12-06');
    expect(shanghaiToday(Date.parse('2026-12-05T15:59:00Z'))).toBe('2026-12-05');
  });

  it('when counting across a month end, then whole days come out', () => {
    expect(daysUntil('2027-03-01', '2027-02-27')).toBe(2);
  });
});
