/**
 * The durable outbox delivering SMS through the official twilio client, pointed at a local HTTP server
 * that stands in for Twilio (custom httpClient): retry with backoff after failures, final refusals, leases,
 * idempotency keys and SKIP LOCKED claiming by concurrent workers.
 */
import http from 'node:http';
import type { AddressInfo } from 'node:net';
import pino from 'pino';
import type { DataSource } from 'typeorm';
import { smsHandler } from '../src/outbox/outbox-handlers';
import { OutboxWorker } from '../src/outbox/outbox.worker';
import { BaseUrlRequestClient } from '../src/sms/twilio-base-url.client';
import { TwilioSmsAdapter } from '../src/sms/twilio-sms.adapter';
import { acquireFileLock } from './support/file-lock';
import { api, login, makeDistricts, makeUser, parkLeftovers, randomMobile, startTestApp, TestClock, type RunningApp } from './support/test-app';

const SID = `AC${'0123456789abcdef'.repeat(2)}`;
const TOKEN = 'twilio-test-auth-token-0001';
const FROM = '+8657100000000';

interface Received {
  to: string;
  from: string;
  body: string;
  auth: string | undefined;
  path: string;
}

/** Twilio's Messages endpoint, scripted: each request takes the next planned answer (default 201). */
class FakeTwilio {
  readonly received: Received[] = [];
  readonly plan: Array<{ status: number; body: object }> = [];
  private server!: http.Server;
  private seq = 0;
  url = '';

  async start(): Promise<void> {
    this.server = http.createServer((req, res) => {
      let raw = '';
      req.on('data', (c) => (raw += c));
      req.on('end', () => {
        const form = new URLSearchParams(raw);
        this.received.push({ to: form.get('To') ?? '', from: form.get('From') ?? '', body: form.get('Body') ?? '', auth: req.headers.authorization, path: req.url ?? '' });
        const next = this.plan.shift() ?? { status: 201, body: { sid: `SM${String(++this.seq).padStart(32, '0')}`, status: 'queued', to: form.get('To'), from: form.get('From'), body: form.get('Body') } };
        res.writeHead(next.status, { 'content-type': 'application/json' }).end(JSON.stringify(next.body));
      });
    });
    await new Promise<void>((r) => this.server.listen(0, '127.0.0.1', () => r()));
    this.url = `http://127.0.0.1:${(this.server.address() as AddressInfo).port}`;
  }

  close(): Promise<void> {
    return new Promise((r) => this.server.close(() => r()));
  }
}

let t: RunningApp;
let ds: DataSource;
let twilio: FakeTwilio;
let release: () => void;
let agentToken: string;

beforeAll(async () => {
  release = await acquireFileLock('outbox-workers');
  twilio = new FakeTwilio();
  await twilio.start();
  // Two years back: no other test's outbox rows are ever due on this clock.
  const clock = new TestClock(new Date(Date.now() - 2 * 365 * 24 * 3600_000));
  t = await startTestApp({ clock, beforeStart: (d) => parkLeftovers(d, clock.now()), env: { BACKGROUND_JOBS: 'off', TWILIO_ACCOUNT_SID: SID, TWILIO_AUTH_TOKEN: TOKEN, TWILIO_SMS_FROM: FROM, TWILIO_API_BASE_URL: twilio.url } });
  ds = t.ds;
  const tree = await makeDistricts(ds);
  agentToken = await login(t.baseUrl, (await makeUser(ds, 'agent', tree.city)).username);
});
afterAll(async () => {
  await t?.close();
  await twilio?.close();
  release?.();
});

const side = () => t.app.services.callerSide;
const deliver = () => side().outboxWorker.kick();
const row = async (id: string) => (await ds.query('SELECT status, attempts, last_error, next_attempt_at, provider_ref FROM outbox WHERE id = $1', [id]))[0];

async function enqueueSms(to: string, body: string, opts: { key?: string; ticketId?: string } = {}): Promise<string | null> {
  const id = await ds.transaction((m) => side().outbox.enqueue(m, { kind: 'sms', idempotencyKey: opts.key ?? `test:${to}:${body}`, payload: { to, body }, ticketId: opts.ticketId ?? null }));
  side().outbox.committed();
  return id;
}

