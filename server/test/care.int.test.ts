/**
 * Proactive care over real HTTP on the test database, with an injected clock: plans with defaults by risk tier,
 * idempotent task generation, claims with a lease, the full no-answer escalation ending in a P0 welfare check,
 * and 回访 on finished orders (rework loop, 回访失败, close refused without 回访).
 */
import type { DataSource } from 'typeorm';
import { makePerson } from './support/factories';
import { api, login, makeDistricts, makeUser, startTestApp, TestClock, type RunningApp } from './support/test-app';

let t: RunningApp;
let ds: DataSource;
let tree: Awaited<ReturnType<typeof makeDistricts>>;
let supervisor: string;
let agentA: string;
let agentB: string;
let agentAId: string;
let creator: string;
let outsider: string;

/** Monday 2 March 2026, 10:00 in Shanghai. */
const START = new Date('2026-03-02T10:00:00+08:00');
const local = (s: string) => new Date(`${s}+08:00`);

beforeAll(async () => {
  t = await startTestApp({ clock: new TestClock(START), env: { BACKGROUND_JOBS: 'off', SESSION_IDLE_MINUTES: '1440', SESSION_TTL_MINUTES: '1440' } });
  ds = t.ds;
  tree = await makeDistricts(ds);
  const a = await makeUser(ds, 'agent', tree.district);
  agentAId = a.id;
  users = {
    supervisor: (await makeUser(ds, 'supervisor', tree.district)).username,
    agentA: a.username,
    agentB: (await makeUser(ds, 'agent', tree.district)).username,
    creator: (await makeUser(ds, 'agent', tree.district)).username,
    outsider: (await makeUser(ds, 'supervisor', tree.otherDistrict)).username,
  };
  await relogin();
});

let users: Record<'supervisor' | 'agentA' | 'agentB' | 'creator' | 'outsider', string>;
/** The fake clock jumps days ahead; sessions live at most a day: log in again. */
async function relogin(): Promise<void> {
  supervisor = await login(t.baseUrl, users.supervisor);
  agentA = await login(t.baseUrl, users.agentA);
  agentB = await login(t.baseUrl, users.agentB);
  creator = await login(t.baseUrl, users.creator);
  outsider = await login(t.baseUrl, users.outsider);
}
afterAll(async () => {
  await t?.close();
});

async function setClock(at: Date): Promise<void> {
  const jump = at.getTime() - t.clock.now().getTime();
  t.clock.advance(jump);
  if (jump > 3600_000) await relogin();
}
const generate = () => t.app.services.care.plans.generate();
const escalate = () => t.app.services.care.escalation.tick();
const tasksOf = (personId: string) => ds.query(`SELECT id, slot, status, attempts, due_at, outcome, escalation_step, opened_ticket_id FROM care_task WHERE person_id = $1 AND kind = 'care' ORDER BY slot`, [personId]);
const timeline = async (personId: string): Promise<string[]> => (await ds.query(`SELECT kind FROM care_event WHERE person_id = $1 ORDER BY id`, [personId])).map((r: { kind: string }) => r.kind);

