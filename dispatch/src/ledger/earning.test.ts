import { personAccount, SYSTEM_ACCOUNTS, volunteerAccount } from './accounts';
import { earnForActivity, earnForJob, roundMinutes, unitsForDuration, type Attendance, type CompletedJob } from './earning';
import { DEFAULT_LEDGER_SETTINGS, type RoundingRule } from './ledger-settings';
import { balanceOf, creditedInYear, ledgerState, withEntries } from './ledger-state';
import { completedJob, earn, ledgerAfter, NOW, settingsFor, tx, V1, V2 } from './test/ledger-test-kit';

const exact = settingsFor({ rounding: { stepMinutes: 1, mode: 'down' } });
const empty = ledgerState([], exact);

describe('roundMinutes', () => {
  it.each<[number, RoundingRule, number]>([
    [89, { stepMinutes: 30, mode: 'down' }, 60],
    [90, { stepMinutes: 30, mode: 'down' }, 90],
    [89, { stepMinutes: 30, mode: 'nearest' }, 90],
    [75, { stepMinutes: 30, mode: 'nearest' }, 90],
    [74, { stepMinutes: 30, mode: 'nearest' }, 60],
    [61, { stepMinutes: 30, mode: 'up' }, 90],
    [60, { stepMinutes: 30, mode: 'up' }, 60],
    [29, { stepMinutes: 30, mode: 'down' }, 0],
    [89, { stepMinutes: 1, mode: 'down' }, 89],
    [52, { stepMinutes: 15, mode: 'nearest' }, 45],
    [53, { stepMinutes: 15, mode: 'nearest' }, 60],
  ])('when %i minutes are rounded with %j, then %i minutes count', (minutes, rule, expected) => {
    expect(roundMinutes(minutes, rule)).toBe(expected);
  });
});

describe('unitsForDuration', () => {
  const at = (hhmmss: string) => new Date(`2026-06-15T${hhmmss}Z`);
  it.each<[string, string, string, Partial<typeof DEFAULT_LEDGER_SETTINGS>, number]>([
    ['1 hour is 1 coin (100 units)', '01:00:00', '02:00:00', {}, 100],
    ['1 h 47 min rounds down to the half hour', '01:00:00', '02:47:00', {}, 150],
    ['59 min 59 s counts 59 whole minutes, then the half hour', '01:00:00', '01:59:59', {}, 50],
    ['under one step earns nothing', '01:00:00', '01:29:00', {}, 0],
    ['a whole working day', '01:00:00', '09:00:00', {}, 800],
    ['check-out before check-in earns nothing', '02:00:00', '01:00:00', {}, 0],
    ['1.5 coins per hour, exact minutes, a half unit dropped', '01:00:00', '02:01:00', { unitsPerHour: 150, rounding: { stepMinutes: 1, mode: 'down' } }, 152],
    ['rounding up to the quarter hour', '01:00:00', '01:31:00', { rounding: { stepMinutes: 15, mode: 'up' } }, 75],
  ])('when %s, then it earns the expected units', (_what, from, to, over, units) => {
    expect(unitsForDuration(at(from), at(to), { ...DEFAULT_LEDGER_SETTINGS, ...over })).toBe(units);
  });
});

