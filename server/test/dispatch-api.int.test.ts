/**
 * Dispatch API edges over real HTTP and sockets: the field page's refusals (unknown and expired links, wrong
 * PINs up to the lock, double accept, someone else's job), district scope (out of scope is 404 like missing),
 * the candidate list's exclusions with reasons, people screens (masked phones, expiring certificates,
 * versions) and the job:updated notice after commit.
 */
import type { DataSource } from 'typeorm';
import { acquireFileLock } from './support/file-lock';
import { dispatchWorld, FakeTwilio, offerSms, submittedOrder, tomorrowAt, twilioEnv, volunteerNear, type DispatchWorld } from './support/dispatch-fixtures';
import { api, connectSocket, login, makeUser, parkLeftovers, startTestApp, TestClock, type RunningApp } from './support/test-app';

let t: RunningApp;
let ds: DataSource;
let fake: FakeTwilio;
let release: () => void;
let w: DispatchWorld;
// Four years back (dispatch-cascade runs five back); other files' leftovers due on this clock are parked before the start.
const clock = new TestClock(new Date(Date.now() - 4 * 365 * 24 * 3600_000));

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

const deliver = () => t.app.services.callerSide.outboxWorker.kick();
const open = (token: string, pin: string) => api(t.baseUrl, 'POST', '/api/field/open', undefined, { token, pin });
const act = async (session: string, body: object) => {
  const r = await fetch(`${t.baseUrl}/api/field/job/actions`, { method: 'POST', headers: { 'content-type': 'application/json', 'x-field-session': session }, body: JSON.stringify(body) });
  return { status: r.status, body: await r.json() };
};

async function offeredJob(candidates: string[], parallel?: number): Promise<{ ticketId: string; jobId: string }> {
  const ticketId = await submittedOrder(t, w, 'shopping');
  const created = await api(t.baseUrl, 'POST', '/api/dispatch/jobs', w.dispatcherToken, { ticketId, windowStart: tomorrowAt(clock.now(), '15:00').toISOString() });
  expect(created.status).toBe(201);
  const offered = await api(t.baseUrl, 'POST', `/api/dispatch/jobs/${created.body.id}/offers`, w.dispatcherToken, { candidateIds: candidates, ...(parallel ? { parallel } : {}) });
  expect(offered.status).toBe(200);
  await deliver();
  return { ticketId, jobId: created.body.id };
}