describe('care plans', () => {
  it('when a supervisor saves an empty plan, then the person gets the defaults of the risk tier and the channel of the communication needs', async () => {
    const high = await makePerson(ds, tree.community, { riskTier: 'high' });
    const deaf = await makePerson(ds, tree.community, { riskTier: 'general', communicationNeed: 'sms_only' });
    const guardian = await makePerson(ds, tree.community, { riskTier: 'key', communicationNeed: 'via_guardian' });
    const a = await api(t.baseUrl, 'PUT', `/api/care/plans/${high.id}`, supervisor, {});
    expect(a.status).toBe(200);
    expect(a.body).toMatchObject({ cadence: 'weekly', channel: 'voice', windowStart: 540, windowEnd: 1080, quietStart: 720, quietEnd: 840, anchorDay: '2026-03-02', nextDueDay: '2026-03-02', districtCode: tree.community });
    expect((await api(t.baseUrl, 'PUT', `/api/care/plans/${deaf.id}`, supervisor, {})).body).toMatchObject({ cadence: 'quarterly', channel: 'sms' });
    expect((await api(t.baseUrl, 'PUT', `/api/care/plans/${guardian.id}`, supervisor, {})).body).toMatchObject({ cadence: 'monthly', channel: 'guardian' });
    const changed = await api(t.baseUrl, 'PUT', `/api/care/plans/${high.id}`, supervisor, { cadence: 'custom', intervalDays: 10, team: '一组' });
    expect(changed.body).toMatchObject({ cadence: 'custom', intervalDays: 10, team: '一组', version: 2 });
    const [row] = await ds.query(`SELECT cadence, interval_days, team FROM care_plan WHERE person_id = $1`, [high.id]);
    expect(row).toEqual({ cadence: 'custom', interval_days: 10, team: '一组' });
    expect(await timeline(high.id)).toEqual(['plan_created', 'plan_changed']);
  });

  it('when the quiet hours cover the whole window or an agent or an outsider saves a plan, then it is refused', async () => {
    const p = await makePerson(ds, tree.community);
    const bad = await api(t.baseUrl, 'PUT', `/api/care/plans/${p.id}`, supervisor, { windowStart: 600, windowEnd: 700, quietStart: 500, quietEnd: 800 });
    expect(bad.status).toBe(400);
    expect(bad.body.error.message).toContain('免打扰');
    expect((await api(t.baseUrl, 'PUT', `/api/care/plans/${p.id}`, agentA, {})).status).toBe(403);
    expect((await api(t.baseUrl, 'PUT', `/api/care/plans/${p.id}`, outsider, {})).status).toBe(404);
    expect((await api(t.baseUrl, 'GET', `/api/care/plans/${p.id}`, outsider)).status).toBe(404);
    expect(await ds.query(`SELECT 1 FROM care_plan WHERE person_id = $1`, [p.id])).toEqual([]);
  });
});

