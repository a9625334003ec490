/**
 * Work orders an auditor can trust: each action by the roles that may take it (separation of duties), every
 * order read audited with its subjects, calls linked only within the actor's scope, and one order per
 * idempotency key however many times the form is submitted.
 */
import { randomUUID } from 'node:crypto';
import type { DataSource } from 'typeorm';
import { Call } from '../src/calls/call.entity';
import { Ticket, TicketCall } from '../src/tickets/ticket.entity';
import { makePerson } from './support/factories';
import { api, login, makeDistricts, makeUser, startTestApp, uniq, type RunningApp } from './support/test-app';

let t: RunningApp;
let ds: DataSource;
let tree: Awaited<ReturnType<typeof makeDistricts>>;
let agent: { id: string; token: string };

beforeAll(async () => {
  t = await startTestApp();
  ds = t.ds;
  tree = await makeDistricts(ds);
  agent = await staff('agent', tree.district);
});
afterAll(() => t.close());

async function staff(role: 'agent' | 'dispatcher' | 'supervisor' | 'admin', district: string, extra: { sipExtension?: string } = {}): Promise<{ id: string; token: string }> {
  const user = await makeUser(ds, role, district, extra);
  return { id: user.id, token: await login(t.baseUrl, user.username) };
}

const act = (id: string, token: string, action: string, extra: object = {}) => api(t.baseUrl, 'POST', `/api/tickets/${id}/transitions`, token, { action, ...extra });

async function orderAt(status: 'pending_dispatch' | 'dispatched' | 'callback_pending', by: { dispatcher: string; responder: string }): Promise<string> {
  const created = await api(t.baseUrl, 'POST', '/api/tickets', agent.token, { category: 'life_service', serviceType: 'meals', summary: '助餐服务' });
  const id = created.body.id as string;
  expect((await act(id, agent.token, 'submit')).status).toBe(200);
  if (status === 'pending_dispatch') return id;
  expect((await act(id, by.dispatcher, 'dispatch')).status).toBe(200);
  if (status === 'dispatched') return id;
  for (const a of ['take', 'start', 'complete']) expect((await act(id, by.responder, a)).status).toBe(200);
  expect((await act(id, agent.token, 'request_callback')).status).toBe(200);
  return id;
}

/** A call row as the call log writes it. */
async function call(over: Partial<Call>): Promise<Call> {
  const repo = ds.getRepository(Call);
  return repo.save(repo.create({ callKey: `test:${uniq()}${uniq()}`, direction: 'inbound', status: 'ended', fromE164: '+8613900000000', priority: 0, ...over }));
}

/** POST /api/tickets with an Idempotency-Key header. */
async function createWithKey(token: string, key: string, body: object): Promise<{ status: number; replayed: string | null; body: any }> {
  const res = await fetch(`${t.baseUrl}/api/tickets`, { method: 'POST', headers: { authorization: `Bearer ${token}`, 'content-type': 'application/json', 'idempotency-key': key }, body: JSON.stringify(body) });
  return { status: res.status, replayed: res.headers.get('idempotent-replayed'), body: await res.json() };
}

describe('separation of duties on work-order actions', () => {
  let dispatcher: { id: string; token: string };
  let responder: { id: string; token: string };
  beforeAll(async () => {
    dispatcher = await staff('dispatcher', tree.district);
    responder = await staff('dispatcher', tree.district);
  });

  it('when an agent tries to dispatch or take, then 403 with a reason and the order is unchanged', async () => {
    const id = await orderAt('pending_dispatch', { dispatcher: dispatcher.token, responder: responder.token });
    const r = await act(id, agent.token, 'dispatch');
    expect(r.status).toBe(403);
    expect(r.body.error.code).toBe('auth/forbidden');
    expect(r.body.error.message).toContain('调度');
    expect((await ds.getRepository(Ticket).findOneByOrFail({ id })).status).toBe('pending_dispatch');
  });

  it('when the dispatcher takes the order they dispatched, then 403; another dispatcher may', async () => {
    const id = await orderAt('dispatched', { dispatcher: dispatcher.token, responder: responder.token });
    const own = await act(id, dispatcher.token, 'take');
    expect(own.status).toBe(403);
    expect(own.body.error.message).toContain('派单人');
    const detail = await api(t.baseUrl, 'GET', `/api/tickets/${id}`, dispatcher.token);
    expect(detail.body.allowedActions).not.toContain('take');
    expect((await act(id, responder.token, 'take')).status).toBe(200);
  });

  it('when the creator or the one who completed it records the 回访, then 403; another agent may', async () => {
    const id = await orderAt('callback_pending', { dispatcher: dispatcher.token, responder: responder.token });
    expect((await act(id, agent.token, 'record_callback', { satisfaction: 'satisfied' })).status).toBe(403);
    expect((await act(id, responder.token, 'record_callback', { satisfaction: 'satisfied' })).status).toBe(403); // a dispatcher, and the one who completed it
    const detail = await api(t.baseUrl, 'GET', `/api/tickets/${id}`, agent.token);
    expect(detail.body.allowedActions).not.toContain('record_callback');
    const other = await staff('agent', tree.district);
    expect((await api(t.baseUrl, 'GET', `/api/tickets/${id}`, other.token)).body.allowedActions).toContain('record_callback');
    expect((await act(id, other.token, 'record_callback', { satisfaction: 'satisfied' })).status).toBe(200);
  });

  it('when an admin reaches for orders, then every ticket endpoint answers 403 (the admin reads no personal data)', async () => {
    const admin = await staff('admin', tree.city);
    const id = await orderAt('pending_dispatch', { dispatcher: dispatcher.token, responder: responder.token });
    for (const [method, path, body] of [
      ['GET', '/api/tickets', undefined],
      ['GET', `/api/tickets/${id}`, undefined],
      ['POST', '/api/tickets', { category: 'inquiry', summary: '管理员建单' }],
      ['POST', `/api/tickets/${id}/transitions`, { action: 'cancel', note: '管理员取消' }],
      ['POST', `/api/tickets/${id}/notes`, { note: '备注' }],
      ['POST', `/api/tickets/${id}/calls`, { callId: randomUUID() }],
      ['GET', '/api/sos', undefined],
    ] as const) {
      expect([method, path, (await api(t.baseUrl, method, path, admin.token, body)).status]).toEqual([method, path, 403]);
    }
  });
});