describe('field page refusals', () => {
  it('when the link is unknown, then 404 field/link-invalid', async () => {
    const r = await open('NoSuchTokenNoSuchToken', '123456');
    expect(r).toMatchObject({ status: 404, body: { error: { code: 'field/link-invalid' } } });
  });

  it('when the PIN is wrong, then 401 with the attempts left, and the fifth wrong PIN locks the link even for the right PIN', async () => {
    const v = await volunteerNear(t, w, 0.5, ['shopping']);
    const { jobId } = await offeredJob([v.id]);
    const { token } = offerSms(fake, v.phone);
    const wrong = v.pin === '000000' ? '111111' : '000000';
    const first = await open(token, wrong);
    expect(first).toMatchObject({ status: 401, body: { error: { code: 'field/pin-wrong', details: { attemptsLeft: 4 } } } });
    for (let i = 0; i < 3; i++) expect((await open(token, wrong)).status).toBe(401);
    expect((await open(token, wrong)).body.error.code).toBe('field/pin-locked');
    expect(await open(token, v.pin)).toMatchObject({ status: 423, body: { error: { code: 'field/pin-locked' } } });
    const [offer] = await ds.query('SELECT pin_failures, field_session_hash FROM job_offer WHERE job_id = $1', [jobId]);
    expect(offer).toEqual({ pin_failures: 5, field_session_hash: null });
  });

  it('when the offer has expired, then the link answers 410 with the reason', async () => {
    const v = await volunteerNear(t, w, 0.5, ['shopping']);
    await offeredJob([v.id]);
    const { token } = offerSms(fake, v.phone);
    clock.advance(181_000);
    await t.app.services.dispatch.timers.tick();
    expect(await open(token, v.pin)).toMatchObject({ status: 410, body: { error: { code: 'field/link-expired', details: { reason: 'timed_out' } } } });
  });

  it('when the worker accepts twice, then the second is refused (already accepted) and the job stays theirs', async () => {
    const v = await volunteerNear(t, w, 0.5, ['shopping']);
    const { jobId } = await offeredJob([v.id]);
    const { session } = (await open(offerSms(fake, v.phone).token, v.pin)).body;
    expect((await act(session, { action: 'accept' })).body).toMatchObject({ offerStatus: 'accepted', jobStatus: 'assigned' });
    const again = await act(session, { action: 'accept' });
    expect(again).toMatchObject({ status: 409, body: { error: { code: 'dispatch/invalid-transition', details: { reason: 'already_accepted' } } } });
    const [job] = await ds.query('SELECT status, assignee_id FROM service_job WHERE id = $1', [jobId]);
    expect(job).toEqual({ status: 'assigned', assignee_id: v.id });
  });

  it('when the job was given to someone else, then the first worker’s session can no longer report on it', async () => {
    const a = await volunteerNear(t, w, 0.5, ['shopping']);
    const b = await volunteerNear(t, w, 0.7, ['shopping']);
    const { jobId } = await offeredJob([a.id]);
    const { session } = (await open(offerSms(fake, a.phone).token, a.pin)).body;
    await act(session, { action: 'accept' });
    expect((await api(t.baseUrl, 'POST', `/api/dispatch/jobs/${jobId}/withdraw`, w.dispatcherToken, {})).body.status).toBe('with_dispatcher');
    const assigned = await api(t.baseUrl, "POST", `/api/dispatch/jobs/${jobId}/assign`, w.dispatcherToken, { candidateId: b.id });
    expect(assigned.body.error).toBeUndefined();
    expect(assigned.body.assignee).toMatchObject({ id: b.id, via: "dispatcher" });
    const r = await act(session, { action: 'en_route' });
    expect(r.status).toBe(410);
    expect(r.body.error.code).toBe('field/link-expired');
    const view = await fetch(`${t.baseUrl}/api/field/job`, { headers: { 'x-field-session': session } }).then((x) => x.json());
    expect(view.visit).toBeNull(); // no address for someone who no longer holds the job
    await deliver();
    expect(fake.to(b.phone).at(-1)!.body).toContain('已确认由您承接');
  });

  it('when the session header is missing or unknown, then 401 field/session-invalid; cannot complete needs a reason', async () => {
    expect((await api(t.baseUrl, 'GET', '/api/field/job')).body.error.code).toBe('field/session-invalid');
    const r = await fetch(`${t.baseUrl}/api/field/job`, { headers: { 'x-field-session': 'x'.repeat(32) } });
    expect(r.status).toBe(401);
    const v = await volunteerNear(t, w, 0.5, ['shopping']);
    await offeredJob([v.id]);
    const { session } = (await open(offerSms(fake, v.phone).token, v.pin)).body;
    expect((await act(session, { action: 'cannot_complete' })).status).toBe(400);
  });
});

