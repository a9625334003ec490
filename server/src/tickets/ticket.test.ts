import { checkClose, allowedActions, checkTransition, formatTicketNumber, shanghaiDay, slaDueAt, type TicketAction, type TicketCategory, type TicketStatus } from './ticket';

describe('work-order lifecycle rules', () => {
  const allowed: [TicketCategory, TicketStatus, TicketAction, TicketStatus][] = [
    ['inquiry', 'accepted', 'answer', 'answered'],
    ['inquiry', 'answered', 'close', 'closed'],
    ['inquiry', 'answered', 'request_callback', 'callback_pending'],
    ['life_service', 'accepted', 'submit', 'pending_dispatch'],
    ['life_service', 'pending_dispatch', 'dispatch', 'dispatched'],
    ['life_service', 'dispatched', 'take', 'taken'],
    ['life_service', 'taken', 'start', 'in_service'],
    ['life_service', 'in_service', 'complete', 'done'],
    ['life_service', 'done', 'request_callback', 'callback_pending'],
    ['life_service', 'callback_pending', 'record_callback', 'callback_done'],
    ['life_service', 'callback_done', 'close', 'closed'],
    ['life_service', 'returned', 'submit', 'pending_dispatch'],
    ['emergency', 'accepted', 'start', 'in_service'],
    ['order', 'accepted', 'cancel', 'cancelled'],
  ];
  it.each(allowed)('when a %s order is %s, then %s moves it to %s', (category, status, action, to) => {
    expect(checkTransition(category, status, action, 'reason')).toEqual({ ok: true, to });
  });

  const refused: [TicketCategory, TicketStatus, TicketAction, string | undefined][] = [
    ['inquiry', 'accepted', 'dispatch', undefined], // inquiries are not dispatched
    ['emergency', 'accepted', 'answer', undefined], // an emergency is never "answered on the call"
    ['life_service', 'accepted', 'complete', undefined], // cannot skip service
    ['life_service', 'closed', 'cancel', 'x'], // terminal
    ['life_service', 'dispatched', 'return', undefined], // 退回 needs a reason
    ['life_service', 'dispatched', 'return', '   '],
    ['order', 'accepted', 'false_alarm', 'x'], // only emergencies can be false alarms
  ];
  it.each(refused)('when a %s order is %s, then %s (note %p) is refused with a reason', (category, status, action, note) => {
    const r = checkTransition(category, status, action, note);
    expect(r.ok).toBe(false);
    if (!r.ok) expect(r.reason.length).toBeGreaterThan(4);
  });

  it('when a ticket is closed, then no action is allowed', () => {
    expect(allowedActions('life_service', 'closed')).toEqual([]);
  });

  it('when an emergency is accepted, then it can start, be a false alarm or cancelled, not answered', () => {
    expect(allowedActions('emergency', 'accepted').sort()).toEqual(['cancel', 'false_alarm', 'invalidate', 'start', 'submit'].sort());
  });
});

describe('numbers and SLA', () => {
  it('when it is 23:30 UTC, then the Shanghai day is already the next day', () => {
    expect(shanghaiDay(new Date('2026-11-22T23:30:00Z'))).toBe('20261123');
    expect(shanghaiDay(new Date('2026-11-22T15:59:59Z'))).toBe('20261122');
  });
  it('pads the sequence to four digits', () => {
    expect(formatTicketNumber('20261123', 7)).toBe('20261123-0007');
  });
  it('gives P0 fifteen minutes and P2 a day', () => {
    const t = new Date('2026-11-23T00:00:00Z');
    expect(slaDueAt('P0', t).toISOString()).toBe('2026-11-23T00:15:00.000Z');
    expect(slaDueAt('P2', t).toISOString()).toBe('2026-11-24T00:00:00.000Z');
  });
});

describe('办结 waits for the 回访', () => {
  it.each([
    ['callback_done', 'none', 'agent', undefined, true],
    ['done', 'done', 'agent', undefined, true],
    ['done', 'failed', 'agent', undefined, true],
    ['callback_pending', 'failed', 'agent', undefined, true],
    ['done', 'pending', 'agent', undefined, false],
    ['answered', 'none', 'agent', undefined, false],
    ['done', 'pending', 'agent', '理由', false],
    ['done', 'pending', 'supervisor', undefined, false],
    ['done', 'pending', 'supervisor', '服务对象已去世', true],
  ] as const)('when the order is %s with its 回访 %s, then a(n) %s closing with note %p may close: %p', (status, callback, role, note, ok) => {
    const r = checkClose({ status, callback, role, note });
    expect(r.ok).toBe(ok);
    if (!r.ok) expect(r.reason).toContain('回访');
    if (r.ok) expect(r.override).toBe(role === 'supervisor' && callback === 'pending');
  });
});
