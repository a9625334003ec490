import { z } from 'zod';

const seconds = (def: number) => z.coerce.number().int().min(1).max(24 * 3600).default(def);

/**
 * Environment of the caller side (IVR, SOS, SMS, Twilio), spread into the one config schema
 * (`config/config.ts`) so everything is still parsed once at start.
 */
export const callerSideEnv = {
  /** Twilio account (`AC…`), token and SMS sender (E.164 number or Messaging Service `MG…`). Without all three, SMS go to the log. */
  TWILIO_ACCOUNT_SID: z.string().regex(/^AC[0-9a-fA-F]{32}$/, 'must be AC followed by 32 hex digits').optional(),
  /** Also turns on the signed webhooks /twilio/voice, /twilio/gather, /twilio/sms. */
  TWILIO_AUTH_TOKEN: z.string().min(16, 'must be at least 16 characters').optional(),
  TWILIO_SMS_FROM: z.string().regex(/^(\+\d{6,15}|MG[0-9a-fA-F]{32})$/, 'must be an E.164 number or an MG… Messaging Service SID').optional(),
  /** Public base URL Twilio calls (behind a proxy), e.g. https://anxin.example.org — signatures are checked against it. */
  TWILIO_WEBHOOK_BASE_URL: z.string().url().optional(),
  /** Send Twilio REST calls elsewhere (egress proxy, test double). */
  TWILIO_API_BASE_URL: z.string().url().optional(),
  /** An IVR flow file instead of the bundled ivr/flows/hotline.flow.json (validated at start). */
  IVR_FLOW_FILE: z.string().optional(),
  /** Bearer token the Asterisk dialplan sends to GET /ivr/lookup; unset → loopback only. */
  IVR_LOOKUP_TOKEN: z.string().min(16, 'must be at least 16 characters').optional(),
  /** Escalation chain timings (seconds): agent answer → callback → contacts … → responder → community. */
  SOS_AGENT_ANSWER_SECONDS: seconds(30),
  SOS_CALLBACK_WAIT_SECONDS: seconds(60),
  SOS_CONTACT_INTERVAL_SECONDS: seconds(60),
  SOS_RESPONDER_WAIT_SECONDS: seconds(120),
  SOS_COMMUNITY_WAIT_SECONDS: seconds(180),
  /** Dialplan extension automatic SOS callbacks are originated to (see extensions_anxin.conf). */
  SOS_CALLBACK_EXTENSION: z.string().regex(/^[A-Za-z0-9_.-]{1,40}$/).default('sos-callback'),
  /** Its dialplan context: callbacks ring `Local/<extension>@<context>`, whatever the agents' member interface. */
  SOS_CALLBACK_CONTEXT: z.string().regex(/^[A-Za-z0-9_.-]{1,40}$/).default('agents'),
  /** Community duty number for the last step when a person has no community contact. */
  SOS_COMMUNITY_NUMBER: z.string().regex(/^\+?\d{5,20}$/, 'digits, optionally with +').optional(),
  /** Alarm API: accepted clock difference of a signed request. */
  ALARM_CLOCK_SKEW_SECONDS: z.coerce.number().int().min(10).max(3600).default(300),
  DEVICE_LOW_BATTERY_PERCENT: z.coerce.number().int().min(1).max(99).default(20),
  /** A device connected to the alarm API that is silent this long gets a maintenance order. */
  DEVICE_HEARTBEAT_TIMEOUT_MINUTES: z.coerce.number().int().min(5).max(30 * 24 * 60).default(24 * 60),
  OUTBOX_MAX_ATTEMPTS: z.coerce.number().int().min(1).max(50).default(8),
  /** `off`: no timers (escalation ticks, outbox polling, heartbeat sweep, audit sealing); something else drives them. Default on, off when NODE_ENV=test. */
  BACKGROUND_JOBS: z.enum(['on', 'off']).optional(),
};
