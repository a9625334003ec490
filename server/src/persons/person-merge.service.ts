import type { DataSource } from 'typeorm';
import { closePlanIn } from '../care/care-plan.service';
import { CarePlan } from '../care/care.entity';
import type { AuditService } from '../audit/audit.service';
import type { Actor } from '../auth/auth.service';
import { AppError } from '../shared/app-error';
import type { Clock } from '../shared/clock';
import { PersonStatusEvent } from './person-status-event.entity';
import { lockStatus, statusView, type PersonStatusView } from './person-status.service';
import type { PersonService } from './person.service';

/**
 * Every row that names a person and follows the person to the survivor of a merge: one fixed statement
 * each ($1 survivor, $2 merged record). The integration test compares this list with the foreign keys the
 * database has, so a new table that references `person` cannot be forgotten here.
 */
export const MERGE_MOVES = [
  { table: 'phone_number', column: 'person_id', sql: 'UPDATE phone_number SET person_id = $1 WHERE person_id = $2' },
  { table: 'contact', column: 'person_id', sql: 'UPDATE contact SET person_id = $1 WHERE person_id = $2' },
  { table: 'device', column: 'person_id', sql: 'UPDATE device SET person_id = $1 WHERE person_id = $2' },
  { table: 'ticket', column: 'person_id', sql: 'UPDATE ticket SET person_id = $1 WHERE person_id = $2' },
  { table: 'call', column: 'person_id', sql: 'UPDATE call SET person_id = $1 WHERE person_id = $2' },
  { table: 'sos_incident', column: 'person_id', sql: 'UPDATE sos_incident SET person_id = $1 WHERE person_id = $2' },
  { table: 'sms_inbound', column: 'person_id', sql: 'UPDATE sms_inbound SET person_id = $1 WHERE person_id = $2' },
  { table: 'person_consent', column: 'person_id', sql: 'UPDATE person_consent SET person_id = $1 WHERE person_id = $2' },
  { table: 'person_duplicate_flag', column: 'existing_person_id', sql: 'UPDATE person_duplicate_flag SET existing_person_id = $1 WHERE existing_person_id = $2' },
  // Care: the tasks and their timeline follow the person; the plan too, unless the survivor has its own
  // (then the merged record's plan is closed just before the moves, and stays with it).
  { table: 'care_task', column: 'person_id', sql: 'UPDATE care_task SET person_id = $1 WHERE person_id = $2' },
  { table: 'care_event', column: 'person_id', sql: 'UPDATE care_event SET person_id = $1 WHERE person_id = $2' },
  { table: 'care_plan', column: 'person_id', sql: 'UPDATE care_plan SET person_id = $1 WHERE person_id = $2 AND NOT EXISTS (SELECT 1 FROM care_plan s WHERE s.person_id = $1)' },
  // Dispatch: the service jobs follow their orders. Visit preferences move, or, when the survivor has its
  // own, the safer of the two wins (either record's two-person rule, no lone volunteer and blocks all hold).
  { table: 'service_job', column: 'person_id', sql: 'UPDATE service_job SET person_id = $1 WHERE person_id = $2' },
  {
    table: 'person_dispatch_pref',
    column: 'person_id',
    sql: `UPDATE person_dispatch_pref s SET two_person_visit = s.two_person_visit OR d.two_person_visit, no_lone_volunteer = s.no_lone_volunteer OR d.no_lone_volunteer,
            gender_preference = COALESCE(s.gender_preference, d.gender_preference),
            blocked_candidate_ids = ARRAY(SELECT DISTINCT b FROM unnest(s.blocked_candidate_ids || d.blocked_candidate_ids) AS b), updated_at = now()
          FROM person_dispatch_pref d WHERE s.person_id = $1 AND d.person_id = $2`,
  },
  { table: 'person_dispatch_pref', column: 'person_id', sql: 'UPDATE person_dispatch_pref SET person_id = $1 WHERE person_id = $2 AND NOT EXISTS (SELECT 1 FROM person_dispatch_pref s WHERE s.person_id = $1)' },
  // Time bank: a service redeemed for the person is the survivor's.
  { table: 'shop_redemption', column: 'recipient_person_id', sql: 'UPDATE shop_redemption SET recipient_person_id = $1 WHERE recipient_person_id = $2' },
] as const;


