/**
 * A person's status and consents over real HTTP and a real database (issue 8): the hand-over to another
 * district (the new scope sees it, the old one gets 404), death (devices disarmed, nothing deleted), the merge
 * of two records (every reference moves and nothing is lost; refused across scopes), PIPL consents with
 * withdrawal and history; every read and change audited with its subjects.
 */
import { randomUUID } from 'node:crypto';
import type { DataSource } from 'typeorm';
import { MERGE_KEEPS, MERGE_MOVES } from '../src/persons/person-merge.service';
import { makePerson } from './support/factories';
import { api, login, makeDistricts, makeUser, randomMobile, startTestApp, type RunningApp } from './support/test-app';

let t: RunningApp;
let ds: DataSource;
let tree: Awaited<ReturnType<typeof makeDistricts>>;
let citySupervisor: string;
let districtSupervisor: string;
let otherSupervisor: string;
let agent: string;

beforeAll(async () => {
  t = await startTestApp({ env: { BACKGROUND_JOBS: 'off' } });
  ds = t.ds;
  tree = await makeDistricts(ds);
  citySupervisor = await login(t.baseUrl, (await makeUser(ds, 'supervisor', tree.city)).username);
  districtSupervisor = await login(t.baseUrl, (await makeUser(ds, 'supervisor', tree.district)).username);
  otherSupervisor = await login(t.baseUrl, (await makeUser(ds, 'supervisor', tree.otherDistrict)).username);
  agent = await login(t.baseUrl, (await makeUser(ds, 'agent', tree.district)).username);
});
afterAll(() => t.close());

const lastAudit = async (action: string, personId: string) =>
  (await ds.query('SELECT outcome, purpose, subjects FROM audit_log WHERE action = $1 AND $2 = ANY(subjects) ORDER BY id DESC LIMIT 1', [action, `person:${personId}`]))[0];

describe('hand-over to another district', () => {
  it('when a supervisor moves a person, then the receiving district sees the record, the old one gets 404, and the hand-over is kept and audited', async () => {
    const person = await makePerson(ds, tree.community);
    const r = await api(t.baseUrl, 'POST', `/api/persons/${person.id}/move`, districtSupervisor, { districtCode: tree.otherDistrict, note: '随子女迁居' });
    expect(r.status).toBe(200);
    expect(r.body).toMatchObject({ status: 'active', districtCode: tree.otherDistrict });
    expect((await api(t.baseUrl, 'GET', `/api/persons/${person.id}`, districtSupervisor)).status).toBe(404);
    expect((await api(t.baseUrl, 'GET', `/api/persons/${person.id}`, otherSupervisor)).status).toBe(200);
    const status = await api(t.baseUrl, 'GET', `/api/persons/${person.id}/status`, otherSupervisor);
    expect(status.body.events).toEqual([expect.objectContaining({ kind: 'moved', fromDistrictCode: tree.community, toDistrictCode: tree.otherDistrict, note: '随子女迁居' })]);
    expect(await lastAudit('person.move', person.id)).toMatchObject({ outcome: 'ok', purpose: `${tree.community} → ${tree.otherDistrict}: 随子女迁居` });
    expect(await lastAudit('person.status.read', person.id)).toMatchObject({ outcome: 'ok' });
  });

  it('when the target district is unknown or retired, then 404 and the person stays', async () => {
    const person = await makePerson(ds, tree.community);
    await ds.query(`INSERT INTO district (code, name, level, parent_code, retired_at) VALUES ($1, '已撤销街道', 'street', $2, now())`, [`${tree.district}888`, tree.district]);
    for (const districtCode of ['999999999999', `${tree.district}888`]) {
      const r = await api(t.baseUrl, 'POST', `/api/persons/${person.id}/move`, citySupervisor, { districtCode, note: '迁居' });
      expect(r.status).toBe(404);
      expect(r.body.error.code).toBe('district/not-found');
    }
    expect((await ds.query('SELECT district_code FROM person WHERE id = $1', [person.id]))[0].district_code).toBe(tree.community);
  });

  it('when a supervisor of another district tries to move the person, then 404 as if missing, audited as denied', async () => {
    const person = await makePerson(ds, tree.community);
    const r = await api(t.baseUrl, 'POST', `/api/persons/${person.id}/move`, otherSupervisor, { districtCode: tree.otherDistrict, note: '越权迁移' });
    expect(r.status).toBe(404);
    expect(r.body.error.code).toBe('person/not-found');
    expect(await lastAudit('person.move', person.id)).toMatchObject({ outcome: 'denied' });
  });
});