describe('audited order reads', () => {
  it('when orders are listed or read, then the audit names every order and every person', async () => {
    const [a, b] = [await makePerson(ds, tree.community), await makePerson(ds, tree.community)];
    const ta = (await api(t.baseUrl, 'POST', '/api/tickets', agent.token, { category: 'inquiry', personId: a.id, summary: '咨询补贴' })).body.id;
    const tb = (await api(t.baseUrl, 'POST', '/api/tickets', agent.token, { category: 'inquiry', personId: b.id, summary: '咨询助听器' })).body.id;
    const reader = await staff('agent', tree.district);
    expect((await api(t.baseUrl, 'GET', `/api/tickets?personId=${a.id}`, reader.token)).status).toBe(200);
    expect((await api(t.baseUrl, 'GET', '/api/tickets?limit=200', reader.token)).status).toBe(200);
    expect((await api(t.baseUrl, 'GET', `/api/tickets/${tb}`, reader.token)).status).toBe(200);
    const rows: { action: string; subject_id: string | null; subjects: string[] }[] = await ds.query("SELECT action, subject_id, subjects FROM audit_log WHERE actor_id = $1 AND action LIKE 'ticket.%' ORDER BY id", [reader.id]);
    expect(rows.map((r) => r.action)).toEqual(['ticket.list', 'ticket.list', 'ticket.read']);
    expect(rows[0]!.subjects.sort()).toEqual([`person:${a.id}`, `ticket:${ta}`].sort());
    expect(rows[1]!.subjects).toEqual(expect.arrayContaining([`ticket:${ta}`, `ticket:${tb}`, `person:${a.id}`, `person:${b.id}`]));
    expect(rows[2]).toMatchObject({ subject_id: tb });
    expect(rows[2]!.subjects.sort()).toEqual([`person:${b.id}`, `ticket:${tb}`].sort());
  });
});