describe('dispatcher board', () => {
  it('when a candidate fails hard filters, then the list says why; offering to them is refused with the reasons', async () => {
    const ok = await volunteerNear(t, w, 0.5, ['shopping']);
    const busy = await volunteerNear(t, w, 0.6, ['shopping'], { status: 'suspended' });
    const ticketId = await submittedOrder(t, w, 'shopping');
    const { body: job } = await api(t.baseUrl, 'POST', '/api/dispatch/jobs', w.dispatcherToken, { ticketId, windowStart: tomorrowAt(clock.now(), '15:00').toISOString() });
    const list = (await api(t.baseUrl, 'GET', `/api/dispatch/jobs/${job.id}/candidates?limit=5`, w.dispatcherToken)).body;
    expect(list.ranked.map((r: { candidateId: string }) => r.candidateId)).toContain(ok.id);
    // Suspended people are not even searched: they never reach the list.
    expect(list.ranked.map((r: { candidateId: string }) => r.candidateId)).not.toContain(busy.id);
    const refused = await api(t.baseUrl, 'POST', `/api/dispatch/jobs/${job.id}/offers`, w.dispatcherToken, { candidateIds: [busy.id] });
    expect(refused.status).toBe(409);
    expect(refused.body.error).toMatchObject({ code: 'dispatch/candidate-ineligible', details: [{ candidateId: busy.id, reasons: [{ rule: 'status' }] }] });
    const [stored] = await ds.query('SELECT status FROM service_job WHERE id = $1', [job.id]);
    expect(stored.status).toBe('open');
  });

  it('when a dispatcher of another district asks for a job, then 404 like a missing one, and the board does not list it', async () => {
    const v = await volunteerNear(t, w, 0.5, ['shopping']);
    const { jobId } = await offeredJob([v.id]);
    const other = await makeUser(ds, 'dispatcher', w.tree.otherDistrict);
    const token = await login(t.baseUrl, other.username);
    for (const path of [`/api/dispatch/jobs/${jobId}`, `/api/dispatch/jobs/${jobId}/candidates`, `/api/dispatch/volunteers/${v.id}`]) {
      expect((await api(t.baseUrl, 'GET', path, token)).body.error.code).toBe('dispatch/not-found');
    }
    expect((await api(t.baseUrl, 'POST', `/api/dispatch/jobs/${jobId}/withdraw`, token, {})).status).toBe(404);
    const board = await api(t.baseUrl, 'GET', '/api/dispatch/jobs?open=true', token);
    expect(board.body.items.map((j: { id: string }) => j.id)).not.toContain(jobId);
    const mine = await api(t.baseUrl, 'GET', '/api/dispatch/jobs?open=true', w.dispatcherToken);
    expect(mine.body.items.map((j: { id: string }) => j.id)).toContain(jobId);
  });

  it('when a volunteer near the job is registered in another district, then this dispatcher neither sees nor can offer to them', async () => {
    const mine = await volunteerNear(t, w, 0.5, ['shopping']);
    const theirs = await volunteerNear(t, w, 0.4, ['shopping']);
    await ds.query('UPDATE volunteer SET district_code = $2 WHERE id = $1', [theirs.id, w.tree.otherDistrict]);
    const ticketId = await submittedOrder(t, w, 'shopping');
    const { body: job } = await api(t.baseUrl, 'POST', '/api/dispatch/jobs', w.dispatcherToken, { ticketId, windowStart: tomorrowAt(clock.now(), '15:00').toISOString() });
    const list = (await api(t.baseUrl, 'GET', `/api/dispatch/jobs/${job.id}/candidates?limit=50`, w.dispatcherToken)).body;
    const listed = [...list.ranked, ...list.excluded].map((r: { candidateId: string }) => r.candidateId);
    expect(listed).toContain(mine.id);
    expect(listed).not.toContain(theirs.id);
    const [audit] = await ds.query(`SELECT subjects FROM audit_log WHERE action = 'dispatch.job.candidates' AND subject_id = $1`, [job.id]);
    expect(audit.subjects).toEqual(expect.arrayContaining([`volunteer:${mine.id}`]));
    expect(audit.subjects).not.toContain(`volunteer:${theirs.id}`);
    for (const attempt of [{ path: 'offers', body: { candidateIds: [theirs.id] } }, { path: 'assign', body: { candidateId: theirs.id } }]) {
      const refused = await api(t.baseUrl, 'POST', `/api/dispatch/jobs/${job.id}/${attempt.path}`, w.dispatcherToken, attempt.body);
      expect(refused.status).toBe(409);
      expect(refused.body.error).toMatchObject({ code: 'dispatch/candidate-ineligible', details: [{ candidateId: theirs.id, reasons: [{ rule: 'unknown' }] }] });
    }
    const [stored] = await ds.query('SELECT status, assignee_id FROM service_job WHERE id = $1', [job.id]);
    expect(stored).toEqual({ status: 'open', assignee_id: null });
  });

  it('when an order has no person (an unknown caller), then a job at the given place can be offered to a named candidate', async () => {
    const v = await volunteerNear(t, w, 0.5, ['shopping']);
    const created = await api(t.baseUrl, 'POST', '/api/tickets', w.agentToken, { category: 'life_service', serviceType: 'shopping', summary: '路人代为求助，需要代购', callerRelation: 'other', channel: 'phone', confidential: false });
    expect(created.status).toBe(201);
    expect((await api(t.baseUrl, 'POST', `/api/tickets/${created.body.id}/transitions`, w.agentToken, { action: 'submit' })).status).toBe(200);
    const job = await api(t.baseUrl, 'POST', '/api/dispatch/jobs', w.dispatcherToken, { ticketId: created.body.id, windowStart: tomorrowAt(clock.now(), '15:00').toISOString(), lat: w.home.lat, lng: w.home.lng, locationText: '测试路 1 号门口' });
    expect(job.status).toBe(201);
    const offered = await api(t.baseUrl, 'POST', `/api/dispatch/jobs/${job.body.id}/offers`, w.dispatcherToken, { candidateIds: [v.id] });
    expect(offered.status).toBe(200);
    const [offer] = await ds.query(`SELECT candidate_id, status FROM job_offer WHERE job_id = $1`, [job.body.id]);
    expect(offer).toEqual({ candidate_id: v.id, status: 'open' });
  });

  it('when the agent cancels an order whose job is being offered, then the job is cancelled, its offer withdrawn and its timer stopped', async () => {
    const v = await volunteerNear(t, w, 0.5, ['shopping']);
    const { ticketId, jobId } = await offeredJob([v.id]);
    const cancelled = await api(t.baseUrl, 'POST', `/api/tickets/${ticketId}/transitions`, w.agentToken, { action: 'cancel', note: '老人说不需要了' });
    expect(cancelled.status).toBe(200);
    const [job] = await ds.query('SELECT status FROM service_job WHERE id = $1', [jobId]);
    expect(job.status).toBe('cancelled');
    const offers = await ds.query('SELECT status FROM job_offer WHERE job_id = $1', [jobId]);
    expect(offers.map((o: { status: string }) => o.status)).toEqual(['withdrawn']);
    const timers = await ds.query('SELECT kind FROM dispatch_timer WHERE job_id = $1 AND fired_at IS NULL AND cancelled_at IS NULL', [jobId]);
    expect(timers).toEqual([]);
    const timeline = await ds.query(`SELECT note FROM ticket_event WHERE ticket_id = $1 AND kind = 'job_cancelled'`, [ticketId]);
    expect(timeline.map((e: { note: string }) => e.note).join()).toContain('老人说不需要了');
  });

  it('when a job changes, then dispatchers in scope get job:updated after the commit', async () => {
    const v = await volunteerNear(t, w, 0.5, ['shopping']);
    const socket = await connectSocket(t.baseUrl, w.dispatcherToken);
    try {
      const seen = new Promise<{ job: { status: string; openOffers: number } }>((resolve) => socket.on('job:updated', (p) => p.job.status === 'offering' && resolve(p as never)));
      await offeredJob([v.id]);
      const notice = await seen;
      expect(notice.job).toMatchObject({ status: 'offering', openOffers: 1 });
    } finally {
      socket.close();
    }
  });
});

