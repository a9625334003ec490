/**
 * Care campaigns and event calls over real HTTP and sockets on the test database, with an injected clock:
 * cohort filters in SQL (each filter pins who is in and who is out), the live count, questionnaire versions
 * (answers keep the version asked), launch / pause / resume, idempotent campaign, birthday and festival
 * generation, the heat warning, and the work-list notice when a task is claimed.
 */
import type { DataSource } from 'typeorm';
import { COHORT_WHERE, cohortParams, type Cohort } from '../src/care/campaign-tasks';
import { makePerson } from './support/factories';
import { api, connectSocket, login, makeDistricts, makeUser, startTestApp, TestClock, type RunningApp } from './support/test-app';

let t: RunningApp;
let ds: DataSource;
let tree: Awaited<ReturnType<typeof makeDistricts>>;
let tok: Record<'supervisor' | 'agentA' | 'agentB' | 'outsider', string>;
let names: Record<keyof typeof tok, string>;

/** Monday 2 March 2026, 10:00 in Shanghai. */
const START = new Date('2026-03-02T10:00:00+08:00');
const local = (s: string) => new Date(`${s}+08:00`);

beforeAll(async () => {
  t = await startTestApp({ clock: new TestClock(START), env: { BACKGROUND_JOBS: 'off', SESSION_IDLE_MINUTES: '1440', SESSION_TTL_MINUTES: '1440' } });
  ds = t.ds;
  tree = await makeDistricts(ds);
  names = {
    supervisor: (await makeUser(ds, 'supervisor', tree.district)).username,
    agentA: (await makeUser(ds, 'agent', tree.district)).username,
    agentB: (await makeUser(ds, 'agent', tree.district)).username,
    outsider: (await makeUser(ds, 'supervisor', tree.otherDistrict)).username,
  };
  await relogin();
});
afterAll(async () => {
  await t?.close();
});

async function relogin(): Promise<void> {
  tok = { supervisor: await login(t.baseUrl, names.supervisor), agentA: await login(t.baseUrl, names.agentA), agentB: await login(t.baseUrl, names.agentB), outsider: await login(t.baseUrl, names.outsider) };
}
async function setClock(at: Date): Promise<void> {
  const jump = at.getTime() - t.clock.now().getTime();
  t.clock.advance(jump);
  if (jump > 3600_000) await relogin();
}
const generate = () => t.app.services.care.campaigns.generate();
const generateEvents = () => t.app.services.care.events.generate();
const QUESTIONS_V1 = [
  { id: 'feel', type: 'single', label: '最近身体怎么样', required: true, options: ['很好', '一般', '不好'] },
  { id: 'mood', type: 'scale', label: '心情打分', required: true, min: 1, max: 5 },
  { id: 'needs', type: 'multiple', label: '需要哪些帮助', required: false, options: ['助餐', '助医', '助行'] },
  { id: 'alone', type: 'yes_no', label: '白天是否独自在家', required: true },
  { id: 'other', type: 'text', label: '其他情况', required: false },
];
const tasksOf = (personId: string, kind: string) => ds.query(`SELECT id, slot, status, due_at, event, risk_rank, campaign_id, questionnaire_id, answers FROM care_task WHERE person_id = $1 AND kind = $2 ORDER BY slot`, [personId, kind]);

