/**
 * The device alarm API over real HTTP: per-device keys, HMAC signatures, idempotency, policy by mode and
 * arming, maintenance orders, and the SOS alert on real socket.io clients.
 */
import type { DataSource } from 'typeorm';
import type { ServerToClientEvents } from '../src/realtime/realtime-events';
import { signAlarm } from '../src/sos/alarm-signature';
import { fieldCryptoFromSecret } from '../src/shared/crypto-from-config';
import { makeAlarmDevices, postAlarm, type AlarmDevice } from './support/alarm-devices';
import { api, connectSocket, login, makeDistricts, makeUser, startTestApp, TEST_DATA_KEY, type RunningApp, type TestSocket } from './support/test-app';
import { until } from './support/until';

type Alert = Parameters<ServerToClientEvents['sos:raised']>[0];

let t: RunningApp;
let ds: DataSource;
let tree: Awaited<ReturnType<typeof makeDistricts>>;
let agent: TestSocket;
let supervisor: TestSocket;
let outsider: TestSocket;
let adminToken: string;
let agentToken: string;
const crypto = fieldCryptoFromSecret(TEST_DATA_KEY);
const alerts: Record<'agent' | 'supervisor' | 'outsider', Alert[]> = { agent: [], supervisor: [], outsider: [] };

async function devices(...specs: Parameters<typeof makeAlarmDevices>[3]): Promise<AlarmDevice[]> {
  return makeAlarmDevices(ds, crypto, tree.community, specs);
}

const ticketsOf = (personId: string) => ds.query('SELECT id, number, category, priority, channel, status FROM ticket WHERE person_id = $1 ORDER BY created_at', [personId]);
const timeline = (ticketId: string) => ds.query('SELECT kind, note FROM ticket_event WHERE ticket_id = $1 ORDER BY id', [ticketId]);

beforeAll(async () => {
  t = await startTestApp({ env: { BACKGROUND_JOBS: 'off' } });
  ds = t.ds;
  tree = await makeDistricts(ds);
  const a = await makeUser(ds, 'agent', tree.district);
  const s = await makeUser(ds, 'supervisor', tree.city);
  const o = await makeUser(ds, 'agent', tree.otherDistrict);
  const admin = await makeUser(ds, 'admin', tree.city);
  agentToken = await login(t.baseUrl, a.username);
  adminToken = await login(t.baseUrl, admin.username);
  agent = await connectSocket(t.baseUrl, agentToken);
  supervisor = await connectSocket(t.baseUrl, await login(t.baseUrl, s.username));
  outsider = await connectSocket(t.baseUrl, await login(t.baseUrl, o.username));
  agent.on('sos:raised', (p) => alerts.agent.push(p));
  supervisor.on('sos:raised', (p) => alerts.supervisor.push(p));
  outsider.on('sos:raised', (p) => alerts.outsider.push(p));
});
afterAll(async () => {
  for (const s of [agent, supervisor, outsider]) s?.disconnect();
  await t.close();
});

