import type { DataSource } from 'typeorm';
import type { AuditService } from '../audit/audit.service';
import type { Actor } from '../auth/auth.service';
import type { Clock } from '../shared/clock';
import type { LedgerStore } from './ledger-store';
import type { TimebankEvents } from './timebank-events';

/** What every time-bank service uses: the database, the ledger, the audit trail, the clock and the notices. */
export interface TimebankContext {
  ds: DataSource;
  ledger: LedgerStore;
  audit: AuditService;
  clock: Clock;
  events: TimebankEvents;
}

/** The audit actor fields of a staff member (or the system, for the sweep and the public routes). */
export function auditActor(actor: Actor | null): { actorId: string | null; actorUsername: string | null } {
  return actor ? { actorId: actor.userId, actorUsername: actor.username } : { actorId: null, actorUsername: 'system' };
}
