/**
 * Work-order (工单) rules: categories, service types, priorities and the lifecycle. Pure.
 * One engine; each category enables a subset of the actions.
 */
export const TICKET_CATEGORIES = ['life_service', 'order', 'emergency', 'inquiry', 'complaint'] as const;
export type TicketCategory = (typeof TICKET_CATEGORIES)[number];

/** The eight 助 services. */
export const SERVICE_TYPES = [
  'help_walk', // 助行
  'medical_escort', // 助医
  'meals', // 助餐
  'family_visit', // 助亲
  'shopping', // 助购
  'urgent_help', // 助急
  'recreation', // 助乐
  'outing', // 助游
] as const;
export type ServiceType = (typeof SERVICE_TYPES)[number];

export const TICKET_PRIORITIES = ['P0', 'P1', 'P2', 'P3'] as const;
export type TicketPriority = (typeof TICKET_PRIORITIES)[number];

export const TICKET_CHANNELS = ['phone', 'sos_button', 'device_alarm', 'sms', 'web', 'outbound_care', 'walk_in'] as const;
export type TicketChannel = (typeof TICKET_CHANNELS)[number];

export const CALLER_RELATIONS = ['self', 'guardian', 'family', 'neighbor', 'community', 'other'] as const;
export type CallerRelation = (typeof CALLER_RELATIONS)[number];

export const TICKET_STATUSES = [
  'accepted', // 受理
  'answered', // 直接答复
  'pending_dispatch', // 待派单
  'dispatched', // 已派单
  'returned', // 退回
  'taken', // 已接单
  'in_service', // 服务中
  'done', // 服务完成
  'callback_pending', // 待回访
  'callback_done', // 已回访
  'closed', // 办结
  'cancelled', // 取消
  'invalid', // 无效
] as const;
export type TicketStatus = (typeof TICKET_STATUSES)[number];

export const TERMINAL_STATUSES: readonly TicketStatus[] = ['closed', 'cancelled', 'invalid'];

export const SATISFACTION = ['very_satisfied', 'satisfied', 'basically_satisfied', 'dissatisfied', 'very_dissatisfied'] as const;
export type Satisfaction = (typeof SATISFACTION)[number];

interface ActionRule {
  from: readonly TicketStatus[];
  to: TicketStatus;
  /** Categories that may use it; all when absent. */
  categories?: readonly TicketCategory[];
  /** A reason is required (退回, 取消, 无效, 误报). */
  needsNote?: boolean;
}

const DISPATCHABLE: readonly TicketCategory[] = ['life_service', 'order', 'emergency', 'complaint'];
const NON_EMERGENCY: readonly TicketCategory[] = ['life_service', 'order', 'inquiry', 'complaint'];
const OPEN: readonly TicketStatus[] = TICKET_STATUSES.filter((s) => !TERMINAL_STATUSES.includes(s));

export const TICKET_ACTIONS = {
  answer: { from: ['accepted'], to: 'answered', categories: NON_EMERGENCY },
  submit: { from: ['accepted', 'returned'], to: 'pending_dispatch', categories: DISPATCHABLE },
  dispatch: { from: ['pending_dispatch'], to: 'dispatched', categories: DISPATCHABLE },
  return: { from: ['dispatched', 'taken'], to: 'returned', categories: DISPATCHABLE, needsNote: true },
  take: { from: ['dispatched'], to: 'taken', categories: DISPATCHABLE },
  start: { from: ['taken', 'accepted'], to: 'in_service', categories: DISPATCHABLE },
  complete: { from: ['in_service'], to: 'done', categories: DISPATCHABLE },
  request_callback: { from: ['done', 'answered'], to: 'callback_pending' },
  record_callback: { from: ['callback_pending'], to: 'callback_done' },
  rework: { from: ['callback_done'], to: 'pending_dispatch', categories: DISPATCHABLE, needsNote: true },
  close: { from: ['answered', 'done', 'callback_pending', 'callback_done'], to: 'closed' },
  false_alarm: { from: ['accepted', 'in_service', 'pending_dispatch'], to: 'closed', categories: ['emergency'], needsNote: true },
  cancel: { from: OPEN, to: 'cancelled', needsNote: true },
  invalidate: { from: ['accepted'], to: 'invalid', needsNote: true },
} as const satisfies Record<string, ActionRule>;
export type TicketAction = keyof typeof TICKET_ACTIONS;
export const TICKET_ACTION_NAMES = Object.keys(TICKET_ACTIONS) as TicketAction[];