describe('POST /api/alarms — an SOS', () => {
  it('when a pendant sends a signed SOS, then 201 comes after the P0 order is committed and agents and supervisors in scope are alerted', async () => {
    const [d] = await devices({});
    const r = await postAlarm(t.baseUrl, d!, { body: { type: 'sos', battery: 80 } });
    expect(r.status).toBe(201);
    expect(r.body).toMatchObject({ outcome: 'sos', ticketNumber: expect.stringMatching(/^\d{8}-\d{4}$/), sosId: expect.any(String) });
    // committed before the answer: read right away, no waiting
    const [ticket] = await ticketsOf(d!.personId);
    expect(ticket).toMatchObject({ id: r.body.ticketId, category: 'emergency', priority: 'P0', channel: 'sos_button', status: 'accepted' });
    expect((await timeline(ticket.id)).map((e: { kind: string }) => e.kind)).toEqual(['created', 'sos_raised']);
    const [incident] = await ds.query('SELECT status, source, step, person_id FROM sos_incident WHERE id = $1', [r.body.sosId]);
    expect(incident).toMatchObject({ status: 'active', source: 'alarm_api', step: 0, person_id: d!.personId });
    await until(() => alerts.agent.some((a) => a.sosId === r.body.sosId) && alerts.supervisor.some((a) => a.sosId === r.body.sosId));
    expect(alerts.agent.find((a) => a.sosId === r.body.sosId)).toMatchObject({ ticketNumber: r.body.ticketNumber, personName: '报警测试0', alarmType: 'button', deviceSerial: d!.serial, repeat: false });
    await new Promise((r2) => setTimeout(r2, 100));
    expect(alerts.outsider.some((a) => a.sosId === r.body.sosId)).toBe(false);
  });

  it('when the same Idempotency-Key and body come again, then the stored receipt is returned and nothing is created twice', async () => {
    const [d] = await devices({});
    const first = await postAlarm(t.baseUrl, d!, { body: { type: 'sos' }, idempotencyKey: 'evt-replay-0001' });
    const again = await postAlarm(t.baseUrl, d!, { body: { type: 'sos' }, idempotencyKey: 'evt-replay-0001' });
    expect(first.status).toBe(201);
    expect(again).toEqual({ status: 201, body: first.body, replayed: true });
    expect(await ticketsOf(d!.personId)).toHaveLength(1);
    expect((await ds.query('SELECT count(*)::int AS n FROM device_alarm WHERE device_id = $1', [d!.deviceId]))[0].n).toBe(1);
  });

  it('when the same Idempotency-Key comes with another body, then 409 and nothing changes', async () => {
    const [d] = await devices({});
    await postAlarm(t.baseUrl, d!, { body: { type: 'heartbeat' }, idempotencyKey: 'evt-reuse-00001' });
    const r = await postAlarm(t.baseUrl, d!, { body: { type: 'sos' }, idempotencyKey: 'evt-reuse-00001' });
    expect(r.status).toBe(409);
    expect(r.body.error.code).toBe('alarm/idempotency-conflict');
    expect(await ticketsOf(d!.personId)).toHaveLength(0);
  });

  it('when the SOS button is pressed again while the SOS is open, then the same order gets the press and agents are alerted again', async () => {
    const [d] = await devices({});
    const first = await postAlarm(t.baseUrl, d!, { body: { type: 'sos' } });
    const second = await postAlarm(t.baseUrl, d!, { body: { type: 'sos', silent: true } });
    expect(second.body.ticketId).toBe(first.body.ticketId);
    expect(second.body.sosId).toBe(first.body.sosId);
    expect(await ticketsOf(d!.personId)).toHaveLength(1);
    expect((await timeline(first.body.ticketId)).map((e: { kind: string }) => e.kind)).toEqual(['created', 'sos_raised', 'sos_repeat']);
    await until(() => alerts.agent.some((a) => a.sosId === first.body.sosId && a.repeat));
  });

  it('when two presses of one person arrive at the same moment, then they make one order', async () => {
    const [d] = await devices({});
    const [a, b] = await Promise.all([postAlarm(t.baseUrl, d!, { body: { type: 'sos' } }), postAlarm(t.baseUrl, d!, { body: { type: 'fall' } })]);
    expect([a.status, b.status]).toEqual([201, 201]);
    expect(a.body.ticketId).toBe(b.body.ticketId);
    expect(await ticketsOf(d!.personId)).toHaveLength(1);
  });
});

