/**
 * Screen pops and call notices reach only who may see them (issue 7): the ringing agent and the supervisors
 * whose district scope covers the caller, on real sockets; every delivered pop is audited with its subject.
 * Telephony events are fed to the real call log as an adapter would deliver them.
 */
import { randomInt } from 'node:crypto';
import type { DataSource } from 'typeorm';
import { AuditLog } from '../src/audit/audit-log.entity';
import type { ServerToClientEvents } from '../src/realtime/realtime-events';
import type { TelephonyEvent } from '../src/telephony/telephony-events';
import { makePerson } from './support/factories';
import { connectSocket, login, makeDistricts, makeUser, randomMobile, startTestApp, type RunningApp, type TestSocket } from './support/test-app';
import { until } from './support/until';

type Ringing = Parameters<ServerToClientEvents['call:ringing']>[0];
type Updated = Parameters<ServerToClientEvents['call:updated']>[0];

let t: RunningApp;
let ds: DataSource;
let tree: Awaited<ReturnType<typeof makeDistricts>>;
const users: Record<'agent' | 'supHere' | 'supThere' | 'supCity', { id: string; socket: TestSocket; ringing: Ringing[]; updated: Updated[] }> = {} as never;
let extension: string;

beforeAll(async () => {
  t = await startTestApp();
  ds = t.ds;
  tree = await makeDistricts(ds);
  extension = String(randomInt(70000, 79999));
  const made = {
    agent: await makeUser(ds, 'agent', tree.city, { sipExtension: extension }),
    supHere: await makeUser(ds, 'supervisor', tree.district),
    supThere: await makeUser(ds, 'supervisor', tree.otherDistrict),
    supCity: await makeUser(ds, 'supervisor', tree.city),
  };
  for (const [key, user] of Object.entries(made) as [keyof typeof users, (typeof made)['agent']][]) {
    const socket = await connectSocket(t.baseUrl, await login(t.baseUrl, user.username));
    const entry = { id: user.id, socket, ringing: [] as Ringing[], updated: [] as Updated[] };
    socket.on('call:ringing', (p) => entry.ringing.push(p));
    socket.on('call:updated', (p) => entry.updated.push(p));
    users[key] = entry;
  }
});
afterAll(async () => {
  for (const u of Object.values(users)) u.socket.disconnect();
  await t.close();
});

async function ring(fromNumber: string): Promise<string> {
  const callKey = `scope-${Date.now()}-${randomInt(1e6)}`;
  const base = { vendor: 'asterisk' as const, callKey, at: new Date() };
  const feed = (e: TelephonyEvent) => t.app.services.callLog.handle(e);
  await feed({ ...base, type: 'call.offered', direction: 'inbound', fromNumber, queue: 'hotline', priority: 0, channel: 'PJSIP/trunk-1' });
  await feed({ ...base, type: 'call.ringing', agentExtension: extension, queue: 'hotline', fromNumber });
  await feed({ ...base, type: 'call.answered', agentExtension: extension, queue: 'hotline' });
  return callKey;
}
const settle = () => new Promise((r) => setTimeout(r, 200));
const popsOf = (u: keyof typeof users, callKey: string) => users[u].ringing.filter((p) => p.call.callKey === `asterisk:${callKey}`);
const updatesOf = (u: keyof typeof users, callKey: string) => users[u].updated.filter((p) => p.call.callKey === `asterisk:${callKey}`);

