import { personAccount, SYSTEM_ACCOUNTS } from './accounts';
import type { LedgerCommand } from './ledger';
import { applyLedgerCommand } from './ledger';
import { balanceOf, ledgerState, withEntries } from './ledger-state';
import { earn, ledgerAfter, NOW, settingsFor, tx, V1, V2 } from './test/ledger-test-kit';

const settings = settingsFor({ rounding: { stepMinutes: 1, mode: 'down' } });
const P1 = personAccount('p1');
const P2 = personAccount('p2');
/** V1 holds 500 units, V2 100, P1 (V1's mother) 200 transferred from V1. */
const funded = () =>
  ledgerAfter(settings, [earn(V1, 420), earn(V2, 60), { type: 'transfer', transactionId: 'seed-transfer', from: V1, to: P1, units: 200, relation: '父母' }]);

const redeemGoods = (units: number, over: object = {}): LedgerCommand => ({ type: 'redeem', transactionId: tx('r'), accountId: V1, target: 'goods', units, orderId: 'o-1', ...over });

describe('movements: the rules', () => {
  it.each<[string, LedgerCommand, string]>([
    ['a redemption of zero units', redeemGoods(0), 'ledger/invalid-amount'],
    ['a redemption of a fraction of a unit', redeemGoods(0.5), 'ledger/invalid-amount'],
    ['a redemption of more than the balance', redeemGoods(501), 'ledger/insufficient-balance'],
    ['the shop redeeming from itself', redeemGoods(10, { accountId: SYSTEM_ACCOUNTS.shop }), 'ledger/not-a-member-account'],
    ['the pool buying goods (it may only pay for services)', redeemGoods(10, { accountId: SYSTEM_ACCOUNTS.pool }), 'ledger/not-a-member-account'],
    ['a transfer to someone who is not a direct relative', { type: 'transfer', transactionId: tx(), from: V1, to: P2, units: 10, relation: '邻居' }, 'ledger/not-direct-relative'],
    ['a transfer between two relatives, no volunteer', { type: 'transfer', transactionId: tx(), from: P1, to: P2, units: 10, relation: '子女' }, 'ledger/not-direct-relative'],
    ['a transfer to oneself', { type: 'transfer', transactionId: tx(), from: V1, to: V1, units: 10, relation: '父母' }, 'ledger/same-account'],
    ['a transfer to the shop', { type: 'transfer', transactionId: tx(), from: V1, to: SYSTEM_ACCOUNTS.shop, units: 10, relation: '父母' }, 'ledger/not-a-member-account'],
    ['a transfer of more than the balance', { type: 'transfer', transactionId: tx(), from: V2, to: P2, units: 101, relation: '配偶' }, 'ledger/insufficient-balance'],
    ['a donation of more than the balance', { type: 'donate', transactionId: tx(), from: V2, units: 101 }, 'ledger/insufficient-balance'],
    ['a donation from the issuer', { type: 'donate', transactionId: tx(), from: SYSTEM_ACCOUNTS.issuer, units: 1 }, 'ledger/not-a-member-account'],
    ['a donation of a negative amount', { type: 'donate', transactionId: tx(), from: V1, units: -5 }, 'ledger/invalid-amount'],
    ['a refund of a transaction that is not a redemption', { type: 'refund', transactionId: tx(), redemptionTransactionId: 'seed-transfer' }, 'ledger/not-a-redemption'],
    ['a refund of an unknown transaction', { type: 'refund', transactionId: tx(), redemptionTransactionId: 'nope' }, 'ledger/transaction-not-found'],
    ['a movement under a transaction id already used', redeemGoods(10, { transactionId: 'seed-transfer' }), 'ledger/duplicate-transaction-id'],
  ])('when %s is asked, then it is refused', (_what, command, code) => {
    const state = funded();
    const outcome = applyLedgerCommand(state, command, settings, NOW);
    expect(outcome).toMatchObject({ ok: false, code });
  });

  it.each<[string, LedgerCommand, [string, number][]]>([
    ['a volunteer buys goods', redeemGoods(120), [[V1, 380], [SYSTEM_ACCOUNTS.shop, 120]]],
    ['a volunteer orders a service', redeemGoods(500, { target: 'service' }), [[V1, 0], [SYSTEM_ACCOUNTS.service, 500]]],
    ['a relative orders a service with transferred coins', redeemGoods(150, { accountId: P1, target: 'service' }), [[P1, 50], [SYSTEM_ACCOUNTS.service, 150]]],
    ['a volunteer gives coins to a parent', { type: 'transfer', transactionId: tx(), from: V1, to: P1, units: 100, relation: '父母' }, [[V1, 400], [P1, 300]]],
    ['a relative gives coins back to the volunteer', { type: 'transfer', transactionId: tx(), from: P1, to: V1, units: 200, relation: '子女' }, [[V1, 700], [P1, 0]]],
    ['a volunteer donates to the mutual-aid pool', { type: 'donate', transactionId: tx(), from: V2, units: 100 }, [[V2, 0], [SYSTEM_ACCOUNTS.pool, 100]]],
  ])('when %s, then balances move by one balanced pair', (_what, command, expected) => {
    const state = funded();
    const outcome = applyLedgerCommand(state, command, settings, NOW);
    expect(outcome.ok).toBe(true);
    if (!outcome.ok) return;
    expect(outcome.entries).toHaveLength(2);
    expect(outcome.entries[0].units + outcome.entries[1].units).toBe(0);
    const after = withEntries(state, outcome.entries);
    expect(expected.map(([account]) => [account, balanceOf(after, account)])).toEqual(expected);
  });

  it('when the goods policy switch is off, then goods are refused but services can still be ordered', () => {
    const off = settingsFor({ rounding: { stepMinutes: 1, mode: 'down' }, goodsRedemptionEnabled: false });
    const state = funded();
    expect(applyLedgerCommand(state, redeemGoods(10), off, NOW)).toMatchObject({ ok: false, code: 'ledger/goods-redemption-disabled' });
    expect(applyLedgerCommand(state, redeemGoods(10, { target: 'service' }), off, NOW)).toMatchObject({ ok: true });
  });

  it('when the mutual-aid pool pays for a service, then the pool is debited but never below zero', () => {
    const state = ledgerAfter(settings, [{ type: 'donate', transactionId: tx(), from: V1, units: 300 }], funded());
    const pay = (units: number): LedgerCommand => ({ type: 'redeem', transactionId: tx(), accountId: SYSTEM_ACCOUNTS.pool, target: 'service', units, orderId: 'wo-9' });
    expect(applyLedgerCommand(state, pay(301), settings, NOW)).toMatchObject({ ok: false, code: 'ledger/insufficient-balance' });
    const outcome = applyLedgerCommand(state, pay(300), settings, NOW);
    expect(outcome.ok && balanceOf(withEntries(state, outcome.entries), SYSTEM_ACCOUNTS.pool)).toBe(0);
  });

  it('when a transfer would take the relative over their annual cap, then it is refused', () => {
    const capped = settingsFor({ rounding: { stepMinutes: 1, mode: 'down' }, annualCapUnits: 250 });
    const state = ledgerAfter(capped, [earn(V1, 150), earn(V2, 150), { type: 'transfer', transactionId: tx(), from: V1, to: P1, units: 150, relation: '父母' }]);
    const outcome = applyLedgerCommand(state, { type: 'transfer', transactionId: tx(), from: V2, to: P1, units: 101, relation: '父母' }, capped, NOW);
    expect(outcome).toMatchObject({ ok: false, code: 'ledger/annual-cap-reached' });
  });

  it('when a transfer names the relation and a note, then both entries carry them and the maker', () => {
    const outcome = applyLedgerCommand(funded(), { type: 'transfer', transactionId: 't-note', from: V1, to: P1, units: 50, relation: '父母', note: '母亲住院，转给她兑换护理服务', makerId: 'staff-1' }, settings, NOW);
    expect(outcome.ok && outcome.entries.map((e) => [e.accountId, e.units, e.reference, e.note, e.makerId])).toEqual([
      [V1, -50, 'relation:父母', '母亲住院，转给她兑换护理服务', 'staff-1'],
      [P1, 50, 'relation:父母', '母亲住院，转给她兑换护理服务', 'staff-1'],
    ]);
  });

  it('when the same idempotency key comes again for the same redemption, then nothing more is taken; for another amount, it is a conflict', () => {
    const state = ledgerAfter(settings, [redeemGoods(100, { transactionId: 'r-first', idempotencyKey: 'order-77' })], funded());
    const again = applyLedgerCommand(state, redeemGoods(100, { idempotencyKey: 'order-77' }), settings, NOW);
    expect(again).toEqual({ ok: true, entries: [], alreadyAppliedAs: 'r-first' });
    expect(applyLedgerCommand(state, redeemGoods(99, { idempotencyKey: 'order-77' }), settings, NOW)).toMatchObject({ ok: false, code: 'ledger/idempotency-conflict' });
    expect(balanceOf(state, V1)).toBe(400);
  });
});