export type TransitionCheck =
  | { ok: true; to: TicketStatus }
  | { ok: false; reason: string };

/**
 * Decide whether `action` may move a ticket of `category` out of `status`.
 * @example checkTransition('inquiry', 'accepted', 'answer') // { ok: true, to: 'answered' }
 */
export function checkTransition(category: TicketCategory, status: TicketStatus, action: TicketAction, note?: string): TransitionCheck {
  const rule: ActionRule = TICKET_ACTIONS[action];
  if (rule.categories && !rule.categories.includes(category)) {
    return { ok: false, reason: `「${action}」不适用于 ${category} 类工单` };
  }
  if (!rule.from.includes(status)) {
    return { ok: false, reason: `工单状态为 ${status}，不能执行「${action}」` };
  }
  if (rule.needsNote && !note?.trim()) {
    return { ok: false, reason: `「${action}」需要填写原因` };
  }
  return { ok: true, to: rule.to };
}

/** The state of an order's 回访 (callback survey). */
export type CallbackState = 'none' | 'pending' | 'done' | 'failed';

export type CloseCheck = { ok: true; override: boolean } | { ok: false; reason: string };

/**
 * An order closes (办结) only after its 回访 is done (已回访) or failed (回访失败). A supervisor may close it
 * anyway with a recorded reason (`override`).
 * @example checkClose({ status: 'done', callback: 'pending', role: 'agent' }).ok // false
 */
export function checkClose(p: { status: TicketStatus; callback: CallbackState; role: string; note?: string }): CloseCheck {
  if (p.status === 'callback_done' || p.callback === 'done' || p.callback === 'failed') return { ok: true, override: false };
  if (p.role === 'supervisor' && p.note?.trim()) return { ok: true, override: true };
  return {
    ok: false,
    reason: p.callback === 'pending' ? '回访尚未完成：回访完成或回访失败（3 次未接通）后才能办结；主管可填写原因后办结' : '尚未回访：请先完成回访（回访失败亦可办结）；主管可填写原因后办结',
  };
}

/** Actions a ticket in this state may take (drives the console's lifecycle buttons). */
export function allowedActions(category: TicketCategory, status: TicketStatus): TicketAction[] {
  return TICKET_ACTION_NAMES.filter((a) => checkTransition(category, status, a, 'x').ok);
}

/** Default priority by category: emergencies are P0. */
export function defaultPriority(category: TicketCategory): TicketPriority {
  return category === 'emergency' ? 'P0' : category === 'complaint' ? 'P1' : 'P2';
}

const SLA_MINUTES: Record<TicketPriority, number> = { P0: 15, P1: 60, P2: 24 * 60, P3: 72 * 60 };

/** When the order must be dispatched or answered: P0 15 min, P1 1 h, P2 24 h, P3 72 h. */
export function slaDueAt(priority: TicketPriority, from: Date): Date {
  return new Date(from.getTime() + SLA_MINUTES[priority] * 60_000);
}

/** `YYYYMMDD` of an instant in Asia/Shanghai (UTC+8, no DST). */
export function shanghaiDay(at: Date): string {
  return new Date(at.getTime() + 8 * 3600_000).toISOString().slice(0, 10).replaceAll('-', '');
}

export function formatTicketNumber(day: string, seq: number): string {
  return `${day}-${String(seq).padStart(4, '0')}`;
}
