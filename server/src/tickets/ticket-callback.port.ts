import type { EntityManager } from 'typeorm';
import type { Actor } from '../auth/auth.service';
import type { CallbackState, TicketAction } from './ticket';
import type { Ticket } from './ticket.entity';

/**
 * What the order service needs from the 回访 (callback survey) side, implemented in `care/care-survey.ts` and
 * wired in `app.ts`: the state of the order's 回访, and keeping it in step with the order in the same transaction.
 */
export interface TicketCallbackPort {
  /** The order's latest 回访: none yet, pending (due or retrying), done, or failed (回访失败). */
  stateOf(m: EntityManager, ticketId: string): Promise<CallbackState>;
  /**
   * The order moved by `action` (already saved): an order reaching 服务完成 or 直接答复 gets its 回访 task; a
   * 回访 recorded on the order settles the open task (不满意 sends the order back for rework).
   */
  follow(m: EntityManager, actor: Actor, ticket: Ticket, action: TicketAction, now: Date): Promise<void>;
}