describe('people', () => {
  it('when a volunteer is created and edited, then the phone is masked, the PIN shown once, expiring certificates flagged and a stale version refused', async () => {
    const soon = new Date(clock.now().getTime() + 10 * 86_400_000 + 8 * 3600_000).toISOString().slice(0, 10);
    const v = await volunteerNear(t, w, 1, ['medical_escort'], { certifications: [{ kind: 'first_aid', validFrom: '2020-01-01', expiresOn: soon }] });
    expect(v.pin).toMatch(/^\d{6}$/);
    const read = await api(t.baseUrl, 'GET', `/api/dispatch/volunteers/${v.id}`, w.dispatcherToken);
    expect(read.body.phoneMasked).toMatch(/^199\*{4}\d{4}$/);
    expect(JSON.stringify(read.body)).not.toContain(v.phone.slice(3));
    expect(read.body.certifications[0]).toMatchObject({ kind: 'first_aid', expiringSoon: true, expired: false });
    const expiring = await api(t.baseUrl, 'GET', '/api/dispatch/volunteers?expiringWithinDays=30&limit=200', w.dispatcherToken);
    expect(expiring.body.items.map((i: { id: string }) => i.id)).toContain(v.id);
    const edited = await api(t.baseUrl, 'PATCH', `/api/dispatch/volunteers/${v.id}`, w.dispatcherToken, { version: read.body.version, skills: ['medical_escort', 'companionship'], maxConcurrentJobs: 3 });
    expect(edited.body).toMatchObject({ skills: ['medical_escort', 'companionship'], maxConcurrentJobs: 3, version: read.body.version + 1 });
    const stale = await api(t.baseUrl, 'PATCH', `/api/dispatch/volunteers/${v.id}`, w.dispatcherToken, { version: read.body.version, crewSize: 2 });
    expect(stale).toMatchObject({ status: 409, body: { error: { code: 'conflict' } } });
    const [row] = await ds.query('SELECT skills, max_concurrent_jobs, crew_size FROM volunteer WHERE id = $1', [v.id]);
    expect(row).toEqual({ skills: ['medical_escort', 'companionship'], max_concurrent_jobs: 3, crew_size: 1 });
  });

  it('when a provider and its field worker are created, then the worker lists under the provider and its PIN opens offers', async () => {
    const p = await api(t.baseUrl, 'POST', '/api/dispatch/providers', w.dispatcherToken, { name: '测试区阳光助老服务社', creditCode: `52${String(Date.now()).slice(-6)}MJ${String(Math.random()).slice(2, 10)}`.slice(0, 18), contactName: '周主任', contactPhone: '13800138000', districtCode: w.tree.district, services: ['meals', 'urgent_help'], serviceArea: { centre: w.home, radiusKm: 8 } });
    expect(p.status).toBe(201);
    expect(p.body.contactPhoneMasked).toBe('138****8000');
    const fw = await api(t.baseUrl, 'POST', '/api/dispatch/field-workers', w.dispatcherToken, { providerId: p.body.id, name: '赵师傅', gender: 'male', phone: '13900139000', districtCode: w.tree.district, skills: ['shopping', 'delivery'], certifications: [], weekly: [1, 2, 3, 4, 5, 6, 7].map((weekday) => ({ weekday, from: '00:00', to: '24:00' })), absences: [], crewSize: 1, maxConcurrentJobs: 2, serviceArea: { centre: w.home, radiusKm: 5 } });
    expect(fw.status).toBe(201);
    expect(fw.body.candidate).toMatchObject({ kind: 'provider', providerName: '测试区阳光助老服务社' });
    const list = await api(t.baseUrl, 'GET', `/api/dispatch/field-workers?providerId=${p.body.id}`, w.dispatcherToken);
    expect(list.body.items.map((i: { id: string }) => i.id)).toEqual([fw.body.candidate.id]);
    expect((await api(t.baseUrl, 'GET', `/api/dispatch/providers/${p.body.id}`, w.dispatcherToken)).body.fieldWorkerCount).toBe(1);
  });
});