describe('linking a call checks its scope', () => {
  it('when the call is of another district\'s caller, then both link paths answer like a missing call and nothing is linked', async () => {
    const stranger = await makePerson(ds, tree.otherDistrict);
    const theirs = await call({ personId: stranger.id, fromE164: stranger.phone });
    const before = await ds.getRepository(Ticket).countBy({ createdById: agent.id });
    const created = await api(t.baseUrl, 'POST', '/api/tickets', agent.token, { category: 'inquiry', summary: '关联外区来电', callId: theirs.id });
    expect(created.status).toBe(404);
    expect(created.body.error.code).toBe('call/not-found');
    expect(await ds.getRepository(Ticket).countBy({ createdById: agent.id })).toBe(before);
    const missing = await api(t.baseUrl, 'POST', '/api/tickets', agent.token, { category: 'inquiry', summary: '关联不存在的来电', callId: randomUUID() });
    expect(missing.body.error).toEqual({ ...created.body.error, message: missing.body.error.message });

    const own = (await api(t.baseUrl, 'POST', '/api/tickets', agent.token, { category: 'inquiry', summary: '本区工单' })).body.id;
    const linked = await api(t.baseUrl, 'POST', `/api/tickets/${own}/calls`, agent.token, { callId: theirs.id });
    expect(linked.status).toBe(404);
    expect(linked.body.error.code).toBe('call/not-found');
    expect(await ds.getRepository(TicketCall).countBy({ callId: theirs.id })).toBe(0);
  });

  it('when the call is of a caller in scope, then it links', async () => {
    const mine = await makePerson(ds, tree.community);
    const c = await call({ personId: mine.id, fromE164: mine.phone });
    const created = await api(t.baseUrl, 'POST', '/api/tickets', agent.token, { category: 'inquiry', personId: mine.id, summary: '本区来电', callId: c.id });
    expect(created.status).toBe(201);
  });

  it('when the caller is unknown, then only the agent who handled the call or a supervisor in scope may link it', async () => {
    const handler = await staff('agent', tree.district, { sipExtension: `9${String(Math.floor(Math.random() * 1e6)).padStart(6, '0')}` });
    const handlerRow = await ds.query('SELECT sip_extension FROM staff_user WHERE id = $1', [handler.id]);
    const byUser = await call({ personId: null, agentUserId: handler.id });
    const byExtension = await call({ personId: null, agentExtension: handlerRow[0].sip_extension });
    const order = (await api(t.baseUrl, 'POST', '/api/tickets', handler.token, { category: 'inquiry', summary: '陌生来电' })).body.id;
    expect((await api(t.baseUrl, 'POST', `/api/tickets/${order}/calls`, handler.token, { callId: byUser.id })).status).toBe(201);
    expect((await api(t.baseUrl, 'POST', `/api/tickets/${order}/calls`, handler.token, { callId: byExtension.id })).status).toBe(201);

    const colleague = await staff('agent', tree.district);
    const theirs = (await api(t.baseUrl, 'POST', '/api/tickets', colleague.token, { category: 'inquiry', summary: '别人的陌生来电' })).body.id;
    expect((await api(t.baseUrl, 'POST', `/api/tickets/${theirs}/calls`, colleague.token, { callId: byUser.id })).status).toBe(404);

    const supervisor = await staff('supervisor', tree.district);
    expect((await api(t.baseUrl, 'POST', `/api/tickets/${theirs}/calls`, supervisor.token, { callId: byUser.id })).status).toBe(201);
    const otherSupervisor = await staff('supervisor', tree.otherDistrict);
    const far = (await api(t.baseUrl, 'POST', '/api/tickets', otherSupervisor.token, { category: 'inquiry', summary: '外区主管' })).body.id;
    expect((await api(t.baseUrl, 'POST', `/api/tickets/${far}/calls`, otherSupervisor.token, { callId: byUser.id })).status).toBe(404);
  });
});

describe('idempotent order creation', () => {
  const body = { category: 'inquiry', summary: '咨询助残补贴的办理流程' };

  it('when the same key is sent again, then the same order comes back marked as replayed; another body with that key is 409', async () => {
    const key = `form-${randomUUID()}`;
    const first = await createWithKey(agent.token, key, body);
    expect(first.status).toBe(201);
    expect(first.replayed).toBeNull();
    const again = await createWithKey(agent.token, key, body);
    expect(again).toMatchObject({ status: 201, replayed: 'true' });
    expect(again.body.id).toBe(first.body.id);
    const changed = await createWithKey(agent.token, key, { ...body, summary: '另一件事' });
    expect(changed.status).toBe(409);
    expect(changed.body.error.code).toBe('conflict');
    const otherUser = await staff('agent', tree.district);
    const theirs = await createWithKey(otherUser.token, key, body); // keys are per user
    expect(theirs.status).toBe(201);
    expect(theirs.body.id).not.toBe(first.body.id);
  });

  it('when ten submits of one form arrive at once, then exactly one order is made and every answer names it', async () => {
    const key = `form-${randomUUID()}`;
    const summary = `并发提交 ${uniq()}`;
    const results = await Promise.all(Array.from({ length: 10 }, () => createWithKey(agent.token, key, { ...body, summary })));
    expect(results.map((r) => r.status)).toEqual(Array(10).fill(201));
    expect(new Set(results.map((r) => r.body.id)).size).toBe(1);
    expect(results.filter((r) => r.replayed === 'true')).toHaveLength(9);
    expect(await ds.getRepository(Ticket).countBy({ summary })).toBe(1);
  });

  it.each(['short', 'has space in it', 'x'.repeat(101), '键值不是ASCII字符'])('when the key is %j, then 400 and nothing is written', async (key) => {
    const summary = `坏键 ${uniq()}`;
    const res = await fetch(`${t.baseUrl}/api/tickets`, { method: 'POST', headers: { authorization: `Bearer ${agent.token}`, 'content-type': 'application/json', 'idempotency-key': encodeURIComponent(key) === key ? key : encodeURIComponent(key) }, body: JSON.stringify({ ...body, summary }) });
    expect(res.status).toBe(400);
    expect(await ds.getRepository(Ticket).countBy({ summary })).toBe(0);
  });
});