describe('earnForJob', () => {
  it('when a completed job with check-in/out is confirmed by the recipient, then the issuer pays the volunteer one balanced pair', () => {
    const outcome = earnForJob(empty, { type: 'earn_job', transactionId: 'e1', job: completedJob({ minutes: 120 }) }, exact, NOW);
    expect(outcome).toMatchObject({ ok: true });
    if (!outcome.ok) return;
    expect(outcome.entries.map((e) => [e.leg, e.accountId, e.units, e.kind])).toEqual([
      ['debit', SYSTEM_ACCOUNTS.issuer, -200, 'earn'],
      ['credit', V1, 200, 'earn'],
    ]);
    expect(outcome.entries.every((e) => e.idempotencyKey === 'earn:job:job-1' && e.reference === 'job:job-1' && e.at === NOW)).toBe(true);
  });

  it('when the callback (回访) confirms instead of the recipient, then the job is credited too', () => {
    const job = completedJob({ confirmation: { by: 'callback', at: NOW } });
    const outcome = earnForJob(empty, { type: 'earn_job', transactionId: 'e1', job }, exact, NOW);
    expect(outcome.ok && outcome.entries[1].units).toBe(200);
    expect(outcome.ok && outcome.entries[1].note).toBe('confirmed by callback');
  });

  it.each<[string, Partial<CompletedJob> & { minutes?: number }, string]>([
    ['the job is still in progress', { status: 'in_progress' }, 'ledger/job-not-completed'],
    ['the job was cancelled', { status: 'cancelled' }, 'ledger/job-not-completed'],
    ['there is no check-in', { checkInAt: null }, 'ledger/missing-check-in-out'],
    ['there is no check-out', { checkOutAt: null }, 'ledger/missing-check-in-out'],
    ['check-out is before check-in', { minutes: -30 }, 'ledger/invalid-duration'],
    ['check-out equals check-in', { minutes: 0 }, 'ledger/invalid-duration'],
    ['the volunteer forgot to check out (over 12 hours)', { minutes: 12 * 60 + 1 }, 'ledger/duration-too-long'],
    ['neither the recipient nor the callback confirmed', { confirmation: null }, 'ledger/not-confirmed'],
    ['the account is a relative, not a volunteer', { volunteerAccountId: personAccount('p1') }, 'ledger/not-a-member-account'],
    ['the account is the shop', { volunteerAccountId: SYSTEM_ACCOUNTS.shop }, 'ledger/not-a-member-account'],
    ['the account id is not one the ledger knows', { volunteerAccountId: 'v1' }, 'ledger/unknown-account'],
  ])('when %s, then nothing is credited (%s)', (_what, over, code) => {
    const outcome = earnForJob(empty, { type: 'earn_job', transactionId: 'e1', job: completedJob(over) }, exact, NOW);
    expect(outcome).toMatchObject({ ok: false, code });
  });

  it('when the job lasted less than one rounding step, then it is refused as nothing to credit', () => {
    const settings = settingsFor();
    const outcome = earnForJob(ledgerState([], settings), { type: 'earn_job', transactionId: 'e1', job: completedJob({ minutes: 20 }) }, settings, NOW);
    expect(outcome).toMatchObject({ ok: false, code: 'ledger/nothing-to-credit' });
  });

  it('when a job is completed twice (even with other times), then it is credited once and the second names the first', () => {
    const state = ledgerAfter(exact, [{ type: 'earn_job', transactionId: 'first', job: completedJob({ minutes: 120 }) }]);
    const again = earnForJob(state, { type: 'earn_job', transactionId: 'second', job: completedJob({ minutes: 300 }) }, exact, NOW);
    expect(again).toEqual({ ok: true, entries: [], alreadyAppliedAs: 'first' });
    expect(balanceOf(state, V1)).toBe(200);
  });

  it('when the transaction id is already used, then it is refused', () => {
    const state = ledgerAfter(exact, [{ type: 'earn_job', transactionId: 'same', job: completedJob({ jobId: 'a' }) }]);
    const outcome = earnForJob(state, { type: 'earn_job', transactionId: 'same', job: completedJob({ jobId: 'b' }) }, exact, NOW);
    expect(outcome).toMatchObject({ ok: false, code: 'ledger/duplicate-transaction-id' });
  });

  it('when a job is worth more than the annual cap still allows, then it is credited up to the cap and the rest is reported', () => {
    const settings = settingsFor({ rounding: { stepMinutes: 1, mode: 'down' }, annualCapUnits: 250 });
    const state = ledgerAfter(settings, [earn(V1, 120)]);
    const outcome = earnForJob(state, { type: 'earn_job', transactionId: tx(), job: completedJob({ jobId: 'next', minutes: 120 }) }, settings, NOW);
    expect(outcome).toMatchObject({ ok: true, overCapUnits: 150 });
    expect(outcome.ok && outcome.entries[1].units).toBe(50);
    const full = withEntries(state, outcome.ok ? outcome.entries : []);
    const refused = earnForJob(full, { type: 'earn_job', transactionId: tx(), job: completedJob({ jobId: 'third' }) }, settings, NOW);
    expect(refused).toMatchObject({ ok: false, code: 'ledger/annual-cap-reached' });
  });

  it('when the lifetime cap is reached, then nothing more is credited in any year', () => {
    const settings = settingsFor({ rounding: { stepMinutes: 1, mode: 'down' }, lifetimeCapUnits: 300, annualCapUnits: 1000 });
    const state = ledgerAfter(settings, [[earn(V1, 180), new Date('2025-05-01T00:00:00Z')]]);
    const later = new Date('2027-05-01T00:00:00Z');
    const outcome = earnForJob(state, { type: 'earn_job', transactionId: tx(), job: completedJob({ jobId: 'x' }) }, settings, later);
    expect(outcome).toMatchObject({ ok: false, code: 'ledger/lifetime-cap-reached' });
  });

  it('when the year turns in Shanghai (16:00 UTC on 31 December), then the annual cap starts again', () => {
    const settings = settingsFor({ rounding: { stepMinutes: 1, mode: 'down' }, annualCapUnits: 200 });
    const state = ledgerAfter(settings, [[earn(V1, 120), new Date('2026-12-31T15:59:00Z')]]);
    expect(creditedInYear(state, V1, 2026)).toBe(200);
    const job = completedJob({ jobId: 'new-year' });
    expect(earnForJob(state, { type: 'earn_job', transactionId: tx(), job }, settings, new Date('2026-12-31T15:59:30Z'))).toMatchObject({ ok: false, code: 'ledger/annual-cap-reached' });
    expect(earnForJob(state, { type: 'earn_job', transactionId: tx(), job }, settings, new Date('2026-12-31T16:00:00Z'))).toMatchObject({ ok: true });
  });
});

