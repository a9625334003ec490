/**
 * Voice offers, the dispatcher's fallback: 电话联系 places a click-to-call (the real AMI adapter against the
 * recorded Asterisk Originate, replayed on an ephemeral port) to a candidate found by id — the number never
 * reaches the browser — linked to the job's order; the answer the dispatcher records goes through the same
 * cascade events as an SMS reply.
 */
import { randomInt } from 'node:crypto';
import pino from 'pino';
import type { DataSource } from 'typeorm';
import { AmiAdapter } from '../src/telephony/ami/ami.adapter';
import { loadAmiFixture } from './support/ami-fixtures';
import { AmiReplayServer } from './support/ami-replay-server';
import { dispatchWorld, FakeTwilio, offerSms, submittedOrder, textIn, tomorrowAt, twilioEnv, volunteerNear, type DispatchWorld } from './support/dispatch-fixtures';
import { acquireFileLock } from './support/file-lock';
import { api, login, makeDistricts, makeUser, startTestApp, TestClock, type RunningApp } from './support/test-app';
import { until } from './support/until';

let t: RunningApp;
let ds: DataSource;
let fake: FakeTwilio;
let pbx: AmiReplayServer;
let release: () => void;
let w: DispatchWorld;

// Three years back: between the other dispatch files' clocks; every job here ends assigned (no timer left).
const clock = new TestClock(new Date(Date.now() - 3 * 365 * 24 * 3600_000));

beforeAll(async () => {
  release = await acquireFileLock('outbox-workers');
  fake = new FakeTwilio();
  await fake.start();
  pbx = await AmiReplayServer.start({ sessions: [{ fixtures: Array.from({ length: 8 }, () => loadAmiFixture('click-to-call-originate')) }], afterLast: 'repeat-last' });
  const adapter = new AmiAdapter({ connection: pbx.connection(), logger: pino({ level: 'silent' }), clock: { now: () => new Date() }, reconnect: { initialDelayMs: 10, maxDelayMs: 50 } });
  t = await startTestApp({ clock, telephony: adapter, env: { ...twilioEnv(fake), SESSION_IDLE_MINUTES: '1440' } });
  ds = t.ds;
  await until(async () => adapter.state === 'up');
  w = await dispatchWorld(t);
});
afterAll(async () => {
  await t?.close();
  await pbx?.close();
  await fake?.close();
  release?.();
});

const deliver = () => t.app.services.callerSide.outboxWorker.kick();
const national = (e164: string) => e164.replace(/^\+86/, '');
/** A free extension (extensions are unique across the shared database). */
const extension = () => `9${randomInt(100_000, 999_999)}`;

