import type { EntityManager } from 'typeorm';
import type { Actor } from '../auth/auth.service';
import type { TicketAction } from './ticket';
import type { Ticket } from './ticket.entity';
import type { OrderSosState } from './ticket-roles';

/**
 * What the order service needs from the SOS module (implemented in `sos/sos-order.ts`, wired in `app.ts`):
 * the state of the order's SOS, and making the SOS follow its order in the same transaction.
 */
export interface TicketSosPort {
  /** The order's open SOS (`active` / `acknowledged`), or null. Read with the transaction's manager. */
  stateOf(m: EntityManager, ticketId: string): Promise<{ sosId: string; state: OrderSosState } | null>;
  /**
   * The order moved by `action` (already saved): close its open SOS when the order is over, and stop the
   * order's service jobs when it is cancelled or invalidated (the caller side holds dispatch's handle).
   * Returns the effects to run after commit (notices).
   */
  follow(m: EntityManager, actor: Actor, ticket: Ticket, action: TicketAction, note: string | null, now: Date): Promise<() => void>;
}
