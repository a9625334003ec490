/**
 * The console's server endpoints without a PBX: softphone settings, districts, person creation, presence
 * over HTTP and socket commands, click-to-call refusing plainly.
 */
import type { DataSource } from 'typeorm';
import { AgentPresence } from '../src/agents/agent-presence.entity';
import { AuditLog } from '../src/audit/audit-log.entity';
import { makeCitizenId } from '../src/persons/citizen-id';
import { makeCertificateNumber } from '../src/persons/disability-certificate';
import { Person } from '../src/persons/person.entity';
import { makePerson } from './support/factories';
import { api, connectSocket, login, makeDistricts, makeUser, randomMobile, startTestApp, type RunningApp, type TestSocket } from './support/test-app';

let t: RunningApp;
let ds: DataSource;
let tree: Awaited<ReturnType<typeof makeDistricts>>;
let agentToken: string;
let agentId: string;
const sockets: TestSocket[] = [];

beforeAll(async () => {
  t = await startTestApp({ env: { SIP_WSS_URL: 'wss://pbx.test:8089/ws', SIP_SECRET: 'sip-secret-for-tests-only' } });
  ds = t.ds;
  tree = await makeDistricts(ds);
  const agent = await makeUser(ds, 'agent', tree.city, { sipExtension: `7${String(Math.floor(Math.random() * 1e6)).padStart(6, '0')}` });
  agentId = agent.id;
  agentToken = await login(t.baseUrl, agent.username);
});
afterAll(async () => {
  for (const s of sockets) s.disconnect();
  await t.close();
});

const socketFor = async (token: string) => {
  const s = await connectSocket(t.baseUrl, token);
  sockets.push(s);
  return s;
};

describe('softphone settings', () => {
  it('when the agent has an extension and SIP is configured, then the settings carry their own AOR and derived password', async () => {
    const r = await api(t.baseUrl, 'GET', '/api/softphone/settings', agentToken);
    expect(r.status).toBe(200);
    expect(r.body).toMatchObject({ configured: true, wssUrl: 'wss://pbx.test:8089/ws', domain: 'pbx.test', authorizationPassword: expect.stringMatching(/^[0-9a-f]{24}$/) });
    expect(r.body.aor).toMatch(/^sip:7\d{6}@pbx\.test$/);
  });

  it('when a dispatcher without extension asks, then the answer says plainly there is no extension', async () => {
    const d = await makeUser(ds, 'dispatcher', tree.city);
    const r = await api(t.baseUrl, 'GET', '/api/softphone/settings', await login(t.baseUrl, d.username));
    expect(r.body).toEqual({ configured: false, reason: 'no_extension', extension: null });
  });

  it('when not logged in, then 401', async () => {
    expect((await api(t.baseUrl, 'GET', '/api/softphone/settings')).status).toBe(401);
  });
});

describe('districts', () => {
  it('when a district-scoped user lists districts, then only their subtree comes back', async () => {
    const scoped = await makeUser(ds, 'agent', tree.district);
    const r = await api(t.baseUrl, 'GET', '/api/districts', await login(t.baseUrl, scoped.username));
    expect(r.status).toBe(200);
    expect(r.body.items.map((d: { code: string }) => d.code)).toEqual([tree.district, tree.street, tree.community]);
  });
});

describe('POST /api/persons', () => {
  const idNumber = () => makeCitizenId('330102', `19${50 + Math.floor(Math.random() * 40)}-0${1 + Math.floor(Math.random() * 9)}-1${Math.floor(Math.random() * 9)}`, Math.floor(Math.random() * 1000));

  it('when an agent registers an unknown caller, then the record is stored encrypted, findable by number, masked in the answer and audited', async () => {
    const id = idNumber();
    const phone = randomMobile();
    const r = await api(t.baseUrl, 'POST', '/api/persons', agentToken, {
      name: '新来电', certNumber: makeCertificateNumber(id, 2, 3), districtCode: tree.community, riskTier: 'key', communicationNeed: 'sms_only',
      phones: [{ number: phone.replace('+86', '') }], contacts: [{ name: '王监护', relation: '儿子', phone: randomMobile(), isGuardian: true }], medicalNotes: '听力差，请发短信',
    });
    expect(r.status).toBe(201);
    expect(r.body).toMatchObject({ name: '新来电', disabilityCategory: 2, disabilityLevel: 3, communicationNeed: 'sms_only', districtCode: tree.community, phones: [{ masked: `${phone.slice(3, 6)}****${phone.slice(-4)}` }], contacts: [{ name: '王监护', isGuardian: true, priority: 1 }], hasMedicalNotes: true });
    expect(JSON.stringify(r.body)).not.toContain(phone);
    expect(r.body.idNumberMasked).toBe(`${id.slice(0, 6)}********${id.slice(-4)}`);
    const row = await ds.getRepository(Person).findOneByOrFail({ id: r.body.id });
    expect(row.idNumberEnc).not.toContain(id);
    const found = await api(t.baseUrl, 'GET', `/api/persons?phone=${encodeURIComponent(phone)}`, agentToken);
    expect(found.body.items.map((p: { id: string }) => p.id)).toEqual([r.body.id]);
    expect(await ds.getRepository(AuditLog).countBy({ action: 'person.create', subjectId: r.body.id, outcome: 'ok' })).toBe(1);
  });

  it('when the same ID number is registered twice, then 409 names the existing record', async () => {
    const id = idNumber();
    const first = await api(t.baseUrl, 'POST', '/api/persons', agentToken, { name: '甲', idNumber: id, phones: [{ number: randomMobile() }] });
    expect(first.status).toBe(201);
    const second = await api(t.baseUrl, 'POST', '/api/persons', agentToken, { name: '乙', idNumber: id, phones: [{ number: randomMobile() }] });
    expect(second.status).toBe(409);
    expect(second.body.error).toMatchObject({ code: 'person/duplicate', details: { personId: first.body.id } });
  });

  it.each([
    [{ name: '无号码', gender: 'F', phones: [] }, 'phones'],
    [{ name: '坏号码', gender: 'F', phones: [{ number: '10086' }] }, 'phones.0.number'],
    [{ name: '无性别', phones: [{ number: '13912345678' }] }, 'gender'],
    [{ name: '坏证号', gender: 'M', idNumber: '330102195203150000', phones: [{ number: '13912345678' }] }, 'idNumber'],
    [{ name: '多余', gender: 'M', phones: [{ number: '13912345678' }], admin: true }, ''],
  ])('when %p is posted, then 400 names %s', async (body, path) => {
    const r = await api(t.baseUrl, 'POST', '/api/persons', agentToken, body);
    expect(r.status).toBe(400);
    expect(r.body.error.code).toBe('validation/invalid');
    expect(JSON.stringify(r.body.error.details)).toContain(`"path":"${path}"`);
  });

  it('when a district-scoped agent registers someone in another district, then 403', async () => {
    const scoped = await makeUser(ds, 'agent', tree.district);
    const r = await api(t.baseUrl, 'POST', '/api/persons', await login(t.baseUrl, scoped.username), { name: '越界', gender: 'M', districtCode: tree.otherDistrict, phones: [{ number: randomMobile() }] });
    expect(r.status).toBe(403);
  });
});