/** A care plan (through the API, defaults by risk tier) and one open care call of it, due now. */
async function withCarePlan(personId: string, districtCode: string): Promise<{ planId: string; taskId: string }> {
  const saved = await api(t.baseUrl, 'PUT', `/api/care/plans/${personId}`, districtSupervisor, {});
  expect(saved.status).toBe(200);
  const [task]: { id: string }[] = await ds.query(
    `INSERT INTO care_task (kind, plan_id, slot, person_id, district_code, risk_rank, due_at) VALUES ('care', $1, $2, $3, $4, 1, now()) RETURNING id`,
    [saved.body.id, `test-${randomUUID().slice(0, 8)}`, personId, districtCode],
  );
  return { planId: saved.body.id, taskId: task!.id };
}
const planState = async (planId: string) => (await ds.query('SELECT person_id, active, closed_reason FROM care_plan WHERE id = $1', [planId]))[0];
const taskStatus = async (taskId: string) => (await ds.query('SELECT person_id, status FROM care_task WHERE id = $1', [taskId]))[0];

describe('death', () => {
  it('when an agent records a death, then the status and date are kept, the devices are disarmed, nothing is deleted, and it is audited', async () => {
    const person = await makePerson(ds, tree.community);
    const r = await api(t.baseUrl, 'POST', `/api/persons/${person.id}/deceased`, agent, { diedOn: '2026-11-30', note: '家属来电告知' });
    expect(r.status).toBe(200);
    expect(r.body).toMatchObject({ status: 'deceased', diedOn: '2026-11-30', events: [expect.objectContaining({ kind: 'deceased', diedOn: '2026-11-30', movedRows: { devicesDisarmed: 1, carePlansClosed: 0, careTasksCancelled: 0 } })] });
    expect(await ds.query('SELECT armed FROM device WHERE person_id = $1', [person.id])).toEqual([{ armed: false }]);
    expect((await ds.query('SELECT count(*)::int AS n FROM phone_number WHERE person_id = $1', [person.id]))[0].n).toBe(1);
    expect((await ds.query('SELECT count(*)::int AS n FROM contact WHERE person_id = $1', [person.id]))[0].n).toBe(1);
    expect((await api(t.baseUrl, 'GET', `/api/persons/${person.id}`, agent)).status).toBe(200);
    expect(await lastAudit('person.deceased', person.id)).toMatchObject({ outcome: 'ok', purpose: '家属来电告知' });
    const again = await api(t.baseUrl, 'POST', `/api/persons/${person.id}/deceased`, agent, { diedOn: '2026-11-30', note: '重复登记' });
    expect(again.status).toBe(409);
    expect(again.body.error.code).toBe('person/status-conflict');
  });

  it('when a supervisor corrects a death recorded by mistake, then the record is active again, the devices the death disarmed are re-armed (not others), and both stay in the history', async () => {
    const person = await makePerson(ds, tree.community, {
      devices: [
        { kind: 'sos_pendant', serial: `SN-${randomUUID()}`, mode: 'home', armed: true, battery: 80, phoneE164: null },
        { kind: 'door_sensor', serial: `SN-${randomUUID()}`, mode: 'home', armed: false, battery: 80, phoneE164: null },
      ],
    });
    await api(t.baseUrl, 'POST', `/api/persons/${person.id}/deceased`, agent, { diedOn: '2026-11-30', note: '误听为去世' });
    expect((await api(t.baseUrl, 'POST', `/api/persons/${person.id}/reactivate`, agent, { note: '核实仍健在' })).status).toBe(403);
    const r = await api(t.baseUrl, 'POST', `/api/persons/${person.id}/reactivate`, districtSupervisor, { note: '核实仍健在' });
    expect(r.status).toBe(200);
    expect(r.body).toMatchObject({ status: 'active', diedOn: null, events: [expect.objectContaining({ kind: 'reactivated', diedOn: '2026-11-30', movedRows: { devicesRearmed: 1, carePlansReopened: 0 } }), expect.objectContaining({ kind: 'deceased' })] });
    expect((await ds.query('SELECT kind, armed FROM device WHERE person_id = $1 ORDER BY kind', [person.id]))).toEqual([{ kind: 'door_sensor', armed: false }, { kind: 'sos_pendant', armed: true }]);
    expect(await lastAudit('person.reactivate', person.id)).toMatchObject({ outcome: 'ok', purpose: '核实仍健在' });
    expect((await api(t.baseUrl, 'POST', `/api/persons/${person.id}/reactivate`, districtSupervisor, { note: '再次更正' })).status).toBe(409);
  });

  it('when a person with a care plan dies, then the plan closes and the open care call is cancelled; a corrected death reopens the plan', async () => {
    const person = await makePerson(ds, tree.community);
    const { planId, taskId } = await withCarePlan(person.id, tree.community);
    const r = await api(t.baseUrl, 'POST', `/api/persons/${person.id}/deceased`, agent, { diedOn: '2026-11-30', note: '家属来电告知' });
    expect(r.status).toBe(200);
    expect(r.body.events[0].movedRows).toMatchObject({ carePlansClosed: 1, careTasksCancelled: 1 });
    expect(await planState(planId)).toMatchObject({ active: false, closed_reason: '服务对象已故' });
    expect(await taskStatus(taskId)).toMatchObject({ status: 'cancelled' });
    expect((await api(t.baseUrl, 'POST', `/api/persons/${person.id}/reactivate`, districtSupervisor, { note: '核实仍健在' })).body.events[0].movedRows).toMatchObject({ carePlansReopened: 1 });
    expect(await planState(planId)).toMatchObject({ active: true, closed_reason: null });
  });

  it('when the date of death is in the future or not a date, then 400 and nothing changes', async () => {
    const person = await makePerson(ds, tree.community);
    for (const diedOn of ['2999-01-01', '2026-02-30', '昨天']) {
      const r = await api(t.baseUrl, 'POST', `/api/persons/${person.id}/deceased`, agent, { diedOn, note: '家属来电' });
      expect(r.status).toBe(400);
    }
    expect((await ds.query('SELECT status FROM person WHERE id = $1', [person.id]))[0].status).toBe('active');
  });
});

