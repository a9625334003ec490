/**
 * The SOS escalation chain on a fake clock: every step on the order's timeline with its time, the
 * automatic calls and texts through the outbox, acknowledgement stopping the chain, silent SOS by the
 * person's communication needs, resolve and false alarm.
 *
 * The automatic calls go through the real AMI adapter to the AMI replay server, which accepts each Originate
 * as Asterisk accepted the recorded one (`click-to-call-originate`); a PBX that is down (connection dropped,
 * reconnects refused) is how a callback meets a temporary failure.
 */
import pino from 'pino';
import type { DataSource } from 'typeorm';
import type { ServerToClientEvents } from '../src/realtime/realtime-events';
import { fieldCryptoFromSecret } from '../src/shared/crypto-from-config';
import { makeAlarmDevices, postAlarm, type AlarmDevice, type DeviceSpec } from './support/alarm-devices';
import { AmiAdapter } from '../src/telephony/ami/ami.adapter';
import { loadAmiFixture } from './support/ami-fixtures';
import { AmiReplayServer, type ClientFrame } from './support/ami-replay-server';
import { acquireFileLock } from './support/file-lock';
import { until } from './support/until';
import { api, connectSocket, login, makeDistricts, makeUser, parkLeftovers, randomMobile, startTestApp, TestClock, TEST_DATA_KEY, type RunningApp, type TestSocket } from './support/test-app';

type Escalated = Parameters<ServerToClientEvents['sos:escalated']>[0];

const TIMINGS = { SOS_AGENT_ANSWER_SECONDS: '30', SOS_CALLBACK_WAIT_SECONDS: '60', SOS_CONTACT_INTERVAL_SECONDS: '45', SOS_RESPONDER_WAIT_SECONDS: '120', SOS_COMMUNITY_WAIT_SECONDS: '180' };

let t: RunningApp;
let release: () => void;
let ds: DataSource;
let pbx: AmiReplayServer;
let adapter: AmiAdapter;
let tree: Awaited<ReturnType<typeof makeDistricts>>;
let agentToken: string;
let agent: TestSocket;
let supervisor: TestSocket;
const escalated: Escalated[] = [];
const acknowledged: unknown[] = [];

beforeAll(async () => {
  release = await acquireFileLock('outbox-workers');
  // Each session answers up to 8 Originates with the recorded Success; a reconnect gets a fresh one.
  const session = { fixtures: Array.from({ length: 8 }, () => loadAmiFixture('click-to-call-originate')) };
  pbx = await AmiReplayServer.start({ sessions: [session], afterLast: 'repeat-last' });
  adapter = new AmiAdapter({ connection: pbx.connection(), logger: pino({ level: 'silent' }), clock: { now: () => new Date() }, reconnect: { initialDelayMs: 10, maxDelayMs: 50 } });
  // A year back: SOS raised by other test files (now) are never due on this clock, so tick() runs only ours.
  const clock = new TestClock(new Date(Date.now() - 365 * 24 * 3600_000));
  // The fake clock runs the chain hours ahead while the agents' sessions sit unused: no idle timeout here.
  t = await startTestApp({ telephony: adapter, clock, beforeStart: (d) => parkLeftovers(d, clock.now()), env: { BACKGROUND_JOBS: 'off', SESSION_IDLE_MINUTES: '1440', ...TIMINGS } });
  await pbxUp();
  ds = t.ds;
  tree = await makeDistricts(ds);
  agentToken = await login(t.baseUrl, (await makeUser(ds, 'agent', tree.city)).username);
  agent = await connectSocket(t.baseUrl, agentToken);
  supervisor = await connectSocket(t.baseUrl, await login(t.baseUrl, (await makeUser(ds, 'supervisor', tree.city)).username));
  agent.on('sos:escalated', (e) => escalated.push(e));
  supervisor.on('sos:acknowledged', (e) => acknowledged.push(e));
});
afterAll(async () => {
  agent?.disconnect();
  supervisor?.disconnect();
  await t?.close();
  await pbx?.close();
  release?.();
});

