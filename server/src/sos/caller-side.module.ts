/**
 * The caller side — IVR, SOS, SMS, outbox, Twilio webhooks — assembled from the dependencies `createApp`
 * hands over. `createApp` mounts the routes and calls `attach`, `start` and `stop`; nothing else wires these.
 */
import type { Express } from 'express';
import type { DataSource } from 'typeorm';
import type { IvrFlow } from '../../../ivr/src/flow.schema';
import { loadFlow } from '../../../ivr/src/load-flow';
import type { AuditService } from '../audit/audit.service';
import { backgroundJobsOn, type Config } from '../config/config';
import type { Logger } from '../config/logger';
import { CallerLookup } from '../ivr/caller-lookup.service';
import { ivrLookupRoutes } from '../ivr/ivr-lookup.routes';
import { callHandler, smsHandler } from '../outbox/outbox-handlers';
import { Outbox } from '../outbox/outbox.service';
import { OutboxWorker } from '../outbox/outbox.worker';
import type { RealtimeHub } from '../realtime/realtime-hub';
import { everySeconds } from '../scheduler/cadence';
import type { Scheduler } from '../scheduler/scheduler';
import type { Clock } from '../shared/clock';
import type { DomainEvents } from '../shared/domain-events';
import type { FieldCrypto } from '../shared/field-crypto';
import { createSms } from '../sms/create-sms';
import { InboundSmsService } from '../sms/inbound-sms.service';
import type { SmsPort } from '../sms/sms.port';
import type { TelephonyEvent } from '../telephony/telephony-events';
import type { TelephonyPort } from '../telephony/telephony.port';
import { twilioRoutes } from '../twilio/twilio.routes';
import { alarmRoutes } from './alarm.routes';
import { AlarmService } from './alarm.service';
import { DeviceKeyService } from './device-key.service';
import { EscalationService } from './escalation.service';
import { MaintenanceService } from './maintenance.service';
import { SosOrderLink } from './sos-order';
import { ResponderJobs } from './responder-jobs.port';
import { SosRaiser } from './sos-raise';
import { SosTelephonyHandler } from './sos-telephony.handler';
import { deviceKeyRoutes, sosRoutes } from './sos.routes';
import { SosService } from './sos.service';
import { registerSosCommands } from './sos.socket';
import { SystemActor } from './system-actor';

export interface CallerSideDeps {
  config: Config;
  log: Logger;
  ds: DataSource;
  crypto: FieldCrypto;
  clock: Clock;
  audit: AuditService;
  events: DomainEvents;
  telephony: TelephonyPort | null;
  /** The node's one scheduler: the caller side registers its timers there. */
  scheduler: Scheduler;
  /** Default: Twilio when configured, else the log. Tests pass their own. */
  sms?: SmsPort;
}

