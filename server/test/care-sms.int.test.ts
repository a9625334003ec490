/**
 * Care calls and 回访 by SMS on the test database with a fake clock: the question goes out through the outbox,
 * reply codes from the inbound SMS path settle the task (timeline, order, rating), no reply by the durable
 * deadline is an unanswered attempt (retry, then the voice escalation or 回访失败), and late or unknown replies
 * reopen nothing.
 */
import { randomBytes, randomInt } from 'node:crypto';
import type { DataSource } from 'typeorm';
import { makePerson } from './support/factories';
import { api, login, makeDistricts, makeUser, startTestApp, TestClock, type RunningApp } from './support/test-app';

let t: RunningApp;
let ds: DataSource;
let tree: Awaited<ReturnType<typeof makeDistricts>>;
let supervisorName: string;
let agentId: string;

/** Monday 2 March 2026, 10:00 in Shanghai. */
const START = new Date('2026-03-02T10:00:00+08:00');

beforeAll(async () => {
  t = await startTestApp({ clock: new TestClock(START), env: { BACKGROUND_JOBS: 'off', SESSION_IDLE_MINUTES: '1440', SESSION_TTL_MINUTES: '1440', HOTLINE_NUMBER: '96345' } });
  ds = t.ds;
  tree = await makeDistricts(ds);
  supervisorName = (await makeUser(ds, 'supervisor', tree.district)).username;
  agentId = (await makeUser(ds, 'agent', tree.district)).id;
});
afterAll(async () => {
  await t?.close();
});

const sms = () => t.app.services.care.sms!.tick();
const text = (from: string, body: string) => t.app.services.callerSide.inboundSms.handle({ messageSid: `SM${randomBytes(16).toString('hex')}`, from, body });
const task = async (personId: string) => (await ds.query(`SELECT id, status, attempts, outcome, satisfaction, resolved, sms_to, sms_sent_at, reply_due_at, lease_until, claimed_by_id, escalation_step, opened_ticket_id, due_at FROM care_task WHERE person_id = $1 ORDER BY created_at DESC LIMIT 1`, [personId]))[0];
const timeline = async (personId: string): Promise<string[]> => (await ds.query(`SELECT kind FROM care_event WHERE person_id = $1 ORDER BY id`, [personId])).map((r: { kind: string }) => r.kind);
const outboxTo = (to: string): Promise<Array<{ idempotency_key: string; payload: { to: string; body: string } }>> => ds.query(`SELECT idempotency_key, payload FROM outbox WHERE kind = 'sms' AND payload->>'to' = $1 ORDER BY created_at, id`, [to]);
const advanceTo = (at: Date) => t.clock.advance(at.getTime() - t.clock.now().getTime());

/** A deaf person (SMS only) with a weekly SMS plan and today's task generated. */
async function deafWithTask(over: Record<string, unknown> = {}) {
  const p = await makePerson(ds, tree.community, { riskTier: 'high', communicationNeed: 'sms_only', ...over });
  const supervisor = await login(t.baseUrl, supervisorName); // the fake clock jumps days: a fresh session
  expect((await api(t.baseUrl, 'PUT', `/api/care/plans/${p.id}`, supervisor, { cadence: 'weekly' })).body).toMatchObject({ channel: 'sms' });
  await t.app.services.care.plans.generate();
  return p;
}

