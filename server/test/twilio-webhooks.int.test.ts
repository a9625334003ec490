/**
 * Twilio webhooks over real HTTP with signatures made by the twilio library's own helper: voice calls are
 * declined with the hotline number (TwiML parsed as XML; no call row; an SOS device still raises its SOS),
 * inbound SMS opening and updating orders or raising an SOS, and every signature failure. Also the Asterisk caller lookup (/ivr/lookup).
 */
import twilio from 'twilio';
import type { DataSource } from 'typeorm';
import { findAll, parseXml, textOf, type XmlElement } from '../../ivr/test/xml';
import { makePerson } from './support/factories';
import { makeDistricts, randomMobile, startTestApp, type RunningApp } from './support/test-app';
import { until } from './support/until';

const TOKEN = 'twilio-webhook-token-000001';
const PUBLIC = 'https://anxin.example.org';
const LOOKUP_TOKEN = 'ivr-lookup-token-000000001';

let t: RunningApp;
let ds: DataSource;
let tree: Awaited<ReturnType<typeof makeDistricts>>;

beforeAll(async () => {
  t = await startTestApp({ env: { BACKGROUND_JOBS: 'off', TWILIO_AUTH_TOKEN: TOKEN, TWILIO_WEBHOOK_BASE_URL: PUBLIC, IVR_LOOKUP_TOKEN: LOOKUP_TOKEN } });
  ds = t.ds;
  tree = await makeDistricts(ds);
});
afterAll(() => t.close());

type Signature = 'valid' | 'none' | 'wrong-token' | 'wrong-url';

/** POST form params as Twilio does; the signature is computed by the twilio library for the public URL. */
async function hook(path: string, params: Record<string, string>, signature: Signature = 'valid'): Promise<{ status: number; text: string; xml: XmlElement | null }> {
  const url = `${PUBLIC}${path}`;
  const headers: Record<string, string> = { 'content-type': 'application/x-www-form-urlencoded' };
  if (signature !== 'none') {
    const token = signature === 'wrong-token' ? 'another-token-0000000000' : TOKEN;
    headers['x-twilio-signature'] = twilio.getExpectedTwilioSignature(token, signature === 'wrong-url' ? `${PUBLIC}/elsewhere` : url, params);
  }
  const res = await fetch(`${t.baseUrl}${path}`, { method: 'POST', headers, body: new URLSearchParams(params).toString() });
  const text = await res.text();
  return { status: res.status, text, xml: res.headers.get('content-type')?.includes('xml') ? parseXml(text) : null };
}

const callSid = () => `CA${[...crypto.getRandomValues(new Uint8Array(16))].map((b) => b.toString(16).padStart(2, '0')).join('')}`;
const smsSid = () => `SM${[...crypto.getRandomValues(new Uint8Array(16))].map((b) => b.toString(16).padStart(2, '0')).join('')}`;

describe('signatures', () => {
  it.each<[Signature, number]>([
    ['none', 400],
    ['wrong-token', 403],
    ['wrong-url', 403],
  ])('when the signature is %s, then %i and nothing happens', async (signature, status) => {
    const params = { CallSid: callSid(), From: randomMobile(), To: '+864008001234' };
    const r = await hook('/twilio/voice', params, signature);
    expect(r.status).toBe(status);
    expect(await ds.query('SELECT 1 FROM call WHERE call_key = $1', [`twilio:${params.CallSid}`])).toEqual([]);
  });

  it('when a signed parameter is changed in transit, then 403', async () => {
    const params = { MessageSid: smsSid(), From: randomMobile(), Body: '你好' };
    const url = `${PUBLIC}/twilio/sms`;
    const signature = twilio.getExpectedTwilioSignature(TOKEN, url, params);
    const res = await fetch(`${t.baseUrl}/twilio/sms`, { method: 'POST', headers: { 'content-type': 'application/x-www-form-urlencoded', 'x-twilio-signature': signature }, body: new URLSearchParams({ ...params, Body: 'SOS' }).toString() });
    expect(res.status).toBe(403);
  });
});

