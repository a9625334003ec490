/**
 * The call log on real traffic (issue 12): click-to-call answered by the customer gets its answer and talk
 * time, an unreachable customer gets the outcome `unreachable` (never `caller_hangup`), and calls that ended
 * while the server was away from the PBX get the window they ended in, never an invented end or talk time.
 * Recorded Asterisk 20 traffic → real AmiAdapter over TCP → call log in the database → HTTP.
 */
import pino from 'pino';
import { Call } from '../src/calls/call.entity';
import { AmiAdapter } from '../src/telephony/ami/ami.adapter';
import { loadAmiFixture, type AmiFixture } from './support/ami-fixtures';
import { AmiReplayServer, type ReplaySession } from './support/ami-replay-server';
import { acquireFixtureLock, resetFixturePeople, type FixturePeople } from './support/fixture-people';
import { api, login, startTestApp, testDataSource, type RunningApp } from './support/test-app';
import { until } from './support/until';

let release: () => void;
let people: FixturePeople;

beforeAll(async () => {
  release = await acquireFixtureLock();
  const ds = await testDataSource();
  try {
    people = await resetFixturePeople(ds);
    // Earlier runs on a shared database may have left calls with the recorded Linkedids.
    await ds.query("DELETE FROM call WHERE call_key IN ('asterisk:1796487628.0', 'asterisk:1796487675.0', 'asterisk:1795346251.0')");
  } finally {
    await ds.destroy();
  }
});
afterAll(() => release?.());

async function withPbx(sessions: ReplaySession[], body: (t: RunningApp, server: AmiReplayServer) => Promise<void>): Promise<void> {
  const server = await AmiReplayServer.start({ sessions });
  const adapter = new AmiAdapter({ connection: server.connection(), logger: pino({ level: 'silent' }), clock: { now: () => new Date() }, reconnect: { initialDelayMs: 10, maxDelayMs: 50 } });
  let wasUp = false; // a session that closes at its end may be down again by the time we look
  adapter.onStateChange((state) => (wasUp ||= state === 'up'));
  const t = await startTestApp({ telephony: adapter });
  try {
    await until(async () => wasUp);
    await body(t, server);
  } finally {
    await t.close();
    await server.close();
  }
}

/** Agent 8001 dials the fixture caller; resolves with the ended call row of that request. */
async function clickToCall(t: RunningApp, ticketId?: string): Promise<{ row: Call; token: string }> {
  const token = await login(t.baseUrl, people.agents['8001']!.username, people.password);
  const personId = people.personIds['ami-test-caller']!;
  const dial = await api(t.baseUrl, 'POST', '/api/calls/click-to-call', token, { number: '13800138000', personId, ...(ticketId ? { ticketId } : {}) });
  expect(dial.status).toBe(202);
  const row = await until(() => t.ds.getRepository(Call).findOneBy({ originateRequestId: dial.body.requestId, status: 'ended' }), 8000);
  await t.app.services.callLog.drain();
  return { row: await t.ds.getRepository(Call).findOneByOrFail({ id: row.id }), token };
}

describe('click-to-call outcomes on recorded traffic', () => {
  it('when the customer answers and the agent hangs up ~6.5 s later, then the call is answered with its answer time, wait and talk time', async () => {
    await withPbx([{ fixtures: loadAmiFixture('click-to-call-originate-answered'), gateOn: ['Originate'] }], async (t) => {
      const { row, token } = await clickToCall(t);
      expect(row).toMatchObject({
        direction: 'outbound', status: 'ended', outcome: 'answered', endReason: 'agent_hangup', hangupCause: 16, agentExtension: '8001',
        answeredAt: new Date('2026-12-05T16:20:31.493Z'), endedAt: new Date('2026-12-05T16:20:37.995Z'),
        waitSeconds: 2, talkSeconds: 7, endedAfter: null, endedBefore: null,
      });
      const list = await api(t.baseUrl, 'GET', `/api/calls?personId=${people.personIds['ami-test-caller']}&direction=outbound`, token);
      expect(list.body.items.find((c: { id: string }) => c.id === row.id)).toMatchObject({ outcome: 'answered', talkSeconds: 7 });
    });
  });

  it('when the customer cannot be reached (cause 34 from an unresolvable trunk), then the call ends unreachable, not caller_hangup', async () => {
    await withPbx([{ fixtures: loadAmiFixture('click-to-call-originate-unreachable'), gateOn: ['Originate'] }], async (t) => {
      const agentToken = await login(t.baseUrl, people.agents['8001']!.username, people.password);
      const ticket = await api(t.baseUrl, 'POST', '/api/tickets', agentToken, { category: 'inquiry', summary: '回电确认补贴进度', personId: people.personIds['ami-test-caller'] });
      expect(ticket.status).toBe(201);
      const { row, token } = await clickToCall(t, ticket.body.id);
      expect(row).toMatchObject({ status: 'ended', outcome: 'unreachable', endReason: 'failed', hangupCause: 34, answeredAt: null, talkSeconds: 0 });
      const list = await api(t.baseUrl, 'GET', `/api/calls?personId=${people.personIds['ami-test-caller']}&direction=outbound`, token);
      expect(list.body.items.find((c: { id: string }) => c.id === row.id)).toMatchObject({ outcome: 'unreachable', endReason: 'failed' });
      // The work order the call was placed from shows what became of it.
      const linked = await until(async () => {
        const detail = await api(t.baseUrl, 'GET', `/api/tickets/${ticket.body.id}`, token);
        return detail.body.calls?.find((c: { id: string }) => c.id === row.id);
      });
      expect(linked).toMatchObject({ outcome: 'unreachable', endedAfter: null, endedBefore: null });
    });
  });
});