describe('generation and claims', () => {
  it('when the generator runs twice, then each due plan has exactly one task for the slot and the plan moves to its next slot', async () => {
    const p = await makePerson(ds, tree.community, { riskTier: 'high' });
    await api(t.baseUrl, 'PUT', `/api/care/plans/${p.id}`, supervisor, {});
    const first = await generate();
    expect(first).toBeGreaterThanOrEqual(1);
    expect(await generate()).toBe(0);
    const tasks = await tasksOf(p.id);
    expect(tasks).toHaveLength(1);
    expect(tasks[0]).toMatchObject({ slot: '2026-03-02', status: 'open', attempts: 0 });
    expect(new Date(tasks[0].due_at).getTime()).toBe(local('2026-03-02T09:00:00').getTime());
    const [plan] = await ds.query(`SELECT next_due_day::text AS next FROM care_plan WHERE person_id = $1`, [p.id]);
    expect(plan.next).toBe('2026-03-09');
    // Saving the plan again does not re-create today's slot either.
    await api(t.baseUrl, 'PUT', `/api/care/plans/${p.id}`, supervisor, { team: '二组' });
    expect(await generate()).toBe(0);
    expect(await tasksOf(p.id)).toHaveLength(1);
  });

  it('when two agents claim, then each gets a different task, a held task answers 409, and a lapsed lease returns it', async () => {
    await drainList(); // earlier tests' tasks out of the way
    const persons = [await makePerson(ds, tree.community, { riskTier: 'general' }), await makePerson(ds, tree.community, { riskTier: 'high' })];
    for (const p of persons) await api(t.baseUrl, 'PUT', `/api/care/plans/${p.id}`, supervisor, { cadence: 'weekly' });
    await generate();
    const a = await api(t.baseUrl, 'POST', '/api/care/tasks/claim-next', agentA, {});
    const b = await api(t.baseUrl, 'POST', '/api/care/tasks/claim-next', agentB, {});
    expect(a.status).toBe(200);
    expect(b.status).toBe(200);
    expect(a.body.id).not.toBe(b.body.id);
    expect(a.body.person.id).toBe(persons[1]!.id); // highest risk first
    expect(a.body).toMatchObject({ claimedByMe: true, riskTier: 'high' });
    expect((await api(t.baseUrl, 'POST', '/api/care/tasks/claim-next', agentB, {})).status).toBe(204);
    const stolen = await api(t.baseUrl, 'POST', `/api/care/tasks/${a.body.id}/claim`, agentB, {});
    expect(stolen.status).toBe(409);
    expect(stolen.body.error.code).toBe('care/not-claimed');
    expect((await api(t.baseUrl, 'POST', `/api/care/tasks/${a.body.id}/outcome`, agentB, { outcome: 'reached_fine' })).status).toBe(409);
    const listB = await api(t.baseUrl, 'GET', '/api/care/tasks', agentB);
    expect(listB.body.items.map((i: { id: string }) => i.id)).not.toContain(a.body.id);
    t.clock.advance(11 * 60_000); // the lease lapses
    const back = await api(t.baseUrl, 'POST', '/api/care/tasks/claim-next', agentB, {});
    expect(back.body.id).toBe(a.body.id);
    const [row] = await ds.query(`SELECT claimed_by_id FROM care_task WHERE id = $1`, [a.body.id]);
    expect(row.claimed_by_id).not.toBe(agentAId);
    expect((await api(t.baseUrl, 'GET', `/api/care/tasks/${a.body.id}`, outsider)).status).toBe(404);
    for (const id of [a.body.id, b.body.id]) await api(t.baseUrl, 'POST', `/api/care/tasks/${id}/outcome`, agentB, { outcome: 'reached_fine' });
  });

  it('when two agents claim concurrently until the list is empty, then no task is handed out twice (SKIP LOCKED)', async () => {
    await drainList();
    const persons = await Promise.all(Array.from({ length: 16 }, () => makePerson(ds, tree.community, { riskTier: 'key' })));
    for (const p of persons) await api(t.baseUrl, 'PUT', `/api/care/plans/${p.id}`, supervisor, { cadence: 'weekly' });
    await generate();
    const claimAll = async (token: string): Promise<string[]> => {
      const got: string[] = [];
      for (;;) {
        // Two requests in flight per agent as well: four concurrent claimers.
        const batch = await Promise.all([api(t.baseUrl, 'POST', '/api/care/tasks/claim-next', token, {}), api(t.baseUrl, 'POST', '/api/care/tasks/claim-next', token, {})]);
        for (const r of batch) if (r.status === 200) got.push(r.body.id);
        if (batch.every((r) => r.status === 204)) return got;
      }
    };
    const [a, b] = await Promise.all([claimAll(agentA), claimAll(agentB)]);
    const all = [...a, ...b];
    expect(all).toHaveLength(16);
    expect(new Set(all).size).toBe(16);
    const holders = await ds.query(`SELECT count(DISTINCT claimed_by_id) AS n FROM care_task WHERE person_id = ANY($1)`, [persons.map((p) => p.id)]);
    expect(Number(holders[0].n)).toBeGreaterThanOrEqual(1);
    for (const id of a) await api(t.baseUrl, 'POST', `/api/care/tasks/${id}/outcome`, agentA, { outcome: 'reached_fine' });
    for (const id of b) await api(t.baseUrl, 'POST', `/api/care/tasks/${id}/outcome`, agentB, { outcome: 'reached_fine' });
  });

  it('when a task is previewed, then the phones are masked and the read is audited with the person', async () => {
    const p = await makePerson(ds, tree.community, { riskTier: 'key' });
    await api(t.baseUrl, 'PUT', `/api/care/plans/${p.id}`, supervisor, { cadence: 'weekly' });
    await generate();
    const [task] = await tasksOf(p.id);
    const res = await api(t.baseUrl, 'GET', `/api/care/tasks/${task.id}`, agentA);
    expect(res.status).toBe(200);
    expect(res.body.person).toEqual({ id: p.id, name: p.record.name });
    expect(res.body.phones[0].masked).toMatch(/\*{4}/);
    expect(JSON.stringify(res.body)).not.toContain(p.phone.slice(3));
    expect(JSON.stringify(res.body)).not.toContain(p.idNumber);
    const [audit] = await ds.query(`SELECT subjects FROM audit_log WHERE action = 'care.task.read' AND subject_id = $1`, [task.id]);
    expect(JSON.stringify(audit.subjects)).toContain(p.id);
  });
});