describe('POST /api/alarms — refused requests create nothing', () => {
  const now = () => Math.floor(Date.now() / 1000);
  it.each<[string, number, string, (d: AlarmDevice) => Parameters<typeof postAlarm>[2]]>([
    ['a wrong key', 401, 'alarm/unauthorized', () => ({ body: { type: 'sos' }, signWith: 'not-the-device-key-at-all' })],
    ['an unknown device', 401, 'alarm/unauthorized', () => ({ body: { type: 'sos' }, headers: { 'x-anxin-device': 'no-such-device' } })],
    ['a body changed after signing', 401, 'alarm/unauthorized', (d) => ({ body: { type: 'heartbeat' }, idempotencyKey: 'evt-tamper-0001', timestamp: now(), headers: { 'x-anxin-signature': signAlarm(d.key, String(now()), 'evt-tamper-0001', '{"type":"sos"}') } })],
    ['a timestamp 10 minutes old', 401, 'alarm/unauthorized', () => ({ body: { type: 'sos' }, timestamp: now() - 600 })],
    ['no signature header', 401, 'alarm/unauthorized', () => ({ body: { type: 'sos' }, headers: { 'x-anxin-signature': undefined } })],
    ['a malformed signature', 401, 'alarm/unauthorized', () => ({ body: { type: 'sos' }, headers: { 'x-anxin-signature': 'sha1=abc' } })],
    ['no Idempotency-Key', 400, 'validation/invalid', () => ({ body: { type: 'sos' }, headers: { 'idempotency-key': undefined } })],
    ['an Idempotency-Key too short', 400, 'validation/invalid', () => ({ body: { type: 'sos' }, idempotencyKey: 'abc' })],
    ['a body that is not JSON', 400, 'validation/invalid', () => ({ body: null, raw: '{"type":"sos"' })],
    ['an unknown alarm type', 400, 'validation/invalid', () => ({ body: { type: 'earthquake' } })],
    ['an unknown field', 400, 'validation/invalid', () => ({ body: { type: 'sos', priority: 'P0' } })],
    ['a battery of 150 %', 400, 'validation/invalid', () => ({ body: { type: 'heartbeat', battery: 150 } })],
    ['an occurredAt that is not a date', 400, 'validation/invalid', () => ({ body: { type: 'sos', occurredAt: 'yesterday' } })],
  ])('when the request has %s, then %i %s', async (_what, status, code, make) => {
    const [d] = await devices({});
    const r = await postAlarm(t.baseUrl, d!, make(d!));
    expect(r.status).toBe(status);
    expect(r.body.error.code).toBe(code);
    expect(r.body.error.message).toBeTruthy();
    expect(await ticketsOf(d!.personId)).toHaveLength(0);
    expect((await ds.query('SELECT count(*)::int AS n FROM device_alarm WHERE device_id = $1', [d!.deviceId]))[0].n).toBe(0);
  });
});

describe('POST /api/alarms — sensors by mode and arming', () => {
  it.each<[string, string, Parameters<typeof devices>[0], string, string | null]>([
    ['a door opens at home', 'recorded', { kind: 'door_sensor', mode: 'home', armed: true }, 'door_open', null],
    ['a door opens while away', 'sos', { kind: 'door_sensor', mode: 'away', armed: true }, 'door_open', 'device_alarm'],
    ['a door opens at night', 'sos', { kind: 'door_sensor', mode: 'sleep', armed: true }, 'door_open', 'device_alarm'],
    ['a disarmed fall detector fires', 'recorded', { kind: 'fall_detector', mode: 'home', armed: false }, 'fall', null],
    ['a disarmed smoke sensor fires (24 h zone)', 'sos', { kind: 'smoke_sensor', mode: 'away', armed: false }, 'smoke', 'device_alarm'],
    ['water leaks', 'urgent', { kind: 'water_sensor', mode: 'home', armed: true }, 'water_leak', 'device_alarm'],
  ])('when %s, then the outcome is %s', async (_what, outcome, spec, type, channel) => {
    const [d] = await devices(spec);
    const r = await postAlarm(t.baseUrl, d!, { body: { type } });
    expect(r.status).toBe(201);
    expect(r.body.outcome).toBe(outcome);
    const tickets = await ticketsOf(d!.personId);
    expect(tickets.map((x: { channel: string }) => x.channel)).toEqual(channel ? [channel] : []);
    if (outcome === 'sos') expect(tickets[0]).toMatchObject({ priority: 'P0', category: 'emergency' });
    if (outcome === 'urgent') expect(tickets[0]).toMatchObject({ priority: 'P1', category: 'life_service' });
  });
});