describe('care calls by SMS', () => {
  it('when an SMS task is due, then its question goes out once through the outbox, it leaves the agents’ list, and a reply 1 records 好 on the task and the timeline; a second reply is late and changes nothing', async () => {
    const p = await deafWithTask();
    expect(await sms()).toBeGreaterThanOrEqual(1);
    expect(await sms()).toBe(0); // a second tick sends nothing again
    const sent = await outboxTo(p.phone);
    expect(sent).toHaveLength(1);
    expect(sent[0]!.payload.body).toBe('【安心热线】您好，例行关怀问候：请回复 1 一切都好，回复 2 需要帮助。紧急情况请回复 SOS 或拨打 96345。');
    expect(sent[0]!.payload.body).not.toContain(p.record.name);
    const waiting = await task(p.id);
    expect(waiting).toMatchObject({ status: 'open', sms_to: p.phone, claimed_by_id: null });
    expect(new Date(waiting.reply_due_at).getTime()).toBe(START.getTime() + 120 * 60_000);
    expect(new Date(waiting.lease_until).getTime()).toBe(new Date(waiting.reply_due_at).getTime());
    const listed = await ds.query(`SELECT 1 FROM care_task WHERE id = $1 AND (lease_until IS NULL OR lease_until < $2)`, [waiting.id, t.clock.now()]);
    expect(listed).toEqual([]); // held from claim-next and the work list while it waits

    t.clock.advance(10 * 60_000);
    const r = await text(p.phone, ' 1 ');
    expect(r).toMatchObject({ outcome: 'care_reply', reply: '【安心热线】已收到您的回复，谢谢！', ticketNumber: null });
    expect(await task(p.id)).toMatchObject({ status: 'done', outcome: 'reached_fine', attempts: 1, reply_due_at: null, lease_until: null });
    const late = await text(p.phone, '2');
    expect(late.outcome).toBe('care_late');
    expect(await task(p.id)).toMatchObject({ status: 'done', outcome: 'reached_fine', opened_ticket_id: null });
    expect(await timeline(p.id)).toEqual(['plan_created', 'task_generated', 'sms_sent', 'sms_reply', 'sms_reply_late']);
    const inbound = await ds.query(`SELECT outcome FROM sms_inbound WHERE from_e164 = $1 ORDER BY outcome`, [p.phone]);
    expect(inbound).toEqual([{ outcome: 'care_late' }, { outcome: 'care_reply' }]);
  });

  it('when the person replies 2, then a needs-help work order opens for them', async () => {
    advanceTo(new Date('2026-03-03T10:00:00+08:00'));
    const p = await deafWithTask();
    await sms();
    const r = await text(p.phone, '２');
    expect(r.reply).toContain('工作人员会尽快联系您');
    const done = await task(p.id);
    expect(done).toMatchObject({ status: 'done', outcome: 'reached_needs_help' });
    const [order] = await ds.query(`SELECT person_id, channel FROM ticket WHERE id = $1`, [done.opened_ticket_id]);
    expect(order).toEqual({ person_id: p.id, channel: 'outbound_care' });
    expect(await timeline(p.id)).toEqual(['plan_created', 'task_generated', 'sms_sent', 'order_opened', 'sms_reply']);
  });

  it('when a reply is not a code, then it is noted on the task, handled as an ordinary text, and the task keeps waiting', async () => {
    advanceTo(new Date('2026-03-04T10:00:00+08:00'));
    const p = await deafWithTask();
    await sms();
    const r = await text(p.phone, '请帮我预约理发');
    expect(r.outcome).toBe('ticket_created');
    expect(await task(p.id)).toMatchObject({ status: 'open', attempts: 0, sms_to: p.phone });
    expect((await timeline(p.id)).at(-1)).toBe('sms_reply_unknown');
  });

  it('when nobody replies, then each deadline is an attempt, the question is sent again at the retry time, and after three the task enters the voice escalation; a reply then is late', async () => {
    advanceTo(new Date('2026-03-05T09:30:00+08:00'));
    const p = await deafWithTask();
    await sms();
    for (let attempt = 1; attempt <= 3; attempt++) {
      const before = await task(p.id);
      advanceTo(new Date(new Date(before.reply_due_at).getTime() + 1000));
      await sms();
      const after = await task(p.id);
      expect(after.attempts).toBe(attempt);
      if (attempt < 3) {
        expect(after).toMatchObject({ status: 'open', outcome: 'no_answer', sms_sent_at: null, reply_due_at: null });
        advanceTo(new Date(after.due_at));
        await sms(); // sends again
      } else {
        expect(after).toMatchObject({ status: 'escalating', escalation_step: 0, reply_due_at: null });
      }
    }
    expect((await outboxTo(p.phone)).map((o) => o.idempotency_key.split(':').at(-1))).toEqual(['1', '2', '3']);
    expect(await t.app.services.care.escalation.tick()).toBeGreaterThanOrEqual(1);
    const escalated = await task(p.id);
    expect(escalated).toMatchObject({ status: 'escalating', escalation_step: 1 });
    expect(await outboxTo(p.record.contacts![0]!.phoneE164!)).toHaveLength(1); // the emergency contact is texted
    expect((await text(p.phone, '1')).outcome).toBe('care_late');
    expect(await task(p.id)).toMatchObject({ status: 'escalating', escalation_step: 1 });
    expect(await timeline(p.id)).toEqual(['plan_created', 'task_generated', 'sms_sent', 'sms_timeout', 'sms_sent', 'sms_timeout', 'sms_sent', 'sms_timeout', 'escalation_contacts', 'sms_reply_late']);
  });

  it('when the person has no mobile, then nothing is texted and the task stays for the agents', async () => {
    advanceTo(new Date('2026-03-06T10:00:00+08:00'));
    const p = await deafWithTask({ phones: [{ e164: `+8657188${randomInt(100000, 999999)}`, kind: 'landline' }] });
    await sms();
    expect(await task(p.id)).toMatchObject({ status: 'open', sms_to: null, lease_until: null });
    expect((await timeline(p.id)).at(-1)).toBe('sms_no_number');
  });
});

