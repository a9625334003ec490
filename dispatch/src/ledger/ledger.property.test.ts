/**
 * Properties of the ledger over any sequence of operations (fast-check): the sum of all entries is zero,
 * balances equal the sums of their entries, nothing but the issuer goes negative, caps hold, earning is
 * idempotent and needs completion and confirmation, reversals and refunds restore balances.
 */
import fc from 'fast-check';
import { personAccount, SYSTEM_ACCOUNTS, volunteerAccount, type AccountId } from './accounts';
import { applyLedgerCommand, type LedgerCommand } from './ledger';
import type { LedgerEntry } from './ledger-entry';
import { liabilityByDistrictAndMonth, statementOf, yearSummary } from './ledger-reports';
import { calendarYear, ledgerSettings, type LedgerSettings } from './ledger-settings';
import { balanceOf, balancesOf, countsTowardCap, ledgerState, verifyLedger, withEntries, type LedgerState } from './ledger-state';

const VOLUNTEERS = ['v1', 'v2', 'v3'].map(volunteerAccount);
const PERSONS = ['p1', 'p2'].map(personAccount);
const MEMBERS = [...VOLUNTEERS, ...PERSONS];
const START = new Date('2025-11-20T00:00:00Z').getTime();

const settingsArb: fc.Arbitrary<LedgerSettings> = fc
  .record({
    unitsPerHour: fc.constantFrom(100, 60, 150),
    maxMinutesPerJob: fc.constantFrom(240, 720),
    stepMinutes: fc.constantFrom(1, 15, 30, 60),
    mode: fc.constantFrom('down' as const, 'nearest' as const, 'up' as const),
    annualCapUnits: fc.option(fc.integer({ min: 100, max: 3000 }), { nil: null }),
    lifetimeCapUnits: fc.option(fc.integer({ min: 100, max: 6000 }), { nil: null }),
    expiryMonths: fc.option(fc.integer({ min: 1, max: 24 }), { nil: null }),
    goodsRedemptionEnabled: fc.boolean(),
  })
  .map(({ stepMinutes, mode, ...rest }) => ledgerSettings({ ...rest, rounding: { stepMinutes, mode } }));

const member = fc.constantFrom(...MEMBERS);
const volunteer = fc.constantFrom(...VOLUNTEERS);
const units = fc.integer({ min: 1, max: 300 });
const maker = fc.constantFrom('s1', 's2', '');
const checker = fc.constantFrom<string | null>('s1', 's2', 's3', 's3', null);
const key = fc.option(fc.constantFrom('k1', 'k2', 'k3'), { nil: null });

/** Earlier transactions a reversal or a refund may name (picked when the step runs). */
interface Picks {
  any: string;
  redemption: string;
}
/** A command shape; ids and picks of earlier transactions are filled in when it runs. */
type Step = { advanceMinutes: number; pick: number; make: (id: string, picked: Picks) => LedgerCommand };

const stepArb: fc.Arbitrary<Step> = fc.record({
  advanceMinutes: fc.oneof(fc.constant(0), fc.integer({ min: 1, max: 60 * 24 * 120 })),
  pick: fc.nat(),
  make: fc.oneof(
    { weight: 4, arbitrary: fc
      .record({ jobId: fc.constantFrom('j1', 'j2', 'j3', 'j4', 'j5', 'j6'), account: volunteer, minutes: fc.integer({ min: -30, max: 600 }), status: fc.constantFrom('completed', 'completed', 'completed', 'in_progress'), confirmed: fc.boolean() })
      .map((c) => (id: string): LedgerCommand => ({
        type: 'earn_job',
        transactionId: id,
        job: {
          jobId: c.jobId,
          volunteerAccountId: c.account,
          status: c.status,
          checkInAt: new Date(START),
          checkOutAt: new Date(START + c.minutes * 60_000),
          confirmation: c.confirmed ? { by: 'recipient', at: new Date(START) } : null,
        },
      })) },
    fc
      .record({ activityId: fc.constantFrom('a1', 'a2', 'a3'), attendees: fc.array(fc.record({ accountId: member, minutes: fc.integer({ min: 0, max: 480 }) }), { maxLength: 4 }), confirmed: fc.boolean() })
      .map((c) => (id: string): LedgerCommand => ({
        type: 'earn_activity',
        transactionId: id,
        activity: {
          activityId: c.activityId,
          attendanceConfirmedBy: c.confirmed ? 's1' : null,
          attendees: c.attendees.map((a) => ({ accountId: a.accountId, checkInAt: new Date(START), checkOutAt: new Date(START + a.minutes * 60_000) })),
        },
      })),
    fc
      .record({ account: fc.oneof(member, fc.constant(SYSTEM_ACCOUNTS.pool)), target: fc.constantFrom('goods' as const, 'service' as const), units, key })
      .map((c) => (id: string): LedgerCommand => ({ type: 'redeem', transactionId: id, accountId: c.account, target: c.target, units: c.units, orderId: id, idempotencyKey: c.key })),
    fc
      .record({ from: member, to: member, units, relation: fc.constantFrom('父母', '子女', '邻居') })
      .map((c) => (id: string): LedgerCommand => ({ type: 'transfer', transactionId: id, ...c })),
    fc.record({ from: member, units }).map((c) => (id: string): LedgerCommand => ({ type: 'donate', transactionId: id, ...c })),
    fc.record({ account: fc.oneof(member, fc.constant(SYSTEM_ACCOUNTS.pool)), units: fc.integer({ min: -400, max: 400 }), maker, checker }).map(
      (c) => (id: string): LedgerCommand => ({ type: 'adjust', transactionId: id, accountId: c.account, units: c.units, note: 'p', makerId: c.maker, checkerId: c.checker }),
    ),
    { weight: 2, arbitrary: fc.record({ maker, checker }).map((c) => (id: string, picked: Picks): LedgerCommand => ({ type: 'reverse', transactionId: id, reversesTransactionId: picked.any, note: 'p', makerId: c.maker, checkerId: c.checker })) },
    fc.constant((id: string, picked: Picks): LedgerCommand => ({ type: 'refund', transactionId: id, redemptionTransactionId: picked.redemption })),
    member.map((account) => (id: string): LedgerCommand => ({ type: 'expire', transactionId: id, accountId: account })),
  ),
});