describe('device health → maintenance orders', () => {
  it('when a device reports low battery twice, then one maintenance order carries both reports', async () => {
    const [d] = await devices({ kind: 'door_sensor' });
    const a = await postAlarm(t.baseUrl, d!, { body: { type: 'low_battery', battery: 12 } });
    const b = await postAlarm(t.baseUrl, d!, { body: { type: 'heartbeat', battery: 9 } });
    expect(a.body).toMatchObject({ outcome: 'maintenance', ticketNumber: expect.any(String) });
    expect(b.body.outcome).toBe('recorded');
    const tickets = await ticketsOf(d!.personId);
    expect(tickets).toHaveLength(1);
    expect(tickets[0]).toMatchObject({ category: 'order', priority: 'P2', channel: 'device_alarm' });
    expect((await timeline(tickets[0].id)).map((e: { kind: string }) => e.kind)).toEqual(['created', 'device_report']);
    const [device] = await ds.query('SELECT battery, last_heartbeat_at FROM device WHERE id = $1', [d!.deviceId]);
    expect(device.battery).toBe(9);
    expect(device.last_heartbeat_at).not.toBeNull();
  });

  it('when a connected pendant of a high-risk person stops sending heartbeats, then the sweep opens one P1 order', async () => {
    const [d] = await devices({});
    await ds.query(`UPDATE device SET last_heartbeat_at = now() - interval '2 days' WHERE id = $1`, [d!.deviceId]);
    const { maintenance } = t.app.services.callerSide;
    await maintenance.sweepHeartbeats(24 * 60);
    await maintenance.sweepHeartbeats(24 * 60);
    const tickets = await ticketsOf(d!.personId);
    expect(tickets).toHaveLength(1);
    expect(tickets[0]).toMatchObject({ category: 'order', priority: 'P1' });
    // a heartbeat does not close the order (someone checks the device), but a fresh device is not flagged
    await postAlarm(t.baseUrl, d!, { body: { type: 'heartbeat', battery: 70 } });
    await maintenance.sweepHeartbeats(24 * 60);
    expect(await ticketsOf(d!.personId)).toHaveLength(1);
  });
});

describe('POST /api/devices/:id/alarm-key', () => {
  it('when an admin issues a new key, then it is shown once, works at once, and the old key stops working', async () => {
    const [d] = await devices({});
    const denied = await api(t.baseUrl, 'POST', `/api/devices/${d!.deviceId}/alarm-key`, agentToken);
    expect(denied.status).toBe(403);
    const issued = await api(t.baseUrl, 'POST', `/api/devices/${d!.deviceId}/alarm-key`, adminToken);
    expect(issued.status).toBe(201);
    expect(issued.body).toMatchObject({ deviceId: d!.deviceId, serial: d!.serial, key: expect.stringMatching(/^[A-Za-z0-9_-]{43}$/) });
    const [row] = await ds.query('SELECT key_enc FROM device_alarm_key WHERE device_id = $1', [d!.deviceId]);
    expect(row.key_enc).not.toContain(issued.body.key);
    expect((await postAlarm(t.baseUrl, { serial: d!.serial, key: issued.body.key }, { body: { type: 'heartbeat' } })).status).toBe(201);
    expect((await postAlarm(t.baseUrl, d!, { body: { type: 'heartbeat' } })).status).toBe(401);
    expect((await api(t.baseUrl, 'POST', `/api/devices/00000000-0000-4000-8000-000000000000/alarm-key`, adminToken)).status).toBe(404);
  });
});