/** One of everything that names a person, for the merge. */
async function everythingFor(personId: string): Promise<void> {
  const [ticket] = await ds.query(
    `INSERT INTO ticket (number, category, priority, status, person_id, caller_relation, channel, summary, district_code, created_by_id)
     SELECT $1, 'emergency', 'P0', 'pending', $2, 'self', 'phone', '合并测试', $3, id FROM staff_user LIMIT 1 RETURNING id`,
    [`M${randomUUID().slice(0, 12)}`, personId, tree.community],
  );
  await ds.query(`INSERT INTO call (call_key, direction, status, person_id, offered_at) VALUES ($1, 'inbound', 'ended', $2, now())`, [`merge-${randomUUID()}`, personId]);
  await ds.query(`INSERT INTO sos_incident (ticket_id, person_id, source, district_code, status, raised_at) VALUES ($1, $2, 'alarm_api', $3, 'resolved', now())`, [ticket.id, personId, tree.community]);
  await ds.query(`INSERT INTO sms_inbound (message_sid, from_e164, body, person_id, outcome, reply, received_at) VALUES ($1, $2, '求助', $3, 'sos', '已收到', now())`, [`SM${randomUUID()}`, randomMobile(), personId]);
  await ds.query(`INSERT INTO person_consent (person_id, kind, given_on, method) VALUES ($1, 'sensitive_info', '2026-01-05', 'written')`, [personId]);
}

async function countsFor(personId: string): Promise<Record<string, number>> {
  const out: Record<string, number> = {};
  for (const { table, column } of MERGE_MOVES) {
    // Table and column come from the fixed list above, never from input.
    out[table] = (await ds.query(`SELECT count(*)::int AS n FROM ${table} WHERE ${column} = $1`, [personId]))[0].n;
  }
  return out;
}