describe('presence without a PBX', () => {
  it('when an agent sets presence over the socket, then the ack carries it, supervisors hear it and it is stored', async () => {
    const sup = await makeUser(ds, 'supervisor', tree.city);
    const supSocket = await socketFor(await login(t.baseUrl, sup.username));
    const agentSocket = await socketFor(agentToken);
    const heard = new Promise<{ userId: string; state: string; reason: string | null }>((resolve) => supSocket.on('agent:presence-changed', (p) => p.userId === agentId && resolve(p)));
    const ack = await agentSocket.emitWithAck('presence:set', { state: 'break', reason: '午餐' });
    expect(ack).toMatchObject({ ok: true, data: { userId: agentId, state: 'break', reason: '午餐', queue: 'not_configured' } });
    expect(await heard).toMatchObject({ state: 'break', reason: '午餐' });
    expect(await ds.getRepository(AgentPresence).findOneByOrFail({ userId: agentId })).toMatchObject({ state: 'break', queueSynced: false });
    expect(await agentSocket.emitWithAck('presence:get')).toMatchObject({ ok: true, data: { state: 'break' } });
  });

  it('when the socket command carries a bad state, then the ack is a validation error', async () => {
    const s = await socketFor(agentToken);
    expect(await s.emitWithAck('presence:set', { state: 'asleep' } as never)).toMatchObject({ ok: false, code: 'validation/invalid' });
  });

  it('when a dispatcher tries to set presence, then the ack says forbidden', async () => {
    const d = await makeUser(ds, 'dispatcher', tree.city);
    const s = await socketFor(await login(t.baseUrl, d.username));
    expect(await s.emitWithAck('presence:set', { state: 'available' })).toMatchObject({ ok: false, code: 'auth/forbidden' });
  });

  it('when presence is set over HTTP, then GET returns it and the supervisor list includes the agent', async () => {
    const put = await api(t.baseUrl, 'PUT', '/api/agents/me/presence', agentToken, { state: 'available' });
    expect(put).toMatchObject({ status: 200, body: { state: 'available', queue: 'not_configured' } });
    const sup = await makeUser(ds, 'supervisor', tree.city);
    const list = await api(t.baseUrl, 'GET', '/api/agents/presence', await login(t.baseUrl, sup.username));
    expect(list.body.items.find((p: { userId: string }) => p.userId === agentId)).toMatchObject({ state: 'available' });
    expect((await api(t.baseUrl, 'GET', '/api/agents/presence', agentToken)).status).toBe(403);
  });
});

describe('click-to-call without a PBX', () => {
  it('when an agent dials, then 503 telephony/not-configured says so plainly', async () => {
    const person = await makePerson(ds, tree.community);
    const [phone] = (await ds.query('SELECT id FROM phone_number WHERE person_id = $1', [person.id])) as { id: string }[];
    const r = await api(t.baseUrl, 'POST', '/api/calls/click-to-call', agentToken, { personId: person.id, phoneId: phone!.id });
    expect(r.status).toBe(503);
    expect(r.body.error).toMatchObject({ code: 'telephony/not-configured', message: expect.stringContaining('未配置电话系统') });
  });

  it('when the body is malformed, then 400', async () => {
    expect((await api(t.baseUrl, 'POST', '/api/calls/click-to-call', agentToken, { number: '1', personId: 'nope' })).status).toBe(400);
  });
});