describe('voice: Twilio carries no calls, the caller is told the hotline number', () => {
  /** Wait until the call log and the SOS module have handled every event the webhook emitted. */
  const settled = async () => {
    await t.app.services.callerSide.telephonyHandler.drain();
    await t.app.services.callLog.drain();
  };
  const said = (xml: XmlElement) => findAll(xml, 'Say').map(textOf).join('');

  it.each([
    ['an unknown number', () => randomMobile()],
    ['a known person', async () => (await makePerson(ds, tree.community)).phone],
  ])('when %s calls, then the answer says the hotline number and hangs up; no menu, no queue, no call row', async (_who, from) => {
    const sid = callSid();
    const r = await hook('/twilio/voice', { CallSid: sid, From: await from(), To: '+864008001234' });
    expect(r.status).toBe(200);
    expect(said(r.xml!)).toContain('请拨打安心热线 4 0 0 8 0 0 1 2 3 4');
    expect(findAll(r.xml!, 'Say')[0]!.attributes.language).toBe('cmn-CN');
    expect(findAll(r.xml!, 'Hangup')).toHaveLength(1);
    expect({ gather: findAll(r.xml!, 'Gather').length, enqueue: findAll(r.xml!, 'Enqueue').length }).toEqual({ gather: 0, enqueue: 0 });
    await settled();
    expect(await ds.query('SELECT id FROM call WHERE call_key = $1', [`twilio:${sid}`])).toEqual([]);
  });

  it('when a key press arrives for a call from before voice was withdrawn, then it gets the same answer and opens no call row', async () => {
    const sid = callSid();
    const r = await hook('/twilio/gather?node=welcome&attempt=1', { CallSid: sid, From: randomMobile(), To: '+864008001234', Digits: '3' });
    expect(said(r.xml!)).toContain('4 0 0 8 0 0 1 2 3 4');
    expect(findAll(r.xml!, 'Enqueue')).toHaveLength(0);
    await settled();
    expect(await ds.query('SELECT id FROM call WHERE call_key = $1', [`twilio:${sid}`])).toEqual([]);
  });

  it('when a registered SOS device calls, then its P0 order is opened at once, it hears that help is coming, and no call row is left open', async () => {
    const sim = randomMobile();
    const p = await makePerson(ds, tree.community, { devices: [{ kind: 'sos_pendant', serial: `TW-${Date.now()}`, mode: 'home', armed: true, battery: 80, phoneE164: sim }] });
    const sid = callSid();
    const r = await hook('/twilio/voice', { CallSid: sid, From: sim, To: '+864008001234' });
    expect(said(r.xml!)).toContain('您的紧急求助已收到');
    expect(findAll(r.xml!, 'Enqueue')).toHaveLength(0);
    await settled();
    const [incident] = await ds.query('SELECT s.source, s.status, t.priority, t.category, t.channel, t.person_id FROM sos_incident s JOIN ticket t ON t.id = s.ticket_id WHERE s.call_key = $1', [`twilio:${sid}`]);
    expect(incident).toEqual({ source: 'twilio_call', status: 'active', priority: 'P0', category: 'emergency', channel: 'sos_button', person_id: p.id });
    expect(await ds.query('SELECT id FROM call WHERE call_key = $1', [`twilio:${sid}`])).toEqual([]);
  });
});

