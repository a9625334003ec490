import { personAccount, SYSTEM_ACCOUNTS } from './accounts';
import { applyLedgerCommand, type LedgerCommand } from './ledger';
import { balanceOf, creditedInYear, withEntries } from './ledger-state';
import { earn, ledgerAfter, NOW, settingsFor, tx, V1, V2 } from './test/ledger-test-kit';

const settings = settingsFor({ rounding: { stepMinutes: 1, mode: 'down' }, annualCapUnits: 1000 });
const P1 = personAccount('p1');
const seeded = () =>
  ledgerAfter(settings, [
    { type: 'earn_job', transactionId: 'earn-1', job: { jobId: 'j1', volunteerAccountId: V1, status: 'completed', checkInAt: new Date('2026-06-15T01:00:00Z'), checkOutAt: new Date('2026-06-15T04:00:00Z'), confirmation: { by: 'recipient', at: NOW } } },
    earn(V2, 60),
    { type: 'transfer', transactionId: 'transfer-1', from: V1, to: P1, units: 100, relation: '配偶' },
    { type: 'redeem', transactionId: 'redeem-1', accountId: V2, target: 'goods', units: 100, orderId: 'o1' },
  ]);
const adjustment = (over: object = {}): LedgerCommand => ({ type: 'adjust', transactionId: tx('adj'), accountId: V1, units: 50, note: '补录 2 月服务', makerId: 'staff-a', checkerId: 'staff-b', ...over });
const reversal = (reversesTransactionId: string, over: object = {}): LedgerCommand => ({ type: 'reverse', transactionId: tx('rev'), reversesTransactionId, note: '误记', makerId: 'staff-a', checkerId: 'staff-b', ...over });

describe('maker-checker', () => {
  it.each<[string, LedgerCommand, string]>([
    ['an adjustment nobody approved', adjustment({ checkerId: null }), 'ledger/approval-required'],
    ['an adjustment approved by a blank id', adjustment({ checkerId: '  ' }), 'ledger/approval-required'],
    ['an adjustment approved by its maker', adjustment({ checkerId: 'staff-a' }), 'ledger/checker-is-maker'],
    ['an adjustment with no maker', adjustment({ makerId: '' }), 'ledger/approval-required'],
    ['a reversal nobody approved', reversal('earn-1', { checkerId: null }), 'ledger/approval-required'],
    ['a reversal approved by its maker', reversal('earn-1', { checkerId: 'staff-a' }), 'ledger/checker-is-maker'],
  ])('when %s is applied, then it is refused', (_what, command, code) => {
    expect(applyLedgerCommand(seeded(), command, settings, NOW)).toMatchObject({ ok: false, code });
  });

  it('when a second person approves, then both ids are on the entries', () => {
    const outcome = applyLedgerCommand(seeded(), adjustment(), settings, NOW);
    expect(outcome.ok && outcome.entries.map((e) => [e.makerId, e.checkerId, e.note])).toEqual([
      ['staff-a', 'staff-b', '补录 2 月服务'],
      ['staff-a', 'staff-b', '补录 2 月服务'],
    ]);
  });
});

describe('adjustments', () => {
  it.each<[string, object, string]>([
    ['zero units', { units: 0 }, 'ledger/invalid-amount'],
    ['a fraction', { units: 1.5 }, 'ledger/invalid-amount'],
    ['a debit larger than the balance', { units: -201 }, 'ledger/insufficient-balance'],
    ['a credit over the annual cap', { units: 701 }, 'ledger/annual-cap-reached'],
    ['the shop account', { accountId: SYSTEM_ACCOUNTS.shop }, 'ledger/not-a-member-account'],
    ['the issuer itself', { accountId: SYSTEM_ACCOUNTS.issuer }, 'ledger/not-a-member-account'],
  ])('when an adjustment asks %s, then it is refused', (_what, over, code) => {
    expect(applyLedgerCommand(seeded(), adjustment(over), settings, NOW)).toMatchObject({ ok: false, code });
  });

  it.each<[string, object, [string, number][]]>([
    ['a credit comes from the issuer', { units: 50 }, [[V1, 250], [SYSTEM_ACCOUNTS.issuer, -450]]],
    ['a debit goes back to the issuer', { units: -200 }, [[V1, 0], [SYSTEM_ACCOUNTS.issuer, -200]]],
    ['a credit up to exactly the annual cap is allowed', { units: 700 }, [[V1, 900]]],
    ['the pool may be corrected too', { accountId: SYSTEM_ACCOUNTS.pool, units: 30 }, [[SYSTEM_ACCOUNTS.pool, 30]]],
  ])('when %s, then balances follow', (_what, over, expected) => {
    const state = seeded();
    const outcome = applyLedgerCommand(state, adjustment(over), settings, NOW);
    expect(outcome.ok).toBe(true);
    const after = withEntries(state, outcome.ok ? outcome.entries : []);
    expect(expected.map(([account]) => [account, balanceOf(after, account)])).toEqual(expected);
  });
});

describe('reversals', () => {
  it.each<[string, string, [string, number][]]>([
    ['an earning', 'earn-1', [[V1, 0], [P1, 100], [SYSTEM_ACCOUNTS.issuer, -200]]],
    ['a transfer', 'transfer-1', [[V1, 300], [P1, 0]]],
    ['a redemption', 'redeem-1', [[V2, 100], [SYSTEM_ACCOUNTS.shop, 0]]],
  ])('when %s is reversed, then balances are as if it never happened', (_what, id, expected) => {
    const state = withEntries(seeded(), []);
    // earn-1 gave V1 300, of which 100 went to P1: reversing it needs another 100 earned first.
    const base = id === 'earn-1' ? ledgerAfter(settings, [earn(V1, 60)], state) : state;
    const outcome = applyLedgerCommand(base, reversal(id), settings, NOW);
    expect(outcome.ok).toBe(true);
    const after = withEntries(base, outcome.ok ? outcome.entries : []);
    expect(expected.map(([account]) => [account, balanceOf(after, account)])).toEqual(expected);
    expect(outcome.ok && outcome.entries.every((e) => e.kind === 'reversal' && e.reversesTransactionId === id)).toBe(true);
  });

  it('when the credited units were already spent, then the reversal is refused (nothing but the issuer goes negative)', () => {
    expect(applyLedgerCommand(seeded(), reversal('earn-1'), settings, NOW)).toMatchObject({ ok: false, code: 'ledger/insufficient-balance' });
  });

  it('when an earning is reversed, then it no longer counts toward the annual cap', () => {
    const state = ledgerAfter(settings, [reversal('transfer-1'), reversal('earn-1')], seeded());
    expect(creditedInYear(state, V1, 2026)).toBe(0);
    expect(creditedInYear(state, P1, 2026)).toBe(0);
    expect(applyLedgerCommand(state, adjustment({ units: 1000 }), settings, NOW)).toMatchObject({ ok: true });
  });

  it.each<[string, string, string]>([
    ['a transaction already reversed', 'transfer-1', 'ledger/already-reversed'],
    ['a reversal of a reversal', 'rev-of-redeem', 'ledger/not-reversible'],
    ['an unknown transaction', 'nope', 'ledger/transaction-not-found'],
  ])('when %s (%s) is reversed, then it is refused', (_what, target, code) => {
    const state = ledgerAfter(settings, [reversal('transfer-1'), reversal('redeem-1', { transactionId: 'rev-of-redeem' })], seeded());
    expect(applyLedgerCommand(state, reversal(target), settings, NOW)).toMatchObject({ ok: false, code });
  });
});