describe('cohort filters', () => {
  let p: Record<'p1' | 'p2' | 'p3' | 'outside' | 'deceased', string>;
  let cohortTree: Awaited<ReturnType<typeof makeDistricts>>;
  const members = async (filters: Cohort['filters']): Promise<string[]> => {
    const now = t.clock.now();
    const rows: { id: string }[] = await ds.query(`SELECT p.id FROM person p WHERE ${COHORT_WHERE} AND p.id = ANY($12::uuid[])`, [...cohortParams({ districtCode: cohortTree.district, filters }, '2026-03-02', now), Object.values(p)]);
    const byId = Object.fromEntries(Object.entries(p).map(([k, v]) => [v, k]));
    return rows.map((r) => byId[r.id]!).sort();
  };

  beforeAll(async () => {
    cohortTree = await makeDistricts(ds);
    const sup = await makeUser(ds, 'supervisor', cohortTree.district);
    const supTok = await login(t.baseUrl, sup.username);
    p = {
      p1: (await makePerson(ds, cohortTree.community, { disabilityCategory: 1, disabilityLevel: 1, livingSituation: 'alone', riskTier: 'high', birthDate: '1950-06-01' })).id,
      p2: (await makePerson(ds, cohortTree.community, { disabilityCategory: 4, disabilityLevel: 3, livingSituation: 'with_family', riskTier: 'general', birthDate: '1990-01-01', devices: [] })).id,
      p3: (await makePerson(ds, cohortTree.street, { disabilityCategory: 2, disabilityLevel: 2, livingSituation: 'alone', riskTier: 'key', birthDate: '1960-03-02' })).id,
      outside: (await makePerson(ds, cohortTree.otherDistrict, { disabilityCategory: 1, disabilityLevel: 1, riskTier: 'high' })).id,
      deceased: (await makePerson(ds, cohortTree.community, { disabilityCategory: 1, disabilityLevel: 1, riskTier: 'high' })).id,
    };
    await ds.query(`UPDATE person SET status = 'deceased' WHERE id = $1`, [p.deceased]);
    // p3 was reached ten days ago.
    expect((await api(t.baseUrl, 'PUT', `/api/care/plans/${p.p3}`, supTok, {})).status).toBe(200);
    await t.app.services.care.plans.generate();
    await ds.query(`UPDATE care_task SET status = 'done', outcome = 'reached_fine', updated_at = $2 WHERE person_id = $1`, [p.p3, new Date(START.getTime() - 10 * 86_400_000)]);
    tok.supervisor = supTok; // this block's supervisor; restored below
  });
  afterAll(async () => {
    tok.supervisor = await login(t.baseUrl, names.supervisor);
  });

  it.each([
    [{}, ['p1', 'p2', 'p3']],
    [{ disabilityCategories: [1, 2] }, ['p1', 'p3']],
    [{ disabilityLevels: [3] }, ['p2']],
    [{ livingAlone: true }, ['p1', 'p3']],
    [{ livingAlone: false }, ['p2']],
    [{ ageMin: 66 }, ['p1', 'p3']],
    [{ ageMax: 65 }, ['p2']],
    [{ ageMin: 70, ageMax: 80 }, ['p1']],
    [{ riskTiers: ['high', 'key'] }, ['p1', 'p3']],
    [{ hasSosDevice: true }, ['p1', 'p3']],
    [{ hasSosDevice: false }, ['p2']],
    [{ lastContactOlderThanDays: 30 }, ['p1', 'p2']],
    [{ lastContactOlderThanDays: 5 }, ['p1', 'p2', 'p3']],
    [{ riskTiers: ['general'], livingAlone: true }, []],
  ])('when the filters are %j, then the cohort is %j (never the other district or the deceased)', async (filters, expected) => {
    expect(await members(filters as Cohort['filters'])).toEqual(expected);
  });

  it('when a supervisor previews, then the count is live and the sample masked; an outsider gets 404, an agent 403, bad filters 400', async () => {
    const res = await api(t.baseUrl, 'POST', '/api/care/campaigns/preview', tok.supervisor, { districtCode: cohortTree.district, filters: { livingAlone: true } });
    expect(res.status).toBe(200);
    expect(res.body.count).toBe(2);
    expect(res.body.sample).toHaveLength(2);
    for (const s of res.body.sample) {
      expect(s.name).toMatch(/^测\*+$/);
      expect(Object.keys(s).sort()).toEqual(['districtCode', 'name', 'riskTier']);
    }
    const [audit] = await ds.query(`SELECT subjects FROM audit_log WHERE action = 'care.campaign.preview' ORDER BY id DESC LIMIT 1`);
    expect(JSON.stringify(audit.subjects)).toContain(p.p1);
    const outsider = await api(t.baseUrl, 'POST', '/api/care/campaigns/preview', tok.outsider, { districtCode: cohortTree.district, filters: {} });
    expect(outsider.status).toBe(404);
    expect((await api(t.baseUrl, 'POST', '/api/care/campaigns/preview', tok.agentA, { districtCode: cohortTree.district, filters: {} })).status).toBe(403);
    for (const bad of [{ districtCode: cohortTree.district, filters: { ageMin: 80, ageMax: 70 } }, { districtCode: cohortTree.district, filters: { riskTiers: ['urgent'] } }, { districtCode: 'x', filters: {} }, { districtCode: cohortTree.district, filters: { colour: 'red' } }]) {
      const r = await api(t.baseUrl, 'POST', '/api/care/campaigns/preview', tok.supervisor, bad);
      expect(r.status).toBe(400);
      expect(r.body.error.code).toBeDefined();
    }
  });
});