describe('inbound SMS', () => {
  const sms = (from: string, body: string, sid = smsSid()) => hook('/twilio/sms', { MessageSid: sid, From: from, To: '+864008001234', Body: body });
  const reply = (r: { xml: XmlElement | null }) => textOf(findAll(r.xml!, 'Message')[0]!);

  it('when a registered deaf person texts "SOS", then a silent SOS is raised and the reply names the order', async () => {
    const p = await makePerson(ds, tree.community, { communicationNeed: 'sms_only', disabilityCategory: 2 });
    const r = await sms(p.phone, 'SOS 我在家摔倒了');
    expect(r.status).toBe(200);
    const [incident] = await ds.query('SELECT s.source, s.silent, t.number, t.channel FROM sos_incident s JOIN ticket t ON t.id = s.ticket_id WHERE s.person_id = $1', [p.id]);
    expect(incident).toMatchObject({ source: 'sms', silent: true, channel: 'sms' });
    expect(reply(r)).toContain(`工单${incident.number}`);
    const follow = await sms(p.phone, '我在卧室，门没锁');
    expect(reply(follow)).toContain('正在处理您的求助');
    const notes = await ds.query(`SELECT note FROM ticket_event e JOIN sos_incident s ON s.ticket_id = e.ticket_id WHERE s.person_id = $1 AND e.kind = 'sms_in'`, [p.id]);
    expect(notes.map((n: { note: string }) => n.note)).toEqual(['本人短信：我在卧室，门没锁']);
  });

  it('when a registered person texts a question, then an order opens; the next text joins it; a retried webhook is not applied twice', async () => {
    const p = await makePerson(ds, tree.community);
    const first = await sms(p.phone, '请问助残补贴怎么申请？');
    const [ticket] = await ds.query(`SELECT id, number, category, channel, person_id FROM ticket WHERE person_id = $1`, [p.id]);
    expect(ticket).toMatchObject({ category: 'inquiry', channel: 'sms', person_id: p.id });
    expect(reply(first)).toContain(ticket.number);
    const sid = smsSid();
    const second = await sms(p.phone, '我是肢体二级', sid);
    const retried = await sms(p.phone, '我是肢体二级', sid);
    expect(reply(second)).toContain(`已补充到工单${ticket.number}`);
    expect(reply(retried)).toBe(reply(second));
    expect(await ds.query('SELECT id FROM ticket WHERE person_id = $1', [p.id])).toHaveLength(1);
    const kinds = await ds.query('SELECT kind FROM ticket_event WHERE ticket_id = $1 ORDER BY id', [ticket.id]);
    expect(kinds.map((k: { kind: string }) => k.kind)).toEqual(['created', 'sms_in']);
  });

  it('when a guardian texts, then the order is the person\'s, reported by the guardian', async () => {
    const p = await makePerson(ds, tree.community);
    const guardian = p.record.contacts![0]!.phoneE164;
    await sms(guardian, '我母亲需要助餐服务');
    const [ticket] = await ds.query('SELECT person_id, caller_relation FROM ticket WHERE person_id = $1', [p.id]);
    expect(ticket).toEqual({ person_id: p.id, caller_relation: 'guardian' });
  });

  it('when an unregistered number texts, then an order still opens so nobody is left unanswered', async () => {
    const from = randomMobile();
    const r = await sms(from, '你好，我想登记');
    expect(reply(r)).toMatch(/工单号\d{8}-\d{4}/);
    const [row] = await ds.query('SELECT outcome, person_id FROM sms_inbound WHERE from_e164 = $1', [from]);
    expect(row).toEqual({ outcome: 'ticket_created', person_id: null });
  });
});

describe('GET /ivr/lookup (Asterisk CURL)', () => {
  const lookup = async (number: string, token: string | null = LOOKUP_TOKEN) => {
    const res = await fetch(`${t.baseUrl}/ivr/lookup?number=${encodeURIComponent(number)}`, { headers: token ? { authorization: `Bearer ${token}` } : {} });
    return { status: res.status, text: await res.text() };
  };

  it('when a pendant SIM, a known person or a stranger calls, then the answer is sos:<serial>, known or unknown', async () => {
    const sim = randomMobile();
    const serial = `LK-${Date.now()}`;
    const p = await makePerson(ds, tree.community, { devices: [{ kind: 'sos_pendant', serial, mode: 'home', armed: true, battery: 80, phoneE164: sim }] });
    expect(await lookup(sim.replace('+86', ''))).toEqual({ status: 200, text: `sos:${serial}` });
    expect(await lookup(p.phone)).toEqual({ status: 200, text: 'known' });
    expect(await lookup(randomMobile())).toEqual({ status: 200, text: 'unknown' });
    expect(await lookup('not a number')).toEqual({ status: 200, text: 'unknown' });
  });

  it('when the token is missing or wrong, then 403', async () => {
    expect((await lookup('13800138000', null)).status).toBe(403);
    expect((await lookup('13800138000', 'wrong-token-00000000000')).status).toBe(403);
  });
});
