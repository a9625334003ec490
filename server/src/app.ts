import fs from 'node:fs';
import http from 'node:http';
import os from 'node:os';
import path from 'node:path';
import cookieParser from 'cookie-parser';
import express from 'express';
import type { DataSource } from 'typeorm';
import { agentRoutes } from './agents/agent.routes';
import { AgentPresenceService } from './agents/agent-presence.service';
import { CheckpointFile } from './audit/audit-checkpoints';
import { auditKeysFromSecret } from './audit/audit-crypto';
import { auditRoutes } from './audit/audit.routes';
import { AuditSearch } from './audit/audit-search';
import { AuditService } from './audit/audit.service';
import { authRoutes } from './auth/auth.routes';
import { AuthService } from './auth/auth.service';
import { CareEscalationService } from './care/care-escalation.service';
import { CarePlanService } from './care/care-plan.service';
import { CareSurveys } from './care/care-survey';
import { CareTaskService } from './care/care-task.service';
import { careRoutes } from './care/care.routes';
import { careStatsRoutes } from './care/care-stats.routes';
import { CareStatsService } from './care/care-stats.service';
import { CareSmsService } from './care/care-sms.service';
import { CampaignService } from './care/campaign.service';
import { campaignRoutes } from './care/campaign.routes';
import { CareEventsService } from './care/care-events.service';
import { CallLogService } from './calls/call-log.service';
import { callRoutes } from './calls/call.routes';
import { clickToCallRoutes } from './calls/click-to-call.routes';
import { ClickToCallService } from './calls/click-to-call.service';
import { backgroundJobsOn, type Config } from './config/config';
import type { Logger } from './config/logger';
import { createDispatch, type Dispatch } from './dispatch/dispatch.module';
import { districtRoutes } from './districts/district.routes';
import { districtAdminRoutes } from './districts/district-admin.routes';
import { DistrictAdminService } from './districts/district-admin.service';
import { requireAuth } from './http/auth.middleware';
import { rejectControlCharacters } from './http/control-characters.middleware';
import { deepLinkRoutes } from './http/deep-links';
import { errorHandler } from './http/error-handler';
import { listRoutes, type RouteInfo } from './http/route-list';
import { healthRoutes } from './http/health.routes';
import { OriginPolicy } from './http/origin-policy';
import { csrfGuard, noStore, securityHeaders } from './http/security.middleware';
import { personCreateRoutes } from './persons/person-create.routes';
import { PersonCreateService } from './persons/person-create.service';
import { duplicateFlagRoutes } from './persons/duplicate-flag.routes';
import { DuplicateFlagService } from './persons/duplicate-flag.service';
import { PersonRevealService } from './persons/person-reveal.service';
import { PersonConsentService } from './persons/person-consent.service';
import { PersonMergeService } from './persons/person-merge.service';
import { personStatusRoutes } from './persons/person-status.routes';
import { PersonStatusService } from './persons/person-status.service';
import { personRoutes } from './persons/person.routes';
import { PersonChangeLog } from './persons/person-change-log';
import { PersonContactsService } from './persons/person-contacts.service';
import { PersonDevicesService } from './persons/person-devices.service';
import { PersonEditService } from './persons/person-edit.service';
import { PersonPhonesService } from './persons/person-phones.service';
import { personRecordRoutes } from './persons/person-records.routes';
import { PersonService } from './persons/person.service';
import { RegisterExport } from './register/register-export';
import { RegisterImportService } from './register/register-import.service';
import { registerRoutes } from './register/register.routes';
import { everySeconds } from './scheduler/cadence';
import { leadershipFor, type Leadership } from './scheduler/leadership';
import { Scheduler } from './scheduler/scheduler';
import { registerPresenceCommands } from './realtime/presence-commands';
import { registerCallFanout } from './realtime/call-fanout';
import { RealtimeHub } from './realtime/realtime-hub';
import type { Clock } from './shared/clock';
import { DomainEvents } from './shared/domain-events';
import type { FieldCrypto } from './shared/field-crypto';
import type { SmsPort } from './sms/sms.port';
import { createCallerSide, type CallerSide } from './sos/caller-side.module';
import { SystemActor } from './sos/system-actor';
import { softphoneRoutes } from './softphone/softphone.routes';
import { StaffDirectory } from './staff/staff-directory';
import { staffRoutes } from './staff/staff.routes';
import { StaffService } from './staff/staff.service';
import type { TelephonyPort } from './telephony/telephony.port';
import { ticketRoutes } from './tickets/ticket.routes';
import { TicketService } from './tickets/ticket.service';
import { createTimebank, type Timebank } from './timebank/timebank.module';