/**
 * References to a person that stay where they are on a merge: the record's own history, and the link itself.
 * (The merged record is kept, as merged into the survivor, with its own profile and identifiers.)
 */
export const MERGE_KEEPS = [
  { table: 'person_status_event', column: 'person_id' },
  { table: 'person_status_event', column: 'other_person_id' },
  { table: 'person', column: 'merged_into_id' },
  { table: 'person_change', column: 'person_id' },
] as const;

/**
 * Merge two records of one person (supervisor; both must be in the actor's scope). Phones, contacts,
 * devices, orders, calls, SOS incidents, SMS, consents and duplicate flags move to the survivor in one
 * transaction; the merged record is kept with status `merged` and a link to the survivor; a history event
 * is written on both and the merge is audited with both as subjects.
 */
export class PersonMergeService {
  constructor(
    private readonly ds: DataSource,
    private readonly persons: PersonService,
    private readonly audit: AuditService,
    private readonly clock: Clock,
  ) {}

  /**
   * @throws AppError person/not-found (either unknown or out of scope), person/status-conflict (merged
   * already, or both with an open SOS), validation/invalid (the same record twice)
   * @example await merges.merge(supervisor, survivorId, { duplicateId, note: '同一人两次登记' });
   */
  async merge(actor: Actor, survivorId: string, input: { duplicateId: string; note: string }): Promise<PersonStatusView> {
    const { duplicateId, note } = input;
    if (duplicateId === survivorId) throw new AppError('validation/invalid', '不能与自身合并', [{ path: 'duplicateId', message: '不能与自身合并' }]);
    await this.persons.loadInScope(actor, survivorId, 'person.merge');
    await this.persons.loadInScope(actor, duplicateId, 'person.merge');
    return this.ds.transaction(async (m) => {
      // Lock in id order, so two merges of the same pair cannot deadlock.
      const [first, second] = [survivorId, duplicateId].sort();
      const rows = new Map([[first!, await lockStatus(m, actor, first!)], [second!, await lockStatus(m, actor, second!)]]);
      const survivor = rows.get(survivorId)!;
      const duplicate = rows.get(duplicateId)!;
      if (survivor.status === 'merged' || duplicate.status === 'merged') throw new AppError('person/status-conflict', '已合并的记录不能再合并', { status: 'merged' });
      const [openSos]: { n: number }[] = await m.query(`SELECT count(DISTINCT person_id)::int AS n FROM sos_incident WHERE person_id IN ($1, $2) AND status IN ('active','acknowledged')`, [survivorId, duplicateId]);
      if (openSos!.n === 2) throw new AppError('person/status-conflict', '两条记录都有未结束的紧急求助，请先处理完其中一条', { reason: 'open-sos' });
      // One care plan per person: when both records have one, the survivor's stays and the merged record's is
      // closed (its calls cancelled) before the moves, so nobody is called twice.
      const duplicatePlan = await m.findOneBy(CarePlan, { personId: duplicateId, active: true });
      if (duplicatePlan && (await m.existsBy(CarePlan, { personId: survivorId }))) await closePlanIn(m, duplicatePlan, actor.userId, '记录已合并，保留另一条记录的关怀计划', this.clock.now());
      const movedRows: Record<string, number> = {};
      for (const move of MERGE_MOVES) {
        const [, count]: [unknown, number] = await m.query(move.sql, [survivorId, duplicateId]);
        movedRows[move.table] = (movedRows[move.table] ?? 0) + count;
      }
      await m.query(`UPDATE person SET status = 'merged', merged_into_id = $1, updated_at = now() WHERE id = $2`, [survivorId, duplicateId]);
      const at = this.clock.now();
      await m.insert(PersonStatusEvent, [
        { personId: survivorId, at, kind: 'merged_from', actorId: actor.userId, otherPersonId: duplicateId, movedRows, note },
        { personId: duplicateId, at, kind: 'merged_into', actorId: actor.userId, otherPersonId: survivorId, movedRows, note },
      ]);
      await this.audit.record({ actorId: actor.userId, actorUsername: actor.username, action: 'person.merge', subjectType: 'person', subjectId: survivorId, subjects: [{ type: 'person', id: duplicateId }], purpose: note, outcome: 'ok' }, m);
      return statusView(m, actor, survivorId);
    });
  }
}