const seconds = (n: number) => t.clock.advance(n * 1000);
const tick = () => t.app.services.callerSide.escalation.tick();
const deliver = () => t.app.services.callerSide.outboxWorker.kick();

async function person(spec: DeviceSpec['person'] = {}): Promise<{ device: AlarmDevice; mobile: string; daughter: string; son: string; grid: string }> {
  const mobile = randomMobile();
  const [daughter, son, grid] = [randomMobile(), randomMobile(), randomMobile()];
  const [device] = await makeAlarmDevices(ds, fieldCryptoFromSecret(TEST_DATA_KEY), tree.community, [
    {
      person: {
        phones: [{ e164: mobile, kind: 'mobile' }],
        contacts: [
          { name: '赵网格', relation: '社区网格员', isGuardian: false, priority: 3, notifyOnEmergency: true, phoneE164: grid },
          { name: '李儿子', relation: '儿子', isGuardian: false, priority: 2, notifyOnEmergency: true, phoneE164: son },
          { name: '李女儿', relation: '女儿', isGuardian: true, priority: 1, notifyOnEmergency: true, phoneE164: daughter },
        ],
        ...spec,
      },
    },
  ]);
  return { device: device!, mobile, daughter, son, grid };
}

async function raise(device: AlarmDevice, body: object = { type: 'sos' }) {
  const r = await postAlarm(t.baseUrl, device, { body, timestamp: Math.floor(t.clock.now().getTime() / 1000) });
  expect(r.status).toBe(201);
  return r.body as { sosId: string; ticketId: string; ticketNumber: string };
}

const timeline = (ticketId: string): Promise<{ kind: string; at: Date; note: string | null }[]> => ds.query('SELECT kind, at, note FROM ticket_event WHERE ticket_id = $1 ORDER BY id', [ticketId]);
const outbox = (ticketId: string): Promise<{ kind: string; status: string; payload: any; provider_ref: string | null }[]> => ds.query('SELECT kind, status, payload, provider_ref FROM outbox WHERE ticket_id = $1 ORDER BY created_at, idempotency_key', [ticketId]);
const national = (e164: string) => e164.replace(/^\+86/, '');
const originates = (): ClientFrame[] => pbx.actions('Originate');

/** The PBX goes down: the adapter loses its connection and cannot reconnect. */
async function pbxDown(): Promise<void> {
  pbx.reachable(false);
  await until(() => adapter.state !== 'up', 2000, 10);
}

/** The PBX is back: wait until the adapter has reconnected. */
async function pbxUp(): Promise<void> {
  pbx.reachable(true);
  await until(() => adapter.state === 'up', 5000, 10);
}

