/**
 * A shared family landline (issue 8): a number confirmed for two persons pops the caller's record and offers
 * the other person too — to the ringing agent, and to each supervisor only within their scope; every
 * delivery is audited with both persons as subjects. Telephony events are fed to the real call log.
 */
import { randomInt } from 'node:crypto';
import type { DataSource } from 'typeorm';
import type { ServerToClientEvents } from '../src/realtime/realtime-events';
import type { TelephonyEvent } from '../src/telephony/telephony-events';
import { makePerson } from './support/factories';
import { api, connectSocket, login, makeDistricts, makeUser, startTestApp, type RunningApp, type TestSocket } from './support/test-app';
import { until } from './support/until';

type Ringing = Parameters<ServerToClientEvents['call:ringing']>[0];

let t: RunningApp;
let ds: DataSource;
let tree: Awaited<ReturnType<typeof makeDistricts>>;
let extension: string;
let agentToken: string;
const sockets: TestSocket[] = [];
const pops: Record<'agent' | 'supHere' | 'supThere', Ringing[]> = { agent: [], supHere: [], supThere: [] };

beforeAll(async () => {
  t = await startTestApp();
  ds = t.ds;
  tree = await makeDistricts(ds);
  extension = String(randomInt(60000, 69999));
  const agent = await makeUser(ds, 'agent', tree.city, { sipExtension: extension });
  agentToken = await login(t.baseUrl, agent.username);
  const users = { agent, supHere: await makeUser(ds, 'supervisor', tree.district), supThere: await makeUser(ds, 'supervisor', tree.otherDistrict) };
  for (const [key, user] of Object.entries(users) as [keyof typeof pops, typeof agent][]) {
    const socket = await connectSocket(t.baseUrl, key === 'agent' ? agentToken : await login(t.baseUrl, user.username));
    socket.on('call:ringing', (p) => pops[key].push(p));
    sockets.push(socket);
  }
});
afterAll(async () => {
  for (const s of sockets) s.disconnect();
  await t.close();
});

async function ring(fromNumber: string): Promise<string> {
  const callKey = `shared-${Date.now()}-${randomInt(1e6)}`;
  const base = { vendor: 'asterisk' as const, callKey, at: new Date() };
  const feed = (e: TelephonyEvent) => t.app.services.callLog.handle(e);
  await feed({ ...base, type: 'call.offered', direction: 'inbound', fromNumber, queue: 'hotline', priority: 0, channel: 'PJSIP/trunk-1' });
  await feed({ ...base, type: 'call.ringing', agentExtension: extension, queue: 'hotline', fromNumber });
  return callKey;
}
const popOf = (who: keyof typeof pops, callKey: string) => pops[who].find((p) => p.call.callKey === `asterisk:${callKey}`)?.pop;

describe('a shared family landline in the screen pop', () => {
  it('when a number confirmed for two persons calls, then the pop offers both, each supervisor only within scope, and the pop is audited with both', async () => {
    const here = await makePerson(ds, tree.community);
    const there = await makePerson(ds, tree.otherDistrict);
    const landline = `+8657186${String(randomInt(100000, 999999))}`;
    expect((await api(t.baseUrl, 'POST', `/api/persons/${here.id}/phones`, agentToken, { number: landline })).status).toBe(201);
    expect((await api(t.baseUrl, 'POST', `/api/persons/${there.id}/phones`, agentToken, { number: landline })).status).toBe(409);
    expect((await api(t.baseUrl, 'POST', `/api/persons/${there.id}/phones`, agentToken, { number: landline, confirmShared: true })).status).toBe(201);

    const callKey = await ring(landline.replace('+86', '0'));
    await until(() => popOf('agent', callKey) && popOf('supHere', callKey) && popOf('supThere', callKey));
    const agentPop = popOf('agent', callKey)!;
    const both = [here.id, there.id].sort();
    expect([agentPop.person!.id, ...agentPop.sharedWith.map((s) => s.personId)].sort()).toEqual(both);
    // Each supervisor sees the pop's person if in scope, and of the other owners only those in scope.
    for (const who of ['supHere', 'supThere'] as const) {
      const pop = popOf(who, callKey)!;
      const mine = who === 'supHere' ? here.id : there.id;
      expect([pop.person?.id, ...pop.sharedWith.map((s) => s.personId)].filter((id) => id && both.includes(id))).toEqual([mine]);
      expect(JSON.stringify(pop)).not.toContain(who === 'supHere' ? there.record.name : here.record.name);
    }
    const rows: { subjects: string[] }[] = await until(async () => {
      const found: { subjects: string[] }[] = await ds.query(`SELECT subjects FROM audit_log WHERE action = 'person.pop' AND purpose LIKE $1`, [`call ${agentPop.callId || '%'}%(agent)`]);
      return found.length > 0 && found;
    });
    expect(rows[0]!.subjects.sort()).toEqual(both.map((id) => `person:${id}`).sort());
  });
});
