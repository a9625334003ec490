/**
 * Who may take each work-order action (separation of duties, 等保 2.0). Pure: the service feeds it the
 * actor and the facts of the order's timeline; `ticket.ts` decides whether the order's state allows it.
 *
 * - Hotline work (answer, submit, callbacks, rework, close, cancel, invalidate): agents and supervisors.
 * - Dispatch work (dispatch, return, take): dispatchers and supervisors.
 * - Field work (start, complete, false alarm): agents, dispatchers and supervisors.
 * - The admin, security admin and auditor take no action on orders (they read no personal data).
 * - Whoever dispatched an order may not take it; nobody grades (回访, `record_callback`) an order they
 *   created, answered or completed.
 */
import { may } from '../auth/permissions';
import type { StaffRole } from '../staff/staff-user.entity';
import { allowedActions, type TicketAction, type TicketCategory, type TicketStatus } from './ticket';

const HOTLINE = ['agent', 'supervisor'] as const satisfies readonly StaffRole[];
const DISPATCH = ['dispatcher', 'supervisor'] as const satisfies readonly StaffRole[];
const FIELD = ['agent', 'dispatcher', 'supervisor'] as const satisfies readonly StaffRole[];

/** The roles that may take each action. */
export const ACTION_ROLES: Readonly<Record<TicketAction, readonly StaffRole[]>> = {
  answer: HOTLINE,
  submit: HOTLINE,
  request_callback: HOTLINE,
  record_callback: HOTLINE,
  rework: HOTLINE,
  close: HOTLINE,
  cancel: HOTLINE,
  invalidate: HOTLINE,
  dispatch: DISPATCH,
  return: DISPATCH,
  take: DISPATCH,
  start: FIELD,
  complete: FIELD,
  false_alarm: FIELD,
};

const ROLE_LABEL: Record<StaffRole, string> = {
  agent: '坐席',
  dispatcher: '调度',
  supervisor: '主管',
  admin: '系统管理员',
  security_admin: '安全管理员',
  auditor: '审计员',
};

/** Who did what on the order so far (from its timeline and row). */
export interface TicketDuties {
  createdById: string;
  /** The user of the latest `dispatch`, if any. */
  lastDispatchedById: string | null;
  /** Everyone who answered (`answer`) or completed (`complete`) it. */
  answeredOrCompletedBy: readonly string[];
}

export type DutyCheck = { ok: true } | { ok: false; reason: string };

/**
 * May this user take `action` on an order with these duties?
 * @example checkDuty({ userId: 'u1', role: 'agent' }, 'dispatch', duties) // { ok: false, reason: '「dispatch」只能由 调度 / 主管 执行' }
 */
export function checkDuty(actor: { userId: string; role: StaffRole; roles?: readonly StaffRole[] }, action: TicketAction, duties: TicketDuties): DutyCheck {
  const roles = ACTION_ROLES[action];
  if (!(actor.roles ?? [actor.role]).some((held) => roles.includes(held))) {
    return { ok: false, reason: `「${action}」只能由 ${roles.map((r) => ROLE_LABEL[r]).join(' / ')} 执行` };
  }
  if (action === 'take' && duties.lastDispatchedById === actor.userId) {
    return { ok: false, reason: '派单人不能自己接单（职责分离）' };
  }
  if (action === 'record_callback' && (duties.createdById === actor.userId || duties.answeredOrCompletedBy.includes(actor.userId))) {
    return { ok: false, reason: '建单、答复或完成服务的人员不能为本工单做回访评价（职责分离）' };
  }
  return { ok: true };
}

/** Actions on an order whose SOS is still unacknowledged that keep its chain running (the responder path). */
export const ACTIONS_WHILE_SOS_ACTIVE: readonly TicketAction[] = ['submit', 'dispatch', 'return', 'take'];

/** The SOS behind an order, as far as the order's actions care. */
export type OrderSosState = 'active' | 'acknowledged' | null;

export type SosOrderCheck = { ok: true } | { ok: false; code: 'auth/forbidden' | 'ticket/invalid-transition'; reason: string };

/**
 * Only an SOS path stops an SOS chain: while the order's SOS is unacknowledged, the ordinary actions that
 * would end or bypass the chain (start, complete, close, cancel, invalidate, false alarm …) are refused;
 * once acknowledged, only roles holding `sos.handle` act on the order.
 * @example checkSosOrder('agent', 'cancel', 'active').ok // false
 */
export function checkSosOrder(role: StaffRole | readonly StaffRole[], action: TicketAction, sos: OrderSosState): SosOrderCheck {
  if (!sos) return { ok: true };
  if (!may(role, 'sos.handle')) return { ok: false, code: 'auth/forbidden', reason: '这是 SOS 工单：只有可以处理 SOS 的角色能操作' };
  if (sos === 'active' && !ACTIONS_WHILE_SOS_ACTIVE.includes(action)) {
    return { ok: false, code: 'ticket/invalid-transition', reason: `SOS 尚未确认，升级链仍在运行：不能「${action}」。请先确认 SOS，或使用 SOS 的「解除」/「误报」操作` };
  }
  return { ok: true };
}

/**
 * The actions this actor may take now on an order (drives the console's buttons): the lifecycle allows
 * them, the actor's role and duties allow them, and the order's SOS does not stop them.
 * @example actionsFor({ userId: 'u1', role: 'dispatcher' }, 'life_service', 'pending_dispatch', duties, null) // ['dispatch', 'cancel'] minus what dispatchers may not do → ['dispatch']
 */
export function actionsFor(actor: { userId: string; role: StaffRole; roles?: readonly StaffRole[] }, category: TicketCategory, status: TicketStatus, duties: TicketDuties, sos: OrderSosState): TicketAction[] {
  return allowedActions(category, status).filter((a) => checkDuty(actor, a, duties).ok && checkSosOrder(actor.roles ?? actor.role, a, sos).ok);
}
