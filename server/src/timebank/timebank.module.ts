/**
 * The time bank (issue 11) assembled from the dependencies `createApp` hands over: the persisted ledger, the
 * services, their routes and the socket fan-out. `createApp` mounts the routes and calls `attach`.
 */
import type { Express } from 'express';
import type { DataSource } from 'typeorm';
import type { AuditService } from '../audit/audit.service';
import type { Config } from '../config/config';
import type { RealtimeHub } from '../realtime/realtime-hub';
import { everySeconds } from '../scheduler/cadence';
import type { Scheduler } from '../scheduler/scheduler';
import type { Clock } from '../shared/clock';
import type { TicketService } from '../tickets/ticket.service';
import { TimebankApprovals } from './approvals.service';
import { TimebankEarning } from './earning.service';
import { LedgerStore } from './ledger-store';
import { TimebankShop } from './shop.service';
import { TimebankStatements } from './statements.service';
import { ledgerSettingsFrom } from './timebank.config';
import type { TimebankContext } from './timebank-context';
import { registerTimebankFanout, TimebankEvents } from './timebank-events';
import { timebankLedgerRoutes } from './timebank-ledger.routes';

export interface TimebankDeps {
  config: Config;
  ds: DataSource;
  audit: AuditService;
  clock: Clock;
  scheduler: Scheduler;
  tickets: TicketService;
}

export function createTimebank(deps: TimebankDeps) {
  const settings = ledgerSettingsFrom(deps.config);
  const ctx: TimebankContext = { ds: deps.ds, ledger: new LedgerStore(settings), audit: deps.audit, clock: deps.clock, events: new TimebankEvents() };
  const earning = new TimebankEarning(ctx);
  const approvals = new TimebankApprovals(ctx);
  const shop = new TimebankShop(ctx, deps.tickets);
  const statements = new TimebankStatements(ctx);
  deps.scheduler.register({ name: 'timebank-earning', spec: everySeconds(60), singleNode: true, run: () => earning.sweep().then(() => undefined) });

  return {
    settings,
    ledger: ctx.ledger,
    events: ctx.events,
    earning,
    approvals,
    shop,
    statements,
    /** Routes without a staff session (mount before `requireAuth`). */
    mountPublic(_app: Express): void {},
    /** Routes behind the staff session (mount after `requireAuth`). */
    mountApi(app: Express): void {
      app.use('/api/timebank', timebankLedgerRoutes({ settings, statements, earning, approvals, shop }));
    },
    attach(hub: RealtimeHub): void {
      registerTimebankFanout(hub.io, ctx.events);
    },
  };
}

export type Timebank = ReturnType<typeof createTimebank>;
