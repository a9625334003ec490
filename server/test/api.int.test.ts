import type { DataSource } from 'typeorm';
import { AuditLog } from '../src/audit/audit-log.entity';
import { Ticket, TicketCall, TicketEvent } from '../src/tickets/ticket.entity';
import { Call } from '../src/calls/call.entity';
import { makePerson } from './support/factories';
import { api, login, makeDistricts, makeUser, startTestApp, TEST_PASSWORD, type RunningApp } from './support/test-app';

let t: RunningApp;
let ds: DataSource;
let tree: Awaited<ReturnType<typeof makeDistricts>>;
let agentToken: string;
let agentId: string;
let outsiderToken: string;

beforeAll(async () => {
  t = await startTestApp();
  ds = t.ds;
  tree = await makeDistricts(ds);
  const agent = await makeUser(ds, 'agent', tree.city);
  agentId = agent.id;
  agentToken = await login(t.baseUrl, agent.username);
  const outsider = await makeUser(ds, 'agent', tree.otherDistrict);
  outsiderToken = await login(t.baseUrl, outsider.username);
});
afterAll(() => t.close());

describe('auth', () => {
  it('when the password is wrong five times from one address, then that address is refused (429) even with the right password, and the account is not locked for others', async () => {
    const user = await makeUser(ds, 'agent', tree.city);
    const from = (ip: string, password: string) =>
      fetch(`${t.baseUrl}/api/auth/login`, { method: 'POST', headers: { 'content-type': 'application/json', 'x-forwarded-for': ip }, body: JSON.stringify({ username: user.username, password }) });
    for (let i = 0; i < 5; i++) expect((await from('203.0.113.7', 'wrong')).status).toBe(401);
    const right = await from('203.0.113.7', TEST_PASSWORD);
    expect(right.status).toBe(429);
    expect(((await right.json()) as { error: { code: string } }).error.code).toBe('auth/throttled');
    expect((await from('198.51.100.20', TEST_PASSWORD)).status).toBe(200);
    const denied = await ds.getRepository(AuditLog).countBy({ actorUsername: user.username, action: 'auth.login', outcome: 'denied' });
    expect(denied).toBe(6);
  });

  it('when the session outlives its TTL, then requests get 401', async () => {
    const user = await makeUser(ds, 'agent', tree.city);
    const token = await login(t.baseUrl, user.username);
    expect((await api(t.baseUrl, 'GET', '/api/auth/me', token)).status).toBe(200);
    t.clock.advance(9 * 3600_000);
    const r = await api(t.baseUrl, 'GET', '/api/auth/me', token);
    t.clock.advance(-9 * 3600_000);
    expect(r.status).toBe(401);
  });

  it.each([
    [{}, 400],
    [{ username: '', password: 'x' }, 400],
    [{ username: 'a', password: 'x', extra: 1 }, 400],
    ['{not json', 400],
    [{ username: 'nobody-here', password: 'x' }, 401],
  ])('when login gets %p, then %i', async (body, status) => {
    const r = await api(t.baseUrl, 'POST', '/api/auth/login', undefined, body);
    expect(r.status).toBe(status);
    expect(r.body.error.message).toBeTruthy();
  });

  it('when no token is sent, then personal data endpoints answer 401', async () => {
    for (const path of ['/api/persons?q=张', '/api/tickets', '/api/calls']) {
      expect((await api(t.baseUrl, 'GET', path)).status).toBe(401);
    }
  });
});

