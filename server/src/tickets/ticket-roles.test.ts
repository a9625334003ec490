import type { StaffRole } from '../staff/staff-user.entity';
import { TICKET_ACTION_NAMES, type TicketAction } from './ticket';
import { actionsFor, checkDuty, checkSosOrder, type OrderSosState, type TicketDuties } from './ticket-roles';

const none: TicketDuties = { createdById: 'creator', lastDispatchedById: null, answeredOrCompletedBy: [] };
const me = (role: StaffRole) => ({ userId: 'me', role });

describe('who may take each work-order action', () => {
  // action, roles that may take it (every other role is refused)
  const table: [TicketAction, StaffRole[]][] = [
    ['answer', ['agent', 'supervisor']],
    ['submit', ['agent', 'supervisor']],
    ['request_callback', ['agent', 'supervisor']],
    ['record_callback', ['agent', 'supervisor']],
    ['rework', ['agent', 'supervisor']],
    ['close', ['agent', 'supervisor']],
    ['cancel', ['agent', 'supervisor']],
    ['invalidate', ['agent', 'supervisor']],
    ['dispatch', ['dispatcher', 'supervisor']],
    ['return', ['dispatcher', 'supervisor']],
    ['take', ['dispatcher', 'supervisor']],
    ['start', ['agent', 'dispatcher', 'supervisor']],
    ['complete', ['agent', 'dispatcher', 'supervisor']],
    ['false_alarm', ['agent', 'dispatcher', 'supervisor']],
  ];
  const roles: StaffRole[] = ['agent', 'dispatcher', 'supervisor', 'admin', 'security_admin', 'auditor'];

  it('when the table is read, then it names every action once', () => {
    expect(table.map(([a]) => a).sort()).toEqual([...TICKET_ACTION_NAMES].sort());
  });

  it.each(table.flatMap(([action, allowed]) => roles.map((role) => [action, role, allowed.includes(role)] as const)))('when a %s is asked of a %s, then allowed is %p', (action, role, ok) => {
    const r = checkDuty(me(role), action, none);
    expect(r.ok).toBe(ok);
    if (!r.ok) expect(r.reason).toContain(action);
  });

  it.each<[string, TicketAction, TicketDuties, boolean]>([
    ['the dispatcher takes the order they dispatched', 'take', { ...none, lastDispatchedById: 'me' }, false],
    ['another dispatcher takes it', 'take', { ...none, lastDispatchedById: 'other' }, true],
    ['the creator grades the order', 'record_callback', { ...none, createdById: 'me' }, false],
    ['the one who answered grades it', 'record_callback', { ...none, answeredOrCompletedBy: ['me'] }, false],
    ['the one who completed grades it', 'record_callback', { ...none, answeredOrCompletedBy: ['x', 'me'] }, false],
    ['someone else grades it', 'record_callback', { ...none, answeredOrCompletedBy: ['x'] }, true],
    ['the creator closes it', 'close', { ...none, createdById: 'me' }, true],
  ])('when %s, then allowed is %p', (_what, action, duties, ok) => {
    const role: StaffRole = action === 'take' ? 'dispatcher' : 'agent';
    expect(checkDuty(me(role), action, duties).ok).toBe(ok);
  });
});

describe('an order with an SOS', () => {
  const stoppers: TicketAction[] = ['start', 'complete', 'close', 'cancel', 'invalidate', 'false_alarm', 'answer', 'request_callback', 'record_callback', 'rework'];
  it.each(stoppers)('when the SOS is unacknowledged, then %s is refused with a reason naming the SOS actions', (action) => {
    const r = checkSosOrder('supervisor', action, 'active');
    expect(r).toMatchObject({ ok: false, code: 'ticket/invalid-transition' });
    if (!r.ok) expect(r.reason).toContain('确认 SOS');
  });

  it.each<TicketAction>(['submit', 'dispatch', 'return', 'take'])('when the SOS is unacknowledged, then %s (the responder path) is allowed', (action) => {
    expect(checkSosOrder('dispatcher', action, 'active').ok).toBe(true);
  });

  it.each<[StaffRole, OrderSosState, boolean]>([
    ['agent', 'acknowledged', true],
    ['dispatcher', 'acknowledged', true],
    ['supervisor', 'acknowledged', true],
    ['admin', 'acknowledged', false],
    ['admin', 'active', false],
    ['auditor', 'acknowledged', false],
    ['admin', null, true],
  ])('when a %s cancels an order whose SOS is %p, then allowed is %p', (role, sos, ok) => {
    expect(checkSosOrder(role, 'cancel', sos).ok).toBe(ok);
  });

  it('when an acknowledged SOS order is in service, then an agent may complete or cancel it, and an unacknowledged one offers nothing that stops the chain', () => {
    expect(actionsFor(me('agent'), 'emergency', 'in_service', none, 'acknowledged').sort()).toEqual(['cancel', 'complete', 'false_alarm']);
    expect(actionsFor(me('agent'), 'emergency', 'accepted', none, 'active')).toEqual(['submit']);
    expect(actionsFor(me('admin'), 'emergency', 'accepted', none, null)).toEqual([]);
  });
});
