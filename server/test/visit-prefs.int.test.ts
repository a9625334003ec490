/**
 * A person's visit preferences over real HTTP: set and read back (blocked candidates by name, never a phone),
 * the candidate list of a job for that person excludes the blocked candidate and the wrong gender with the
 * rules' reasons, the history row and audit entries, district scope (404 like a missing person), a stale
 * version (409) and unknown candidate ids (400 naming them).
 */
import { randomUUID } from 'node:crypto';
import type { DataSource } from 'typeorm';
import { acquireFileLock } from './support/file-lock';
import { dispatchWorld, FakeTwilio, submittedOrder, tomorrowAt, twilioEnv, volunteerNear, type DispatchWorld } from './support/dispatch-fixtures';
import { api, login, makeUser, parkLeftovers, startTestApp, TestClock, type RunningApp } from './support/test-app';

let t: RunningApp;
let ds: DataSource;
let fake: FakeTwilio;
let release: () => void;
let w: DispatchWorld;
// Three and a half years back: other dispatch files run four and five back.
const clock = new TestClock(new Date(Date.now() - 3.5 * 365 * 24 * 3600_000));

beforeAll(async () => {
  release = await acquireFileLock('outbox-workers');
  fake = new FakeTwilio();
  await fake.start();
  t = await startTestApp({ clock, env: twilioEnv(fake), beforeStart: (d) => parkLeftovers(d, clock.now()) });
  ds = t.ds;
});
afterAll(async () => {
  await t?.close();
  await fake?.close();
  release?.();
});
beforeEach(async () => {
  w = await dispatchWorld(t);
});

const path = () => `/api/persons/${w.personId}/dispatch-prefs`;
const prefs = (over: Record<string, unknown> = {}) => ({ genderPreference: 'female', twoPersonVisit: false, noLoneVolunteer: false, blockedCandidateIds: [], note: '本人要求女性上门', version: 0, ...over });

