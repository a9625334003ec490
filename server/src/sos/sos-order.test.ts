import type { TicketAction, TicketStatus } from '../tickets/ticket';
import { sosOutcomeForOrder } from './sos-order';

describe('an SOS follows its order', () => {
  it.each<[TicketStatus, TicketAction | null, string | null]>([
    ['accepted', null, null],
    ['pending_dispatch', 'submit', null],
    ['dispatched', 'dispatch', null],
    ['in_service', 'start', null],
    ['done', 'complete', 'resolved'],
    ['callback_pending', null, 'resolved'],
    ['closed', 'close', 'resolved'],
    ['closed', 'false_alarm', 'false_alarm'],
    ['invalid', 'invalidate', 'false_alarm'],
    ['cancelled', 'cancel', 'cancelled'],
    ['cancelled', null, 'cancelled'],
  ])('when the order becomes %s (by %p), then the SOS ends as %p', (status, action, outcome) => {
    expect(sosOutcomeForOrder(status, action)).toBe(outcome);
  });
});
