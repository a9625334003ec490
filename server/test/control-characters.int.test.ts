/**
 * Control characters at every edge, over real HTTP and real sockets: an SOS alarm is recorded whatever its
 * `detail` holds; staff API requests (query, path, JSON body) and socket commands are refused with a 4xx /
 * an error ack, never a 500; an SMS is handled with its text cleaned.
 */
import twilio from 'twilio';
import type { DataSource } from 'typeorm';
import { fieldCryptoFromSecret } from '../src/shared/crypto-from-config';
import { makeAlarmDevices, postAlarm } from './support/alarm-devices';
import { makePerson } from './support/factories';
import { until } from './support/until';
import { api, connectSocket, login, makeDistricts, makeUser, randomMobile, startTestApp, TEST_DATA_KEY, type RunningApp, type TestSocket } from './support/test-app';

const TWILIO_TOKEN = 'twilio-webhook-token-000002';
const PUBLIC = 'https://anxin.example.org';

let t: RunningApp;
let ds: DataSource;
let tree: Awaited<ReturnType<typeof makeDistricts>>;
let agentToken: string;
let agent: TestSocket;
const crypto = fieldCryptoFromSecret(TEST_DATA_KEY);

beforeAll(async () => {
  t = await startTestApp({ env: { BACKGROUND_JOBS: 'off', TWILIO_AUTH_TOKEN: TWILIO_TOKEN, TWILIO_WEBHOOK_BASE_URL: PUBLIC } });
  ds = t.ds;
  tree = await makeDistricts(ds);
  const a = await makeUser(ds, 'agent', tree.district);
  agentToken = await login(t.baseUrl, a.username);
  agent = await connectSocket(t.baseUrl, agentToken);
});
afterAll(async () => {
  agent?.disconnect();
  await t.close();
});

describe('POST /api/alarms — the free-text detail never costs an SOS', () => {
  it.each([
    ['a NUL byte', '老人按键\u0000求救', '老人按键求救'],
    ['escape sequences and a BOM', '\u001b[31m摔倒\uFEFF\u0007', '[31m摔倒'],
    ['a lone surrogate', '求救\uD800', '求救'],
  ])('when a signed SOS has %s in its detail, then 201, the SOS is raised and the detail is kept without them', async (_what, detail, kept) => {
    const [d] = await makeAlarmDevices(ds, crypto, tree.community, [{}]);
    const r = await postAlarm(t.baseUrl, d!, { body: { type: 'sos', detail } });
    expect(r.status).toBe(201);
    expect(r.body).toMatchObject({ outcome: 'sos', sosId: expect.any(String), ticketId: expect.any(String) });
    const [incident] = await ds.query('SELECT status, person_id FROM sos_incident WHERE id = $1', [r.body.sosId]);
    expect(incident).toMatchObject({ status: 'active', person_id: d!.personId });
    const notes: { note: string | null }[] = await ds.query('SELECT note FROM ticket_event WHERE ticket_id = $1', [r.body.ticketId]);
    expect(notes.some((n) => n.note?.includes(kept))).toBe(true);
    expect(notes.some((n) => n.note && /[\u0000-\u001f\uFEFF]/.test(n.note))).toBe(false);
  });

  it('when a signed SOS has a detail far over the limit or of the wrong type, then 201 and the SOS is raised', async () => {
    const [d1, d2] = await makeAlarmDevices(ds, crypto, tree.community, [{}, {}]);
    const long = await postAlarm(t.baseUrl, d1!, { body: { type: 'sos', detail: '救'.repeat(5000) } });
    expect(long.status).toBe(201);
    expect(long.body.outcome).toBe('sos');
    const typed = await postAlarm(t.baseUrl, d2!, { body: { type: 'sos', detail: { nested: ['\u0000'] } } });
    expect(typed.status).toBe(201);
    expect(typed.body.outcome).toBe('sos');
  });
});