describe('merge', () => {
  it('when two records of one person are merged, then everything moves to the survivor in one go, nothing is lost, the merged record is kept and both show it', async () => {
    const survivor = await makePerson(ds, tree.community);
    const duplicate = await makePerson(ds, tree.street);
    await everythingFor(survivor.id);
    await everythingFor(duplicate.id);
    const before = [await countsFor(survivor.id), await countsFor(duplicate.id)];
    const r = await api(t.baseUrl, 'POST', `/api/persons/${survivor.id}/merge`, districtSupervisor, { duplicateId: duplicate.id, note: '同一人两次登记' });
    expect(r.status).toBe(200);
    const after = [await countsFor(survivor.id), await countsFor(duplicate.id)];
    for (const { table } of MERGE_MOVES) {
      expect({ table, survivor: after[0]![table], duplicate: after[1]![table] }).toEqual({ table, survivor: before[0]![table]! + before[1]![table]!, duplicate: 0 });
    }
    expect(after[0]).toMatchObject({ phone_number: 2, contact: 2, device: 2, ticket: 2, call: 2, sos_incident: 2, sms_inbound: 1 + 1, person_consent: 2 });
    expect(await ds.query('SELECT status, merged_into_id FROM person WHERE id = $1', [duplicate.id])).toEqual([{ status: 'merged', merged_into_id: survivor.id }]);
    expect(r.body.events[0]).toMatchObject({ kind: 'merged_from', otherPerson: { id: duplicate.id, name: duplicate.record.name }, movedRows: expect.objectContaining({ phone_number: 1, ticket: 1 }) });
    const merged = await api(t.baseUrl, 'GET', `/api/persons/${duplicate.id}/status`, districtSupervisor);
    expect(merged.body).toMatchObject({ status: 'merged', mergedIntoId: survivor.id, events: [expect.objectContaining({ kind: 'merged_into', otherPerson: { id: survivor.id, name: survivor.record.name } })] });
    const entry = await lastAudit('person.merge', survivor.id);
    expect([...entry.subjects].sort()).toEqual([`person:${survivor.id}`, `person:${duplicate.id}`].sort());
    // The survivor's screen pop: the duplicate's number now finds the survivor.
    expect((await api(t.baseUrl, 'GET', `/api/persons?phone=${encodeURIComponent(duplicate.phone)}`, districtSupervisor)).body.items.map((p: { id: string }) => p.id)).toContain(survivor.id);
    const twice = await api(t.baseUrl, 'POST', `/api/persons/${survivor.id}/merge`, districtSupervisor, { duplicateId: duplicate.id, note: '再次合并' });
    expect(twice.status).toBe(409);
  });

  it('when both records have a care plan, then the survivor keeps its own, the merged record\'s plan is closed with its open call cancelled; a lone plan moves to the survivor', async () => {
    const survivor = await makePerson(ds, tree.community);
    const duplicate = await makePerson(ds, tree.community);
    const kept = await withCarePlan(survivor.id, tree.community);
    const closed = await withCarePlan(duplicate.id, tree.community);
    expect((await api(t.baseUrl, 'POST', `/api/persons/${survivor.id}/merge`, districtSupervisor, { duplicateId: duplicate.id, note: '同一人两次登记' })).status).toBe(200);
    expect(await planState(kept.planId)).toMatchObject({ person_id: survivor.id, active: true });
    expect(await planState(closed.planId)).toMatchObject({ person_id: duplicate.id, active: false });
    expect(await taskStatus(closed.taskId)).toEqual({ person_id: survivor.id, status: 'cancelled' });
    expect(await taskStatus(kept.taskId)).toEqual({ person_id: survivor.id, status: 'open' });

    const other = await makePerson(ds, tree.community);
    const lone = await withCarePlan(other.id, tree.community);
    const third = await makePerson(ds, tree.community);
    expect((await api(t.baseUrl, 'POST', `/api/persons/${third.id}/merge`, districtSupervisor, { duplicateId: other.id, note: '同一人两次登记' })).status).toBe(200);
    expect(await planState(lone.planId)).toMatchObject({ person_id: third.id, active: true });
    expect(await taskStatus(lone.taskId)).toEqual({ person_id: third.id, status: 'open' });
  });

  it('when both records have visit preferences, then the survivor gets the safer of each (two-person rule, no lone volunteer, every block); a lone one moves', async () => {
    const survivor = await makePerson(ds, tree.community);
    const duplicate = await makePerson(ds, tree.community);
    const [a, b, c] = [randomUUID(), randomUUID(), randomUUID()];
    await ds.query(`INSERT INTO person_dispatch_pref (person_id, gender_preference, two_person_visit, no_lone_volunteer, blocked_candidate_ids) VALUES ($1, NULL, false, true, $2), ($3, 'female', true, false, $4)`, [survivor.id, [a, b], duplicate.id, [b, c]]);
    const r = await api(t.baseUrl, 'POST', `/api/persons/${survivor.id}/merge`, districtSupervisor, { duplicateId: duplicate.id, note: '同一人两次登记' });
    expect(r.status).toBe(200);
    const [kept] = await ds.query('SELECT gender_preference, two_person_visit, no_lone_volunteer, blocked_candidate_ids FROM person_dispatch_pref WHERE person_id = $1', [survivor.id]);
    expect({ ...kept, blocked_candidate_ids: [...kept.blocked_candidate_ids].sort() }).toEqual({ gender_preference: 'female', two_person_visit: true, no_lone_volunteer: true, blocked_candidate_ids: [a, b, c].sort() });

    const other = await makePerson(ds, tree.community);
    const third = await makePerson(ds, tree.community);
    await ds.query(`INSERT INTO person_dispatch_pref (person_id, two_person_visit) VALUES ($1, true)`, [other.id]);
    expect((await api(t.baseUrl, 'POST', `/api/persons/${third.id}/merge`, districtSupervisor, { duplicateId: other.id, note: '同一人两次登记' })).status).toBe(200);
    expect(await ds.query('SELECT person_id, two_person_visit FROM person_dispatch_pref WHERE person_id IN ($1, $2)', [third.id, other.id])).toEqual([{ person_id: third.id, two_person_visit: true }]);
  });

  it('covers every foreign key to person: each is moved by a merge or kept on purpose', async () => {
    const fks: { table: string; column: string }[] = await ds.query(
      `SELECT cl.relname AS table, a.attname AS column FROM pg_constraint c
         JOIN pg_class cl ON cl.oid = c.conrelid JOIN pg_attribute a ON a.attrelid = c.conrelid AND a.attnum = ANY(c.conkey)
        WHERE c.contype = 'f' AND c.confrelid = 'person'::regclass ORDER BY 1, 2`,
    );
    const known = [...new Set([...MERGE_MOVES, ...MERGE_KEEPS].map(({ table, column }) => `${table}.${column}`))].sort();
    expect(fks.map(({ table, column }) => `${table}.${column}`).sort()).toEqual(known);
  });

  it('when one record is outside the supervisor\'s scope, then 404 as if missing, and nothing moves', async () => {
    const survivor = await makePerson(ds, tree.community);
    const foreign = await makePerson(ds, tree.otherDistrict);
    const r = await api(t.baseUrl, 'POST', `/api/persons/${survivor.id}/merge`, districtSupervisor, { duplicateId: foreign.id, note: '跨辖区合并' });
    expect(r.status).toBe(404);
    expect(await countsFor(foreign.id)).toMatchObject({ phone_number: 1, contact: 1, device: 1 });
    expect((await ds.query('SELECT status FROM person WHERE id = $1', [foreign.id]))[0].status).toBe('active');
    expect(await lastAudit('person.merge', foreign.id)).toMatchObject({ outcome: 'denied' });
  });

  it('when both records have an open SOS, or a record is merged with itself, then it is refused and nothing moves', async () => {
    const a = await makePerson(ds, tree.community);
    const b = await makePerson(ds, tree.community);
    for (const p of [a, b]) {
      const [ticket] = await ds.query(`INSERT INTO ticket (number, category, priority, status, person_id, caller_relation, channel, summary, district_code, created_by_id) SELECT $1, 'emergency', 'P0', 'pending', $2, 'self', 'phone', '求助', $3, id FROM staff_user LIMIT 1 RETURNING id`, [`S${randomUUID().slice(0, 12)}`, p.id, tree.community]);
      await ds.query(`INSERT INTO sos_incident (ticket_id, person_id, source, district_code, status, raised_at) VALUES ($1, $2, 'alarm_api', $3, 'active', now())`, [ticket.id, p.id, tree.community]);
    }
    const r = await api(t.baseUrl, 'POST', `/api/persons/${a.id}/merge`, citySupervisor, { duplicateId: b.id, note: '同一人' });
    expect(r.status).toBe(409);
    expect(r.body.error.details).toEqual({ reason: 'open-sos' });
    expect((await countsFor(b.id)).phone_number).toBe(1);
    expect((await api(t.baseUrl, 'POST', `/api/persons/${a.id}/merge`, citySupervisor, { duplicateId: a.id, note: '同一人' })).status).toBe(400);
  });
});

