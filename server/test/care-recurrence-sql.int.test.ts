/**
 * The generator computes next slots, due times and risk ranks in SQL (a million plans per run); these tables
 * hold the SQL equal to the JavaScript rules of `care-recurrence.ts` on the test database (PGlite and PostgreSQL):
 * month ends, leap days, year ends, days before the anchor, quiet hours that wrap midnight.
 */
import type { DataSource } from 'typeorm';
import { addDays, dueAtOf, riskRank, slotAfter, windowIsUsable, type CallWindow, type Recurrence } from '../src/care/care-recurrence';
import { dueAtSql, riskRankSql, slotAfterSql } from '../src/care/care-recurrence-sql';
import { testDataSource } from './support/test-app';

let ds: DataSource;
beforeAll(async () => {
  ds = await testDataSource();
});
afterAll(async () => {
  await ds?.destroy();
});

const ANCHORS = ['2026-01-31', '2026-01-30', '2026-03-02', '2026-06-15', '2026-11-30', '2026-12-31', '2027-12-27', '2027-12-31', '2028-02-15', '2028-02-29', '2028-03-31'];
const RULES: Recurrence[] = ANCHORS.flatMap((anchorDay) => [
  { cadence: 'weekly', anchorDay },
  { cadence: 'twice_weekly', anchorDay },
  { cadence: 'monthly', anchorDay },
  { cadence: 'quarterly', anchorDay },
  ...[1, 3, 10, 30, 366].map((intervalDays) => ({ cadence: 'custom' as const, anchorDay, intervalDays })),
]);

describe('care recurrence in SQL', () => {
  it('when the next slot after a day is computed in SQL, then it equals slotAfter for every cadence, across month ends, leap years and days before the anchor', async () => {
    // Each rule from 10 days before its anchor to about 14 months after, every day.
    const cases = RULES.flatMap((r) => Array.from({ length: 440 }, (_, i) => ({ r, day: addDays(r.anchorDay, i - 10) })));
    const rows: { next: string }[] = await ds.query(
      `SELECT to_char(${slotAfterSql('r', 'r.day')}, 'YYYY-MM-DD') AS next
         FROM unnest($1::text[], $2::date[], $3::smallint[], $4::date[]) WITH ORDINALITY AS r(cadence, anchor_day, interval_days, day, i)
        ORDER BY r.i`,
      [cases.map((c) => c.r.cadence), cases.map((c) => c.r.anchorDay), cases.map((c) => c.r.intervalDays ?? null), cases.map((c) => c.day)],
    );
    const differ = cases.map((c, i) => ({ ...c, sql: rows[i]!.next, js: slotAfter(c.r, c.day) })).filter((c) => c.sql !== c.js);
    expect(rows).toHaveLength(cases.length);
    expect(differ.slice(0, 5)).toEqual([]);
  });

  it('when a slot day is due in SQL, then the instant equals dueAtOf for windows with and without quiet hours, wrapping midnight or not', async () => {
    const windows: CallWindow[] = [
      { start: 540, end: 1080, quietStart: 720, quietEnd: 840 }, // the default
      { start: 540, end: 1080, quietStart: null, quietEnd: null },
      { start: 540, end: 1080, quietStart: 600, quietEnd: 600 }, // empty quiet hours
      { start: 750, end: 1020, quietStart: 720, quietEnd: 840 }, // opens in the rest
      { start: 720, end: 1020, quietStart: 720, quietEnd: 840 }, // opens as the rest starts
      { start: 840, end: 1020, quietStart: 720, quietEnd: 840 }, // opens as the rest ends
      { start: 360, end: 1200, quietStart: 1140, quietEnd: 480 }, // quiet wraps midnight over the start
      { start: 540, end: 1200, quietStart: 1140, quietEnd: 480 }, // wraps, start already open
      { start: 0, end: 1440, quietStart: 1320, quietEnd: 420 },
      { start: 0, end: 60, quietStart: null, quietEnd: null }, // the day's first hour: still the same day
      { start: 1380, end: 1440, quietStart: 600, quietEnd: 700 },
    ];
    expect(windows.every(windowIsUsable)).toBe(true);
    const slots = ['2026-03-02', '2026-12-31', '2027-01-01', '2028-02-29', '2028-03-01'];
    const cases = windows.flatMap((w) => slots.map((slot) => ({ w, slot })));
    const rows: { due: Date }[] = await ds.query(
      `SELECT ${dueAtSql('w', 'w.slot')} AS due
         FROM unnest($1::smallint[], $2::smallint[], $3::smallint[], $4::smallint[], $5::date[]) WITH ORDINALITY AS w(window_start, window_end, quiet_start, quiet_end, slot, i)
        ORDER BY w.i`,
      [cases.map((c) => c.w.start), cases.map((c) => c.w.end), cases.map((c) => c.w.quietStart ?? null), cases.map((c) => c.w.quietEnd ?? null), cases.map((c) => c.slot)],
    );
    expect(rows.map((r) => new Date(r.due).toISOString())).toEqual(cases.map((c) => dueAtOf(c.slot, c.w).toISOString()));
  });

  it('when quiet hours swallow the whole window, then SQL answers the window start (the JavaScript refuses such a window)', async () => {
    const [row]: { due: Date }[] = await ds.query(`SELECT ${dueAtSql('w', 'w.slot')} AS due FROM (VALUES (600::smallint, 700::smallint, 500::smallint, 800::smallint, DATE '2026-03-02')) AS w(window_start, window_end, quiet_start, quiet_end, slot)`);
    expect(new Date(row!.due).toISOString()).toBe('2026-03-02T02:00:00.000Z');
  });

  it('when a risk tier is ranked in SQL, then the rank equals riskRank', async () => {
    const tiers = ['high', 'key', 'general'] as const;
    const rows: { rank: number }[] = await ds.query(`SELECT ${riskRankSql('t.tier')} AS rank FROM unnest($1::text[]) WITH ORDINALITY AS t(tier, i) ORDER BY t.i`, [tiers]);
    expect(rows.map((r) => r.rank)).toEqual(tiers.map(riskRank));
  });
});