export interface AppDeps {
  config: Config;
  log: Logger;
  ds: DataSource;
  databaseKind: 'pglite' | 'postgres';
  crypto: FieldCrypto;
  clock: Clock;
  /** Null when no PBX is configured. */
  telephony: TelephonyPort | null;
  /** SMS carrier; default: Twilio when configured, else the log. */
  sms?: SmsPort;
  /** Who runs single-node jobs; default: an advisory lock on PostgreSQL, this node on PGlite. */
  leadership?: Leadership;
}

export interface App {
  /** Listen; resolves with the bound port. */
  start(): Promise<number>;
  close(): Promise<void>;
  readonly http: http.Server;
  /** Every HTTP endpoint (method + path pattern), from the router stack: for tests and docs. */
  routes(): RouteInfo[];
  /** The socket.io hub (its `io` lists connected sockets and the commands each has). */
  readonly realtime: RealtimeHub;
  readonly scheduler: Scheduler;
  readonly services: { auth: AuthService; persons: PersonService; tickets: TicketService; callLog: CallLogService; audit: AuditService; events: DomainEvents; presence: AgentPresenceService; clickToCall: ClickToCallService; callerSide: CallerSide; registerImports: RegisterImportService; care: Care; dispatch: Dispatch; timebank: Timebank };
}

/** Proactive care and 回访 (see `care/`). */
export interface Care {
  plans: CarePlanService;
  tasks: CareTaskService;
  surveys: CareSurveys;
  escalation: CareEscalationService;
  /** Care calls and 回访 by SMS (set once the outbox exists). */
  sms?: CareSmsService;
  campaigns: CampaignService;
  events: CareEventsService;
}

const CONSOLE_DIST = path.resolve(__dirname, '../../', __dirname.includes(`${path.sep}dist${path.sep}`) ? '../agent-console/dist' : 'agent-console/dist');