describe('escalation chain on a fake clock', () => {
  it('when nobody acknowledges, then callback → contacts → each contact → responder job → community run at their times, each on the timeline', async () => {
    const p = await person();
    const t0 = t.clock.now().getTime();
    const sos = await raise(p.device);
    const at = (s: number) => new Date(t0 + s * 1000);

    seconds(29);
    expect(await tick()).toBe(0);
    seconds(1); // +30 s: nobody acknowledged → automatic callback to the person
    expect(await tick()).toBe(1);
    await deliver();
    expect(originates().at(-1)!.fields).toMatchObject({ channel: 'Local/sos-callback@agents', exten: national(p.mobile), variable: { __ANXIN_TICKET: sos.ticketNumber, __ANXIN_SOS: sos.sosId, __ANXIN_CALLBACK_NUMBER: national(p.mobile) } });

    seconds(60); // +90 s: emergency contacts texted, the guardian called
    expect(await tick()).toBe(1);
    seconds(45); // +135 s: the next contact called
    expect(await tick()).toBe(1);
    seconds(120); // +255 s: responder job for dispatch
    expect(await tick()).toBe(1);
    seconds(180); // +435 s: the community (grid worker) and supervisors
    expect(await tick()).toBe(1);
    seconds(3600);
    expect(await tick()).toBe(0); // the chain has run out; the order stays with people now
    await deliver();

    const steps = (await timeline(sos.ticketId)).filter((e) => e.kind === 'sos_escalation');
    expect(steps.map((e) => [e.at.getTime(), e.note!.split('：')[0]])).toEqual([
      [at(30).getTime(), '[升级 1/5] 自动回拨本人'],
      [at(90).getTime(), '[升级 2/5] 通知紧急联系人'],
      [at(135).getTime(), '[升级 3/5] 依次呼叫紧急联系人'],
      [at(255).getTime(), '[升级 4/5] 派发现场响应任务'],
      [at(435).getTime(), '[升级 5/5] 联系社区'],
    ]);
    expect(steps[1]!.note).toContain('短信李女儿（女儿）');
    expect(steps[4]!.note).toContain('升级链已全部执行');

    const messages = await outbox(sos.ticketId);
    expect(messages.map((m) => [m.kind, m.kind === 'sms' ? m.payload.to : m.payload.toNumber, m.status]).sort()).toEqual(
      [
        ['call', national(p.mobile), 'sent'],
        ['call', national(p.daughter), 'sent'],
        ['call', national(p.son), 'sent'],
        ['call', national(p.grid), 'sent'],
        ['sms', p.daughter, 'sent'],
        ['sms', p.son, 'sent'],
        ['sms', p.grid, 'sent'],
      ].sort(),
    );
    expect(messages.find((m) => m.kind === 'sms')!.payload.body).toContain(sos.ticketNumber);
    expect(messages.find((m) => m.kind === 'sms' && m.payload.to === p.daughter)!.provider_ref).toMatch(/^log:/); // no Twilio configured: the log adapter

    const [ticket] = await ds.query('SELECT status FROM ticket WHERE id = $1', [sos.ticketId]);
    expect(ticket.status).toBe('pending_dispatch');
    const [incident] = await ds.query('SELECT status, step, next_step_at FROM sos_incident WHERE id = $1', [sos.sosId]);
    expect(incident).toEqual({ status: 'active', step: 5, next_step_at: null });
    const kinds = (await timeline(sos.ticketId)).map((e) => e.kind);
    expect(kinds.filter((k) => k === 'outbox_sent')).toHaveLength(7);
    expect(kinds).toContain('submit');
    expect(escalated.filter((e) => e.sosId === sos.sosId).map((e) => [e.step, e.steps, e.key])).toEqual([
      [1, 5, 'callback'],
      [2, 5, 'contacts'],
      [3, 5, 'contact_call'],
      [4, 5, 'responder'],
      [5, 5, 'community'],
    ]);
  });

  it('when an agent acknowledges with the console hotkey, then the chain stops and the pending callback is cancelled', async () => {
    const p = await person();
    const sos = await raise(p.device);
    await pbxDown(); // the PBX is unreachable: the callback stays queued for a retry
    seconds(30);
    expect(await tick()).toBe(1);
    await deliver();
    await pbxUp();
    expect((await outbox(sos.ticketId)).map((m) => [m.kind, m.status])).toEqual([['call', 'pending']]);

    const ack = await new Promise<any>((resolve) => agent.emit('sos:acknowledge', { sosId: sos.sosId, note: '已与本人通话' }, resolve));
    expect(ack).toEqual({ ok: true, data: { sosId: sos.sosId, status: 'acknowledged', ticketNumber: sos.ticketNumber } });
    seconds(3600);
    expect(await tick()).toBe(0);
    expect((await outbox(sos.ticketId)).map((m) => m.status)).toEqual(['cancelled']);
    const [ticket] = await ds.query('SELECT status FROM ticket WHERE id = $1', [sos.ticketId]);
    expect(ticket.status).toBe('in_service');
    const events = await timeline(sos.ticketId);
    expect(events.map((e) => e.kind)).toEqual(['created', 'sos_raised', 'sos_escalation', 'sos_ack', 'start']);
    expect(events[3]!.note).toContain('取消 1 个待拨外呼');
    await new Promise((r) => setTimeout(r, 50));
    expect(acknowledged).toContainEqual(expect.objectContaining({ sosId: sos.sosId, how: 'console' }));
    const again = await new Promise<any>((resolve) => agent.emit('sos:acknowledge', { sosId: sos.sosId }, resolve));
    expect(again.ok).toBe(true); // acknowledging twice changes nothing
    const bad = await new Promise<any>((resolve) => agent.emit('sos:acknowledge', { sosId: 'nope' }, resolve));
    expect(bad).toMatchObject({ ok: false, code: 'validation/invalid' });
  });

  it('when an agent tries to work the order without acknowledging the SOS, then 409 names the SOS actions and the chain keeps running', async () => {
    const sos = await raise((await person()).device);
    const started = await api(t.baseUrl, 'POST', `/api/tickets/${sos.ticketId}/transitions`, agentToken, { action: 'start' });
    expect(started.status).toBe(409);
    expect(started.body.error).toMatchObject({ code: 'ticket/invalid-transition' });
    expect(started.body.error.message).toContain('确认 SOS');
    seconds(30);
    expect(await tick()).toBe(1);
    const [incident] = await ds.query('SELECT status, step FROM sos_incident WHERE id = $1', [sos.sosId]);
    expect(incident).toEqual({ status: 'active', step: 1 });
  });

  it('when a deaf person raises a silent SOS, then the first step texts them instead of calling', async () => {
    const p = await person({ disabilityCategory: 2, communicationNeed: 'sms_only' });
    const sos = await raise(p.device, { type: 'sos', silent: true });
    const before = originates().length;
    seconds(30);
    await tick();
    await deliver();
    expect(originates().length).toBe(before);
    const [sms] = await outbox(sos.ticketId);
    expect(sms).toMatchObject({ kind: 'sms', status: 'sent', payload: { to: p.mobile } });
    expect(sms!.payload.body).toContain('如已安全，请回复"平安"');
    expect((await timeline(sos.ticketId)).find((e) => e.kind === 'sos_escalation')!.note).toContain('短信联系本人（听力/言语障碍）');
  });

  it('when the SOS is resolved, then the order is done; a false alarm closes it and cancels what was not sent', async () => {
    const a = await raise((await person()).device);
    const noNote = await api(t.baseUrl, 'POST', `/api/sos/${a.sosId}/resolve`, agentToken, {});
    expect(noNote.status).toBe(400);
    const resolved = await api(t.baseUrl, 'POST', `/api/sos/${a.sosId}/resolve`, agentToken, { note: '家属已到场，老人无碍' });
    expect(resolved.status).toBe(200);
    expect(resolved.body).toMatchObject({ status: 'resolved', ticketStatus: 'done' });

    const b = await raise((await person()).device);
    await pbxDown();
    seconds(30);
    await tick();
    await deliver();
    await pbxUp();
    const falseAlarm = await api(t.baseUrl, 'POST', `/api/sos/${b.sosId}/false-alarm`, agentToken, { note: '老人误触按钮' });
    expect(falseAlarm.body).toMatchObject({ status: 'false_alarm', ticketStatus: 'closed' });
    expect((await outbox(b.ticketId)).map((m) => m.status)).toEqual(['cancelled']);
    expect((await timeline(b.ticketId)).map((e) => e.kind)).toContain('sos_false_alarm');
    const closedAgain = await api(t.baseUrl, 'POST', `/api/sos/${b.sosId}/resolve`, agentToken, { note: '再次关闭' });
    expect(closedAgain.status).toBe(409);

    const list = await api(t.baseUrl, 'GET', '/api/sos?open=false', agentToken);
    expect(list.body.items.map((s: { id: string }) => s.id)).toEqual(expect.arrayContaining([a.sosId, b.sosId]));
  });
});

