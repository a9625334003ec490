/**
 * Work orders opened from care: a person who needs help, a home visit (待派单), a P0 welfare check. Written in
 * the caller's transaction with the SOS path's order writer; the caller emits `ticket.created` after commit.
 */
import type { EntityManager } from 'typeorm';
import type { AuditService } from '../audit/audit.service';
import type { Actor } from '../auth/auth.service';
import { applyTicketAction, openTicket, type OpenedTicket } from '../sos/ticket-writer';
import type { TicketStatus } from '../tickets/ticket';

export type CareOrderKind = 'needs_help' | 'home_visit' | 'welfare_check';

const DRAFTS = {
  needs_help: { category: 'life_service', serviceType: 'urgent_help', priority: 'P2', title: '关怀回访：服务对象需要帮助', submit: false },
  home_visit: { category: 'life_service', serviceType: 'family_visit', priority: 'P1', title: '关怀任务：上门探访', submit: true },
  welfare_check: { category: 'emergency', serviceType: null, priority: 'P0', title: '关怀任务：高风险独居对象失联，紧急探视', submit: true },
} as const;

/**
 * Open the order; home visits and welfare checks go straight to 待派单 (pending dispatch).
 * @example await openCareOrder(m, audit, actor, 'home_visit', { personId, districtCode }, '3 次未接通', now)
 */
export async function openCareOrder(m: EntityManager, audit: AuditService, actor: Actor, kind: CareOrderKind, who: { personId: string | null; districtCode: string }, detail: string, now: Date): Promise<Omit<OpenedTicket, 'status'> & { status: TicketStatus }> {
  const d = DRAFTS[kind];
  const opened = await openTicket(m, audit, actor, { category: d.category, serviceType: d.serviceType, priority: d.priority, channel: 'outbound_care', summary: `${d.title}。${detail}`, personId: who.personId, districtCode: who.districtCode }, now);
  if (!d.submit) return opened;
  const submitted = await applyTicketAction(m, audit, actor, opened.id, 'submit', null, now);
  return { ...opened, status: submitted?.status ?? opened.status };
}