describe('campaign lifecycle', () => {
  let high: string;
  let general: string;
  let campaignId: string;

  beforeAll(async () => {
    high = (await makePerson(ds, tree.community, { riskTier: 'high', livingSituation: 'alone' })).id;
    general = (await makePerson(ds, tree.community, { riskTier: 'general', livingSituation: 'with_family' })).id;
    // The high-risk person's plan calls from 10:30 with quiet hours to 11:00: the campaign task is due at 11:00.
    expect((await api(t.baseUrl, 'PUT', `/api/care/plans/${high}`, tok.supervisor, { windowStart: 630, windowEnd: 1080, quietStart: 600, quietEnd: 660 })).status).toBe(200);
  });

  it('when a campaign is created, launched and generated twice, then each cohort person has one task due inside their window', async () => {
    const created = await api(t.baseUrl, 'POST', '/api/care/campaigns', tok.supervisor, { name: '春季独居回访', districtCode: tree.district, filters: { riskTiers: ['high'], livingAlone: true }, repeat: 'weekly', startDay: '2026-03-02', endDay: '2026-03-20', questions: QUESTIONS_V1 });
    expect(created.status).toBe(201);
    campaignId = created.body.id;
    expect(created.body).toMatchObject({ status: 'draft', questionnaireVersion: 1, questions: QUESTIONS_V1 });
    expect(await generate()).toBe(0); // a draft generates nothing
    expect(await tasksOf(high, 'campaign')).toEqual([]);
    const launched = await api(t.baseUrl, 'POST', `/api/care/campaigns/${campaignId}/launch`, tok.supervisor, {});
    expect(launched.body).toMatchObject({ status: 'active', nextRunDay: '2026-03-02' });
    expect((await api(t.baseUrl, 'POST', `/api/care/campaigns/${campaignId}/launch`, tok.supervisor, {})).status).toBe(409);
    await generate();
    await generate();
    const tasks = await tasksOf(high, 'campaign');
    expect(tasks).toHaveLength(1);
    expect(tasks[0]).toMatchObject({ slot: '2026-03-02', status: 'open', campaign_id: campaignId });
    expect(new Date(tasks[0].due_at).getTime()).toBe(local('2026-03-02T11:00:00').getTime());
    expect(await tasksOf(general, 'campaign')).toEqual([]);
    const [c] = await ds.query(`SELECT next_run_day::text AS next FROM campaign WHERE id = $1`, [campaignId]);
    expect(c.next).toBe('2026-03-09');
    expect((await api(t.baseUrl, 'GET', `/api/care/campaigns/${campaignId}`, tok.outsider)).status).toBe(404);
    expect((await api(t.baseUrl, 'POST', `/api/care/campaigns/${campaignId}/pause`, tok.outsider, {})).status).toBe(404);
  });

  it('when the questionnaire is edited after the agent opened it, then the answers keep the version asked', async () => {
    const [task] = await tasksOf(high, 'campaign');
    expect((await api(t.baseUrl, 'POST', `/api/care/tasks/${task.id}/claim`, tok.agentA, {})).status).toBe(200);
    const asked = await api(t.baseUrl, 'GET', `/api/care/task-questionnaires/${task.id}`, tok.agentA);
    expect(asked.body.questionnaire).toMatchObject({ campaignId, version: 1, questions: QUESTIONS_V1 });
    expect((await api(t.baseUrl, 'GET', `/api/care/task-questionnaires/${task.id}`, tok.outsider)).status).toBe(404);
    const stale = await api(t.baseUrl, 'PATCH', `/api/care/campaigns/${campaignId}`, tok.supervisor, { version: 1, questions: [{ id: 'ok', type: 'yes_no', label: '还好吗', required: true }] });
    expect(stale.status).toBe(409); // launch moved the campaign to version 2
    const edited = await api(t.baseUrl, 'PATCH', `/api/care/campaigns/${campaignId}`, tok.supervisor, { version: 2, questions: [{ id: 'ok', type: 'yes_no', label: '还好吗', required: true }] });
    expect(edited.body).toMatchObject({ questionnaireVersion: 2, version: 3 });
    // Wrong answers for version 1, answers on an unreached call, no answers at all: refused, nothing stored.
    for (const body of [
      { outcome: 'reached_fine', questionnaireVersion: 1, answers: { feel: '非常好', mood: 3, alone: true } },
      { outcome: 'no_answer', questionnaireVersion: 1, answers: { feel: '很好', mood: 3, alone: true } },
      { outcome: 'reached_fine' },
      { outcome: 'reached_fine', questionnaireVersion: 9, answers: {} },
    ]) {
      const r = await api(t.baseUrl, 'POST', `/api/care/tasks/${task.id}/outcome`, tok.agentA, body);
      expect(r.status).toBe(400);
    }
    expect((await tasksOf(high, 'campaign'))[0]).toMatchObject({ status: 'open', answers: null });
    const answers = { feel: '一般', mood: 4, needs: ['助餐'], alone: true, other: '腿脚不便' };
    const done = await api(t.baseUrl, 'POST', `/api/care/tasks/${task.id}/outcome`, tok.agentA, { outcome: 'reached_fine', questionnaireVersion: 1, answers });
    expect(done.status).toBe(200);
    const [row] = await ds.query(`SELECT t.status, t.answers, q.version, q.questions FROM care_task t JOIN campaign_questionnaire q ON q.id = t.questionnaire_id WHERE t.id = $1`, [task.id]);
    expect(row).toEqual({ status: 'done', answers, version: 1, questions: QUESTIONS_V1 });
    // A later edit never touches them.
    await api(t.baseUrl, 'PATCH', `/api/care/campaigns/${campaignId}`, tok.supervisor, { version: 3, questions: [{ id: 'ok2', type: 'text', label: '备注', required: false }] });
    const [again] = await ds.query(`SELECT q.version FROM care_task t JOIN campaign_questionnaire q ON q.id = t.questionnaire_id WHERE t.id = $1`, [task.id]);
    expect(again.version).toBe(1);
  });

  it('when a campaign is paused, then it generates nothing and its open tasks leave the work list; resumed, it picks up', async () => {
    const other = (await makePerson(ds, tree.community, { riskTier: 'high', livingSituation: 'alone' })).id;
    await setClock(local('2026-03-09T10:00:00'));
    await generate(); // the 9 March run
    const [open] = await tasksOf(other, 'campaign');
    expect(open).toMatchObject({ slot: '2026-03-09', status: 'open' });
    const listed = async () => (await api(t.baseUrl, 'GET', '/api/care/tasks?kind=campaign&dueOnly=false', tok.agentB)).body.items.map((i: { id: string }) => i.id);
    expect(await listed()).toContain(open.id);
    expect((await api(t.baseUrl, 'POST', `/api/care/campaigns/${campaignId}/pause`, tok.supervisor, {})).body.status).toBe('paused');
    expect(await listed()).not.toContain(open.id);
    expect((await api(t.baseUrl, 'POST', `/api/care/tasks/${open.id}/claim`, tok.agentB, {})).status).toBe(409);
    await setClock(local('2026-03-16T10:00:00'));
    expect(await generate()).toBe(0);
    expect(await tasksOf(other, 'campaign')).toHaveLength(1);
    expect((await api(t.baseUrl, 'POST', `/api/care/campaigns/${campaignId}/pause`, tok.supervisor, {})).status).toBe(409);
    expect((await api(t.baseUrl, 'POST', `/api/care/campaigns/${campaignId}/resume`, tok.supervisor, {})).body.status).toBe('active');
    expect(await listed()).toContain(open.id);
    await generate();
    await generate();
    expect((await tasksOf(other, 'campaign')).map((x: { slot: string }) => x.slot)).toEqual(['2026-03-09', '2026-03-16']);
    // After the end day the campaign ends by itself.
    await setClock(local('2026-03-23T10:00:00'));
    await generate();
    const [c] = await ds.query(`SELECT status, next_run_day FROM campaign WHERE id = $1`, [campaignId]);
    expect(c).toEqual({ status: 'ended', next_run_day: null });
  });
});