describe('an SOS follows its order on every path', () => {
  let adminToken: string;
  let supervisorToken: string;
  beforeAll(async () => {
    adminToken = await login(t.baseUrl, (await makeUser(ds, 'admin', tree.city)).username);
    supervisorToken = await login(t.baseUrl, (await makeUser(ds, 'supervisor', tree.city)).username);
  });

  const act = (ticketId: string, token: string, action: string, note?: string) => api(t.baseUrl, 'POST', `/api/tickets/${ticketId}/transitions`, token, { action, ...(note ? { note } : {}) });
  const incident = async (id: string) => (await ds.query('SELECT status, closed_at, next_step_at FROM sos_incident WHERE id = $1', [id]))[0];
  const sosSteps = async (ticketId: string) => (await timeline(ticketId)).filter((e) => e.kind === 'sos_escalation').length;

  it.each([
    ['completed', ['complete'], 'resolved', 'sos_resolved'],
    ['cancelled', ['cancel'], 'cancelled', 'sos_cancelled'],
    ['found a false alarm', ['false_alarm'], 'false_alarm', 'sos_false_alarm'],
  ])('when an acknowledged SOS order is %s through the order actions, then the SOS closes with it and the next press opens a new P0 order and a new chain', async (_what, actions, outcome, kind) => {
    const p = await person();
    const first = await raise(p.device);
    expect((await api(t.baseUrl, 'POST', `/api/sos/${first.sosId}/acknowledge`, agentToken, { note: '已联系本人' })).status).toBe(200);
    for (const action of actions) expect((await act(first.ticketId, agentToken, action, '家属已到场')).status).toBe(200);
    expect(await incident(first.sosId)).toMatchObject({ status: outcome, next_step_at: null, closed_at: expect.any(Date) });
    expect((await timeline(first.ticketId)).map((e) => e.kind)).toContain(kind);
    const detail = await api(t.baseUrl, 'GET', `/api/tickets/${first.ticketId}`, agentToken);
    expect(detail.body.sos).toBeNull();

    const second = await raise(p.device);
    expect(second.ticketId).not.toBe(first.ticketId);
    expect(second.sosId).not.toBe(first.sosId);
    const [order] = await ds.query('SELECT priority, category, status FROM ticket WHERE id = $1', [second.ticketId]);
    expect(order).toEqual({ priority: 'P0', category: 'emergency', status: 'accepted' });
    seconds(30);
    await tick(); // other SOS of this file still open run their steps too
    expect(await sosSteps(second.ticketId)).toBe(1); // the new chain runs
    expect(await sosSteps(first.ticketId)).toBe(0);
  });

  it('when an acknowledged SOS order is completed and then closed, then the SOS is resolved once and stays resolved', async () => {
    const p = await person();
    const first = await raise(p.device);
    await api(t.baseUrl, 'POST', `/api/sos/${first.sosId}/acknowledge`, agentToken, {});
    expect((await act(first.ticketId, agentToken, 'complete')).status).toBe(200);
    expect((await act(first.ticketId, agentToken, 'close')).status).toBe(409); // 办结 waits for the 回访
    // The 回访, by someone who did not complete the order, then 办结.
    expect((await act(first.ticketId, supervisorToken, 'request_callback')).status).toBe(200);
    expect((await api(t.baseUrl, 'POST', `/api/tickets/${first.ticketId}/transitions`, supervisorToken, { action: 'record_callback', satisfaction: 'satisfied' })).status).toBe(200);
    expect((await act(first.ticketId, agentToken, 'close')).status).toBe(200);
    expect((await incident(first.sosId)).status).toBe('resolved');
    expect((await timeline(first.ticketId)).filter((e) => e.kind === 'sos_resolved')).toHaveLength(1);
  });

  it('when an SOS was left open on a closed order (data from before), then the next press closes it and opens a new P0 order', async () => {
    const p = await person();
    const first = await raise(p.device);
    await api(t.baseUrl, 'POST', `/api/sos/${first.sosId}/acknowledge`, agentToken, {});
    await ds.query(`UPDATE ticket SET status = 'closed', closed_at = now() WHERE id = $1`, [first.ticketId]); // as the old code left it
    const second = await raise(p.device);
    expect(second.ticketId).not.toBe(first.ticketId);
    expect((await incident(first.sosId)).status).toBe('resolved');
    expect((await incident(second.sosId)).status).toBe('active');
  });

  it.each(['cancel', 'false_alarm', 'invalidate', 'close', 'complete', 'start'])('when an unacknowledged SOS order gets %s through the order actions, then 409 points at the SOS actions and the chain runs on', async (action) => {
    const sos = await raise((await person()).device);
    for (const token of [agentToken, supervisorToken]) {
      const r = await act(sos.ticketId, token, action, '想直接关掉');
      expect(r.status).toBe(409);
      expect(r.body.error.code).toBe('ticket/invalid-transition');
    }
    expect((await incident(sos.sosId)).status).toBe('active');
    seconds(30);
    await tick(); // other SOS of this file still open run their steps too
    expect(await sosSteps(sos.ticketId)).toBe(1);
  });

  it('when an admin tries to stop an SOS through any path, then every one is refused and the chain runs on', async () => {
    const sos = await raise((await person()).device);
    expect((await act(sos.ticketId, adminToken, 'cancel', '管理员取消')).status).toBe(403);
    expect((await act(sos.ticketId, adminToken, 'false_alarm', '管理员误报')).status).toBe(403);
    expect((await api(t.baseUrl, 'POST', `/api/sos/${sos.sosId}/resolve`, adminToken, { note: '管理员解除' })).status).toBe(403);
    expect((await api(t.baseUrl, 'POST', `/api/sos/${sos.sosId}/false-alarm`, adminToken, { note: '管理员误报' })).status).toBe(403);
    expect((await api(t.baseUrl, 'POST', `/api/sos/${sos.sosId}/acknowledge`, adminToken, {})).status).toBe(403);
    expect((await api(t.baseUrl, 'GET', `/api/sos/${sos.sosId}`, adminToken)).status).toBe(403);
    expect((await api(t.baseUrl, 'GET', `/api/tickets/${sos.ticketId}`, adminToken)).status).toBe(403);
    expect((await incident(sos.sosId)).status).toBe('active');
    seconds(30);
    await tick(); // other SOS of this file still open run their steps too
    expect(await sosSteps(sos.ticketId)).toBe(1);
  });

  it('when the SOS is unacknowledged, then the order detail offers no action that stops the chain and names the SOS', async () => {
    const sos = await raise((await person()).device);
    const detail = await api(t.baseUrl, 'GET', `/api/tickets/${sos.ticketId}`, agentToken);
    expect(detail.body.sos).toEqual({ id: sos.sosId, status: 'active' });
    expect(detail.body.allowedActions).toEqual(['submit']);
    await api(t.baseUrl, 'POST', `/api/sos/${sos.sosId}/acknowledge`, agentToken, {});
    const after = await api(t.baseUrl, 'GET', `/api/tickets/${sos.ticketId}`, agentToken);
    expect(after.body.sos).toEqual({ id: sos.sosId, status: 'acknowledged' });
    expect(after.body.allowedActions.sort()).toEqual(['cancel', 'complete', 'false_alarm']);
  });

  it('when SOS are listed or read, then the read is audited with the SOS, its order and its person', async () => {
    const p = await person();
    const sos = await raise(p.device);
    const [{ person_id: personId }] = await ds.query('SELECT person_id FROM sos_incident WHERE id = $1', [sos.sosId]);
    const me = await api(t.baseUrl, 'GET', '/api/auth/me', agentToken);
    expect((await api(t.baseUrl, 'GET', `/api/sos/${sos.sosId}`, agentToken)).status).toBe(200);
    expect((await api(t.baseUrl, 'GET', '/api/sos?open=true&limit=200', agentToken)).status).toBe(200);
    const rows: { action: string; subjects: string[] }[] = await ds.query(`SELECT action, subjects FROM audit_log WHERE actor_id = $1 AND action IN ('sos.read','sos.list') AND $2 = ANY(subjects) ORDER BY id`, [me.body.user.userId, `sos:${sos.sosId}`]);
    expect(rows.map((r) => r.action)).toEqual(['sos.read', 'sos.list']);
    for (const r of rows) expect(r.subjects).toEqual(expect.arrayContaining([`sos:${sos.sosId}`, `ticket:${sos.ticketId}`, `person:${personId}`]));
  });
});
