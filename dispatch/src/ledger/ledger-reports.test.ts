import { personAccount, SYSTEM_ACCOUNTS } from './accounts';
import { calendarMonth, liabilityByDistrictAndMonth, statementOf, yearSummary } from './ledger-reports';
import { balanceOf } from './ledger-state';
import { calendarYear, calendarYearBounds } from './ledger-settings';
import { earn, ledgerAfter, settingsFor, V1, V2 } from './test/ledger-test-kit';

const settings = settingsFor({ rounding: { stepMinutes: 1, mode: 'down' }, expiryMonths: 12 });
const P1 = personAccount('p1');
const dec = new Date('2025-12-20T02:00:00Z');
const jan = new Date('2026-01-05T02:00:00Z');
const feb = new Date('2026-02-10T02:00:00Z');
/** V1 (district A) earns 300 in December 2025; in 2026 V1 earns 100, gives 50 to mother P1 (district B), buys goods for 120 (refunded), donates 30; V2 (district B) earns 60. */
const ledger = () =>
  ledgerAfter(settings, [
    [earn(V1, 180), dec],
    [earn(V1, 60), jan],
    [{ type: 'transfer', transactionId: 'x1', from: V1, to: P1, units: 50, relation: '父母' }, jan],
    [{ type: 'redeem', transactionId: 'r1', accountId: V1, target: 'goods', units: 120, orderId: 'o1' }, jan],
    [{ type: 'refund', transactionId: 'f1', redemptionTransactionId: 'r1' }, feb],
    [{ type: 'donate', transactionId: 'd1', from: V1, units: 30 }, feb],
    [earn(V2, 36), feb],
  ]);
const district = (account: string) => ({ [V1]: 'A', [V2]: 'B', [P1]: 'B' })[account] ?? null;

describe('statementOf', () => {
  it('when a volunteer reads their statement, then each line carries its signed units and the running balance', () => {
    expect(statementOf(ledger().entries, V1).map((l) => [l.kind, l.units, l.balance])).toEqual([
      ['earn', 300, 300],
      ['earn', 100, 400],
      ['transfer', -50, 350],
      ['redeem_goods', -120, 230],
      ['refund', 120, 350],
      ['donate', -30, 320],
    ]);
  });
});

describe('yearSummary', () => {
  it('when 2026 is summed, then the opening is what December left and opening + flows = closing = the balance', () => {
    const state = ledger();
    expect(yearSummary(state.entries, V1, 2026, settings)).toEqual({ year: 2026, opening: 300, issued: 100, redeemed: 0, expired: 0, transfersNet: -80, closing: 320 });
    expect(balanceOf(state, V1)).toBe(320);
  });

  it('when the year turns in Shanghai, not in UTC, then an entry at 31 December 16:30 UTC belongs to the new year', () => {
    const state = ledgerAfter(settings, [[earn(V2, 60), new Date('2025-12-31T16:30:00Z')]]);
    expect(yearSummary(state.entries, V2, 2026, settings)).toMatchObject({ opening: 0, issued: 100, closing: 100 });
    expect(calendarMonth(new Date('2025-12-31T16:30:00Z'), settings)).toBe('2026-01');
  });
});

describe('liabilityByDistrictAndMonth', () => {
  it('when the federation looks by district and month, then issued, redeemed and transfers are placed where the members belong', () => {
    expect(liabilityByDistrictAndMonth(ledger().entries, district, settings)).toEqual([
      { districtId: 'A', month: '2025-12', issued: 300, redeemed: 0, expired: 0, transfersNet: 0, liabilityChange: 300 },
      { districtId: 'A', month: '2026-01', issued: 100, redeemed: 120, expired: 0, transfersNet: -50, liabilityChange: -70 },
      { districtId: 'B', month: '2026-01', issued: 0, redeemed: 0, expired: 0, transfersNet: 50, liabilityChange: 50 },
      { districtId: null, month: '2026-02', issued: 0, redeemed: 0, expired: 0, transfersNet: 30, liabilityChange: 30 },
      { districtId: 'A', month: '2026-02', issued: 0, redeemed: -120, expired: 0, transfersNet: -30, liabilityChange: 90 },
      { districtId: 'B', month: '2026-02', issued: 60, redeemed: 0, expired: 0, transfersNet: 0, liabilityChange: 60 },
    ]);
  });

  it('when a member has no district, then they are counted with the pool under null, and the issuer, shop and expired accounts are not rows', () => {
    const rows = liabilityByDistrictAndMonth(ledger().entries, () => null, settings);
    expect(new Set(rows.map((r) => r.districtId))).toEqual(new Set([null]));
    expect(rows.reduce((s, r) => s + r.liabilityChange, 0)).toBe(-balanceOf(ledger(), SYSTEM_ACCOUNTS.issuer) - balanceOf(ledger(), SYSTEM_ACCOUNTS.shop));
  });
});

describe('calendarYearBounds', () => {
  it.each([
    ['the first instant of the year in Shanghai', '2025-12-31T16:00:00.000Z', 2026],
    ['the last instant of the previous year', '2025-12-31T15:59:59.999Z', 2025],
    ['the last instant of the year', '2026-12-31T15:59:59.999Z', 2026],
    ['the first instant of the next year', '2026-12-31T16:00:00.000Z', 2027],
  ])('when an entry is at %s, then it lies inside the bounds exactly when calendarYear says so', (_what, iso, year) => {
    const at = new Date(iso);
    const { start, end } = calendarYearBounds(2026, { utcOffsetMinutes: 480 });
    expect(calendarYear(at, { utcOffsetMinutes: 480 })).toBe(year);
    expect(at >= start && at < end).toBe(year === 2026);
  });
});