describe('event calls', () => {
  it('when the generator runs twice on a birthday, then the person with a plan gets one birthday task (none without a plan or on another day)', async () => {
    await setClock(local('2026-04-15T08:00:00'));
    const today = (await makePerson(ds, tree.community, { riskTier: 'general', birthDate: '1948-04-15' })).id;
    const noPlan = (await makePerson(ds, tree.community, { riskTier: 'general', birthDate: '1950-04-15' })).id;
    const otherDay = (await makePerson(ds, tree.community, { riskTier: 'general', birthDate: '1950-04-16' })).id;
    for (const id of [today, otherDay]) expect((await api(t.baseUrl, 'PUT', `/api/care/plans/${id}`, tok.supervisor, {})).status).toBe(200);
    await generateEvents();
    await generateEvents();
    const tasks = await tasksOf(today, 'event');
    expect(tasks).toHaveLength(1);
    expect(tasks[0]).toMatchObject({ event: 'birthday', slot: '2026-04-15', status: 'open' });
    expect(new Date(tasks[0].due_at).getTime()).toBe(local('2026-04-15T09:00:00').getTime());
    expect(await tasksOf(noPlan, 'event')).toEqual([]);
    expect(await tasksOf(otherDay, 'event')).toEqual([]);
  });

  it('when it is 助残日 (third Sunday of May), then high and key risk people with a plan get one festival task', async () => {
    const key = (await makePerson(ds, tree.community, { riskTier: 'key', birthDate: '1960-01-01' })).id;
    const general = (await makePerson(ds, tree.community, { riskTier: 'general', birthDate: '1960-01-01' })).id;
    for (const id of [key, general]) expect((await api(t.baseUrl, 'PUT', `/api/care/plans/${id}`, tok.supervisor, {})).status).toBe(200);
    await setClock(local('2026-05-10T08:00:00'));
    await generateEvents();
    expect(await tasksOf(key, 'event')).toEqual([]);
    await setClock(local('2026-05-17T08:00:00'));
    await generateEvents();
    await generateEvents();
    expect((await tasksOf(key, 'event')).map((x: { event: string }) => x.event)).toEqual(['festival:disability_day']);
    expect(await tasksOf(general, 'event')).toEqual([]);
  });

  it('when a supervisor raises a heat warning, then the district’s at-risk people get tasks, 高风险 living alone first; outsiders 404, agents 403', async () => {
    await setClock(local('2026-07-20T13:00:00')); // inside the default quiet hours: due at 14:00
    const heatTree = await makeDistricts(ds);
    const sup = await login(t.baseUrl, (await makeUser(ds, 'supervisor', heatTree.district)).username);
    const agent = await login(t.baseUrl, (await makeUser(ds, 'agent', heatTree.district)).username);
    const aloneHigh = (await makePerson(ds, heatTree.community, { riskTier: 'high', livingSituation: 'alone' })).id;
    const familyHigh = (await makePerson(ds, heatTree.community, { riskTier: 'high', livingSituation: 'with_family' })).id;
    const aloneGeneral = (await makePerson(ds, heatTree.community, { riskTier: 'general', livingSituation: 'alone' })).id;
    const familyGeneral = (await makePerson(ds, heatTree.community, { riskTier: 'general', livingSituation: 'with_family' })).id;
    expect((await api(t.baseUrl, 'POST', '/api/care/heat-warnings', sup, { districtCode: heatTree.otherDistrict, note: '高温' })).status).toBe(404);
    expect((await api(t.baseUrl, 'POST', '/api/care/heat-warnings', agent, { districtCode: heatTree.district, note: '高温' })).status).toBe(403);
    expect((await api(t.baseUrl, 'POST', '/api/care/heat-warnings', sup, { districtCode: heatTree.district, note: '' })).status).toBe(400);
    const raised = await api(t.baseUrl, 'POST', '/api/care/heat-warnings', sup, { districtCode: heatTree.district, note: '明日最高气温 40℃' });
    expect(raised.status).toBe(201);
    expect(raised.body.tasks).toBe(3);
    for (const id of [aloneHigh, familyHigh, aloneGeneral]) {
      const [task] = await tasksOf(id, 'event');
      expect(task).toMatchObject({ event: 'heat', status: 'open' });
      expect(new Date(task.due_at).getTime()).toBe(local('2026-07-20T14:00:00').getTime());
    }
    expect(await tasksOf(familyGeneral, 'event')).toEqual([]);
    await setClock(local('2026-07-20T14:05:00'));
    const list = await api(t.baseUrl, 'GET', '/api/care/tasks?kind=event', agent);
    expect(list.body.items.map((i: { person: { id: string } }) => i.person.id)).toEqual([aloneHigh, familyHigh, aloneGeneral]);
    const again = await api(t.baseUrl, 'POST', '/api/care/heat-warnings', sup, { districtCode: heatTree.district, note: '持续高温' });
    expect(again.body.tasks).toBe(0);
    expect((await api(t.baseUrl, 'GET', '/api/care/heat-warnings', sup)).body.items).toHaveLength(2);
    expect((await api(t.baseUrl, 'GET', '/api/care/heat-warnings', tok.outsider)).body.items.map((w: { districtCode: string }) => w.districtCode)).not.toContain(heatTree.district);
  });
});