describe('call notices by district scope', () => {
  it('when a person of one district calls, then the agent and the supervisors of that district and of the city get the pop, the other district\'s supervisor nothing', async () => {
    const person = await makePerson(ds, tree.community);
    const callKey = await ring(person.phone.replace('+86', ''));
    await until(() => popsOf('supCity', callKey).length && popsOf('supHere', callKey).length && updatesOf('supHere', callKey).some((u) => u.call.status === 'answered'));
    await settle();
    expect(popsOf('agent', callKey).map((p) => p.pop.person?.id)).toEqual([person.id]);
    expect(popsOf('supHere', callKey).map((p) => p.pop.person?.id)).toEqual([person.id]);
    expect(popsOf('supCity', callKey)).toHaveLength(1);
    expect(popsOf('supThere', callKey)).toEqual([]);
    expect(updatesOf('supThere', callKey)).toEqual([]);
    // Supervisors watch: no full numbers in what they receive.
    expect(JSON.stringify([...popsOf('supHere', callKey), ...updatesOf('supHere', callKey)])).not.toContain(person.phone.slice(3));
    expect(popsOf('agent', callKey)[0]!.pop.fromE164).toBe(person.phone);
    // What the call needs goes to the ringing agent only: the medical notes.
    expect(popsOf('agent', callKey)[0]!.pop.person!.medicalNotes).toBe('高血压，服用降压药');
    expect(popsOf('supHere', callKey)[0]!.pop.person!.medicalNotes).toBeNull();
    expect(JSON.stringify(popsOf('supCity', callKey))).not.toContain('高血压');
  });

  it('when a pop is delivered, then each delivery is audited with the person as subject, for the agent and each supervisor reached', async () => {
    const person = await makePerson(ds, tree.community);
    const callKey = await ring(person.phone);
    await until(() => popsOf('supHere', callKey).length && popsOf('supCity', callKey).length);
    const callId = popsOf('agent', callKey)[0]!.call.id;
    const rows = await until(async () => {
      const found = await ds.getRepository(AuditLog).findBy({ action: 'person.pop', subjectId: person.id });
      return found.length >= 3 && found;
    });
    await settle();
    const all = await ds.getRepository(AuditLog).findBy({ action: 'person.pop', subjectId: person.id });
    expect(all.map((r) => r.actorId).sort()).toEqual([users.agent.id, users.supHere.id, users.supCity.id].sort());
    for (const r of rows) expect(r).toMatchObject({ subjects: [`person:${person.id}`], purpose: expect.stringContaining(callId) });
  });

  it('when an unknown number calls, then only the agent and city-wide supervisors hear of it', async () => {
    const callKey = await ring(randomMobile().replace('+86', ''));
    await until(() => popsOf('supCity', callKey).length);
    await settle();
    expect(popsOf('agent', callKey)).toHaveLength(1);
    expect(popsOf('supHere', callKey)).toEqual([]);
    expect(popsOf('supThere', callKey)).toEqual([]);
    expect(updatesOf('supHere', callKey)).toEqual([]);
  });

  it('when a guardian calls, then a supervisor sees the persons they care for only within their own scope', async () => {
    const guardian = randomMobile();
    const here = await makePerson(ds, tree.community, { contacts: [{ name: '共同监护', relation: '儿子', isGuardian: true, priority: 1, notifyOnEmergency: true, phoneE164: guardian }] });
    const there = await makePerson(ds, tree.otherDistrict, { contacts: [{ name: '共同监护', relation: '儿子', isGuardian: true, priority: 2, notifyOnEmergency: true, phoneE164: guardian }] });
    const callKey = await ring(guardian);
    await until(() => popsOf('supCity', callKey).length && popsOf('supHere', callKey).length);
    await settle();
    expect(popsOf('agent', callKey)[0]!.pop.knownAsContactOf.map((c) => c.personId).sort()).toEqual([here.id, there.id].sort());
    expect(popsOf('supCity', callKey)[0]!.pop.knownAsContactOf).toHaveLength(2);
    expect(popsOf('supHere', callKey)[0]!.pop.knownAsContactOf.map((c) => c.personId)).toEqual([here.id]);
    await until(() => popsOf('supThere', callKey).length);
    expect(popsOf('supThere', callKey)[0]!.pop.knownAsContactOf.map((c) => c.personId)).toEqual([there.id]);
  });
});
