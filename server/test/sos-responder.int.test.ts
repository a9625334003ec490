/**
 * The SOS chain's responder step as an urgent dispatch job, on a fake clock with the Twilio client pointed at
 * a local fake: an unanswered SOS runs its chain to the responder step, which opens a P0 助急 job at the
 * person's position and offers it to the top ranked candidates at once; the first accept wins and the others
 * are told; nobody eligible sends it back to the dispatcher with the reasons; a restart and a step run twice
 * make one job; cancelling the SOS's order withdraws the open offers and cancels the job.
 */
import type { DataSource } from 'typeorm';
import { fieldCryptoFromSecret } from '../src/shared/crypto-from-config';
import { makeAlarmDevices, postAlarm, type AlarmDevice } from './support/alarm-devices';
import { dispatchWorld, FakeTwilio, offerSms, textIn, twilioEnv, volunteerNear, type DispatchWorld } from './support/dispatch-fixtures';
import { acquireFileLock } from './support/file-lock';
import { api, startTestApp, TestClock, TEST_DATA_KEY, type RunningApp } from './support/test-app';

const TIMINGS = { SOS_AGENT_ANSWER_SECONDS: '30', SOS_CALLBACK_WAIT_SECONDS: '60', SOS_CONTACT_INTERVAL_SECONDS: '45', SOS_RESPONDER_WAIT_SECONDS: '120', SOS_COMMUNITY_WAIT_SECONDS: '180' };
const env = (fake: FakeTwilio) => ({ ...twilioEnv(fake), SESSION_IDLE_MINUTES: '1440', ...TIMINGS });

let t: RunningApp;
let ds: DataSource;
let fake: FakeTwilio;
let release: () => void;
let w: DispatchWorld;

// Six years back at 10:00 in Shanghai: earlier than every other file's clock (no other file's timers or
// outbox rows are due on it), and in the day, so 助急's two-person night rule stays out of the way.
const day = new Date(Date.now() - 6 * 365 * 24 * 3600_000).toISOString().slice(0, 10);
const clock = new TestClock(new Date(`${day}T10:00:00+08:00`));

beforeAll(async () => {
  release = await acquireFileLock('outbox-workers');
  fake = new FakeTwilio();
  await fake.start();
  t = await startTestApp({ clock, env: env(fake) });
  ds = t.ds;
});
beforeEach(async () => {
  w = await dispatchWorld(t);
});
// Leave nothing due on other files' (later) clocks: the chains run out, the timers fire, the outbox drains.
afterEach(async () => {
  for (let i = 0; i < 6; i++) {
    clock.advance(600_000);
    await escalate();
    await timers();
  }
  await deliver();
});
afterAll(async () => {
  await t?.close();
  await fake?.close();
  release?.();
});

const deliver = () => t.app.services.callerSide.outboxWorker.kick();
const escalate = () => t.app.services.callerSide.escalation.tick();
const timers = () => t.app.services.dispatch.timers.tick();
const FIRST_AID = [{ kind: 'first_aid', validFrom: '2000-01-01', expiresOn: '2099-12-31' }];
const responder = (km: number) => volunteerNear(t, w, km, ['emergency_response'], { certifications: FIRST_AID });

/** A person at the world's home position with an SOS pendant. */
async function pendant(): Promise<AlarmDevice> {
  const [device] = await makeAlarmDevices(ds, fieldCryptoFromSecret(TEST_DATA_KEY), w.tree.community, [{ person: { lat: w.home.lat, lng: w.home.lng, address: '测试路 88 弄 3 号 502 室' } }]);
  return device!;
}

async function raise(device: AlarmDevice): Promise<{ sosId: string; ticketId: string; ticketNumber: string }> {
  const r = await postAlarm(t.baseUrl, device, { body: { type: 'sos' }, timestamp: Math.floor(clock.now().getTime() / 1000) });
  expect(r.status).toBe(201);
  return r.body as { sosId: string; ticketId: string; ticketNumber: string };
}

/** Let the chain run unanswered, one step at a time, until its responder step has run; returns when it ran. */
async function untilResponderStep(ticketId: string): Promise<Date> {
  for (let i = 0; i < 8; i++) {
    clock.advance(180_000);
    await escalate();
    const [step]: { at: Date }[] = await ds.query(`SELECT at FROM ticket_event WHERE ticket_id = $1 AND kind = 'sos_escalation' AND note LIKE '%派发现场响应任务%'`, [ticketId]);
    if (step) return step.at;
  }
  throw new Error('the responder step never ran');
}

const jobsOf = (ticketId: string): Promise<Record<string, any>[]> =>
  ds.query('SELECT id, service, priority, life_or_property, parallel, status, lat, lng, offer_timeout_seconds, dispatch_due_at, assignee_id, return_cause FROM service_job WHERE ticket_id = $1', [ticketId]);
const offersOf = (jobId: string): Promise<{ candidate_id: string; status: string; withdraw_reason: string | null }[]> =>
  ds.query('SELECT candidate_id, status, withdraw_reason FROM job_offer WHERE job_id = $1 ORDER BY seq', [jobId]);
