/**
 * Dispatch assembled from the dependencies `createApp` hands it: jobs and the offer cascade, people, the
 * field page, the durable timers (registered with the one scheduler), SMS replies to offers (through the
 * inbound SMS webhook), the SOS chain's urgent responder jobs and the realtime notices.
 */
import type { Express } from 'express';
import type { DataSource } from 'typeorm';
import type { AuditService } from '../audit/audit.service';
import type { Config } from '../config/config';
import type { Logger } from '../config/logger';
import type { PersonChangeLog } from '../persons/person-change-log';
import type { Outbox } from '../outbox/outbox.service';
import type { RealtimeHub } from '../realtime/realtime-hub';
import { everySeconds } from '../scheduler/cadence';
import type { Scheduler } from '../scheduler/scheduler';
import type { Clock } from '../shared/clock';
import type { DomainEvents } from '../shared/domain-events';
import type { InboundSmsService } from '../sms/inbound-sms.service';
import { DispatchNotices } from './dispatch-notices';
import { dispatchJobRoutes } from './dispatch.routes';
import { DispatchTimers } from './dispatch-timers';
import { fieldRoutes } from './field.routes';
import { FieldService } from './field.service';
import type { CascadeDeps } from './job-cascade';
import { JobService } from './job.service';
import { handleOfferReply } from './offer-replies';
import { dispatchPeopleRoutes } from './people.routes';
import { PeopleService } from './people.service';
import { SosResponder } from './sos-responder';
import { visitPrefsRoutes } from './visit-prefs.routes';
import { VisitPrefsService } from './visit-prefs.service';
import type { VoiceDialPort } from './voice-dial.port';

export interface DispatchDeps {
  config: Config;
  log: Logger;
  ds: DataSource;
  clock: Clock;
  audit: AuditService;
  events: DomainEvents;
  outbox: Outbox;
  scheduler: Scheduler;
  inboundSms: InboundSmsService;
  /** Click-to-call, for voice offers (the dispatcher's fallback). */
  voice: VoiceDialPort;
  /** The person's change history (visit preference edits are rows of it). */
  history: PersonChangeLog;
}

export interface Dispatch {
  jobs: JobService;
  people: PeopleService;
  visitPrefs: VisitPrefsService;
  field: FieldService;
  timers: DispatchTimers;
  notices: DispatchNotices;
  /** The SOS chain's responder step: urgent job, parallel offers (bound to the caller side by createApp). */
  responder: SosResponder;
  /** `/api/field` (before staff authentication). */
  mountPublic(app: Express): void;
  /** `/api/dispatch/*` and `/api/persons/:id/dispatch-prefs` (after staff authentication). */
  mountApi(app: Express): void;
  attach(hub: RealtimeHub): void;
}

export function createDispatch(deps: DispatchDeps): Dispatch {
  const { ds, clock, audit, log } = deps;
  const notices = new DispatchNotices(ds, deps.events, clock, log.child({ component: 'dispatch-notices' }));
  const linkBase = deps.config.FIELD_LINK_BASE_URL ?? deps.config.CONSOLE_ORIGIN?.split(',')[0] ?? `http://localhost:${deps.config.PORT}`;
  const cascade: CascadeDeps = { outbox: deps.outbox, notices, linkBase: linkBase.replace(/\/+$/, '') };
  const jobs = new JobService(ds, audit, clock, cascade, log.child({ component: 'dispatch' }), undefined, deps.voice);
  const people = new PeopleService(ds, audit, clock);
  const visitPrefs = new VisitPrefsService(ds, audit, deps.history, clock);
  const field = new FieldService(ds, cascade, audit, clock, log.child({ component: 'field' }));
  const timers = new DispatchTimers(ds, cascade, clock, log.child({ component: 'dispatch-timers' }));
  deps.scheduler.register({ name: 'dispatch-timers', spec: everySeconds(2), singleNode: true, run: () => timers.tick().then((n) => n && deps.outbox.committed()) });
  deps.inboundSms.addReplyHandler(async (m, fromE164, body, now, after) => {
    const handled = await handleOfferReply(m, cascade, fromE164, body, now, after);
    if (handled) after.add(() => deps.outbox.committed());
    return handled;
  });
  return {
    jobs,
    people,
    visitPrefs,
    field,
    timers,
    notices,
    responder: new SosResponder(jobs, cascade),
    mountPublic(app) {
      app.use('/api/field', fieldRoutes(field));
    },
    mountApi(app) {
      app.use('/api/dispatch/jobs', dispatchJobRoutes(jobs));
      app.use('/api/dispatch', dispatchPeopleRoutes(people));
      app.use('/api/persons', visitPrefsRoutes(visitPrefs));
    },
    attach(hub) {
      notices.attach(hub);
    },
  };
}
