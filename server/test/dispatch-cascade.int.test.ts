/**
 * The whole offer cascade over real HTTP, the real outbox and the Twilio client pointed at a local fake, with
 * a fake clock: offer → timeout → next → accept by SMS reply; the field page (link + PIN) through to done
 * with the order following on its timeline; parallel urgent offers (first accept wins, the others told);
 * accept after withdrawal refused; a restart while an offer is open.
 */
import type { DataSource } from 'typeorm';
import { acquireFileLock } from './support/file-lock';
import { dispatchWorld, FakeTwilio, offerSms, submittedOrder, textIn, tomorrowAt, twilioEnv, volunteerNear, type DispatchWorld } from './support/dispatch-fixtures';
import { api, startTestApp, TestClock, type RunningApp } from './support/test-app';

let t: RunningApp;
let ds: DataSource;
let fake: FakeTwilio;
let release: () => void;
let w: DispatchWorld;

// Three years back: no other test's timers or outbox rows are ever due on this clock.
const clock = new TestClock(new Date(Date.now() - 3 * 365 * 24 * 3600_000));

beforeAll(async () => {
  release = await acquireFileLock('outbox-workers');
  fake = new FakeTwilio();
  await fake.start();
  t = await startTestApp({ clock, env: twilioEnv(fake) });
  ds = t.ds;
});
// A fresh world (and fresh logins) per test: the fake clock moves on past session idle limits.
beforeEach(async () => {
  w = await dispatchWorld(t);
});
afterAll(async () => {
  await t?.close();
  await fake?.close();
  release?.();
});

const deliver = () => t.app.services.callerSide.outboxWorker.kick();
const tick = () => t.app.services.dispatch.timers.tick();
const job = async (id: string) => (await api(t.baseUrl, 'GET', `/api/dispatch/jobs/${id}`, w.dispatcherToken)).body;
const ticketStatus = async (id: string) => (await ds.query('SELECT status FROM ticket WHERE id = $1', [id]))[0].status as string;

async function newJob(service: string, windowStart = tomorrowAt(clock.now(), '10:00')): Promise<{ ticketId: string; jobId: string }> {
  const ticketId = await submittedOrder(t, w, service);
  const res = await api(t.baseUrl, 'POST', '/api/dispatch/jobs', w.dispatcherToken, { ticketId, windowStart: windowStart.toISOString() });
  expect(res.status).toBe(201);
  return { ticketId, jobId: res.body.id };
}