describe('calls that ended while the server was away', () => {
  const crashed = { fixtures: loadAmiFixture('reconcile-after-restart-crashed-client'), closeAtEnd: true };
  const noCalls = { fixtures: loadAmiFixture('reconnect-no-calls'), gateOn: ['CoreShowChannels', 'QueueStatus'] };
  const row = (t: RunningApp) => t.ds.getRepository(Call).findOneBy({ callKey: 'asterisk:1795346251.0' });

  beforeEach(async () => {
    const ds = await testDataSource();
    await ds.query("DELETE FROM call WHERE call_key = 'asterisk:1795346251.0'").finally(() => ds.destroy());
  });

  it('when the AMI connection drops mid-call and the PBX has no call at the reconnect, then the call ends inside the window, with no end or talk time', async () => {
    await withPbx([crashed, noCalls], async (t, server) => {
      await server.waitForConnections(2);
      const ended = await until(async () => (await row(t))?.status === 'ended' && (await row(t)), 8000);
      await t.app.services.callLog.drain();
      const closed = (await row(t))!;
      expect(ended.answeredAt).toEqual(new Date('2026-11-22T11:17:33.425Z'));
      expect(closed).toMatchObject({ status: 'ended', agentExtension: '8001', endedAt: null, talkSeconds: null, endReason: 'unknown', hangupCause: null, waitSeconds: 1 });
      // after: the last frame the dropped connection received; before: the reconnect. Both on the server's clock.
      expect(closed.endedAfter).not.toBeNull();
      expect(closed.endedBefore).not.toBeNull();
      expect(closed.endedAfter!.getTime()).toBeLessThanOrEqual(closed.endedBefore!.getTime());
      expect(closed.endedBefore!.getTime() - closed.endedAfter!.getTime()).toBeLessThan(5000);
      expect(closed.endedBefore!.getTime()).toBeLessThanOrEqual(Date.now());
    });
  });

  it('when the agent answered while the connection was down, then the answer time stays unknown and talk and wait are the PBX figures', async () => {
    // Derived from the recording: the dropped connection never saw the AgentConnect.
    const recorded = loadAmiFixture('reconcile-after-restart-crashed-client');
    const unanswered: AmiFixture = { ...recorded, frames: recorded.frames.filter((f) => !f.raw.startsWith('Event: AgentConnect')) };
    await withPbx([{ fixtures: unanswered, closeAtEnd: true }, { fixtures: loadAmiFixture('reconcile-after-restart'), gateOn: ['CoreShowChannels', 'QueueStatus'] }], async (t) => {
      const closed = await until(async () => (await row(t))?.status === 'ended' && (await row(t)), 8000);
      // AgentComplete: TalkTime 6, HoldTime 1 — not a talk time counted from the reconnect
      expect(closed).toMatchObject({ answeredAt: null, talkSeconds: 6, waitSeconds: 1, agentExtension: '8001', endReason: 'agent_hangup', needsFollowUp: false, endedAfter: null });
      expect(closed.endedAt).not.toBeNull();
    });
  });

  it('when the server restarts and the call is gone, then the window starts at the last event stored for the call', async () => {
    await withPbx([crashed], async (t, server) => {
      await until(async () => (await row(t))?.status === 'answered', 8000);
      await server.waitForConnections(1);
      await t.app.services.callLog.drain();
    });
    const ds = await testDataSource();
    const before = await ds.getRepository(Call).findOneByOrFail({ callKey: 'asterisk:1795346251.0' }).finally(() => ds.destroy());
    expect(before.status).toBe('answered');

    await withPbx([noCalls], async (t) => {
      const closed = await until(async () => (await row(t))?.status === 'ended' && (await row(t)), 8000);
      expect(closed).toMatchObject({ endedAt: null, talkSeconds: null, endReason: 'unknown', answeredAt: before.answeredAt });
      expect(closed.endedAfter).toEqual(before.updatedAt);
      expect(closed.endedBefore!.getTime()).toBeGreaterThan(before.updatedAt.getTime());
    });
  });
});