describe('visit preferences', () => {
  it('when none were set, then they read as no preference at version 0', async () => {
    const r = await api(t.baseUrl, 'GET', path(), w.agentToken);
    expect(r).toMatchObject({ status: 200, body: { personId: w.personId, genderPreference: null, twoPersonVisit: false, noLoneVolunteer: false, blockedCandidates: [], version: 0 } });
    const [audit] = await ds.query(`SELECT outcome FROM audit_log WHERE action = 'person.dispatch-prefs.read' AND subject_id = $1`, [w.personId]);
    expect(audit).toEqual({ outcome: 'ok' });
  });

  it('when a dispatcher blocks one volunteer and asks for women, then the job for the person excludes the blocked one and the man with their reasons', async () => {
    const blocked = await volunteerNear(t, w, 0.3, ['shopping']);
    const man = await volunteerNear(t, w, 0.4, ['shopping'], { gender: 'male' });
    const fine = await volunteerNear(t, w, 0.5, ['shopping']);
    const put = await api(t.baseUrl, 'PUT', path(), w.dispatcherToken, prefs({ blockedCandidateIds: [blocked.id], note: '曾投诉该志愿者' }));
    expect(put.status).toBe(200);
    expect(put.body).toMatchObject({ genderPreference: 'female', version: 1, blockedCandidates: [{ candidateId: blocked.id, kind: 'volunteer', name: `志愿者${blocked.phone.slice(-4)}` }] });
    expect(JSON.stringify(put.body)).not.toContain(blocked.phone.slice(-8));

    const read = await api(t.baseUrl, 'GET', path(), w.agentToken);
    expect(read.body).toEqual(put.body);
    const [row] = await ds.query('SELECT gender_preference, blocked_candidate_ids, version FROM person_dispatch_pref WHERE person_id = $1', [w.personId]);
    expect(row).toEqual({ gender_preference: 'female', blocked_candidate_ids: [blocked.id], version: 1 });
    const [change] = await ds.query(`SELECT old_value, new_value FROM person_change WHERE person_id = $1 AND field = 'dispatchPref'`, [w.personId]);
    expect(JSON.parse(change.old_value)).toMatchObject({ genderPreference: null, blockedCandidateIds: [] });
    expect(JSON.parse(change.new_value)).toMatchObject({ genderPreference: 'female', blockedCandidateIds: [blocked.id], note: '曾投诉该志愿者' });
    const [audit] = await ds.query(`SELECT purpose, subjects FROM audit_log WHERE action = 'person.dispatch-prefs.edit' AND subject_id = $1`, [w.personId]);
    expect(audit.purpose).toBe('曾投诉该志愿者');
    expect(audit.subjects).toContain(`volunteer:${blocked.id}`);

    const ticketId = await submittedOrder(t, w, 'shopping');
    const { body: job } = await api(t.baseUrl, 'POST', '/api/dispatch/jobs', w.dispatcherToken, { ticketId, windowStart: tomorrowAt(clock.now(), '15:00').toISOString() });
    const list = (await api(t.baseUrl, 'GET', `/api/dispatch/jobs/${job.id}/candidates?limit=50`, w.dispatcherToken)).body;
    const ranked = list.ranked.map((r: { candidateId: string }) => r.candidateId);
    expect(ranked).toContain(fine.id);
    expect(ranked).not.toContain(blocked.id);
    expect(ranked).not.toContain(man.id);
    const rulesOf = (id: string) => list.excluded.find((e: { candidateId: string }) => e.candidateId === id)?.reasons.map((r: { rule: string }) => r.rule);
    expect(rulesOf(blocked.id)).toEqual(['blocked']);
    expect(rulesOf(man.id)).toEqual(['gender']);
  });

  it('when two edit from the same version, then the second is refused with 409 and the first kept', async () => {
    expect((await api(t.baseUrl, 'PUT', path(), w.dispatcherToken, prefs())).status).toBe(200);
    const stale = await api(t.baseUrl, 'PUT', path(), w.dispatcherToken, prefs({ genderPreference: 'male', note: '家属要求男性' }));
    expect(stale).toMatchObject({ status: 409, body: { error: { code: 'person/version-conflict', details: { currentVersion: 1, yourVersion: 0 } } } });
    const [row] = await ds.query('SELECT gender_preference, version FROM person_dispatch_pref WHERE person_id = $1', [w.personId]);
    expect(row).toEqual({ gender_preference: 'female', version: 1 });
  });

  it('when two first edits race, then one is stored and the other refused with 409, never a 500', async () => {
    const [a, b] = await Promise.all([
      api(t.baseUrl, 'PUT', path(), w.dispatcherToken, prefs()),
      api(t.baseUrl, 'PUT', path(), w.dispatcherToken, prefs({ genderPreference: 'male', note: '家属要求男性' })),
    ]);
    expect([a.status, b.status].sort()).toEqual([200, 409]);
    const [row] = await ds.query('SELECT version FROM person_dispatch_pref WHERE person_id = $1', [w.personId]);
    expect(row).toEqual({ version: 1 });
  });

  it('when a blocked id is no field worker or volunteer (or one out of scope), then 400 naming the unknown ids and nothing stored', async () => {
    const v = await volunteerNear(t, w, 0.5, ['shopping']);
    const elsewhere = await volunteerNear(t, w, 0.6, ['shopping']);
    await ds.query('UPDATE volunteer SET district_code = $2 WHERE id = $1', [elsewhere.id, w.tree.otherDistrict]);
    const ghost = randomUUID();
    const r = await api(t.baseUrl, 'PUT', path(), w.dispatcherToken, prefs({ blockedCandidateIds: [v.id, ghost, elsewhere.id] }));
    expect(r.status).toBe(400);
    expect(r.body.error.details).toEqual([expect.objectContaining({ path: 'blockedCandidateIds', id: ghost }), expect.objectContaining({ path: 'blockedCandidateIds', id: elsewhere.id })]);
    expect(await ds.query('SELECT 1 FROM person_dispatch_pref WHERE person_id = $1', [w.personId])).toEqual([]);
    const bad = await api(t.baseUrl, 'PUT', path(), w.dispatcherToken, prefs({ genderPreference: 'other', note: '' }));
    expect(bad.status).toBe(400);
    expect(bad.body.error.details.map((d: { path: string }) => d.path).sort()).toEqual(['genderPreference', 'note']);
  });

  it('when a dispatcher of another district reads or sets them, then 404 like a missing person, audited as denied', async () => {
    const other = await makeUser(ds, 'dispatcher', w.tree.otherDistrict);
    const token = await login(t.baseUrl, other.username);
    expect(await api(t.baseUrl, 'GET', path(), token)).toMatchObject({ status: 404, body: { error: { code: 'person/not-found' } } });
    expect(await api(t.baseUrl, 'PUT', path(), token, prefs())).toMatchObject({ status: 404, body: { error: { code: 'person/not-found' } } });
    expect(await ds.query('SELECT 1 FROM person_dispatch_pref WHERE person_id = $1', [w.personId])).toEqual([]);
    const denied = await ds.query(`SELECT action FROM audit_log WHERE subject_id = $1 AND outcome = 'denied' ORDER BY action`, [w.personId]);
    expect(denied.map((d: { action: string }) => d.action)).toEqual(['person.dispatch-prefs.edit', 'person.dispatch-prefs.read']);
  });

  it('when an agent tries to set them, then 403', async () => {
    expect((await api(t.baseUrl, 'PUT', path(), w.agentToken, prefs())).status).toBe(403);
  });
});