describe('回访 by SMS', () => {
  /** A finished order of a deaf person without a care plan: its 回访 goes by SMS (communication needs). */
  async function finishedOrder() {
    const p = await makePerson(ds, tree.community, { riskTier: 'general', communicationNeed: 'sms_only' });
    const [o] = await ds.query(
      `INSERT INTO ticket (number, category, priority, status, person_id, caller_relation, channel, summary, district_code, created_by_id) VALUES ($1, 'life_service', 'P2', 'done', $2, 'self', 'sms', '短信回访测试', $3, $4) RETURNING id`,
      [`SM${randomInt(1e9, 1e10)}`, p.id, tree.community, agentId],
    );
    expect(await t.app.services.care.surveys.sweep()).toBeGreaterThanOrEqual(1);
    const survey = await task(p.id);
    advanceTo(new Date(survey.due_at));
    await sms();
    return { p, ticketId: o.id as string };
  }

  it('when the person replies 4N, then the rating and resolved are recorded on the task and the order, which goes back for rework', async () => {
    advanceTo(new Date('2026-03-09T10:00:00+08:00'));
    const { p, ticketId } = await finishedOrder();
    const [q] = await outboxTo(p.phone);
    expect(q!.payload.body).toContain('1 非常满意');
    expect((await text(p.phone, '4N')).outcome).toBe('care_reply');
    expect(await task(p.id)).toMatchObject({ status: 'done', outcome: 'reached', satisfaction: 'dissatisfied', resolved: false });
    const [order] = await ds.query(`SELECT satisfaction FROM ticket WHERE id = $1`, [ticketId]);
    expect(order.satisfaction).toBe('dissatisfied');
    const kinds: string[] = (await ds.query(`SELECT kind FROM ticket_event WHERE ticket_id = $1 ORDER BY id`, [ticketId])).map((e: { kind: string }) => e.kind);
    expect(kinds).toContain('rework');
  });

  it('when three texted 回访 go unanswered, then it is 回访失败 on the task and the order, with no rating', async () => {
    advanceTo(new Date('2026-03-11T10:00:00+08:00'));
    const { p, ticketId } = await finishedOrder();
    for (let i = 0; i < 3; i++) {
      const waiting = await task(p.id);
      advanceTo(new Date(new Date(waiting.reply_due_at).getTime() + 1000));
      await sms();
      const after = await task(p.id);
      if (after.status === 'open') {
        advanceTo(new Date(after.due_at));
        await sms();
      }
    }
    expect(await task(p.id)).toMatchObject({ status: 'failed', attempts: 3, satisfaction: null });
    const events: string[] = (await ds.query(`SELECT kind FROM ticket_event WHERE ticket_id = $1 ORDER BY id`, [ticketId])).map((e: { kind: string }) => e.kind);
    expect(events).toContain('callback_failed');
    expect((await text(p.phone, '1')).outcome).toBe('care_late');
    expect(await task(p.id)).toMatchObject({ status: 'failed', satisfaction: null });
  });
});