interface Run {
  state: LedgerState;
  /** Accepted commands with the state before them. */
  accepted: { command: LedgerCommand; before: LedgerState; entries: LedgerEntry[]; at: Date }[];
  refused: { command: LedgerCommand; before: LedgerState }[];
}

function run(settings: LedgerSettings, steps: Step[]): Run {
  let state = ledgerState([], settings);
  let now = START;
  const accepted: Run['accepted'] = [];
  const refused: Run['refused'] = [];
  steps.forEach((step, i) => {
    now += step.advanceMinutes * 60_000;
    const transactions = [...state.transactions.values()];
    const redemptions = transactions.filter((t) => t.kind === 'redeem_goods' || t.kind === 'redeem_service');
    const pick = (from: typeof transactions) => (from.length === 0 ? 'none' : from[step.pick % from.length].transactionId);
    const command = step.make(`t${i}`, { any: pick(transactions), redemption: pick(redemptions) });
    const outcome = applyLedgerCommand(state, command, settings, new Date(now));
    if (!outcome.ok) return refused.push({ command, before: state });
    accepted.push({ command, before: state, entries: outcome.entries, at: new Date(now) });
    state = withEntries(state, outcome.entries);
  });
  return { state, accepted, refused };
}

const sum = (entries: readonly LedgerEntry[]) => entries.reduce((total, e) => total + e.units, 0);
const RUNS = { numRuns: 200 };
const STEPS = fc.array(stepArb, { minLength: 1, maxLength: 80, size: 'max' });