/** Build every service from its few dependencies and wire HTTP, socket.io and telephony together. */
export function createApp(deps: AppDeps): App {
  const { config, log, ds, crypto, clock, telephony } = deps;
  const events = new DomainEvents();
  const auditKeys = auditKeysFromSecret(config.dataKey);
  const checkpointFile = new CheckpointFile(config.AUDIT_CHECKPOINT_FILE ?? path.join(config.DATA_DIR, 'audit-checkpoints.jsonl'), auditKeys);
  const audit = new AuditService(ds, clock, { keys: auditKeys, checkpoints: checkpointFile, log: log.child({ module: 'audit' }) });
  const auditSearch = new AuditSearch(ds, audit);
  const scheduler = new Scheduler(ds, deps.leadership ?? leadershipFor(ds, deps.databaseKind, log.child({ module: 'scheduler' })), log.child({ module: 'scheduler' }), {
    nodeId: config.SCHEDULER_NODE_ID ?? `${os.hostname()}:${process.pid}`,
    backgroundJobs: backgroundJobsOn(config),
    clock,
  });
  scheduler.register({ name: 'audit-seal', spec: everySeconds(1), singleNode: true, run: () => audit.seal() });
  const auth = new AuthService(ds, audit, clock, events, {
    sessionTtlMinutes: config.SESSION_TTL_MINUTES,
    idleMinutes: config.SESSION_IDLE_MINUTES,
    maxSessionsPerUser: config.SESSION_MAX_PER_USER,
    maxFailures: config.LOGIN_MAX_FAILURES,
    lockMinutes: config.LOGIN_LOCK_MINUTES,
    ipMaxFailures: config.LOGIN_IP_MAX_FAILURES,
    accountMaxDelaySeconds: config.LOGIN_ACCOUNT_MAX_DELAY_SECONDS,
    totpRequiredForAll: config.TOTP_REQUIRED_FOR === 'all',
  }, crypto);
  const origins = new OriginPolicy(config.CONSOLE_ORIGIN);
  const persons = new PersonService(ds, crypto, audit);
  const reveals = new PersonRevealService(persons, audit, events, clock, { limit: config.REVEAL_LIMIT, windowMs: config.REVEAL_WINDOW_MINUTES * 60_000, bulkPersons: config.REVEAL_BULK_PERSONS });
  const staff = new StaffDirectory(ds);
  const staffAdmin = new StaffService(ds, auth, audit, staff);
  const callLog = new CallLogService(ds, persons, staff, events, log.child({ module: 'call-log' }));
  const personCreate = new PersonCreateService(ds, crypto, audit, persons);
  const duplicateFlags = new DuplicateFlagService(ds, audit);
  const registerImports = new RegisterImportService(ds, crypto, audit, clock, log.child({ module: 'register-import' }), { dir: path.join(config.DATA_DIR, 'imports'), maxBytes: config.REGISTER_IMPORT_MAX_MB * 1024 * 1024 });
  const registerExport = new RegisterExport(ds, crypto, audit);
  const districtAdmin = new DistrictAdminService(ds, audit);
  const personStatus = new PersonStatusService(ds, persons, audit, clock);
  const personMerges = new PersonMergeService(ds, persons, audit, clock);
  const personConsents = new PersonConsentService(ds, persons, audit, clock);
  const presence = new AgentPresenceService(ds, telephony, config.ASTERISK_QUEUE, audit, clock, log.child({ module: 'presence' }));
  const callerSide = createCallerSide({ config, log, ds, crypto, clock, audit, events, telephony, scheduler, sms: deps.sms });
  const surveys = new CareSurveys(ds, audit, clock);
  const tickets = new TicketService(ds, audit, events, clock, callerSide.orderLink, surveys);
  const changeLog = new PersonChangeLog(crypto);
  const personRecords = {
    editor: new PersonEditService(ds, crypto, audit, persons, changeLog, clock),
    contacts: new PersonContactsService(ds, audit, persons, changeLog, clock),
    phones: new PersonPhonesService(ds, audit, persons, changeLog, clock),
    devices: new PersonDevicesService(ds, audit, persons, changeLog, clock, (serial) => callerSide.keys.forget(serial)),
  };
  const clickToCall = new ClickToCallService(ds, telephony, tickets, audit, events, clock, { callerId: `Anxin <${config.HOTLINE_NUMBER}>`, log: log.child({ module: 'click-to-call' }) });
  const care: Care = {
    plans: new CarePlanService(ds, audit, clock),
    tasks: new CareTaskService(ds, audit, surveys, clickToCall, events, clock, log.child({ module: 'care' })),
    surveys,
    escalation: new CareEscalationService(ds, new SystemActor(ds), audit, callerSide.outbox, events, clock, log.child({ module: 'care-escalation' }), config.HOTLINE_NUMBER),
    campaigns: new CampaignService(ds, audit, events, clock),
    events: new CareEventsService(ds, audit, events, clock),
  };
  scheduler.register({ name: 'care-generate', spec: everySeconds(60), singleNode: true, run: async () => (await care.plans.generate()) + (await care.campaigns.generate()) + (await care.events.generate()) });
  scheduler.register({ name: 'care-surveys', spec: everySeconds(60), singleNode: true, run: () => care.surveys.sweep() });
  const dispatch = createDispatch({ config, log, ds, clock, audit, events, outbox: callerSide.outbox, scheduler, inboundSms: callerSide.inboundSms, voice: clickToCall, history: changeLog });
  callerSide.responders.use(dispatch.responder); // the SOS chain's responder step opens an urgent job
  const timebank = createTimebank({ config, ds, audit, clock, scheduler, tickets });
  scheduler.register({ name: 'care-escalation', spec: everySeconds(30), singleNode: true, run: () => care.escalation.tick() });
  const careSms = new CareSmsService(ds, new SystemActor(ds), audit, surveys, callerSide.outbox, events, clock, log.child({ module: 'care-sms' }), config.HOTLINE_NUMBER);
  care.sms = careSms;
  callerSide.inboundSms.useCareReplies(careSms);
  scheduler.register({ name: 'care-sms', spec: everySeconds(30), singleNode: true, run: () => careSms.tick() });

  const app = express();
  app.disable('x-powered-by');
  app.set('trust proxy', 'loopback');
  app.use(securityHeaders({ production: config.NODE_ENV === 'production', sipWssUrl: config.SIP_WSS_URL }));
  app.use('/api', noStore, csrfGuard(origins));
  callerSide.mountPublic(app); // device alarms (raw body for the signature), IVR lookup, Twilio webhooks
  app.use(express.json({ limit: '100kb' }));
  app.use(rejectControlCharacters()); // query, path and JSON body: 400, never a 500 from the database
  app.use(cookieParser());
  dispatch.mountPublic(app); // the field page: one-time link + PIN, no staff account
  app.use(deepLinkRoutes()); // the SMS short links /f/<token> and /v/<code> → the console's hash routes
  app.use('/api/health', healthRoutes(ds, telephony, deps.databaseKind, scheduler));
  app.use('/api/auth', authRoutes(auth, config.NODE_ENV === 'production'));
  timebank.mountPublic(app); // public volunteer sign-up and the volunteer portal (own sessions)
  app.use('/api', requireAuth(auth));
  app.use('/api/persons', personCreateRoutes(personCreate));
  app.use('/api/persons', personRoutes(persons, reveals));
  app.use('/api/persons', personRecordRoutes(personRecords));
  app.use('/api/persons', personStatusRoutes(personStatus, personMerges, personConsents));
  app.use('/api/person-duplicate-flags', duplicateFlagRoutes(duplicateFlags));
  app.use('/api/register', registerRoutes(registerImports, registerExport));
  app.use('/api/tickets', ticketRoutes(tickets));
  app.use('/api/care/stats', careStatsRoutes(new CareStatsService(ds, audit, clock)));
  app.use('/api/care', careRoutes(care.plans, care.tasks));
  app.use('/api/care', campaignRoutes(care.campaigns, care.events));
  app.use('/api/calls', clickToCallRoutes(clickToCall));
  app.use('/api/calls', callRoutes(ds, audit));
  app.use('/api/agents', agentRoutes(presence));
  app.use('/api/softphone', softphoneRoutes(config));
  app.use('/api/districts', districtRoutes(ds));
  app.use('/api/districts', districtAdminRoutes(districtAdmin));
  app.use('/api/audit', auditRoutes(auditSearch, audit));
  app.use('/api/staff', staffRoutes(staffAdmin));
  callerSide.mountApi(app);
  dispatch.mountApi(app);
  timebank.mountApi(app);
  app.use('/api', (_req, res) => res.status(404).json({ error: { code: 'not-found', message: '接口不存在' } }));
  const consoleDir = config.CONSOLE_DIR ? path.resolve(config.CONSOLE_DIR) : CONSOLE_DIST;
  if (fs.existsSync(consoleDir)) {
    // Hashed assets may be cached; index.html must not be, or a new build would not reach open browsers.
    app.use(express.static(consoleDir, { index: 'index.html', maxAge: '1h', setHeaders: (res, file) => file.endsWith('.html') && res.setHeader('cache-control', 'no-cache') }));
  } else {
    app.get('/', (_req, res) => res.type('text/plain; charset=utf-8').send('安心 Anxin server is running. The agent console is not built (npm run build:console).'));
  }
  app.use(errorHandler(log));

  const server = http.createServer(app);
  const hub = new RealtimeHub(server, auth, events, log.child({ module: 'realtime' }), { origins });
  // Every node sweeps its own sockets, with or without background jobs.
  scheduler.register({ name: 'session-sweep', spec: everySeconds(config.SESSION_SWEEP_SECONDS), singleNode: false, background: false, run: () => hub.sweep() });
  registerCallFanout(hub.io, events, audit, log.child({ module: 'realtime' }));
  registerPresenceCommands(hub, presence, log.child({ module: 'realtime' }));
  callerSide.attach(hub);
  dispatch.attach(hub);
  timebank.attach(hub);

  if (telephony) {
    telephony.onEvent((event) => void callLog.handle(event));
    telephony.onStateChange((state, since) => events.emit('telephony.state', { state, since: since.toISOString() }));
    telephony.onStateChange((state) => state === 'up' && void presence.resync());
  }

  return {
    http: server,
    routes: () => listRoutes(app),
    realtime: hub,
    scheduler,
    services: { auth, persons, tickets, callLog, audit, events, presence, clickToCall, callerSide, registerImports, care, dispatch, timebank },
    async start() {
      await new Promise<void>((resolve, reject) => {
        server.once('error', reject);
        server.listen(config.PORT, config.HOST, () => resolve());
      });
      if (telephony) await telephony.start();
      callerSide.start();
      scheduler.start();
      void registerImports.resumeUnfinished().catch((err) => log.error({ err }, 'resuming register imports failed'));
      const addr = server.address();
      return typeof addr === 'object' && addr ? addr.port : config.PORT;
    },
    async close() {
      if (telephony) await telephony.close();
      await scheduler.stop();
      await callerSide.stop();
      await registerImports.close();
      await callLog.drain();
      await audit.seal().catch((err) => log.warn({ err }, 'final audit seal failed'));
      await audit.checkpoint().catch((err) => log.warn({ err }, 'final audit checkpoint failed'));
      await hub.close();
      if (server.listening) await new Promise<void>((resolve) => server.close(() => resolve()));
    },
  };
}