describe('voice offers by click-to-call', () => {
  it('when the dispatcher calls a candidate from the job, then the PBX dials the number found by id, the answer recorded by phone runs the cascade, and the order follows', async () => {
    const ext = extension();
    const dispatcher = await login(t.baseUrl, (await makeUser(ds, 'dispatcher', w.tree.district, { sipExtension: ext })).username);
    const a = await volunteerNear(t, w, 0.3, ['shopping']);
    const b = await volunteerNear(t, w, 0.6, ['shopping']);
    const ticketId = await submittedOrder(t, w, 'shopping');
    const created = await api(t.baseUrl, 'POST', '/api/dispatch/jobs', dispatcher, { ticketId, windowStart: tomorrowAt(clock.now(), '10:00').toISOString() });
    const jobId = created.body.id as string;
    const [{ number: ticketNumber }] = await ds.query('SELECT number FROM ticket WHERE id = $1', [ticketId]);
    await api(t.baseUrl, 'POST', `/api/dispatch/jobs/${jobId}/offers`, dispatcher, { candidateIds: [a.id] });

    // Without an extension the call cannot be placed: refused before anything is written.
    const noPhone = await api(t.baseUrl, 'POST', `/api/dispatch/jobs/${jobId}/voice-offers`, w.dispatcherToken, { candidateId: b.id });
    expect(noPhone.status).toBe(400);
    expect(await ds.query('SELECT candidate_id FROM job_offer WHERE job_id = $1', [jobId])).toEqual([{ candidate_id: a.id }]);

    // A calls about their open SMS offer.
    const callA = await api(t.baseUrl, 'POST', `/api/dispatch/jobs/${jobId}/voice-offers`, dispatcher, { candidateId: a.id });
    expect(callA.status).toBe(202);
    expect(callA.body.call).toMatchObject({ toMasked: expect.stringContaining('****'), agentExtension: ext, ticketNumber });
    expect(JSON.stringify(callA.body)).not.toContain(national(a.phone)); // the number never reaches the browser
    const first = await until(() => pbx.actions('Originate').find((f) => f.fields.actionid === callA.body.call.requestId));
    expect(first.fields).toMatchObject({ channel: `Local/${ext}@agents`, exten: national(a.phone), variable: { ANXIN_TICKET: ticketNumber } });
    const offerA = callA.body.offerId as string;

    // A says no on the phone: declined as by SMS; nobody is left in the list, so the job is back with the dispatcher.
    const declined = await api(t.baseUrl, 'POST', `/api/dispatch/jobs/${jobId}/voice-answers`, dispatcher, { offerId: offerA, answer: 'declined', note: '今天不在本地' });
    expect(declined.status).toBe(200);
    expect(declined.body).toMatchObject({ status: 'with_dispatcher' });
    expect(await ds.query('SELECT status, answered_via, decline_note FROM job_offer WHERE id = $1', [offerA])).toEqual([{ status: 'declined', answered_via: 'dispatcher', decline_note: '今天不在本地' }]);

    // B, from the ranked list, is offered the job by phone: a voice offer (with the SMS link for the field page).
    const callB = await api(t.baseUrl, 'POST', `/api/dispatch/jobs/${jobId}/voice-offers`, dispatcher, { candidateId: b.id });
    expect(callB.status).toBe(202);
    const second = await until(() => pbx.actions('Originate').find((f) => f.fields.actionid === callB.body.call.requestId));
    expect(second.fields.exten).toBe(national(b.phone));
    expect(await ds.query('SELECT candidate_id, channel, status FROM job_offer WHERE id = $1', [callB.body.offerId])).toEqual([{ candidate_id: b.id, channel: 'voice', status: 'open' }]);
    await deliver();
    expect(offerSms(fake, b.phone).body).toContain('/f/');

    const accepted = await api(t.baseUrl, 'POST', `/api/dispatch/jobs/${jobId}/voice-answers`, dispatcher, { offerId: callB.body.offerId, answer: 'accepted' });
    expect(accepted.body).toMatchObject({ status: 'assigned', assignee: { id: b.id, via: 'offer' } });
    // The SMS reply to a voice offer is read as for any offer: B's late "1" is told the job is already theirs.
    expect(await textIn(t, b.phone, `1 ${offerSms(fake, b.phone).code}`)).toContain('此前已接单');
    expect((await ds.query('SELECT status FROM ticket WHERE id = $1', [ticketId]))[0].status).toBe('taken');
    const again = await api(t.baseUrl, 'POST', `/api/dispatch/jobs/${jobId}/voice-answers`, dispatcher, { offerId: offerA, answer: 'accepted' });
    expect(again.status).toBe(409); // a declined offer cannot be accepted later
    const events: { kind: string; note: string | null }[] = await ds.query('SELECT kind, note FROM ticket_event WHERE ticket_id = $1 ORDER BY id', [ticketId]);
    expect(events.filter((e) => e.kind === 'job_voice_offer').map((e) => e.note)).toEqual([expect.stringContaining('电话联系'), expect.stringContaining('电话联系')]);
    expect(events.filter((e) => e.kind === 'job_voice_answer').map((e) => e.note)).toEqual([expect.stringContaining('谢绝'), expect.stringContaining('接单')]);
    expect(events.map((e) => e.kind)).toContain('take');
    const audit = await ds.query(`SELECT subjects FROM audit_log WHERE action = 'dispatch.job.voice_offer' AND subject_id = $1 ORDER BY at, id`, [jobId]);
    const [{ person_id: personId }] = await ds.query('SELECT person_id FROM ticket WHERE id = $1', [ticketId]);
    expect(audit.map((r: { subjects: unknown }) => r.subjects)).toEqual([expect.arrayContaining([`volunteer:${a.id}`, `person:${personId}`]), expect.arrayContaining([`volunteer:${b.id}`, `person:${personId}`])]);
  });

  it('when the candidate or the job is outside the dispatcher\'s district, then it reads as unknown and nothing is dialled', async () => {
    const dispatcher = await login(t.baseUrl, (await makeUser(ds, 'dispatcher', w.tree.district, { sipExtension: extension() })).username);
    const elsewhere = await dispatchWorld(t);
    const outsider = await volunteerNear(t, elsewhere, 0.2, ['shopping']);
    const ticketId = await submittedOrder(t, w, 'shopping');
    const jobId = (await api(t.baseUrl, 'POST', '/api/dispatch/jobs', dispatcher, { ticketId, windowStart: tomorrowAt(clock.now(), '10:00').toISOString() })).body.id as string;
    const before = pbx.actions('Originate').length;
    const res = await api(t.baseUrl, 'POST', `/api/dispatch/jobs/${jobId}/voice-offers`, dispatcher, { candidateId: outsider.id });
    expect(res.status).toBe(409);
    expect(res.body.error.details).toEqual([{ candidateId: outsider.id, reasons: [{ rule: 'unknown', message: '没有该人员' }] }]);
    const other = await makeDistricts(ds);
    const foreign = await login(t.baseUrl, (await makeUser(ds, 'dispatcher', other.district, { sipExtension: extension() })).username);
    expect((await api(t.baseUrl, 'POST', `/api/dispatch/jobs/${jobId}/voice-offers`, foreign, { candidateId: outsider.id })).status).toBe(404);
    expect(pbx.actions('Originate').length).toBe(before);
    await api(t.baseUrl, 'POST', `/api/dispatch/jobs/${jobId}/cancel`, dispatcher, { reason: '测试结束' }); // no timer left behind
  });
});
