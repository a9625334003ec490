import { accountKind, SYSTEM_ACCOUNTS } from './accounts';
import { pairOf, type LedgerEntry } from './ledger-entry';
import { coins, ledgerSettings } from './ledger-settings';
import { balancesOf, creditedInYear, creditedLifetime, ledgerState, verifyLedger } from './ledger-state';
import { V1, V2 } from './test/ledger-test-kit';

const at = new Date('2026-06-15T02:00:00Z');
const move = (transactionId: string, from: string, to: string, units: number, kind: LedgerEntry['kind'] = 'earn') => pairOf({ transactionId, kind, from, to, units, at });

describe('accountKind', () => {
  it.each<[string, string | null]>([
    ['system:issuer', 'issuer'],
    ['system:shop', 'shop'],
    ['system:service', 'service'],
    ['system:mutual-aid-pool', 'pool'],
    ['system:expired', 'expired'],
    ['volunteer:v-17', 'volunteer'],
    ['person:0b6c', 'person'],
    ['volunteer:', null],
    ['volunteer:a b', null],
    ['volunteer:a\u0000', null],
    ['volunteer:3f2b9c1e-7d4a-4e8b-9a1c-2b3c4d5e6f70', 'volunteer'],
    ['system:bank', null],
    ['v-17', null],
  ])('when the id is %s, then the kind is %s', (id, kind) => {
    expect(accountKind(id)).toBe(kind);
  });
});

describe('ledgerSettings', () => {
  it('when nothing is overridden, then 1 hour is 1 coin, rounded down to the half hour, with a lifetime cap of 1,500 coins', () => {
    expect(ledgerSettings()).toMatchObject({ unitsPerHour: 100, rounding: { stepMinutes: 30, mode: 'down' }, lifetimeCapUnits: coins(1500), annualCapUnits: null, utcOffsetMinutes: 480 });
  });

  it.each<[string, object, RegExp]>([
    ['a fractional rate', { unitsPerHour: 1.5 }, /unitsPerHour/],
    ['no limit on a job\'s length', { maxMinutesPerJob: 0 }, /maxMinutesPerJob/],
    ['a zero rounding step', { rounding: { stepMinutes: 0, mode: 'down' } }, /stepMinutes/],
    ['an unknown rounding mode', { rounding: { stepMinutes: 30, mode: 'banker' } }, /rounding.mode/],
    ['a negative cap', { annualCapUnits: -1 }, /annualCapUnits/],
    ['a zero lifetime cap', { lifetimeCapUnits: 0 }, /lifetimeCapUnits/],
    ['a fractional expiry', { expiryMonths: 1.5 }, /expiryMonths/],
    ['an offset beyond any time zone', { utcOffsetMinutes: 900 }, /utcOffsetMinutes/],
  ])('when the settings have %s, then they are rejected at load', (_what, over, message) => {
    expect(() => ledgerSettings(over)).toThrow(message);
  });
});

describe('pairOf', () => {
  it.each<[string, number, string]>([
    ['zero units', 0, 'volunteer:v2'],
    ['negative units', -5, 'volunteer:v2'],
    ['fractional units', 1.5, 'volunteer:v2'],
    ['the same account on both legs', 5, 'volunteer:v1'],
  ])('when a movement has %s, then no pair is made', (_what, units, to) => {
    expect(() => move('t', V1, to, units)).toThrow();
  });
});

describe('ledgerState', () => {
  it('when entries are folded, then balances, transactions, keys and cap counters come from them alone', () => {
    const earned = pairOf({ transactionId: 'e1', kind: 'earn', from: SYSTEM_ACCOUNTS.issuer, to: V1, units: 300, at, idempotencyKey: 'earn:job:j1' });
    const given = pairOf({ transactionId: 'x1', kind: 'transfer', from: V1, to: V2, units: 100, at: new Date('2027-02-01T00:00:00Z') });
    const state = ledgerState([...earned, ...given], { utcOffsetMinutes: 480 });
    expect(Object.fromEntries(state.balances)).toEqual({ [SYSTEM_ACCOUNTS.issuer]: -300, [V1]: 200, [V2]: 100 });
    expect(state.keys.get('earn:job:j1')).toBe('e1');
    expect([creditedInYear(state, V1, 2026), creditedInYear(state, V2, 2027), creditedLifetime(state, V1), creditedLifetime(state, V2)]).toEqual([300, 100, 300, 100]);
    expect(state.transactions.get('x1')).toMatchObject({ kind: 'transfer', undoneBy: null, debit: { accountId: V1 }, credit: { accountId: V2 } });
  });
});

describe('verifyLedger', () => {
  const [debit, credit] = move('t1', SYSTEM_ACCOUNTS.issuer, V1, 100);
  it.each<[string, LedgerEntry[], RegExp]>([
    ['a sound ledger', [debit, credit], /^$/],
    ['a credit without its debit', [credit], /credit leg without its debit/],
    ['a debit without its credit', [debit], /debit leg without its credit/],
    ['legs that do not balance', [debit, { ...credit, units: 99 }], /do not balance/],
    ['a member below zero', [...move('t2', V1, V2, 5, 'transfer')], /volunteer:v1 below zero/],
    ['an unknown account', [debit, { ...credit, accountId: 'bank:1' }], /unknown account/],
    ['a debit leg with positive units', [{ ...debit, units: 100 }, { ...credit, leg: 'debit', units: -100 }], /debit leg with units 100/],
    ['a reversal of nothing', pairOf({ transactionId: 'r', kind: 'reversal', from: SYSTEM_ACCOUNTS.issuer, to: V1, units: 1, at, reversesTransactionId: 'ghost' }), /reverses unknown ghost/],
    [
      'a transaction undone twice',
      [
        debit,
        credit,
        ...pairOf({ transactionId: 'r1', kind: 'reversal', from: V1, to: SYSTEM_ACCOUNTS.issuer, units: 50, at, reversesTransactionId: 't1' }),
        ...pairOf({ transactionId: 'r2', kind: 'reversal', from: V1, to: SYSTEM_ACCOUNTS.issuer, units: 50, at, reversesTransactionId: 't1' }),
      ],
      /r2: t1 was already undone/,
    ],
  ])('when the entries are %s, then the problems say so', (_what, entries, problem) => {
    expect(verifyLedger(entries).join('\n')).toMatch(problem);
  });

  it('when balances are derived from raw rows, then each account is the plain sum of its entries', () => {
    expect(Object.fromEntries(balancesOf([...move('a', SYSTEM_ACCOUNTS.issuer, V1, 70), ...move('b', V1, SYSTEM_ACCOUNTS.pool, 20, 'donate')]))).toEqual({
      [SYSTEM_ACCOUNTS.issuer]: -70,
      [V1]: 50,
      [SYSTEM_ACCOUNTS.pool]: 20,
    });
  });
});