describe('live work list', () => {
  it('when an agent claims a task, then the other agents of the district hear care:tasks-changed after the commit', async () => {
    await relogin();
    const p = (await makePerson(ds, tree.community, { riskTier: 'high', livingSituation: 'alone' })).id;
    const heat = await api(t.baseUrl, 'POST', '/api/care/heat-warnings', tok.supervisor, { districtCode: tree.community, note: '社区高温' });
    expect(heat.status).toBe(201);
    const [task] = await tasksOf(p, 'event');
    const watcher = await connectSocket(t.baseUrl, tok.agentB);
    const outsider = await connectSocket(t.baseUrl, tok.outsider);
    let outsiderHeard = 0;
    outsider.on('care:tasks-changed', () => outsiderHeard++);
    try {
      const heard = new Promise<{ reason: string }>((resolve) => watcher.once('care:tasks-changed', resolve));
      expect((await api(t.baseUrl, 'POST', `/api/care/tasks/${task.id}/claim`, tok.agentA, {})).status).toBe(200);
      expect(await heard).toEqual({ reason: 'claimed' });
      const [row] = await ds.query(`SELECT claimed_by_id FROM care_task WHERE id = $1`, [task.id]);
      expect(row.claimed_by_id).not.toBeNull();
      const list = await api(t.baseUrl, 'GET', '/api/care/tasks?kind=event&dueOnly=false', tok.agentB);
      expect(list.body.items.map((i: { id: string }) => i.id)).not.toContain(task.id);
      await new Promise((r) => setTimeout(r, 200));
      expect(outsiderHeard).toBe(0);
    } finally {
      watcher.close();
      outsider.close();
    }
  });
});