describe('earnForActivity', () => {
  const V3 = volunteerAccount('v3');
  const from = new Date('2026-06-14T01:00:00Z');
  const attended = (accountId: string, minutes: number): Attendance => ({ accountId, checkInAt: from, checkOutAt: new Date(from.getTime() + minutes * 60_000) });
  const activity = (attendees: Attendance[], attendanceConfirmedBy: string | null = 'staff-1') => ({ activityId: 'act-1', attendanceConfirmedBy, attendees });

  it('when attendance is confirmed, then each attendee is credited by their own recorded time, one pair each', () => {
    const outcome = earnForActivity(empty, { type: 'earn_activity', transactionId: 'a', activity: activity([attended(V1, 180), attended(V2, 90)]) }, exact, NOW);
    expect(outcome.ok).toBe(true);
    if (!outcome.ok) return;
    expect(outcome.entries.map((e) => [e.transactionId, e.accountId, e.units])).toEqual([
      ['a:1', SYSTEM_ACCOUNTS.issuer, -300],
      ['a:1', V1, 300],
      ['a:2', SYSTEM_ACCOUNTS.issuer, -150],
      ['a:2', V2, 150],
    ]);
    expect(outcome.skipped).toEqual([]);
  });

  it('when an attendance names its own transaction id, then that id is used', () => {
    const outcome = earnForActivity(empty, { type: 'earn_activity', transactionId: 'a', activity: activity([{ ...attended(V1, 60), transactionId: '3f2b9c1e-7d4a-4e8b-9a1c-2b3c4d5e6f70' }]) }, exact, NOW);
    expect(outcome.ok && outcome.entries.map((e) => e.transactionId)).toEqual(['3f2b9c1e-7d4a-4e8b-9a1c-2b3c4d5e6f70', '3f2b9c1e-7d4a-4e8b-9a1c-2b3c4d5e6f70']);
  });

  it('when the attendance list is not confirmed, then nobody is credited', () => {
    const outcome = earnForActivity(empty, { type: 'earn_activity', transactionId: 'a', activity: activity([attended(V1, 60)], null) }, exact, NOW);
    expect(outcome).toMatchObject({ ok: false, code: 'ledger/attendance-not-confirmed' });
  });

  it('when attendees are listed twice, stayed no time, are at their cap or are not members, then they are skipped with the reason', () => {
    const settings = settingsFor({ rounding: { stepMinutes: 1, mode: 'down' }, annualCapUnits: 100 });
    const state = ledgerAfter(settings, [earn(V3, 60)]);
    const outcome = earnForActivity(
      state,
      { type: 'earn_activity', transactionId: 'a', activity: activity([attended(V1, 60), attended(V1, 60), attended(V2, 0), attended(V3, 60), attended(SYSTEM_ACCOUNTS.pool, 60)]) },
      settings,
      NOW,
    );
    expect(outcome.ok && outcome.entries.map((e) => [e.accountId, e.units])).toEqual([
      [SYSTEM_ACCOUNTS.issuer, -100],
      [V1, 100],
    ]);
    expect(outcome.ok && outcome.skipped).toEqual([
      { accountId: V1, code: 'already-credited' },
      { accountId: V2, code: 'ledger/invalid-duration' },
      { accountId: V3, code: 'ledger/annual-cap-reached' },
      { accountId: SYSTEM_ACCOUNTS.pool, code: 'ledger/not-a-member-account' },
    ]);
  });

  it('when an activity is credited again, then nobody is credited twice', () => {
    const command = { type: 'earn_activity' as const, transactionId: 'a', activity: activity([attended(V1, 60), attended(V2, 60)]) };
    const state = ledgerAfter(exact, [command]);
    const again = earnForActivity(state, { ...command, transactionId: 'b' }, exact, NOW);
    expect(again.ok && again.entries).toEqual([]);
    expect(again.ok && again.skipped.map((s) => s.code)).toEqual(['already-credited', 'already-credited']);
    expect([balanceOf(state, V1), balanceOf(state, V2)]).toEqual([100, 100]);
  });
});
