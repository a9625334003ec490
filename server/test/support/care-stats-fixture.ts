import { randomInt } from 'node:crypto';
import type { DataSource } from 'typeorm';
import { makePerson } from './factories';

/**
 * Care tasks and 回访 with known answers for the supervisor's figures (March 2026, Asia/Shanghai). Plans are
 * inactive and open tasks are leased to the fixture's owner until 2099, so no other test's generator or claimer
 * touches them. Street A (the tree's community) and a second street B; one task and one 回访 in the other
 * district, which a district supervisor must never see.
 */
export interface StatsTree {
  district: string;
  street: string;
  community: string;
  otherDistrict: string;
}

export async function seedCareStats(ds: DataSource, tree: StatsTree, ownerId: string): Promise<{ streetB: string; communityB: string }> {
  const streetB = `${tree.district}002`;
  const communityB = `${streetB}001`;
  await ds.query(`INSERT INTO district (code, name, level, parent_code) VALUES ($1, '第二街道', 'street', $2), ($3, '第二社区', 'community', $1) ON CONFLICT DO NOTHING`, [streetB, tree.district, communityB]);
  const H = await makePerson(ds, tree.community, { riskTier: 'high' });
  const K = await makePerson(ds, tree.community, { riskTier: 'key' });
  const G = await makePerson(ds, tree.community, { riskTier: 'general' });
  const G2 = await makePerson(ds, communityB, { riskTier: 'general' });
  const O = await makePerson(ds, tree.otherDistrict, { riskTier: 'high' });
  const plan = async (p: { id: string }, district: string): Promise<string> =>
    (await ds.query(`INSERT INTO care_plan (person_id, district_code, cadence, anchor_day, next_due_day, window_start, window_end, channel, active) VALUES ($1, $2, 'weekly', '2026-01-05', NULL, 540, 1080, 'voice', false) RETURNING id`, [p.id, district]))[0].id;
  const plans = { H: await plan(H, tree.community), K: await plan(K, tree.community), G: await plan(G, tree.community), G2: await plan(G2, communityB), O: await plan(O, tree.otherDistrict) };
  const care = async (planId: string, person: { id: string }, district: string, rank: number, slot: string, status: string, extra: { outcome?: string; attempts?: number; step?: number } = {}) => {
    const open = status === 'open';
    await ds.query(
      `INSERT INTO care_task (kind, plan_id, slot, person_id, district_code, risk_rank, due_at, status, attempts, outcome, escalation_step, claimed_by_id, lease_until)
       VALUES ('care', $1, $2, $3, $4, $5, $6, $7, $8, $9, $10, $11, $12)`,
      [planId, slot, person.id, district, rank, new Date(`${slot}T09:00:00+08:00`), status, extra.attempts ?? (open ? 0 : 1), extra.outcome ?? null, extra.step ?? 0, open ? ownerId : null, open ? new Date('2099-01-01T00:00:00Z') : null],
    );
  };
  const A = tree.community;
  await care(plans.H, H, A, 0, '2026-02-23', 'done', { outcome: 'reached_fine' }); // February
  await care(plans.H, H, A, 0, '2026-03-02', 'done', { outcome: 'reached_fine' });
  await care(plans.H, H, A, 0, '2026-03-09', 'done', { outcome: 'reached_needs_help' });
  await care(plans.H, H, A, 0, '2026-03-16', 'escalating', { outcome: 'no_answer', attempts: 3, step: 1 });
  await care(plans.H, H, A, 0, '2026-03-23', 'open', { outcome: 'no_answer', attempts: 1 });
  await care(plans.H, H, A, 0, '2026-03-30', 'open');
  await care(plans.H, H, A, 0, '2026-04-06', 'open'); // April
  await care(plans.K, K, A, 1, '2026-03-05', 'done', { outcome: 'visit_needed' });
  await care(plans.G, G, A, 2, '2026-03-10', 'done', { outcome: 'escalated', attempts: 3, step: 2 });
  await care(plans.G, G, A, 2, '2026-03-12', 'cancelled');
  await care(plans.G2, G2, communityB, 2, '2026-03-20', 'done', { outcome: 'reached_fine' });
  await care(plans.O, O, tree.otherDistrict, 0, '2026-03-02', 'done', { outcome: 'reached_fine' });

  const [creator]: { id: string }[] = [{ id: ownerId }];
  const ticket = async (district: string): Promise<string> =>
    (await ds.query(
      `INSERT INTO ticket (number, category, priority, status, caller_relation, channel, summary, district_code, created_by_id) VALUES ($1, 'inquiry', 'P2', 'closed', 'self', 'phone', '统计测试工单', $2, $3) RETURNING id`,
      [`ST${Date.now().toString(36).slice(-6)}${randomInt(1e6, 1e7)}`, district, creator!.id],
    ))[0].id;
  let created = 0;
  const survey = async (ticketId: string, district: string, round: number, due: string, status: string, satisfaction: string | null, resolved: boolean | null) => {
    created++;
    const open = status === 'open';
    await ds.query(
      `INSERT INTO care_task (kind, ticket_id, slot, district_code, risk_rank, due_at, status, satisfaction, resolved, outcome, attempts, created_at, claimed_by_id, lease_until)
       VALUES ('survey', $1, $2, $3, 2, $4, $5, $6, $7, $8, 1, $9, $10, $11)`,
      [ticketId, `survey-${round}`, district, new Date(due), status, satisfaction, resolved, status === 'done' ? 'reached' : status === 'failed' ? 'no_answer' : null, new Date(Date.UTC(2026, 0, 1, 0, created)), open ? ownerId : null, open ? new Date('2099-01-01T00:00:00Z') : null],
    );
  };
  const T = async () => ticket(A);
  const t1 = await T(); await survey(t1, A, 1, '2026-03-03T10:00:00+08:00', 'done', 'very_satisfied', true);
  const t2 = await T(); await survey(t2, A, 1, '2026-03-04T10:00:00+08:00', 'done', 'dissatisfied', false); await survey(t2, A, 2, '2026-03-08T10:00:00+08:00', 'done', 'satisfied', true);
  const t3 = await T(); await survey(t3, A, 1, '2026-03-04T11:00:00+08:00', 'done', 'satisfied', true); await survey(t3, A, 2, '2026-03-09T10:00:00+08:00', 'done', 'very_dissatisfied', false);
  const t4 = await T(); await survey(t4, A, 1, '2026-03-06T10:00:00+08:00', 'failed', null, null);
  const t5 = await T(); await survey(t5, A, 1, '2026-03-07T10:00:00+08:00', 'done', 'basically_satisfied', true);
  const t6 = await T(); await survey(t6, A, 1, '2026-02-27T10:00:00+08:00', 'done', 'satisfied', true); // February
  const t7 = await T(); await survey(t7, A, 1, '2026-03-30T10:00:00+08:00', 'done', 'dissatisfied', false); await survey(t7, A, 2, '2026-04-02T10:00:00+08:00', 'done', 'satisfied', true); // counts in April
  const t8 = await T(); await survey(t8, A, 1, '2026-03-10T10:00:00+08:00', 'open', null, null); // pending: not counted
  const t9 = await ticket(communityB); await survey(t9, communityB, 1, '2026-03-31T23:30:00+08:00', 'done', 'satisfied', true); // still March in Shanghai
  const t10 = await ticket(communityB); await survey(t10, communityB, 1, '2026-04-01T00:10:00+08:00', 'done', 'very_satisfied', true); // March 31 in UTC, April in Shanghai
  const t11 = await ticket(tree.otherDistrict); await survey(t11, tree.otherDistrict, 1, '2026-03-05T10:00:00+08:00', 'failed', null, null);
  return { streetB, communityB };
}
