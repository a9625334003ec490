import type { EntityManager } from 'typeorm';
import type { Actor } from '../auth/auth.service';
import type { AfterCommit } from './after-commit';
import type { SosOutcome } from './sos-incident.entity';

/**
 * What the SOS chain needs from dispatch (implemented by `dispatch/sos-responder.ts`, wired in `app.ts`):
 * the responder step's urgent job, and the jobs following the SOS when it closes. Both run with the
 * caller's transaction, so the step and its job commit together; notices go into `after`.
 */
export interface ResponderJobPort {
  /**
   * Open the order's urgent 助急 job at the person's position and start parallel offers to the best ranked
   * candidates. Once per order: an unfinished job already on the order is left as it is. Returns the
   * sentence for the step's timeline entry.
   */
  openFor(m: EntityManager, actor: Actor, ticketId: string, now: Date, after: AfterCommit): Promise<string>;
  /**
   * The SOS closed with `outcome`: jobs still looking for someone are cancelled (open offers withdrawn, the
   * candidates told); on a cancelled order or a false alarm an assigned responder is stood down too.
   */
  stopFor(m: EntityManager, actor: Actor, ticketId: string, outcome: SosOutcome, now: Date, after: AfterCommit): Promise<void>;
  /**
   * Any order cancelled or invalidated (SOS or not): its unfinished jobs are cancelled, open offers withdrawn
   * with a notice and an assigned worker stood down; `reason` goes on the order's timeline.
   */
  cancelFor(m: EntityManager, actor: Actor, ticketId: string, reason: string, now: Date, after: AfterCommit): Promise<void>;
}

/**
 * The SOS module's handle on dispatch, bound after both are built (dispatch needs the caller side's outbox
 * and inbound SMS first). Unbound, the responder step only puts the order up for dispatch.
 */
export class ResponderJobs {
  private port: ResponderJobPort | null = null;

  use(port: ResponderJobPort): void {
    this.port = port;
  }

  openFor(m: EntityManager, actor: Actor, ticketId: string, now: Date, after: AfterCommit): Promise<string | null> {
    return this.port ? this.port.openFor(m, actor, ticketId, now, after) : Promise.resolve(null);
  }

  async stopFor(m: EntityManager, actor: Actor, ticketId: string, outcome: SosOutcome, now: Date, after: AfterCommit): Promise<void> {
    await this.port?.stopFor(m, actor, ticketId, outcome, now, after);
  }

  async cancelFor(m: EntityManager, actor: Actor, ticketId: string, reason: string, now: Date, after: AfterCommit): Promise<void> {
    await this.port?.cancelFor(m, actor, ticketId, reason, now, after);
  }
}