const timeline = (ticketId: string): Promise<{ kind: string; note: string | null; to_status: string | null }[]> => ds.query('SELECT kind, note, to_status FROM ticket_event WHERE ticket_id = $1 ORDER BY id', [ticketId]);
const ticketStatus = async (id: string) => (await ds.query('SELECT status FROM ticket WHERE id = $1', [id]))[0].status as string;
const openTimers = async (jobId: string) => (await ds.query('SELECT count(*)::int AS n FROM dispatch_timer WHERE job_id = $1 AND fired_at IS NULL AND cancelled_at IS NULL', [jobId]))[0].n as number;

describe('SOS responder step → urgent job with parallel offers', () => {
  it('when nobody answers the SOS, then the responder step opens a P0 助急 job at the person, offers it to the top 3 at once, the first accept wins and the others are told', async () => {
    const crew = [await responder(0.3), await responder(0.6), await responder(0.9), await responder(1.5)];
    const uncertified = await volunteerNear(t, w, 0.1, ['emergency_response']); // nearest, but no first-aid certificate
    const sos = await raise(await pendant());
    const stepAt = await untilResponderStep(sos.ticketId);

    const [job] = await jobsOf(sos.ticketId);
    expect(job).toMatchObject({ service: 'urgent_help', priority: 'P0', life_or_property: true, parallel: 3, status: 'offering', lat: w.home.lat, lng: w.home.lng, offer_timeout_seconds: 60, assignee_id: null });
    expect(new Date(job!.dispatch_due_at).getTime()).toBe(stepAt.getTime() + 15 * 60_000); // 助急: 15 minutes
    expect(await offersOf(job!.id)).toEqual(crew.slice(0, 3).map((c) => ({ candidate_id: c.id, status: 'open', withdraw_reason: null })));
    expect(await ticketStatus(sos.ticketId)).toBe('dispatched');

    await deliver();
    for (const c of crew.slice(0, 3)) {
      const sms = offerSms(fake, c.phone);
      expect(sms.body).toContain('助急');
      expect(sms.body).not.toContain('88 弄'); // never the address in an SMS
    }
    expect(fake.to(crew[3]!.phone)).toEqual([]); // queued behind the three
    expect(fake.to(uncertified.phone)).toEqual([]);

    // The second accepts by SMS reply: the job is theirs, the other two are withdrawn and told.
    expect(await textIn(t, crew[1]!.phone, `1 ${offerSms(fake, crew[1]!.phone).code}`)).toContain('接单成功');
    expect(await offersOf(job!.id)).toEqual([
      { candidate_id: crew[0]!.id, status: 'withdrawn', withdraw_reason: 'taken_by_other' },
      { candidate_id: crew[1]!.id, status: 'accepted', withdraw_reason: null },
      { candidate_id: crew[2]!.id, status: 'withdrawn', withdraw_reason: 'taken_by_other' },
    ]);
    await deliver();
    for (const other of [crew[0]!, crew[2]!]) expect(fake.to(other.phone).at(-1)!.body).toContain('已由其他人员接单');
    expect(await textIn(t, crew[0]!.phone, '1')).toContain('失效'); // a later accept is refused
    expect((await jobsOf(sos.ticketId))[0]).toMatchObject({ status: 'assigned', assignee_id: crew[1]!.id });
    expect(await ticketStatus(sos.ticketId)).toBe('taken');
    expect(await openTimers(job!.id)).toBe(0); // offer timers and the SLA timer all stopped

    const events = await timeline(sos.ticketId);
    const kinds = events.map((e) => e.kind);
    expect(kinds).toEqual(expect.arrayContaining(['sos_raised', 'submit', 'job_created', 'job_offer', 'dispatch', 'take']));
    expect(kinds.indexOf('job_created')).toBeLessThan(kinds.indexOf('dispatch'));
    const step = events.find((e) => e.kind === 'sos_escalation' && e.note!.includes('派发现场响应任务'))!;
    expect(step.note).toContain('同时邀请 3 人（先接先得），候补 1 人');
    expect(events.filter((e) => e.kind === 'job_offer').map((e) => e.note).join('\n')).toMatch(/接单：志愿者/);
  });

  it('when nobody near is eligible, then the job goes back to the dispatcher board with the reasons; a false alarm then cancels it', async () => {
    await volunteerNear(t, w, 0.2, ['emergency_response']); // no certificate
    const sos = await raise(await pendant());
    await untilResponderStep(sos.ticketId);
    const [job] = await jobsOf(sos.ticketId);
    expect(job).toMatchObject({ priority: 'P0', status: 'with_dispatcher', return_cause: 'no_candidates' });
    const step = (await timeline(sos.ticketId)).find((e) => e.kind === 'sos_escalation' && e.note!.includes('派发现场响应任务'))!;
    expect(step.note).toMatch(/无可派人员，已退回调度员（排除 1 人：.+ 1 人）/);
    const board = await api(t.baseUrl, 'GET', '/api/dispatch/jobs?open=true', w.dispatcherToken);
    expect(board.body.items.map((j: { id: string }) => j.id)).toContain(job!.id);
    const list = await api(t.baseUrl, 'GET', `/api/dispatch/jobs/${job!.id}/candidates`, w.dispatcherToken);
    expect(list.body.excluded[0].reasons.map((r: { rule: string }) => r.rule)).toContain('certification');

    // A false alarm closes the SOS, and the job with it.
    const falseAlarm = await api(t.baseUrl, 'POST', `/api/sos/${sos.sosId}/false-alarm`, w.agentToken, { note: '本人误触报警器' });
    expect(falseAlarm.status).toBe(200);
    expect((await jobsOf(sos.ticketId))[0]).toMatchObject({ status: 'cancelled' });
    expect(await openTimers(job!.id)).toBe(0);
    expect((await timeline(sos.ticketId)).find((e) => e.kind === 'job_cancelled')!.note).toContain('SOS 误报');
  });

  it('when the server restarts with the offers open and the step is run again, then there is still one job; offers that expired meanwhile move on to the rest of the list, and then back to the dispatcher', async () => {
    const crew = [await responder(0.3), await responder(0.6), await responder(0.9), await responder(1.2)];
    const sos = await raise(await pendant());
    await untilResponderStep(sos.ticketId);
    const [job] = await jobsOf(sos.ticketId);

    await t.close();
    clock.advance(5 * 60_000); // down for five minutes: the three 60-second offers expired meanwhile
    t = await startTestApp({ clock, env: env(fake) });
    ds = t.ds;
    // The responder step run a second time (as if its state had not moved on): no second job, no new offers.
    await ds.query(`UPDATE sos_incident SET step = step - 1, next_step_at = $2 WHERE id = $1`, [sos.sosId, clock.now()]);
    expect(await escalate()).toBe(1);
    expect(await jobsOf(sos.ticketId)).toHaveLength(1);
    const again = (await timeline(sos.ticketId)).filter((e) => e.kind === 'sos_escalation' && e.note!.includes('派发现场响应任务'));
    expect(again).toHaveLength(2);
    expect(again[1]!.note).toContain('不重复派发');

    // The first tick after start expires the three once each and offers the fourth.
    expect(await timers()).toBeGreaterThanOrEqual(3);
    expect((await offersOf(job!.id)).map((o) => [o.candidate_id, o.status])).toEqual([
      [crew[0]!.id, 'timed_out'],
      [crew[1]!.id, 'timed_out'],
      [crew[2]!.id, 'timed_out'],
      [crew[3]!.id, 'open'],
    ]);
    const fired = await ds.query(`SELECT count(*)::int AS n FROM dispatch_timer WHERE job_id = $1 AND kind = 'offer_timeout' AND fired_at IS NOT NULL`, [job!.id]);
    expect(fired[0].n).toBe(3);
    expect(await timers()).toBe(0);

    clock.advance(61_000);
    expect(await timers()).toBeGreaterThanOrEqual(1);
    expect((await jobsOf(sos.ticketId))[0]).toMatchObject({ status: 'with_dispatcher', return_cause: 'list_exhausted' });
    expect((await timeline(sos.ticketId)).some((e) => e.kind === 'job_offer' && e.note!.includes('候选名单已用完，退回调度员'))).toBe(true);
    // Leave nothing due for other files' clocks: the SLA timer fires here (the supervisors' alert).
    clock.advance(15 * 60_000);
    await timers();
    expect(await openTimers(job!.id)).toBe(0);
    expect((await timeline(sos.ticketId)).some((e) => e.kind === 'job_sla_overdue')).toBe(true);
  });

  it('when the SOS order is cancelled while the offers are out, then the offers are withdrawn with a notice and the job is cancelled', async () => {
    const crew = [await responder(0.3), await responder(0.6)];
    const sos = await raise(await pendant());
    await untilResponderStep(sos.ticketId);
    const [job] = await jobsOf(sos.ticketId);
    await deliver();

    const ack = await api(t.baseUrl, 'POST', `/api/sos/${sos.sosId}/acknowledge`, w.agentToken, { note: '已联系上本人' });
    expect(ack.status).toBe(200);
    const cancelled = await api(t.baseUrl, 'POST', `/api/tickets/${sos.ticketId}/transitions`, w.agentToken, { action: 'cancel', note: '本人已由家属送医' });
    expect(cancelled.status).toBe(200);

    expect((await jobsOf(sos.ticketId))[0]).toMatchObject({ status: 'cancelled', assignee_id: null });
    expect(await offersOf(job!.id)).toEqual(crew.map((c) => ({ candidate_id: c.id, status: 'withdrawn', withdraw_reason: 'cancelled' })));
    expect(await openTimers(job!.id)).toBe(0);
    const [incident] = await ds.query('SELECT status FROM sos_incident WHERE id = $1', [sos.sosId]);
    expect(incident.status).toBe('cancelled');
    await deliver();
    for (const c of crew) expect(fake.to(c.phone).length).toBe(2); // the offer, then the withdrawal
    expect(await textIn(t, crew[0]!.phone, '1')).toContain('失效');
    const kinds = (await timeline(sos.ticketId)).map((e) => e.kind);
    expect(kinds).toEqual(expect.arrayContaining(['cancel', 'sos_cancelled', 'job_cancelled']));
  });
});
