/** Dispatch test helpers: a fake Twilio (outbound SMS), signed inbound SMS, people and a dispatchable order. */
import http from 'node:http';
import type { AddressInfo } from 'node:net';
import twilio from 'twilio';
import { makePerson } from './factories';
import { api, makeDistricts, makeUser, login, randomMobile, type RunningApp } from './test-app';

export const TWILIO_SID = `AC${'0123456789abcdef'.repeat(2)}`;
export const TWILIO_TOKEN = 'twilio-dispatch-token-0001';
export const TWILIO_FROM = '+8657100000009';
export const PUBLIC_URL = 'https://anxin.example.org';

/** Twilio's Messages endpoint: records every message. */
export class FakeTwilio {
  readonly received: { to: string; body: string }[] = [];
  private server!: http.Server;
  private seq = 0;
  url = '';

  async start(): Promise<void> {
    this.server = http.createServer((req, res) => {
      let raw = '';
      req.on('data', (c) => (raw += c));
      req.on('end', () => {
        const form = new URLSearchParams(raw);
        this.received.push({ to: form.get('To') ?? '', body: form.get('Body') ?? '' });
        res.writeHead(201, { 'content-type': 'application/json' }).end(JSON.stringify({ sid: `SM${String(++this.seq).padStart(32, '0')}`, status: 'queued' }));
      });
    });
    await new Promise<void>((r) => this.server.listen(0, '127.0.0.1', () => r()));
    this.url = `http://127.0.0.1:${(this.server.address() as AddressInfo).port}`;
  }

  to(e164: string): { to: string; body: string }[] {
    return this.received.filter((r) => r.to === e164);
  }

  close(): Promise<void> {
    return new Promise((r) => this.server.close(() => r()));
  }
}

export const twilioEnv = (fake: FakeTwilio): Record<string, string> => ({
  BACKGROUND_JOBS: 'off',
  TWILIO_ACCOUNT_SID: TWILIO_SID,
  TWILIO_AUTH_TOKEN: TWILIO_TOKEN,
  TWILIO_SMS_FROM: TWILIO_FROM,
  TWILIO_API_BASE_URL: fake.url,
  TWILIO_WEBHOOK_BASE_URL: PUBLIC_URL,
  FIELD_LINK_BASE_URL: PUBLIC_URL,
});

let smsSeq = 0;
/** A signed inbound SMS to the Twilio webhook (as Twilio posts it); returns the TwiML reply text. */
export async function textIn(t: RunningApp, from: string, body: string): Promise<string> {
  const params = { MessageSid: `SM${Date.now().toString(16).padStart(16, '0')}${String(++smsSeq).padStart(16, '0')}`, From: from, To: TWILIO_FROM, Body: body };
  const signature = twilio.getExpectedTwilioSignature(TWILIO_TOKEN, `${PUBLIC_URL}/twilio/sms`, params);
  const res = await fetch(`${t.baseUrl}/twilio/sms`, { method: 'POST', headers: { 'content-type': 'application/x-www-form-urlencoded', 'x-twilio-signature': signature }, body: new URLSearchParams(params).toString() });
  return res.text();
}

/** The link token and reply code of the last offer SMS to a number. */
export function offerSms(fake: FakeTwilio, e164: string): { token: string; code: string; body: string } {
  const last = fake.to(e164).filter((m) => m.body.includes('/f/')).at(-1);
  if (!last) throw new Error(`no offer SMS to ${e164}`);
  return { token: /\/f\/([A-Za-z0-9_-]+)/.exec(last.body)![1]!, code: /（([A-Z][2-9])）/.exec(last.body)?.[1] ?? '', body: last.body };
}

/** Every weekday, all day. */
export const ALWAYS = [1, 2, 3, 4, 5, 6, 7].map((weekday) => ({ weekday, from: '00:00', to: '24:00' }));

/** A Shanghai wall-clock time on the day after `now` (`10:00` → that instant). */
export function tomorrowAt(now: Date, hhmm: string): Date {
  const sh = new Date(now.getTime() + 8 * 3600_000 + 24 * 3600_000);
  const day = sh.toISOString().slice(0, 10);
  return new Date(`${day}T${hhmm}:00+08:00`);
}

export interface DispatchWorld {
  tree: Awaited<ReturnType<typeof makeDistricts>>;
  dispatcherToken: string;
  /** The hotline agent who takes the orders (agents submit orders to dispatch). */
  agentToken: string;
  personId: string;
  home: { lat: number; lng: number };
}

/** A district tree, a dispatcher scoped to the district and a person with a position. */
export async function dispatchWorld(t: RunningApp, home = { lat: 31.2304, lng: 121.4737 }): Promise<DispatchWorld> {
  const tree = await makeDistricts(t.ds);
  const dispatcher = await makeUser(t.ds, 'dispatcher', tree.district);
  const agent = await makeUser(t.ds, 'agent', tree.district);
  const person = await makePerson(t.ds, tree.community, { lat: home.lat, lng: home.lng, address: '测试路 88 弄 3 号 502 室' });
  return { tree, dispatcherToken: await login(t.baseUrl, dispatcher.username), agentToken: await login(t.baseUrl, agent.username), personId: person.id, home };
}

/** A volunteer created through the API, `km` east of the point; returns its id, phone and PIN. */
export async function volunteerNear(t: RunningApp, w: DispatchWorld, km: number, skills: string[], extra: Record<string, unknown> = {}): Promise<{ id: string; phone: string; pin: string }> {
  const phone = randomMobile();
  const lng = w.home.lng + km / (111.32 * Math.cos((w.home.lat * Math.PI) / 180));
  const res = await api(t.baseUrl, 'POST', '/api/dispatch/volunteers', w.dispatcherToken, {
    name: `志愿者${phone.slice(-4)}`,
    gender: 'female',
    phone,
    districtCode: w.tree.district,
    skills,
    certifications: [],
    weekly: ALWAYS,
    absences: [],
    crewSize: 1,
    maxConcurrentJobs: 2,
    serviceArea: { centre: { lat: w.home.lat, lng }, radiusKm: 10 },
    ...extra,
  });
  if (res.status !== 201) throw new Error(`volunteer: ${res.status} ${JSON.stringify(res.body)}`);
  return { id: res.body.candidate.id, phone, pin: res.body.pin };
}

/** A life-service order for the person, submitted for dispatch; returns its id. */
export async function submittedOrder(t: RunningApp, w: DispatchWorld, serviceType: string, token = w.agentToken, category = 'life_service'): Promise<string> {
  const created = await api(t.baseUrl, 'POST', '/api/tickets', token, { category, serviceType, personId: w.personId, summary: '需要上门服务', callerRelation: 'self', channel: 'phone', confidential: false });
  if (created.status !== 201) throw new Error(`ticket: ${created.status} ${JSON.stringify(created.body)}`);
  const submitted = await api(t.baseUrl, 'POST', `/api/tickets/${created.body.id}/transitions`, token, { action: 'submit' });
  if (submitted.status !== 200) throw new Error(`submit: ${submitted.status} ${JSON.stringify(submitted.body)}`);
  return created.body.id;
}
