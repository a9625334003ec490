/** The board's SLA countdown: levels and seconds around the deadline (pure, table-driven). */
import { slaOf, SOON_SECONDS } from '../src/features/dispatch/sla';

const due = '2026-12-05T10:00:00.000Z';
const at = (iso: string) => Date.parse(iso);

describe('slaOf', () => {
  it.each([
    ['an hour before', '2026-12-05T09:00:00.000Z', { level: 'ok', seconds: 3600 }],
    ['just over ten minutes before', '2026-12-05T09:49:59.000Z', { level: 'ok', seconds: 601 }],
    ['exactly ten minutes before', '2026-12-05T09:50:00.000Z', { level: 'soon', seconds: SOON_SECONDS }],
    ['half a second before', '2026-12-05T09:59:59.500Z', { level: 'soon', seconds: 0 }],
    ['at the deadline', '2026-12-05T10:00:00.000Z', { level: 'soon', seconds: 0 }],
    ['a second after', '2026-12-05T10:00:01.000Z', { level: 'overdue', seconds: 1 }],
    ['ninety minutes after', '2026-12-05T11:30:00.000Z', { level: 'overdue', seconds: 5400 }],
  ])('when it is %s the deadline, then the view is %p', (_when, now, view) => {
    expect(slaOf(due, at(now))).toEqual(view);
  });

  it('when a job has no deadline or an unreadable one, then there is no countdown', () => {
    expect(slaOf(null, Date.now())).toBeNull();
    expect(slaOf(undefined, Date.now())).toBeNull();
    expect(slaOf('not a date', Date.now())).toBeNull();
  });

  it('when the "soon" threshold is given, then it is used', () => {
    expect(slaOf(due, at('2026-12-05T09:58:00.000Z'), 60)).toEqual({ level: 'ok', seconds: 120 });
  });
});