describe('ledger properties', () => {
  it('for any sequence: every transaction is a balanced pair, the sum of all entries is zero, balances are the sums of their entries, nothing but the issuer is ever negative', () => {
    fc.assert(
      fc.property(settingsArb, STEPS, (settings, steps) => {
        const { state } = run(settings, steps);
        expect(verifyLedger(state.entries)).toEqual([]);
        expect(sum(state.entries)).toBe(0);
        const accounts = new Set(state.entries.map((e) => e.accountId));
        for (const account of accounts) {
          expect(balanceOf(state, account)).toBe(sum(state.entries.filter((e) => e.accountId === account)));
          if (account !== SYSTEM_ACCOUNTS.issuer) expect(balanceOf(state, account)).toBeGreaterThanOrEqual(0);
        }
        expect(balancesOf(state.entries)).toEqual(state.balances);
      }),
      RUNS,
    );
  });

  it('for any sequence: the units credited to an account (earnings, credit adjustments, transfers in, not reversed) never pass the annual or the lifetime cap', () => {
    fc.assert(
      fc.property(settingsArb, STEPS, (settings, steps) => {
        const { state } = run(settings, steps);
        const reversed = new Set(state.entries.map((e) => e.reversesTransactionId).filter((id): id is string => id !== null));
        const perYear = new Map<string, number>();
        const lifetime = new Map<AccountId, number>();
        for (const e of state.entries) {
          if (e.leg !== 'credit' || !countsTowardCap(e.kind) || reversed.has(e.transactionId) || !MEMBERS.includes(e.accountId)) continue;
          const k = `${e.accountId}/${calendarYear(e.at, settings)}`;
          perYear.set(k, (perYear.get(k) ?? 0) + e.units);
          lifetime.set(e.accountId, (lifetime.get(e.accountId) ?? 0) + e.units);
        }
        for (const total of perYear.values()) expect(total).toBeLessThanOrEqual(settings.annualCapUnits ?? Infinity);
        for (const total of lifetime.values()) expect(total).toBeLessThanOrEqual(settings.lifetimeCapUnits ?? Infinity);
      }),
      RUNS,
    );
  });

  it('for any sequence: a job is credited at most once, only when completed with check-in/out and confirmed, and completing it again adds nothing', () => {
    fc.assert(
      fc.property(settingsArb, STEPS, (settings, steps) => {
        const { state, accepted } = run(settings, steps);
        const keyed = state.entries.filter((e) => e.leg === 'credit' && e.idempotencyKey !== null).map((e) => e.idempotencyKey);
        expect(new Set(keyed).size).toBe(keyed.length);
        for (const { command, entries } of accepted) {
          if (command.type !== 'earn_job' || entries.length === 0) continue;
          const { job } = command;
          expect(job.status).toBe('completed');
          expect(job.confirmation).not.toBeNull();
          expect(job.checkOutAt!.getTime()).toBeGreaterThan(job.checkInAt!.getTime());
          expect(job.checkOutAt!.getTime() - job.checkInAt!.getTime()).toBeLessThanOrEqual(settings.maxMinutesPerJob * 60_000);
          const again = applyLedgerCommand(state, { ...command, transactionId: 'again' }, settings, new Date(START));
          expect(again).toMatchObject({ ok: true, entries: [], alreadyAppliedAs: command.transactionId });
        }
      }),
      RUNS,
    );
  });

  it('for any sequence: reversals and refunds restore balances — the ledger without the undone transactions and their undoing has the same balances', () => {
    fc.assert(
      fc.property(settingsArb, STEPS, (settings, steps) => {
        const { state, accepted } = run(settings, steps);
        const undoing = state.entries.filter((e) => e.reversesTransactionId !== null);
        const gone = new Set(undoing.flatMap((e) => [e.transactionId, e.reversesTransactionId!]));
        const without = balancesOf(state.entries.filter((e) => !gone.has(e.transactionId)));
        for (const [account, balance] of state.balances) expect([account, without.get(account) ?? 0]).toEqual([account, balance]);
        for (const { command, before, entries } of accepted) {
          if (command.type !== 'reverse' && command.type !== 'refund') continue;
          const originalId = command.type === 'reverse' ? command.reversesTransactionId : command.redemptionTransactionId;
          const original = before.transactions.get(originalId)!;
          const after = withEntries(before, entries);
          for (const leg of [original.debit, original.credit]) expect(balanceOf(after, leg.accountId)).toBe(balanceOf(before, leg.accountId) - leg.units);
        }
      }),
      RUNS,
    );
  });

  it('for any sequence: adjustments and reversals are accepted only with a maker and a different checker', () => {
    fc.assert(
      fc.property(settingsArb, STEPS, (settings, steps) => {
        const { accepted } = run(settings, steps);
        for (const { command } of accepted) {
          if (command.type !== 'adjust' && command.type !== 'reverse') continue;
          expect(command.makerId).not.toBe('');
          expect(command.checkerId).not.toBeNull();
          expect(command.checkerId).not.toBe(command.makerId);
        }
      }),
      RUNS,
    );
  });

  it('for any sequence: statements end at the balance, year summaries chain (closing = next opening = opening + flows), and the federation view adds up to the system accounts', () => {
    const districtOf = (account: AccountId) => (account.endsWith('1') ? 'A' : account.endsWith('2') ? 'B' : null);
    fc.assert(
      fc.property(settingsArb, STEPS, (settings, steps) => {
        const { state } = run(settings, steps);
        for (const account of [...MEMBERS, SYSTEM_ACCOUNTS.pool]) {
          expect(statementOf(state.entries, account).at(-1)?.balance ?? 0).toBe(balanceOf(state, account));
          let previous = 0;
          const lastYear = calendarYear(state.entries.at(-1)?.at ?? new Date(START), settings);
          for (let year = 2025; year <= lastYear; year++) {
            const y = yearSummary(state.entries, account, year, settings);
            expect(y.opening).toBe(previous);
            expect(y.closing).toBe(y.opening + y.issued - y.redeemed - y.expired + y.transfersNet);
            previous = y.closing;
          }
          expect(previous).toBe(balanceOf(state, account));
        }
        const rows = liabilityByDistrictAndMonth(state.entries, districtOf, settings);
        const total = (pick: (r: (typeof rows)[number]) => number) => rows.reduce((s, r) => s + pick(r), 0);
        const held = [...MEMBERS, SYSTEM_ACCOUNTS.pool].reduce((s, a) => s + balanceOf(state, a), 0);
        expect(total((r) => r.liabilityChange)).toBe(held);
        expect(total((r) => r.issued)).toBe(0 - balanceOf(state, SYSTEM_ACCOUNTS.issuer));
        expect(total((r) => r.redeemed)).toBe(balanceOf(state, SYSTEM_ACCOUNTS.shop) + balanceOf(state, SYSTEM_ACCOUNTS.service));
        expect(total((r) => r.expired)).toBe(balanceOf(state, SYSTEM_ACCOUNTS.expired));
        expect(total((r) => r.transfersNet)).toBe(0);
        for (const r of rows) expect(r.liabilityChange).toBe(r.issued - r.redeemed - r.expired + r.transfersNet);
      }),
      RUNS,
    );
  });
});