describe('staff API: control characters are a 400 validation/control-characters, never a 500', () => {
  const expect400 = (r: { status: number; body: any }) => {
    expect(r.status).toBe(400);
    expect(r.body.error).toMatchObject({ code: 'validation/control-characters', message: expect.stringMatching(/控制字符/) });
  };

  it('when the query string holds a NUL byte, then 400 and the reason names the parameter', async () => {
    const r = await api(t.baseUrl, 'GET', '/api/persons?q=%E5%BC%A0%00&purpose=%00', agentToken);
    expect400(r);
    expect(r.body.error.details).toEqual([{ path: expect.stringMatching(/^query\./), message: expect.any(String) }]);
  });

  it('when a path parameter holds a control character, then 400', async () => {
    expect400(await api(t.baseUrl, 'GET', '/api/tickets/abc%00def', agentToken));
    expect400(await api(t.baseUrl, 'GET', '/api/persons/%1B%5B2J', agentToken));
  });

  it('when a JSON body string holds a NUL byte, deep down or in a key, then 400 and nothing is written', async () => {
    const person = await makePerson(ds, tree.district);
    const before = (await ds.query('SELECT count(*)::int AS n FROM ticket WHERE person_id = $1', [person.id]))[0].n;
    const body = { category: 'consultation', serviceType: 'policy', priority: 'P3', channel: 'phone', summary: '咨询\u0000政策', personId: person.id };
    expect400(await api(t.baseUrl, 'POST', '/api/tickets', agentToken, body));
    expect400(await api(t.baseUrl, 'POST', '/api/tickets', agentToken, { ...body, summary: '咨询', extra: { deep: [['\u0085']] } }));
    expect400(await api(t.baseUrl, 'POST', '/api/tickets', agentToken, { ...body, summary: '咨询', ['k\u0000']: 1 }));
    expect((await ds.query('SELECT count(*)::int AS n FROM ticket WHERE person_id = $1', [person.id]))[0].n).toBe(before);
  });

  it('when a JSON body string holds line breaks and tabs, then they are not refused as control characters', async () => {
    const person = await makePerson(ds, tree.district);
    const r = await api(t.baseUrl, 'POST', '/api/tickets', agentToken, { category: 'consultation', serviceType: 'policy', priority: 'P3', channel: 'phone', summary: '第一行\n第二行\t结束\u2028', personId: person.id });
    expect(r.body?.error?.code).not.toBe('validation/control-characters');
    expect(r.status).toBeLessThan(500);
  });

  it('when the login body holds a NUL byte, then 400 before any lookup', async () => {
    expect400(await api(t.baseUrl, 'POST', '/api/auth/login', undefined, { username: 'agent\u0000', password: 'x' }));
  });
});

describe('socket commands: control characters are an error ack, the work never runs', () => {
  it('when sos:acknowledge carries a NUL byte, then {ok:false, code:validation/invalid} and the socket keeps working', async () => {
    const ack = await agent.timeout(5000).emitWithAck('sos:acknowledge', { sosId: '00000000-0000-4000-8000-000000000000', note: '收到\u0000' });
    expect(ack).toMatchObject({ ok: false, code: 'validation/invalid', message: expect.stringMatching(/控制字符/) });
    const presence = await agent.timeout(5000).emitWithAck('presence:set', { state: 'break', reason: '午\u001b饭' });
    expect(presence).toMatchObject({ ok: false, code: 'validation/invalid' });
    expect(await agent.timeout(5000).emitWithAck('presence:get')).toMatchObject({ ok: true });
  });
});

describe('Twilio SMS webhook: the text is cleaned, never refused', () => {
  it('when an SMS body and sender hold control characters, then it is answered and stored without them', async () => {
    const person = await makePerson(ds, tree.district);
    const sid = `SM${[...globalThis.crypto.getRandomValues(new Uint8Array(16))].map((b) => b.toString(16).padStart(2, '0')).join('')}`;
    const params = { MessageSid: sid, From: `${person.phone}\u0000`, Body: '你好\u0000，请\u001b帮我\n预约' };
    const url = `${PUBLIC}/twilio/sms`;
    const res = await fetch(`${t.baseUrl}/twilio/sms`, {
      method: 'POST',
      headers: { 'content-type': 'application/x-www-form-urlencoded', 'x-twilio-signature': twilio.getExpectedTwilioSignature(TWILIO_TOKEN, url, params) },
      body: new URLSearchParams(params).toString(),
    });
    expect(res.status).toBe(200);
    expect(await res.text()).not.toMatch(/系统繁忙/);
    const [row] = await ds.query('SELECT * FROM sms_inbound WHERE message_sid = $1', [sid]);
    expect(row).toBeDefined();
    expect(JSON.stringify(row)).not.toMatch(/\\u0000|\\u001b/);
  });
});

describe('Twilio voice webhook: a caller number with control characters is still answered', () => {
  it('when From holds control characters, then the caller is told the hotline number and an SOS device still raises its SOS', async () => {
    const sid = `CA${[...globalThis.crypto.getRandomValues(new Uint8Array(16))].map((b) => b.toString(16).padStart(2, '0')).join('')}`;
    const sim = randomMobile();
    await makePerson(ds, tree.community, { devices: [{ kind: 'sos_pendant', serial: `CC-${Date.now()}`, mode: 'home', armed: true, battery: 80, phoneE164: sim }] });
    const params = { CallSid: sid, From: `${sim}\u0000\u001b`, To: '+864008001234' };
    const url = `${PUBLIC}/twilio/voice`;
    const res = await fetch(`${t.baseUrl}/twilio/voice`, {
      method: 'POST',
      headers: { 'content-type': 'application/x-www-form-urlencoded', 'x-twilio-signature': twilio.getExpectedTwilioSignature(TWILIO_TOKEN, url, params) },
      body: new URLSearchParams(params).toString(),
    });
    expect(res.status).toBe(200);
    expect(await res.text()).toMatch(/您的紧急求助已收到.*<Hangup\/>/s);
    const row = await until(async () => (await ds.query('SELECT from_e164 FROM sos_incident WHERE call_key = $1', [`twilio:${sid}`]))[0]);
    expect(row).toEqual({ from_e164: sim });
  });
});