describe('persons', () => {
  it.each([
    ['E.164', (p: string) => p],
    ['national', (p: string) => p.slice(3)],
    ['0086 prefix', (p: string) => `0086${p.slice(3)}`],
    ['with dashes', (p: string) => `${p.slice(3, 6)}-${p.slice(6, 10)}-${p.slice(10)}`],
  ])('when searching by phone in %s form, then the person is found with masked identifiers', async (_form, fmt) => {
    const person = await makePerson(ds, tree.community);
    const r = await api(t.baseUrl, 'GET', `/api/persons?phone=${encodeURIComponent(fmt(person.phone))}`, agentToken);
    expect(r.status).toBe(200);
    expect(r.body.items.map((p: { id: string }) => p.id)).toEqual([person.id]);
    const item = r.body.items[0];
    expect(item.idNumberMasked).not.toContain(person.idNumber.slice(6, 14));
    expect(item.idNumberMasked).toMatch(/\*/);
    expect(JSON.stringify(r.body)).not.toContain(person.idNumber);
  });

  it('when searching by certificate number, then the keyed hash finds the person', async () => {
    const person = await makePerson(ds, tree.community);
    const r = await api(t.baseUrl, 'GET', `/api/persons?certificate=${person.certNumber}`, agentToken);
    expect(r.body.items.map((p: { id: string }) => p.id)).toEqual([person.id]);
  });

  it('when searching by a guardian\'s number, then the person they care for is found', async () => {
    const person = await makePerson(ds, tree.community);
    const guardian = person.record.contacts![0].phoneE164;
    const r = await api(t.baseUrl, 'GET', `/api/persons?q=${encodeURIComponent(guardian)}`, agentToken);
    expect(r.body.items.map((p: { id: string }) => p.id)).toContain(person.id);
  });

  it('when an agent of another district reads a person, then 404 as for a missing one, and a denied audit row', async () => {
    const person = await makePerson(ds, tree.community);
    const r = await api(t.baseUrl, 'GET', `/api/persons/${person.id}`, outsiderToken);
    expect(r.status).toBe(404);
    const missing = await api(t.baseUrl, 'GET', `/api/persons/00000000-0000-4000-8000-000000000000`, outsiderToken);
    expect(r.body.error.code).toBe(missing.body.error.code);
    expect(await ds.getRepository(AuditLog).countBy({ subjectId: person.id, action: 'person.read', outcome: 'denied' })).toBe(1);
    const search = await api(t.baseUrl, 'GET', `/api/persons?phone=${encodeURIComponent(person.phone)}`, outsiderToken);
    expect(search.body.items).toEqual([]);
  });

  it('when a person is read, then contacts, devices and open tickets come with it and the read is audited', async () => {
    const person = await makePerson(ds, tree.community);
    const created = await api(t.baseUrl, 'POST', '/api/tickets', agentToken, { category: 'inquiry', personId: person.id, summary: '咨询助残补贴' });
    const r = await api(t.baseUrl, 'GET', `/api/persons/${person.id}?purpose=来电核实`, agentToken);
    expect(r.status).toBe(200);
    expect(r.body.contacts[0]).toMatchObject({ name: '李监护', isGuardian: true });
    expect(r.body.devices[0].kind).toBe('sos_pendant');
    expect(r.body.openTickets.map((x: { id: string }) => x.id)).toEqual([created.body.id]);
    expect(r.body.disabilityCategory).toBe(4);
    const audit = await ds.getRepository(AuditLog).findOneByOrFail({ subjectId: person.id, action: 'person.read', outcome: 'ok' });
    expect(audit).toMatchObject({ actorId: agentId, purpose: '来电核实' });
  });

  it('when the full identifiers are revealed with a purpose, then they are returned and the purpose is audited', async () => {
    const person = await makePerson(ds, tree.community);
    const noReason = await api(t.baseUrl, 'POST', `/api/persons/${person.id}/reveal`, agentToken, {});
    expect(noReason.status).toBe(400);
    const r = await api(t.baseUrl, 'POST', `/api/persons/${person.id}/reveal`, agentToken, { purpose: 'subsidy_application', detail: '办理补贴核对身份' });
    expect(r.body).toMatchObject({ idNumber: person.idNumber, certNumber: person.certNumber, birthDate: person.record.birthDate, medicalNotes: '高血压，服用降压药' });
    expect(await ds.getRepository(AuditLog).countBy({ subjectId: person.id, action: 'person.reveal', purpose: 'subsidy_application: 办理补贴核对身份' })).toBe(1);
  });

  it('stores identifiers encrypted, never in plain text', async () => {
    const person = await makePerson(ds, tree.community);
    const [row] = await ds.query('SELECT row_to_json(p)::text AS j FROM person p WHERE id = $1', [person.id]);
    expect(row.j).not.toContain(person.idNumber);
    expect(row.j).not.toContain('高血压');
  });

  it.each([
    ['/api/persons', 400],
    ['/api/persons?phone=abc', 400],
    ['/api/persons?certificate=123', 400],
    ['/api/persons?limit=1000&q=张', 400],
    ['/api/persons?q=张&bogus=1', 400],
    ['/api/persons/not-a-uuid', 400],
    ['/api/persons/00000000-0000-4000-8000-000000000000', 404],
  ])('when GET %s, then %i with a reason', async (path, status) => {
    const r = await api(t.baseUrl, 'GET', path, agentToken);
    expect(r.status).toBe(status);
    expect(r.body.error.message).toBeTruthy();
  });
});

