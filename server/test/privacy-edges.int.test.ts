/**
 * Existence oracles at the machine edges (issue 7): `/ivr/lookup` behind a proxy and its audit trail, and
 * alarm-signature failures that answer the same whatever the serial.
 */
import type { DataSource } from 'typeorm';
import { AuditLog } from '../src/audit/audit-log.entity';
import { fieldCryptoFromSecret } from '../src/shared/crypto-from-config';
import { makeAlarmDevices, postAlarm } from './support/alarm-devices';
import { makePerson } from './support/factories';
import { makeDistricts, randomMobile, startTestApp, TEST_DATA_KEY, type RunningApp } from './support/test-app';

let t: RunningApp;
let ds: DataSource;
let tree: Awaited<ReturnType<typeof makeDistricts>>;

beforeAll(async () => {
  t = await startTestApp({ env: { BACKGROUND_JOBS: 'off' } });
  ds = t.ds;
  tree = await makeDistricts(ds);
});
afterAll(() => t.close());

describe('/ivr/lookup without a token', () => {
  const lookup = (number: string, headers: Record<string, string> = {}) => fetch(`${t.baseUrl}/ivr/lookup?number=${encodeURIComponent(number)}`, { headers });

  it.each([
    ['X-Forwarded-For', { 'x-forwarded-for': '127.0.0.1' }],
    ['X-Forwarded-For naming a remote client', { 'x-forwarded-for': '203.0.113.7' }],
    ['Forwarded', { forwarded: 'for=127.0.0.1' }],
    ['X-Real-IP', { 'x-real-ip': '203.0.113.7' }],
  ])('when a request relayed by a proxy on this host carries %s, then 403: only Asterisk asking directly passes', async (_what, headers) => {
    const person = await makePerson(ds, tree.community);
    const r = await lookup(person.phone, headers);
    expect(r.status).toBe(403);
    expect(await r.text()).toBe('forbidden');
  });

  it('when Asterisk asks directly about a known number, then it is answered and the lookup is audited with the person as subject', async () => {
    const person = await makePerson(ds, tree.community);
    const r = await lookup(person.phone.replace('+86', ''));
    expect(await r.text()).toBe('known');
    const [entry] = await ds.getRepository(AuditLog).findBy({ action: 'ivr.lookup', subjectId: person.id });
    expect(entry).toMatchObject({ actorId: null, actorUsername: 'ivr', subjectType: 'person', purpose: 'known', outcome: 'ok' });
    expect(entry!.subjects).toEqual([`person:${person.id}`]);
  });

  it('when a guardian\'s number is looked up, then the subject is the person they care for', async () => {
    const person = await makePerson(ds, tree.community);
    await lookup(person.record.contacts![0]!.phoneE164);
    expect(await ds.getRepository(AuditLog).countBy({ action: 'ivr.lookup', subjectId: person.id })).toBe(1);
  });

  it('when an unknown number is looked up, then the lookup is audited with no subject', async () => {
    const before = await ds.getRepository(AuditLog).countBy({ action: 'ivr.lookup', purpose: 'unknown' });
    expect(await (await lookup(randomMobile())).text()).toBe('unknown');
    expect(await ds.getRepository(AuditLog).countBy({ action: 'ivr.lookup', purpose: 'unknown' })).toBe(before + 1);
  });
});

describe('POST /api/alarms authentication failures', () => {
  it('when the device is unknown, the key wrong, the signature bad or the timestamp stale, then the answer is the same 401 body', async () => {
    const [d] = await makeAlarmDevices(ds, fieldCryptoFromSecret(TEST_DATA_KEY), tree.community, [{}]);
    const now = Math.floor(Date.now() / 1000);
    const ghost = { serial: `NO-SUCH-${Date.now()}`, key: d!.key };
    const replies = await Promise.all([
      postAlarm(t.baseUrl, ghost, { body: { type: 'sos' } }),
      postAlarm(t.baseUrl, ghost, { body: { type: 'sos' }, timestamp: now - 3600 }),
      postAlarm(t.baseUrl, d!, { body: { type: 'sos' }, signWith: 'not-the-device-key-at-all' }),
      postAlarm(t.baseUrl, d!, { body: { type: 'sos' }, timestamp: now - 3600 }),
      postAlarm(t.baseUrl, d!, { body: { type: 'sos' }, headers: { 'x-anxin-signature': `v1=${'0'.repeat(64)}` } }),
    ]);
    expect(replies.map((r) => r.status)).toEqual([401, 401, 401, 401, 401]);
    for (const r of replies) expect(r.body).toEqual(replies[0]!.body);
    expect(replies[0]!.body.error.code).toBe('alarm/unauthorized');
  });
});