describe('outbox → Twilio', () => {
  it('when the SMS endpoint fails with 500, then the message is retried after a backoff and sent on the next try', async () => {
    twilio.plan.push({ status: 500, body: { code: 20500, message: 'Internal Server Error', status: 500 } });
    const to = randomMobile();
    const id = (await enqueueSms(to, '【安心热线】测试重试'))!;
    await deliver();
    const failed = await row(id);
    expect(failed).toMatchObject({ status: 'pending', attempts: 1, provider_ref: null });
    expect(failed.last_error).toMatch(/^temporary: Internal Server Error/);
    const wait = failed.next_attempt_at.getTime() - t.clock.now().getTime();
    expect(wait).toBeGreaterThanOrEqual(4000); // 5 s ± 20 %
    expect(wait).toBeLessThanOrEqual(6000);

    expect(await side().outboxWorker.runOnce()).toBe(0); // not due yet
    t.clock.advance(wait);
    await deliver();
    expect(await row(id)).toMatchObject({ status: 'sent', attempts: 2, last_error: null, provider_ref: expect.stringMatching(/^SM\d{32}$/) });

    const requests = twilio.received.filter((r) => r.to === to);
    expect(requests).toHaveLength(2);
    expect(requests[1]).toMatchObject({ from: FROM, body: '【安心热线】测试重试', path: `/2010-04-01/Accounts/${SID}/Messages.json` });
    expect(requests[1]!.auth).toBe(`Basic ${Buffer.from(`${SID}:${TOKEN}`).toString('base64')}`);
  });

  it('when Twilio refuses the number, then the message is dead at once and the order timeline says so', async () => {
    const ticket = await api(t.baseUrl, 'POST', '/api/tickets', agentToken, { category: 'inquiry', summary: '短信回复测试' });
    twilio.plan.push({ status: 400, body: { code: 21211, message: "The 'To' number is not a valid phone number.", status: 400 } });
    const id = (await enqueueSms('+8619900000000', '无效号码', { ticketId: ticket.body.id }))!;
    await deliver();
    expect(await row(id)).toMatchObject({ status: 'dead', attempts: 1 });
    const [event] = await ds.query(`SELECT note FROM ticket_event WHERE ticket_id = $1 AND kind = 'outbox_failed'`, [ticket.body.id]);
    expect(event.note).toContain('21211');
  });

  it('when a message keeps failing, then it dies after the last attempt', async () => {
    const max = 8; // OUTBOX_MAX_ATTEMPTS default
    for (let i = 0; i < max; i++) twilio.plan.push({ status: 503, body: { code: 20503, message: 'Service Unavailable', status: 503 } });
    const id = (await enqueueSms(randomMobile(), '一直失败'))!;
    for (let i = 0; i < max; i++) {
      await deliver();
      t.clock.advance(11 * 60_000); // beyond the longest backoff
    }
    expect(await row(id)).toMatchObject({ status: 'dead', attempts: max });
  });

  it('when the same idempotency key is enqueued twice, then one message goes out', async () => {
    const to = randomMobile();
    const first = await enqueueSms(to, '只发一次', { key: `dup:${to}` });
    const second = await enqueueSms(to, '只发一次', { key: `dup:${to}` });
    await deliver();
    expect(first).toEqual(expect.any(String));
    expect(second).toBeNull();
    expect(twilio.received.filter((r) => r.to === to)).toHaveLength(1);
  });

  it('when a sender died in the middle of sending, then its lease expires and the message is sent by the next run', async () => {
    const to = randomMobile();
    const id = await ds.transaction((m) => side().outbox.enqueue(m, { kind: 'sms', idempotencyKey: `lease:${to}`, payload: { to, body: '租约' } }));
    // as a worker that claimed it and was killed would leave it
    await ds.query(`UPDATE outbox SET status = 'sending', attempts = 1, lease_until = $2 WHERE id = $1`, [id, new Date(t.clock.now().getTime() + 60_000)]);
    await deliver();
    expect(await row(id!)).toMatchObject({ status: 'sending' });
    t.clock.advance(61_000);
    await deliver();
    expect(await row(id!)).toMatchObject({ status: 'sent', attempts: 2 });
  });

  it('when two workers run at the same time, then SKIP LOCKED gives each message to exactly one of them', async () => {
    const tos = Array.from({ length: 40 }, () => randomMobile());
    await ds.transaction(async (m) => {
      for (const to of tos) await side().outbox.enqueue(m, { kind: 'sms', idempotencyKey: `pair:${to}`, payload: { to, body: '并发' } });
    });
    const adapter = new TwilioSmsAdapter({ accountSid: SID, authToken: TOKEN, from: FROM, httpClient: new BaseUrlRequestClient(twilio.url) });
    const make = () => new OutboxWorker(ds, t.clock, pino({ level: 'silent' }), { handlers: { sms: smsHandler(adapter) }, batchSize: 5 });
    const [a, b] = [make(), make()];
    const drain = async (w: OutboxWorker) => {
      let n = 0;
      for (let got = -1; got !== 0; n += got) got = await w.runOnce();
      return n;
    };
    const [na, nb] = await Promise.all([drain(a), drain(b)]);
    expect(na + nb).toBe(40);
    for (const to of tos) expect([to, twilio.received.filter((r) => r.to === to).length]).toEqual([to, 1]);
    const statuses = await ds.query(`SELECT status, count(*)::int AS n FROM outbox WHERE idempotency_key LIKE 'pair:%' GROUP BY status`);
    expect(statuses).toEqual([{ status: 'sent', n: 40 }]);
  });
});
