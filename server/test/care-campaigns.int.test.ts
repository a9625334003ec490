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