describe('outcomes and the no-answer escalation', () => {
  it('when a 高风险 person living alone never answers, then 3 attempts inside the window, contacts, a 待派单 home visit and a P0 welfare check follow, each on the timeline', async () => {
    await setClock(local('2026-03-16T10:00:00')); // a Monday two weeks on
    const p = await makePerson(ds, tree.community, { riskTier: 'high', livingSituation: 'alone' });
    await api(t.baseUrl, 'PUT', `/api/care/plans/${p.id}`, supervisor, {});
    await generate();
    const [task] = await tasksOf(p.id);
    const attempt = async () => {
      expect((await api(t.baseUrl, 'POST', `/api/care/tasks/${task.id}/claim`, agentA, {})).status).toBe(200);
      const r = await api(t.baseUrl, 'POST', `/api/care/tasks/${task.id}/outcome`, agentA, { outcome: 'no_answer' });
      expect(r.status).toBe(200);
      return (await ds.query(`SELECT status, attempts, due_at FROM care_task WHERE id = $1`, [task.id]))[0];
    };
    const first = await attempt();
    expect(first).toMatchObject({ status: 'open', attempts: 1 });
    expect(new Date(first.due_at).getTime()).toBe(local('2026-03-16T11:00:00').getTime());
    await setClock(local('2026-03-16T11:05:00'));
    const second = await attempt();
    expect(new Date(second.due_at).getTime()).toBe(local('2026-03-16T14:00:00').getTime()); // 12:05 is quiet
    await setClock(local('2026-03-16T14:00:00'));
    expect(await attempt()).toMatchObject({ status: 'escalating', attempts: 3 });

    expect(await escalate()).toBe(1);
    const sms = await ds.query(`SELECT payload FROM outbox WHERE idempotency_key LIKE $1`, [`care:${task.id}:contacts:%`]);
    expect(sms.map((s: { payload: { to: string } }) => s.payload.to)).toEqual([p.record.contacts![0]!.phoneE164]);
    expect(await escalate()).toBe(0); // the next step waits 30 minutes
    t.clock.advance(30 * 60_000);
    expect(await escalate()).toBe(1);
    const [visit] = await ds.query(`SELECT t.status, t.category, t.service_type, t.priority, t.channel FROM ticket t JOIN care_task c ON c.opened_ticket_id = t.id WHERE c.id = $1`, [task.id]);
    expect(visit).toEqual({ status: 'pending_dispatch', category: 'life_service', service_type: 'family_visit', priority: 'P1', channel: 'outbound_care' });
    t.clock.advance(30 * 60_000);
    expect(await escalate()).toBe(1);
    const orders = await ds.query(`SELECT category, priority, status FROM ticket WHERE person_id = $1 ORDER BY created_at`, [p.id]);
    expect(orders).toEqual([
      { category: 'life_service', priority: 'P1', status: 'pending_dispatch' },
      { category: 'emergency', priority: 'P0', status: 'pending_dispatch' },
    ]);
    expect((await ds.query(`SELECT status, outcome FROM care_task WHERE id = $1`, [task.id]))[0]).toEqual({ status: 'done', outcome: 'escalated' });
    expect(await timeline(p.id)).toEqual(['plan_created', 'task_generated', 'claimed', 'attempt', 'claimed', 'attempt', 'claimed', 'attempt', 'escalation_contacts', 'escalation_home_visit', 'escalation_welfare_check']);
    t.clock.advance(60 * 60_000);
    expect(await escalate()).toBe(0);
  });

  it('when a person who does not live alone never answers, then the chain ends with the home visit (no welfare check)', async () => {
    const p = await makePerson(ds, tree.community, { riskTier: 'high', livingSituation: 'with_family' });
    await api(t.baseUrl, 'PUT', `/api/care/plans/${p.id}`, supervisor, { startDay: '2026-03-16' });
    await generate();
    const [task] = await tasksOf(p.id);
    await api(t.baseUrl, 'POST', `/api/care/tasks/${task.id}/claim`, agentA, {});
    await api(t.baseUrl, 'POST', `/api/care/tasks/${task.id}/outcome`, agentA, { outcome: 'wrong_number' });
    await escalate();
    t.clock.advance(30 * 60_000);
    await escalate();
    t.clock.advance(30 * 60_000);
    await escalate();
    expect(await ds.query(`SELECT category FROM ticket WHERE person_id = $1`, [p.id])).toEqual([{ category: 'life_service' }]);
  });

  it('when the person needs help, then a work order opens; when deceased, then the plan closes with the reason', async () => {
    const p = await makePerson(ds, tree.community, { riskTier: 'key' });
    await api(t.baseUrl, 'PUT', `/api/care/plans/${p.id}`, supervisor, { cadence: 'weekly', startDay: '2026-03-16' });
    await generate();
    const [task] = await tasksOf(p.id);
    await api(t.baseUrl, 'POST', `/api/care/tasks/${task.id}/claim`, agentA, {});
    const done = await api(t.baseUrl, 'POST', `/api/care/tasks/${task.id}/outcome`, agentA, { outcome: 'reached_needs_help', note: '需要助餐' });
    expect(done.body.status).toBe('done');
    const [order] = await ds.query(`SELECT summary, channel, status FROM ticket WHERE person_id = $1`, [p.id]);
    expect(order).toMatchObject({ channel: 'outbound_care', status: 'accepted' });
    expect(order.summary).toContain('需要助餐');

    await setClock(local('2026-03-23T09:30:00'));
    await generate();
    const [, next] = await tasksOf(p.id);
    await api(t.baseUrl, 'POST', `/api/care/tasks/${next.id}/claim`, agentA, {});
    expect((await api(t.baseUrl, 'POST', `/api/care/tasks/${next.id}/outcome`, agentA, { outcome: 'deceased_moved' })).status).toBe(400); // needs a note
    expect((await api(t.baseUrl, 'POST', `/api/care/tasks/${next.id}/outcome`, agentA, { outcome: 'deceased_moved', note: '已迁往外省' })).status).toBe(200);
    const [plan] = await ds.query(`SELECT active, closed_reason, next_due_day FROM care_plan WHERE person_id = $1`, [p.id]);
    expect(plan).toEqual({ active: false, closed_reason: '已迁往外省', next_due_day: null });
    await setClock(local('2026-03-30T09:30:00'));
    await generate();
    expect(await tasksOf(p.id)).toHaveLength(2);
  });
});

