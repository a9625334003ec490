import { SYSTEM_ACCOUNTS } from './accounts';
import { coinLots, expiredUnits } from './expiry';
import { applyLedgerCommand } from './ledger';
import { addCalendarMonths } from './ledger-settings';
import { balanceOf, withEntries } from './ledger-state';
import { earn, ledgerAfter, settingsFor, tx, V1 } from './test/ledger-test-kit';

const settings = settingsFor({ rounding: { stepMinutes: 1, mode: 'down' }, expiryMonths: 12 });
const jan = new Date('2025-01-10T02:00:00Z');
const jun = new Date('2025-06-10T02:00:00Z');
/** V1 earns 300 in January and 200 in June 2025, then spends 100 in July. */
const history = () =>
  ledgerAfter(settings, [
    [earn(V1, 180), jan],
    [earn(V1, 120), jun],
    [{ type: 'redeem', transactionId: tx(), accountId: V1, target: 'service', units: 100, orderId: 'o' }, new Date('2025-07-01T00:00:00Z')],
  ]);

describe('addCalendarMonths (Asia/Shanghai)', () => {
  it.each<[string, number, string]>([
    ['2025-01-10T02:00:00Z', 12, '2026-01-10T02:00:00.000Z'],
    ['2025-01-30T16:30:00Z', 1, '2025-02-27T16:30:00.000Z'], // 31 Jan 00:30 in Shanghai → 28 Feb 00:30
    ['2024-01-31T04:00:00Z', 1, '2024-02-29T04:00:00.000Z'],
    ['2025-11-30T20:00:00Z', 3, '2026-02-28T20:00:00.000Z'], // 1 Dec 04:00 in Shanghai → 1 Mar 04:00
  ])('when %s gets %i months, then it is %s', (from, months, expected) => {
    expect(addCalendarMonths(new Date(from), months, settings).toISOString()).toBe(expected);
  });
});

describe('expiry', () => {
  it('when units are spent, then the oldest credit is used first', () => {
    expect(coinLots(history(), V1, settings).map((l) => [l.creditedAt.toISOString(), l.units])).toEqual([
      [jan.toISOString(), 200],
      [jun.toISOString(), 200],
    ]);
  });

  it.each<[string, string, number]>([
    ['the day before the first lot expires', '2026-01-10T01:59:59Z', 0],
    ['the moment the first lot expires', '2026-01-10T02:00:00Z', 200],
    ['after both lots expired', '2026-06-10T02:00:00Z', 400],
  ])('when it is %s, then the expired units are as the rule says', (_what, at, units) => {
    expect(expiredUnits(history(), V1, settings, new Date(at))).toBe(units);
  });

  it('when the expiry runs, then the expired units move to the expired account and a second run finds nothing', () => {
    const state = history();
    const now = new Date('2026-02-01T00:00:00Z');
    const outcome = applyLedgerCommand(state, { type: 'expire', transactionId: 'x1', accountId: V1 }, settings, now);
    expect(outcome.ok && outcome.entries.map((e) => [e.accountId, e.units, e.kind])).toEqual([
      [V1, -200, 'expire'],
      [SYSTEM_ACCOUNTS.expired, 200, 'expire'],
    ]);
    const after = withEntries(state, outcome.ok ? outcome.entries : []);
    expect(balanceOf(after, V1)).toBe(200);
    expect(applyLedgerCommand(after, { type: 'expire', transactionId: 'x2', accountId: V1 }, settings, now)).toMatchObject({ ok: false, code: 'ledger/nothing-to-expire' });
  });

  it.each<[string, object, string]>([
    ['expiry is off', { expiryMonths: null }, 'ledger/expiry-disabled'],
    ['the account is the pool', { accountId: SYSTEM_ACCOUNTS.pool }, 'ledger/not-a-member-account'],
  ])('when %s, then the expiry is refused', (_what, over, code) => {
    const s = 'expiryMonths' in over ? settingsFor({ expiryMonths: null }) : settings;
    const accountId = 'accountId' in over ? (over as { accountId: string }).accountId : V1;
    expect(applyLedgerCommand(history(), { type: 'expire', transactionId: 'x', accountId }, s, new Date('2030-01-01T00:00:00Z'))).toMatchObject({ ok: false, code });
  });
});