describe('consent (PIPL)', () => {
  it('when consents are given and one withdrawn, then each kind is separate, the withdrawal is kept in the history with date, how and by whom, and each step is audited', async () => {
    const person = await makePerson(ds, tree.community);
    const given = await api(t.baseUrl, 'POST', `/api/persons/${person.id}/consents`, agent, { kind: 'sensitive_info', givenOn: '2026-11-01', method: 'phone_recording' });
    expect(given.status).toBe(201);
    await api(t.baseUrl, 'POST', `/api/persons/${person.id}/consents`, agent, { kind: 'notify_contacts', givenOn: '2026-11-02', method: 'written' });
    const withdrawn = await api(t.baseUrl, 'POST', `/api/persons/${person.id}/consents/withdraw`, agent, { kind: 'notify_contacts', withdrawnOn: '2026-11-20', method: 'oral' });
    expect(withdrawn.status).toBe(200);
    expect(withdrawn.body.current.sensitive_info).toMatchObject({ givenOn: '2026-11-01', method: 'phone_recording', recordedBy: expect.any(String) });
    expect(withdrawn.body.current.notify_contacts).toBeNull();
    expect(withdrawn.body.history).toEqual(
      expect.arrayContaining([expect.objectContaining({ kind: 'notify_contacts', givenOn: '2026-11-02', withdrawnOn: '2026-11-20', withdrawalMethod: 'oral', withdrawnBy: expect.any(String) })]),
    );
    const again = await api(t.baseUrl, 'POST', `/api/persons/${person.id}/consents`, agent, { kind: 'notify_contacts', givenOn: '2026-11-25', method: 'oral' });
    expect(again.body.history).toHaveLength(3);
    expect(again.body.current.notify_contacts).toMatchObject({ givenOn: '2026-11-25' });
    expect(await lastAudit('person.consent.withdraw', person.id)).toMatchObject({ outcome: 'ok', purpose: 'notify_contacts oral 2026-11-20' });
    const read = await api(t.baseUrl, 'GET', `/api/persons/${person.id}/consents`, agent);
    expect(read.body.history).toHaveLength(3);
    expect(await lastAudit('person.consent.read', person.id)).toMatchObject({ outcome: 'ok' });
  });

  it('when a consent is in force already, or none is to withdraw, then 409; out of scope, 404', async () => {
    const person = await makePerson(ds, tree.community);
    expect((await api(t.baseUrl, 'POST', `/api/persons/${person.id}/consents/withdraw`, agent, { kind: 'sensitive_info', withdrawnOn: '2026-11-20', method: 'oral' })).status).toBe(409);
    await api(t.baseUrl, 'POST', `/api/persons/${person.id}/consents`, agent, { kind: 'sensitive_info', givenOn: '2026-11-01', method: 'oral' });
    expect((await api(t.baseUrl, 'POST', `/api/persons/${person.id}/consents`, agent, { kind: 'sensitive_info', givenOn: '2026-11-02', method: 'oral' })).status).toBe(409);
    expect((await api(t.baseUrl, 'GET', `/api/persons/${person.id}/consents`, otherSupervisor)).status).toBe(404);
    expect((await api(t.baseUrl, 'POST', `/api/persons/${person.id}/consents`, otherSupervisor, { kind: 'notify_contacts', givenOn: '2026-11-01', method: 'oral' })).status).toBe(404);
  });
});