describe('回访 on finished orders', () => {
  const act = (id: string, token: string, action: string, extra: object = {}) => api(t.baseUrl, 'POST', `/api/tickets/${id}/transitions`, token, { action, ...extra });
  const survey = async (ticketId: string) => (await ds.query(`SELECT id, slot, status, attempts, due_at FROM care_task WHERE ticket_id = $1 ORDER BY slot DESC LIMIT 1`, [ticketId]))[0];
  async function finishedServiceOrder(): Promise<{ id: string; personId: string }> {
    const p = await makePerson(ds, tree.community, { riskTier: 'general' });
    const created = await api(t.baseUrl, 'POST', '/api/tickets', creator, { category: 'life_service', serviceType: 'meals', personId: p.id, summary: '需要送餐' });
    const id = created.body.id;
    await serviceRound(id);
    return { id, personId: p.id };
  }
  async function serviceRound(id: string): Promise<void> {
    const status = (await api(t.baseUrl, 'GET', `/api/tickets/${id}`, supervisor)).body.status;
    if (status === 'accepted') expect((await act(id, creator, 'submit')).status).toBe(200);
    expect((await act(id, supervisor, 'dispatch')).status).toBe(200);
    const dispatcher = await login(t.baseUrl, (await makeUser(ds, 'dispatcher', tree.district)).username);
    expect((await act(id, dispatcher, 'take')).status).toBe(200);
    expect((await act(id, dispatcher, 'start')).status).toBe(200);
    expect((await act(id, dispatcher, 'complete')).status).toBe(200);
  }
  async function answer(taskId: string, token: string, body: object) {
    expect((await api(t.baseUrl, 'POST', `/api/care/tasks/${taskId}/claim`, token, {})).status).toBe(200);
    return api(t.baseUrl, 'POST', `/api/care/tasks/${taskId}/outcome`, token, body);
  }

  it('when an order reaches 服务完成, then a 回访 is due the next day and 办结 is refused with a clear reason until it is done', async () => {
    await setClock(local('2026-04-01T15:00:00'));
    const order = await finishedServiceOrder();
    const s = await survey(order.id);
    expect(s).toMatchObject({ slot: 'survey-1', status: 'open' });
    expect(new Date(s.due_at).getTime()).toBe(local('2026-04-02T09:00:00').getTime());
    const refused = await act(order.id, agentA, 'close');
    expect(refused.status).toBe(409);
    expect(refused.body.error.code).toBe('ticket/callback-required');
    expect(refused.body.error.message).toContain('回访');
    expect((await act(order.id, supervisor, 'close')).status).toBe(409); // a supervisor needs a reason
    // The one who created the order may not grade it.
    await setClock(local('2026-04-02T09:10:00'));
    expect((await answer(s.id, creator, { outcome: 'reached', satisfaction: 'satisfied', resolved: true })).status).toBe(403);
    await api(t.baseUrl, 'POST', `/api/care/tasks/${s.id}/release`, creator, {});
    const ok = await answer(s.id, agentA, { outcome: 'reached', satisfaction: 'very_satisfied', resolved: true, comment: '送餐准时' });
    expect(ok.status).toBe(200);
    const [row] = await ds.query(`SELECT status, satisfaction FROM ticket WHERE id = $1`, [order.id]);
    expect(row).toEqual({ status: 'callback_done', satisfaction: 'very_satisfied' });
    expect((await act(order.id, agentA, 'close')).status).toBe(200);
  });

  it('when the 回访 is 不满意, then the order is reworked and the second survey\'s rating is the one that counts', async () => {
    await setClock(local('2026-04-06T15:00:00'));
    const order = await finishedServiceOrder();
    await setClock(local('2026-04-07T09:30:00'));
    const first = await survey(order.id);
    expect((await answer(first.id, agentA, { outcome: 'reached', satisfaction: 'dissatisfied', resolved: false, comment: '饭菜是凉的' })).status).toBe(200);
    const after = await ds.query(`SELECT status, satisfaction FROM ticket WHERE id = $1`, [order.id]);
    expect(after[0]).toEqual({ status: 'pending_dispatch', satisfaction: 'dissatisfied' });
    expect((await act(order.id, agentA, 'close')).status).toBe(409);
    await serviceRound(order.id);
    const second = await survey(order.id);
    expect(second).toMatchObject({ slot: 'survey-2', status: 'open' });
    expect((await act(order.id, agentA, 'close')).status).toBe(409); // the second 回访 is pending
    await setClock(local('2026-04-08T10:00:00'));
    expect((await answer(second.id, agentB, { outcome: 'reached', satisfaction: 'basically_satisfied', resolved: true })).status).toBe(200);
    expect((await ds.query(`SELECT status, satisfaction FROM ticket WHERE id = $1`, [order.id]))[0]).toEqual({ status: 'callback_done', satisfaction: 'basically_satisfied' });
    const kinds = (await ds.query(`SELECT kind FROM ticket_event WHERE ticket_id = $1 ORDER BY id`, [order.id])).map((e: { kind: string }) => e.kind);
    expect(kinds.filter((k: string) => k === 'rework')).toHaveLength(1);
    expect(kinds.filter((k: string) => k === 'record_callback')).toHaveLength(2);
    expect((await act(order.id, agentA, 'close')).status).toBe(200);
  });

  it('when nobody answers the 回访 three times at different times, then it is 回访失败 (no rating) and the order may close', async () => {
    await setClock(local('2026-04-13T15:00:00'));
    const order = await finishedServiceOrder();
    const s = await survey(order.id);
    const times: number[] = [];
    await setClock(local('2026-04-14T09:00:00'));
    for (let i = 0; i < 3; i++) {
      times.push(t.clock.now().getTime());
      expect((await answer(s.id, agentA, { outcome: 'no_answer' })).status).toBe(200);
      const row = await survey(order.id);
      if (i < 2) await setClock(new Date(row.due_at));
    }
    expect(new Set(times).size).toBe(3);
    expect(await survey(order.id)).toMatchObject({ status: 'failed', attempts: 3 });
    const [row] = await ds.query(`SELECT satisfaction FROM ticket WHERE id = $1`, [order.id]);
    expect(row.satisfaction).toBeNull();
    expect((await ds.query(`SELECT note FROM ticket_event WHERE ticket_id = $1 AND kind = 'callback_failed'`, [order.id]))[0].note).toContain('3 次未接通');
    expect((await act(order.id, agentA, 'close')).status).toBe(200);
  });

  it('when a supervisor closes an order without 回访, then the reason is recorded', async () => {
    await setClock(local('2026-04-20T15:00:00'));
    const order = await finishedServiceOrder();
    expect((await act(order.id, supervisor, 'close', { note: '服务对象已入住养老机构，无法回访' })).status).toBe(200);
    const [e] = await ds.query(`SELECT note FROM ticket_event WHERE ticket_id = $1 AND kind = 'close'`, [order.id]);
    expect(e.note).toContain('无法回访');
  });

  it('when an order was finished outside the order service (an SOS resolved), then the sweep gives it its 回访 once', async () => {
    const order = await finishedServiceOrder();
    await ds.query(`DELETE FROM care_event WHERE task_id IN (SELECT id FROM care_task WHERE ticket_id = $1)`, [order.id]);
    await ds.query(`DELETE FROM care_task WHERE ticket_id = $1`, [order.id]);
    expect(await t.app.services.care.surveys.sweep()).toBeGreaterThanOrEqual(1);
    expect(await t.app.services.care.surveys.sweep()).toBe(0);
    expect(await survey(order.id)).toMatchObject({ slot: 'survey-1', status: 'open' });
  });
});

/** Finish every due task of this file's districts so a test starts from an empty list. */
async function drainList(): Promise<void> {
  for (;;) {
    const r = await api(t.baseUrl, 'POST', '/api/care/tasks/claim-next', agentA, {});
    if (r.status === 204) return;
    await api(t.baseUrl, 'POST', `/api/care/tasks/${r.body.id}/outcome`, agentA, r.body.kind === 'care' ? { outcome: 'reached_fine' } : { outcome: 'refused' });
  }
}
