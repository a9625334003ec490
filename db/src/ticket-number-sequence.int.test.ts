/**
 * The per-day work-order number sequences (migration TicketNumberSequence), on the real database: numbers
 * continue after a day begun under the old counter, concurrent first uses of a day share one sequence, and a
 * malformed day is refused. Days are far in the future and random, so runs and test files never meet.
 */
import type { DataSource } from 'typeorm';
import { testDataSource } from '../../server/test/support/test-app';

let ds: DataSource;
const days: string[] = [];
const newDay = (): string => {
  const day = `21${String(Math.floor(Math.random() * 1e6)).padStart(6, '0')}`;
  days.push(day);
  return day;
};
const next = async (day: string): Promise<number> => Number((await ds.query('SELECT anxin_next_ticket_seq($1) AS n', [day]))[0].n);

beforeAll(async () => {
  ds = await testDataSource();
});
afterAll(async () => {
  for (const day of days) {
    await ds.query(`DROP SEQUENCE IF EXISTS "ticket_no_${day}"`);
    await ds.query('DELETE FROM ticket_number_counter WHERE day = $1', [day]);
  }
  await ds.destroy();
});

describe('work-order number sequences', () => {
  it('when a day has no numbers yet, then they start at 1 and rise by one', async () => {
    const day = newDay();
    expect([await next(day), await next(day), await next(day)]).toEqual([1, 2, 3]);
  });

  it('when the old counter already numbered the day, then the sequence carries on after it', async () => {
    const day = newDay();
    await ds.query('INSERT INTO ticket_number_counter (day, last) VALUES ($1, 41)', [day]);
    expect(await next(day)).toBe(42);
  });

  it('when twenty transactions take the first numbers of a day at once, then each gets its own', async () => {
    const day = newDay();
    const numbers = await Promise.all(Array.from({ length: 20 }, () => ds.transaction((m) => m.query('SELECT anxin_next_ticket_seq($1) AS n', [day]).then((r: { n: string }[]) => Number(r[0]!.n)))));
    expect([...numbers].sort((a, b) => a - b)).toEqual(Array.from({ length: 20 }, (_, i) => i + 1));
  });

  it('when the day is not YYYYMMDD, then the database refuses it', async () => {
    await expect(ds.query('SELECT anxin_next_ticket_seq($1)', ['2026-12-01'])).rejects.toThrow(/YYYYMMDD/);
  });
});