describe('offer cascade', () => {
  it('when the first candidate lets the offer time out, then the next is offered and accepts by SMS reply; the field page carries the job to done and the order follows', async () => {
    const near = await volunteerNear(t, w, 0.5, ['shopping']);
    const far = await volunteerNear(t, w, 2, ['shopping']);
    const { ticketId, jobId } = await newJob('shopping');

    const list = await api(t.baseUrl, 'GET', `/api/dispatch/jobs/${jobId}/candidates`, w.dispatcherToken);
    expect(list.status).toBe(200);
    const ranked = list.body.ranked.map((r: { candidateId: string }) => r.candidateId);
    expect(ranked.indexOf(near.id)).toBeLessThan(ranked.indexOf(far.id));
    expect(list.body.ranked[0].parts.map((p: { part: string }) => p.part)).toEqual(['distance', 'load', 'rating', 'fairness', 'known', 'preference']);

    const offered = await api(t.baseUrl, 'POST', `/api/dispatch/jobs/${jobId}/offers`, w.dispatcherToken, { candidateIds: [near.id, far.id] });
    expect(offered.status).toBe(200);
    expect(offered.body).toMatchObject({ status: 'offering', openOffers: 1 });
    expect(await ticketStatus(ticketId)).toBe('dispatched');
    await deliver();
    const first = offerSms(fake, near.phone);
    expect(first.body).toContain('助购');
    expect(first.body).not.toContain('88 弄'); // never the full address in an SMS
    expect(first.body).toMatch(/回复 1 接单，2 谢绝/);

    clock.advance(179_000);
    expect(await tick()).toBe(0); // not due yet
    clock.advance(2_000);
    expect(await tick()).toBe(1);
    const afterTimeout = await job(jobId);
    expect(afterTimeout.offers.map((o: { candidateId: string; status: string }) => [o.candidateId, o.status])).toEqual([
      [near.id, 'timed_out'],
      [far.id, 'open'],
    ]);
    expect(await tick()).toBe(0); // fired once only
    await deliver();
    const second = offerSms(fake, far.phone);

    // A late "1" from the first candidate is refused with a clear text.
    expect(await textIn(t, near.phone, '1')).toContain('超时');
    expect(await textIn(t, far.phone, `1 ${second.code}`)).toContain('接单成功');
    const accepted = await job(jobId);
    expect(accepted).toMatchObject({ status: 'assigned', assignee: { id: far.id, via: 'offer' } });
    expect(accepted.offers[1]).toMatchObject({ status: 'accepted', answeredVia: 'sms' });
    expect(await ticketStatus(ticketId)).toBe('taken');

    // The field page: link + PIN; the address and needs only now that the job is theirs.
    const opened = await api(t.baseUrl, 'POST', '/api/field/open', undefined, { token: second.token, pin: far.pin });
    expect(opened.status).toBe(200);
    expect(opened.body.view).toMatchObject({ jobStatus: 'assigned', actions: ['en_route', 'arrived', 'cannot_complete'], visit: { locationText: '测试路 88 弄 3 号 502 室' } });
    const session = opened.body.session;
    const act = (body: object) => fetch(`${t.baseUrl}/api/field/job/actions`, { method: 'POST', headers: { 'content-type': 'application/json', 'x-field-session': session }, body: JSON.stringify(body) }).then(async (r) => ({ status: r.status, body: await r.json() }));
    expect((await act({ action: 'en_route' })).body.jobStatus).toBe('en_route');
    expect(await ticketStatus(ticketId)).toBe('in_service');
    expect((await act({ action: 'done' })).status).toBe(409); // not arrived yet
    clock.advance(10 * 60_000);
    expect((await act({ action: 'arrived', position: { lat: 31.2305, lng: 121.4738 } })).body.jobStatus).toBe('on_site');
    clock.advance(45 * 60_000);
    const done = await act({ action: 'done', note: '已送达所购物品' });
    expect(done.body).toMatchObject({ jobStatus: 'completed', actions: [] });
    expect(await ticketStatus(ticketId)).toBe('done');
    const [stored] = await ds.query('SELECT status, check_in_lat, duration_minutes, outcome_notes FROM service_job WHERE id = $1', [jobId]);
    expect(stored).toEqual({ status: 'completed', check_in_lat: 31.2305, duration_minutes: 45, outcome_notes: '已送达所购物品' });
    const events: { kind: string; to_status: string | null }[] = await ds.query('SELECT kind, to_status FROM ticket_event WHERE ticket_id = $1 ORDER BY id', [ticketId]);
    expect(events.map((e) => e.kind)).toEqual(expect.arrayContaining(['job_created', 'job_offer', 'dispatch', 'take', 'job_en_route', 'start', 'job_arrived', 'job_done', 'complete']));
    // The link is used up once the job is finished.
    expect((await api(t.baseUrl, 'POST', '/api/field/open', undefined, { token: second.token, pin: far.pin })).body.error).toMatchObject({ code: 'field/link-expired' });
  });

  it('when an urgent job goes to several at once, then the first accept wins and the others are told; a later accept is refused', async () => {
    const crew = [];
    for (const km of [0.3, 0.6, 0.9]) crew.push(await volunteerNear(t, w, km, ['shopping']));
    const { jobId } = await newJob('shopping');
    const offered = await api(t.baseUrl, 'POST', `/api/dispatch/jobs/${jobId}/offers`, w.dispatcherToken, { candidateIds: crew.map((c) => c.id), parallel: 3 });
    expect(offered.body.openOffers).toBe(3);
    await deliver();
    expect(await textIn(t, crew[1]!.phone, '1')).toContain('接单成功');
    await deliver();
    for (const other of [crew[0]!, crew[2]!]) expect(fake.to(other.phone).at(-1)!.body).toContain('已由其他人员接单');
    const reply = await textIn(t, crew[2]!.phone, '1');
    expect(reply).toContain('失效');
    const detail = await job(jobId);
    expect(detail.offers.map((o: { status: string; withdrawReason: string | null }) => [o.status, o.withdrawReason])).toEqual([
      ['withdrawn', 'taken_by_other'],
      ['accepted', null],
      ['withdrawn', 'taken_by_other'],
    ]);
    // Through the link too: the withdrawn offer's page is gone.
    const link = await api(t.baseUrl, 'POST', '/api/field/open', undefined, { token: offerSms(fake, crew[0]!.phone).token, pin: crew[0]!.pin });
    expect(link.status).toBe(410);
    expect(link.body.error.details).toEqual({ reason: 'taken_by_other' });
  });

  it('when the dispatcher withdrew the offer, then an accept through the page is refused and the job stays with the dispatcher', async () => {
    const v = await volunteerNear(t, w, 0.4, ['shopping']);
    const { jobId } = await newJob('shopping');
    await api(t.baseUrl, 'POST', `/api/dispatch/jobs/${jobId}/offers`, w.dispatcherToken, { candidateIds: [v.id] });
    await deliver();
    const { token } = offerSms(fake, v.phone);
    const opened = await api(t.baseUrl, 'POST', '/api/field/open', undefined, { token, pin: v.pin });
    expect(opened.body.view.actions).toEqual(['accept', 'decline']);
    expect(opened.body.view.visit).toBeNull(); // nothing about the person before accepting
    const withdrawn = await api(t.baseUrl, 'POST', `/api/dispatch/jobs/${jobId}/withdraw`, w.dispatcherToken, {});
    expect(withdrawn.body).toMatchObject({ status: 'with_dispatcher', returnCause: 'withdrawn' });
    const res = await fetch(`${t.baseUrl}/api/field/job/actions`, { method: 'POST', headers: { 'content-type': 'application/json', 'x-field-session': opened.body.session }, body: JSON.stringify({ action: 'accept' }) });
    expect(res.status).toBe(409);
    expect((await res.json()).error.details).toEqual({ reason: 'offer_withdrawn' });
    expect((await job(jobId)).assignee).toBeNull();
  });

  it('when the server restarts while an offer is open and it expires meanwhile, then the first tick after start expires it once and offers the next', async () => {
    const a = await volunteerNear(t, w, 0.2, ['shopping']);
    const b = await volunteerNear(t, w, 0.8, ['shopping']);
    const { jobId } = await newJob('shopping');
    await api(t.baseUrl, 'POST', `/api/dispatch/jobs/${jobId}/offers`, w.dispatcherToken, { candidateIds: [a.id, b.id] });
    await t.app.close();
    clock.advance(10 * 60_000); // down for ten minutes
    const again = await startTestApp({ clock, env: twilioEnv(fake) });
    try {
      expect(await again.app.services.dispatch.timers.tick()).toBeGreaterThanOrEqual(1);
      const rows: { candidate_id: string; status: string }[] = await again.ds.query('SELECT candidate_id, status FROM job_offer WHERE job_id = $1 ORDER BY seq', [jobId]);
      expect(rows).toEqual([
        { candidate_id: a.id, status: 'timed_out' },
        { candidate_id: b.id, status: 'open' },
      ]);
      const timers: { fired: number }[] = await again.ds.query(`SELECT count(*)::int AS fired FROM dispatch_timer WHERE job_id = $1 AND kind = 'offer_timeout' AND fired_at IS NOT NULL`, [jobId]);
      expect(timers[0]!.fired).toBe(1);
      expect(await again.app.services.dispatch.timers.tick()).toBe(0);
    } finally {
      await again.close();
      t = await startTestApp({ clock, env: twilioEnv(fake) });
      ds = t.ds;
    }
  });
});