export function createCallerSide(deps: CallerSideDeps) {
  const { config, ds, clock, audit, events, telephony } = deps;
  const log = deps.log.child({ module: 'caller-side' });
  const flow: IvrFlow = loadFlow(config.IVR_FLOW_FILE);
  const sms = deps.sms ?? createSms(config, log);
  const system = new SystemActor(ds);
  const outbox = new Outbox(clock, config.OUTBOX_MAX_ATTEMPTS);
  const outboxWorker = new OutboxWorker(ds, clock, log.child({ component: 'outbox' }), {
    handlers: {
      sms: smsHandler(sms),
      ...(telephony ? { call: callHandler(telephony, { callbackExtension: config.SOS_CALLBACK_EXTENSION, callbackContext: config.SOS_CALLBACK_CONTEXT, callerId: `安心热线 <${config.HOTLINE_NUMBER}>` }) } : {}),
    },
  });
  outbox.onCommitted(() => void outboxWorker.kick());
  const timings = {
    agentAnswerSeconds: config.SOS_AGENT_ANSWER_SECONDS,
    callbackWaitSeconds: config.SOS_CALLBACK_WAIT_SECONDS,
    contactIntervalSeconds: config.SOS_CONTACT_INTERVAL_SECONDS,
    responderWaitSeconds: config.SOS_RESPONDER_WAIT_SECONDS,
    communityWaitSeconds: config.SOS_COMMUNITY_WAIT_SECONDS,
  };
  // The responder step's urgent jobs: bound to dispatch by createApp once both exist.
  const responders = new ResponderJobs();
  const raiser = new SosRaiser(events, outbox, timings.agentAnswerSeconds, audit);
  const sos = new SosService(ds, raiser, system, audit, outbox, events, clock, log.child({ component: 'sos' }), responders);
  const escalation = new EscalationService(ds, system, audit, outbox, events, clock, { timings, canCall: telephony !== null, communityNumber: config.SOS_COMMUNITY_NUMBER ?? null, hotline: config.HOTLINE_NUMBER }, log.child({ component: 'escalation' }), responders);
  const keys = new DeviceKeyService(ds, deps.crypto, audit, clock);
  const maintenance = new MaintenanceService(ds, system, events, clock, log.child({ component: 'maintenance' }), audit);
  const alarms = new AlarmService(ds, keys, sos, maintenance, system, events, clock, { clockSkewSeconds: config.ALARM_CLOCK_SKEW_SECONDS, lowBatteryPercent: config.DEVICE_LOW_BATTERY_PERCENT }, log.child({ component: 'alarms' }), audit);
  const inboundSms = new InboundSmsService(ds, sos, system, events, clock, log.child({ component: 'sms-in' }), audit);
  const lookup = new CallerLookup(ds);
  const telephonyHandler = new SosTelephonyHandler(ds, sos, events, clock, log.child({ component: 'sos-telephony' }));
  // Escalation steps and heartbeat checks are claimed rows, but one node doing them keeps alerts single;
  // every node drains the outbox (rows claimed with SKIP LOCKED).
  deps.scheduler.register({ name: 'sos-escalation', spec: everySeconds(1), singleNode: true, run: () => escalation.tick() });
  deps.scheduler.register({ name: 'outbox', spec: everySeconds(5), singleNode: false, run: () => outboxWorker.kick() });
  deps.scheduler.register({ name: 'device-heartbeats', spec: everySeconds(600), singleNode: true, run: () => maintenance.sweepHeartbeats(config.DEVICE_HEARTBEAT_TIMEOUT_MINUTES) });
  log.info({ flow: flow.id, sms: sms.kind, twilioWebhooks: Boolean(config.TWILIO_AUTH_TOKEN), automaticCalls: telephony !== null }, 'caller side ready');

  return {
    flow,
    sms,
    outbox,
    /** The SOS side of the order service: an SOS follows its order (wired into TicketService). */
    orderLink: new SosOrderLink(outbox, events, responders, log.child({ component: 'sos-order' })),
    /** Bind dispatch's urgent responder jobs (`dispatch/sos-responder.ts`) to the escalation chain. */
    responders,
    outboxWorker,
    sos,
    escalation,
    keys,
    maintenance,
    alarms,
    inboundSms,
    lookup,
    telephonyHandler,

    /** Routes without a staff session; call before the JSON body parser (the alarm signature covers raw bytes). */
    mountPublic(app: Express): void {
      app.use('/api/alarms', alarmRoutes(alarms));
      app.use('/ivr', ivrLookupRoutes(lookup, config.IVR_LOOKUP_TOKEN, audit));
      if (config.TWILIO_AUTH_TOKEN) {
        // Twilio takes no calls: its only event is an SOS device's `sos.raised`, for the SOS module alone
        // (the call log would open a row for it that no call ever ends).
        const emit = (event: TelephonyEvent) => telephonyHandler.onTelephonyEvent(event);
        app.use('/twilio', twilioRoutes({ authToken: config.TWILIO_AUTH_TOKEN, publicBaseUrl: config.TWILIO_WEBHOOK_BASE_URL, flow, hotlineNumber: config.HOTLINE_NUMBER, lookup, inboundSms, emit, clock, log: log.child({ component: 'twilio' }) }));
      }
    },

    /** Routes behind the staff session (mount after requireAuth). */
    mountApi(app: Express): void {
      app.use('/api/sos', sosRoutes(sos));
      app.use('/api/devices', deviceKeyRoutes(keys));
    },

    /**
     * Hook into the realtime hub and the PBX adapter's canonical events (the Twilio webhooks feed the SOS
     * module themselves).
     */
    attach(hub: RealtimeHub): void {
      registerSosCommands(hub, sos, log);
      telephony?.onEvent((event) => telephonyHandler.onTelephonyEvent(event));
      events.on('call.updated', ({ call }) => telephonyHandler.onCallChanged(call));
      events.on('call.ringing', ({ call }) => telephonyHandler.onCallChanged(call, true));
    },

    start(): void {
      if (!backgroundJobsOn(config)) return;
      void outboxWorker.kick(); // what a previous run left pending
    },

    async stop(): Promise<void> {
      await telephonyHandler.drain();
      await outboxWorker.stop();
    },
  };
}

export type CallerSide = ReturnType<typeof createCallerSide>;