describe('tickets', () => {
  it('when a ticket is created from a call, then it is numbered, linked and on the timeline', async () => {
    const person = await makePerson(ds, tree.community);
    const call = await ds.getRepository(Call).save(ds.getRepository(Call).create({ callKey: `test:${person.id}`, direction: 'inbound', status: 'answered', fromE164: person.phone, personId: person.id, priority: 0 }));
    const r = await api(t.baseUrl, 'POST', '/api/tickets', agentToken, { category: 'life_service', serviceType: 'meals', personId: person.id, summary: '需要助餐服务', callId: call.id, callerRelation: 'self' });
    expect(r.status).toBe(201);
    expect(r.body.number).toMatch(/^\d{8}-\d{4}$/);
    expect(r.body).toMatchObject({ status: 'accepted', priority: 'P2', districtCode: tree.community });
    expect(await ds.getRepository(TicketCall).countBy({ ticketId: r.body.id, callId: call.id })).toBe(1);
    const events = await ds.getRepository(TicketEvent).find({ where: { ticketId: r.body.id }, order: { id: 'ASC' } });
    expect(events.map((e) => e.kind)).toEqual(['created', 'call_linked']);
  });

  it('when two tickets are created at once, then their numbers differ', async () => {
    const body = { category: 'inquiry', summary: '并发建单' };
    const [a, b] = await Promise.all([api(t.baseUrl, 'POST', '/api/tickets', agentToken, body), api(t.baseUrl, 'POST', '/api/tickets', agentToken, body)]);
    expect(a.status).toBe(201);
    expect(b.status).toBe(201);
    expect(a.body.number).not.toBe(b.body.number);
  });

  it('when a life-service order runs its whole lifecycle, each step by a role that may take it, then every step is on the timeline', async () => {
    const created = await api(t.baseUrl, 'POST', '/api/tickets', agentToken, { category: 'life_service', serviceType: 'help_walk', summary: '助行' });
    const id = created.body.id;
    const dispatcher = await login(t.baseUrl, (await makeUser(ds, 'dispatcher', tree.city)).username);
    const responder = await login(t.baseUrl, (await makeUser(ds, 'dispatcher', tree.city)).username);
    const caller = await login(t.baseUrl, (await makeUser(ds, 'agent', tree.city)).username); // 回访 by someone who did not work it
    const steps: [string, string, object][] = [
      ['submit', agentToken, {}],
      ['dispatch', dispatcher, {}],
      ['take', responder, {}],
      ['start', responder, {}],
      ['complete', responder, {}],
      ['request_callback', agentToken, {}],
      ['record_callback', caller, { satisfaction: 'satisfied' }],
      ['close', caller, {}],
    ];
    for (const [action, token, extra] of steps) {
      const r = await api(t.baseUrl, 'POST', `/api/tickets/${id}/transitions`, token, { action, ...extra });
      expect([action, r.status]).toEqual([action, 200]);
    }
    const detail = await api(t.baseUrl, 'GET', `/api/tickets/${id}`, agentToken);
    expect(detail.body.status).toBe('closed');
    expect(detail.body.satisfaction).toBe('satisfied');
    expect(detail.body.allowedActions).toEqual([]);
    const statusChanges = detail.body.events.filter((e: { toStatus: string | null }) => e.toStatus);
    expect(statusChanges.map((e: { toStatus: string }) => e.toStatus)).toEqual(['accepted', 'pending_dispatch', 'dispatched', 'taken', 'in_service', 'done', 'callback_pending', 'callback_done', 'closed']);
    // 服务完成 scheduled the order's 回访; the 回访 recorded on the order settled that survey task.
    expect(detail.body.events.map((e: { kind: string }) => e.kind)).toContain('callback_scheduled');
    expect(await ds.query(`SELECT status, satisfaction FROM care_task WHERE ticket_id = $1`, [id])).toEqual([{ status: 'done', satisfaction: 'satisfied' }]);
  });

  it('when an action does not fit the state, then 409 and the ticket is unchanged', async () => {
    const created = await api(t.baseUrl, 'POST', '/api/tickets', agentToken, { category: 'inquiry', summary: '咨询' });
    const r = await api(t.baseUrl, 'POST', `/api/tickets/${created.body.id}/transitions`, agentToken, { action: 'complete' });
    expect(r.status).toBe(409);
    expect(r.body.error.code).toBe('ticket/invalid-transition');
    const row = await ds.getRepository(Ticket).findOneByOrFail({ id: created.body.id });
    expect(row.status).toBe('accepted');
    expect(await ds.getRepository(TicketEvent).countBy({ ticketId: created.body.id })).toBe(1);
  });

  it('when the client saw an old version, then 409 conflict', async () => {
    const created = await api(t.baseUrl, 'POST', '/api/tickets', agentToken, { category: 'inquiry', summary: '咨询' });
    await api(t.baseUrl, 'POST', `/api/tickets/${created.body.id}/transitions`, agentToken, { action: 'answer', version: 1 });
    const stale = await api(t.baseUrl, 'POST', `/api/tickets/${created.body.id}/transitions`, agentToken, { action: 'close', version: 1 });
    expect(stale.status).toBe(409);
    expect(stale.body.error.code).toBe('conflict');
  });

  it('when listing with filters, then only matching tickets in scope come back, paged', async () => {
    const person = await makePerson(ds, tree.community);
    for (let i = 0; i < 3; i++) await api(t.baseUrl, 'POST', '/api/tickets', agentToken, { category: 'emergency', personId: person.id, summary: `紧急${i}` });
    const r = await api(t.baseUrl, 'GET', `/api/tickets?personId=${person.id}&category=emergency&limit=2`, agentToken);
    expect(r.body.total).toBe(3);
    expect(r.body.items).toHaveLength(2);
    expect(r.body.items.every((x: { priority: string }) => x.priority === 'P0')).toBe(true);
    const outsider = await api(t.baseUrl, 'GET', `/api/tickets?personId=${person.id}`, outsiderToken);
    expect(outsider.body.total).toBe(0);
  });

  it.each([
    [{}, 'category'],
    [{ category: 'weird', summary: 'xx' }, 'category'],
    [{ category: 'life_service', summary: '缺服务类型' }, 'serviceType'],
    [{ category: 'inquiry', serviceType: 'meals', summary: '多余服务类型' }, 'serviceType'],
    [{ category: 'inquiry', summary: 'x' }, 'summary'],
    [{ category: 'inquiry', summary: '好的', priority: 'P9' }, 'priority'],
    [{ category: 'inquiry', summary: '好的', personId: 'nope' }, 'personId'],
  ])('when creating with %p, then 400 naming %s and nothing is written', async (body, field) => {
    const before = await ds.getRepository(Ticket).countBy({ createdById: agentId });
    const r = await api(t.baseUrl, 'POST', '/api/tickets', agentToken, body);
    expect(r.status).toBe(400);
    expect(JSON.stringify(r.body.error.details)).toContain(field);
    expect(await ds.getRepository(Ticket).countBy({ createdById: agentId })).toBe(before);
  });

  it('when the linked call does not exist, then 404 and no ticket is half-written', async () => {
    const before = await ds.getRepository(Ticket).countBy({ createdById: agentId });
    const r = await api(t.baseUrl, 'POST', '/api/tickets', agentToken, { category: 'inquiry', summary: '找不到通话', callId: '00000000-0000-4000-8000-000000000000' });
    expect(r.status).toBe(404);
    expect(await ds.getRepository(Ticket).countBy({ createdById: agentId })).toBe(before);
  });

  it.each([
    [{ action: 'fly' }, 400],
    [{ action: 'return' }, 409],
    [{ action: 'record_callback' }, 400],
    [{}, 400],
  ])('when transitioning with %p, then %i', async (body, status) => {
    const created = await api(t.baseUrl, 'POST', '/api/tickets', agentToken, { category: 'life_service', serviceType: 'meals', summary: '助餐' });
    const r = await api(t.baseUrl, 'POST', `/api/tickets/${created.body.id}/transitions`, agentToken, body);
    expect(r.status).toBe(status);
  });

  it('when a dispatcher-only role is missing, then the endpoint answers 403', async () => {
    const auditor = await makeUser(ds, 'auditor', tree.city);
    const token = await login(t.baseUrl, auditor.username);
    expect((await api(t.baseUrl, 'GET', '/api/tickets', token)).status).toBe(403);
    expect((await api(t.baseUrl, 'GET', '/api/persons?q=张', token)).status).toBe(403);
  });
});

describe('calls', () => {
  it.each([
    ['/api/calls?status=flying', 400],
    ['/api/calls?phone=xyz', 400],
    ['/api/calls?limit=0', 400],
    ['/api/calls?limit=5', 200],
  ])('when GET %s, then %i', async (path, status) => {
    expect((await api(t.baseUrl, 'GET', path, agentToken)).status).toBe(status);
  });
});

describe('health', () => {
  it('reports the database up and telephony not configured', async () => {
    const r = await api(t.baseUrl, 'GET', '/api/health');
    expect(r.status).toBe(200);
    expect(r.body).toMatchObject({ status: 'ok', database: { state: 'up' }, telephony: { asterisk: 'not_configured' } });
  });
});
