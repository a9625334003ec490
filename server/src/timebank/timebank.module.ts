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
import { TimebankActivities } from './activities.service';
import { TimebankDonations } from './donations.service';
import { TimebankEarning } from './earning.service';
import { LedgerStore } from './ledger-store';
import { TimebankShop } from './shop.service';
import { VolunteerPortal } from './portal.service';
import { TimebankStatements } from './statements.service';
import { TimebankThrottle } from './timebank-throttle';
import { TimebankExpiry } from './expiry.service';
import { TimebankTransfers } from './transfers.service';
import { timebankPublicRoutes, timebankVolunteerRoutes } from './timebank-volunteers.routes';
import { TimebankVolunteers } from './volunteers.service';
import { ledgerSettingsFrom } from './timebank.config';
import type { TimebankContext } from './timebank-context';
import { registerTimebankFanout, TimebankEvents } from './timebank-events';
import { timebankActivityRoutes } from './timebank-activities.routes';
import { timebankDonationRoutes } from './timebank-donations.routes';
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
  const transfers = new TimebankTransfers(ctx);
  const expiry = new TimebankExpiry(ctx);
  const donations = new TimebankDonations(ctx);
  const activities = new TimebankActivities(ctx);
  const throttle = new TimebankThrottle(deps.ds, deps.clock, deps.config.TIMEBANK_SIGNUPS_PER_HOUR);
  const volunteers = new TimebankVolunteers(ctx, throttle);
  const portal = new VolunteerPortal(ctx, throttle);
  deps.scheduler.register({ name: 'timebank-earning', spec: everySeconds(60), singleNode: true, run: () => earning.sweep().then(() => undefined) });
  // Expiry only under a policy that sets it; once a day, on one node (each account is locked while it expires).
  if (settings.expiryMonths !== null) deps.scheduler.register({ name: 'timebank-expiry', spec: everySeconds(24 * 3600), singleNode: true, run: () => expiry.run(null).then(() => undefined) });

  return {
    settings,
    ledger: ctx.ledger,
    events: ctx.events,
    earning,
    approvals,
    shop,
    statements,
    transfers,
    expiry,
    donations,
    activities,
    volunteers,
    portal,
    /** Routes without a staff session (mount before `requireAuth`). */
    mountPublic(app: Express): void {
      const { publicRouter, portalRouter } = timebankPublicRoutes({ volunteers, portal, statements, shop, events: ctx.events, ds: deps.ds });
      app.use('/api/public', publicRouter);
      app.use('/api/volunteer-portal', portalRouter);
    },
    /** Routes behind the staff session (mount after `requireAuth`). */
    mountApi(app: Express): void {
      app.use('/api/timebank', timebankLedgerRoutes({ settings, statements, earning, approvals, shop, transfers, expiry }));
      app.use('/api/timebank', timebankDonationRoutes(donations));
      app.use('/api/timebank', timebankActivityRoutes(activities));
      app.use('/api/timebank', timebankVolunteerRoutes(volunteers, portal));
    },
    attach(hub: RealtimeHub): void {
      registerTimebankFanout(hub.io, ctx.events);
    },
  };
}

export type Timebank = ReturnType<typeof createTimebank>;