describe('refund of a cancelled redemption', () => {
  it('when an order is cancelled, then the coins come back by a new pair naming the redemption, and only once', () => {
    const state = ledgerAfter(settings, [redeemGoods(120, { transactionId: 'r-1' })], funded());
    const outcome = applyLedgerCommand(state, { type: 'refund', transactionId: 'f-1', redemptionTransactionId: 'r-1', makerId: 'shop-clerk' }, settings, NOW);
    expect(outcome.ok && outcome.entries.map((e) => [e.accountId, e.units, e.kind, e.reversesTransactionId])).toEqual([
      [SYSTEM_ACCOUNTS.shop, -120, 'refund', 'r-1'],
      [V1, 120, 'refund', 'r-1'],
    ]);
    const after = withEntries(state, outcome.ok ? outcome.entries : []);
    expect(balanceOf(after, V1)).toBe(balanceOf(funded(), V1));
    expect(applyLedgerCommand(after, { type: 'refund', transactionId: 'f-2', redemptionTransactionId: 'r-1' }, settings, NOW)).toMatchObject({ ok: false, code: 'ledger/already-reversed' });
    expect(applyLedgerCommand(after, { type: 'reverse', transactionId: 'x', reversesTransactionId: 'r-1', note: '', makerId: 'a', checkerId: 'b' }, settings, NOW)).toMatchObject({
      ok: false,
      code: 'ledger/already-reversed',
    });
  });

  it('when a ledger is empty, then every member balance is zero and nothing can be spent', () => {
    const state = ledgerState([], settings);
    expect(applyLedgerCommand(state, redeemGoods(1), settings, NOW)).toMatchObject({ ok: false, code: 'ledger/insufficient-balance' });
  });
});
