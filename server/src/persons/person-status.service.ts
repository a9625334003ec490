import type { DataSource, EntityManager } from 'typeorm';
import type { AuditService } from '../audit/audit.service';
import { inScope, type Actor } from '../auth/auth.service';
import { closePlanIn } from '../care/care-plan.service';
import { shanghaiDate } from '../care/care-recurrence';
import { CarePlan } from '../care/care.entity';
import { District } from '../districts/district.entity';
import { AppError } from '../shared/app-error';
import type { Clock } from '../shared/clock';
import { PersonStatusEvent, type PersonStatus, type PersonStatusEventKind } from './person-status-event.entity';
import type { PersonService } from './person.service';

/** The reason a death writes on the person's care plan; a corrected death reopens exactly these plans. */
const DEATH_CLOSES_PLAN = '服务对象已故';

/** A person's status and the history behind it, as the person page shows it. */
export interface PersonStatusView {
  personId: string;
  status: PersonStatus;
  districtCode: string;
  diedOn: string | null;
  /** The survivor a merged record now lives on (null when out of the reader's scope). */
  mergedIntoId: string | null;
  events: {
    id: string;
    at: string;
    kind: PersonStatusEventKind;
    actorName: string | null;
    fromDistrictCode: string | null;
    toDistrictCode: string | null;
    /** The other record of a merge, when the reader may see it. */
    otherPerson: { id: string; name: string } | null;
    diedOn: string | null;
    movedRows: Record<string, number> | null;
    note: string;
  }[];
}

/** The status columns (`person.status` etc. are not on the `Person` entity: this module owns them). */
export interface StatusRow {
  id: string;
  status: PersonStatus;
  district_code: string;
  died_on: string | null;
  merged_into_id: string | null;
}

/**
 * A person's status: hand-over to another district (supervisor), death (agent or supervisor: devices are
 * disarmed, nothing is deleted), and the history of both. Merging lives in `PersonMergeService`. Every read
 * and change is audited with the person as subject; out-of-scope ids answer like missing ones.
 */
export class PersonStatusService {
  constructor(
    private readonly ds: DataSource,
    private readonly persons: PersonService,
    private readonly audit: AuditService,
    private readonly clock: Clock,
  ) {}

  /** The status and its history. Audited as a read of the person. */
  async view(actor: Actor, personId: string): Promise<PersonStatusView> {
    await this.persons.loadInScope(actor, personId, 'person.status.read');
    const view = await statusView(this.ds.manager, actor, personId);
    await this.audit.record({ actorId: actor.userId, actorUsername: actor.username, action: 'person.status.read', subjectType: 'person', subjectId: personId, outcome: 'ok' });
    return view;
  }

  /**
   * Hand the record over to another district: the person, their open orders stay as they are; the receiving
   * district's staff see the person from now on and the old district's staff get 404. The target may lie
   * outside the actor's own scope (that is what a hand-over is); it must exist and not be retired.
   * @throws AppError person/not-found, district/not-found, person/status-conflict
   * @example await status.move(supervisor, personId, { districtCode: '330106001001', note: '随子女迁居' });
   */
  async move(actor: Actor, personId: string, input: { districtCode: string; note: string }): Promise<PersonStatusView> {
    await this.persons.loadInScope(actor, personId, 'person.move');
    return this.ds.transaction(async (m) => {
      const row = await lockStatus(m, actor, personId);
      if (row.status !== 'active') throw new AppError('person/status-conflict', '只有在册的服务对象可以迁出', { status: row.status });
      if (row.district_code === input.districtCode) throw new AppError('validation/invalid', '迁入辖区与当前辖区相同', [{ path: 'districtCode', message: '迁入辖区与当前辖区相同' }]);
      const target = await m.getRepository(District).findOneBy({ code: input.districtCode });
      if (!target || target.retiredAt || target.level === 'city') throw new AppError('district/not-found', `辖区 ${input.districtCode} 不存在或已撤销`);
      await m.query('UPDATE person SET district_code = $2, updated_at = now() WHERE id = $1', [personId, input.districtCode]);
      await m.insert(PersonStatusEvent, { personId, at: this.clock.now(), kind: 'moved', actorId: actor.userId, fromDistrictCode: row.district_code, toDistrictCode: input.districtCode, note: input.note });
      await this.audit.record({ actorId: actor.userId, actorUsername: actor.username, action: 'person.move', subjectType: 'person', subjectId: personId, purpose: `${row.district_code} → ${input.districtCode}: ${input.note}`, outcome: 'ok' }, m);
      // The mover may no longer see the record: answer with what they saw when moving it.
      return { ...(await statusView(m, { ...actor, scopePrefix: null }, personId)), events: [] };
    });
  }

  /**
   * Record a death: status deceased with the date, every device disarmed (no alarm for an empty home goes
   * to an agent as an emergency of this person), the care plan closed and its open calls cancelled, nothing
   * deleted.
   * @throws AppError person/not-found, person/status-conflict, validation/invalid (a date in the future)
   */
  async markDeceased(actor: Actor, personId: string, input: { diedOn: string; note: string }): Promise<PersonStatusView> {
    await this.persons.loadInScope(actor, personId, 'person.record-death');
    if (input.diedOn > latestToday(this.clock)) throw new AppError('validation/invalid', '死亡日期不能晚于今天', [{ path: 'diedOn', message: '死亡日期不能晚于今天' }]);
    return this.ds.transaction(async (m) => {
      const row = await lockStatus(m, actor, personId);
      if (row.status !== 'active') throw new AppError('person/status-conflict', '该服务对象不是在册状态', { status: row.status });
      await m.query(`UPDATE person SET status = 'deceased', died_on = $2, updated_at = now() WHERE id = $1`, [personId, input.diedOn]);
      const [disarmed]: [{ id: string }[], number] = await m.query('UPDATE device SET armed = false WHERE person_id = $1 AND armed RETURNING id', [personId]);
      // Care stops: the plan closes (reopened if the death is corrected) and no care call or escalation
      // of this person is left to run; 回访 surveys of finished orders stay (a relative may answer).
      const plans = await m.find(CarePlan, { where: { personId, active: true } });
      const [{ n: tasksCancelled }]: { n: number }[] = await m.query(`SELECT count(*)::int AS n FROM care_task WHERE plan_id = ANY($1::uuid[]) AND status IN ('open', 'escalating')`, [plans.map((p) => p.id)]);
      for (const plan of plans) await closePlanIn(m, plan, actor.userId, DEATH_CLOSES_PLAN, this.clock.now());
      const plansClosed = plans.length;
      await m.insert(PersonStatusEvent, { personId, at: this.clock.now(), kind: 'deceased', actorId: actor.userId, diedOn: input.diedOn, movedRows: { devicesDisarmed: disarmed.length, carePlansClosed: plansClosed, careTasksCancelled: tasksCancelled }, disarmedDeviceIds: disarmed.map((d) => d.id), note: input.note });
      await this.audit.record({ actorId: actor.userId, actorUsername: actor.username, action: 'person.deceased', subjectType: 'person', subjectId: personId, purpose: input.note, outcome: 'ok' }, m);
      return statusView(m, actor, personId);
    });
  }

  /**
   * Correct a death recorded by mistake (supervisor): the record is active again, the date of death is
   * cleared (it stays in the history) and the devices the death disarmed — those still the person's — are
   * re-armed, and the care plan the death closed is open again.
   * @throws AppError person/not-found, person/status-conflict (not deceased)
   */
  async reactivate(actor: Actor, personId: string, input: { note: string }): Promise<PersonStatusView> {
    await this.persons.loadInScope(actor, personId, 'person.reactivate');
    return this.ds.transaction(async (m) => {
      const row = await lockStatus(m, actor, personId);
      if (row.status !== 'deceased') throw new AppError('person/status-conflict', '该服务对象没有死亡登记', { status: row.status });
      const [death]: { disarmed_device_ids: string[] | null }[] = await m.query(`SELECT disarmed_device_ids FROM person_status_event WHERE person_id = $1 AND kind = 'deceased' ORDER BY seq DESC LIMIT 1`, [personId]);
      const ids = death?.disarmed_device_ids ?? [];
      const [, rearmed]: [unknown, number] = ids.length ? await m.query('UPDATE device SET armed = true WHERE person_id = $1 AND id = ANY($2::uuid[]) AND NOT armed', [personId, ids]) : [null, 0];
      // Closing cleared the next due day: the reopened plan is due from today on.
      const [, plansReopened]: [unknown, number] = await m.query(
        `UPDATE care_plan SET active = true, closed_reason = NULL, next_due_day = $3::date, updated_at = now() WHERE person_id = $1 AND NOT active AND closed_reason = $2`,
        [personId, DEATH_CLOSES_PLAN, shanghaiDate(this.clock.now())],
      );
      await m.query(`UPDATE person SET status = 'active', died_on = NULL, updated_at = now() WHERE id = $1`, [personId]);
      await m.insert(PersonStatusEvent, { personId, at: this.clock.now(), kind: 'reactivated', actorId: actor.userId, diedOn: row.died_on, movedRows: { devicesRearmed: rearmed, carePlansReopened: plansReopened }, note: input.note });
      await this.audit.record({ actorId: actor.userId, actorUsername: actor.username, action: 'person.reactivate', subjectType: 'person', subjectId: personId, purpose: input.note, outcome: 'ok' }, m);
      return statusView(m, actor, personId);
    });
  }
}

/**
 * The latest date that is "today" somewhere (UTC+14): a date entered as today in Beijing at 00:30 is
 * yesterday in UTC and must not count as the future.
 */
export function latestToday(clock: Clock): string {
  return new Date(clock.now().getTime() + 14 * 3_600_000).toISOString().slice(0, 10);
}

/**
 * The person's status row, locked for the transaction; the scope is checked again under the lock (a
 * concurrent hand-over may have moved the record away).
 */
export async function lockStatus(m: EntityManager, actor: Actor, personId: string): Promise<StatusRow> {
  const [row]: StatusRow[] = await m.query('SELECT id, status, district_code, died_on::text AS died_on, merged_into_id FROM person WHERE id = $1 FOR UPDATE', [personId]);
  if (!row || !inScope(actor, row.district_code)) throw new AppError('person/not-found', `服务对象 ${personId} 不存在`);
  return row;
}

/** The status view of a person (no scope check, no audit: the caller's). */
export async function statusView(m: EntityManager, actor: Actor, personId: string): Promise<PersonStatusView> {
  const [row]: StatusRow[] = await m.query('SELECT id, status, district_code, died_on::text AS died_on, merged_into_id FROM person WHERE id = $1', [personId]);
  if (!row) throw new AppError('person/not-found', `服务对象 ${personId} 不存在`);
  const events: (PersonStatusEventRow & { other_name: string | null; other_district: string | null; actor_name: string | null })[] = await m.query(
    `SELECT e.id, e.at, e.kind, e.from_district_code, e.to_district_code, e.other_person_id, e.died_on::text AS died_on, e.moved_rows, e.note,
            s.display_name AS actor_name, o.name AS other_name, o.district_code AS other_district
       FROM person_status_event e LEFT JOIN staff_user s ON s.id = e.actor_id LEFT JOIN person o ON o.id = e.other_person_id
      WHERE e.person_id = $1 ORDER BY e.seq DESC LIMIT 200`,
    [personId],
  );
  const [survivor]: { district_code: string }[] = row.merged_into_id ? await m.query('SELECT district_code FROM person WHERE id = $1', [row.merged_into_id]) : [];
  return {
    personId,
    status: row.status,
    districtCode: row.district_code,
    diedOn: row.died_on,
    mergedIntoId: row.merged_into_id && survivor && inScope(actor, survivor.district_code) ? row.merged_into_id : null,
    events: events.map((e) => ({
      id: e.id,
      at: new Date(e.at).toISOString(),
      kind: e.kind,
      actorName: e.actor_name,
      fromDistrictCode: e.from_district_code,
      toDistrictCode: e.to_district_code,
      otherPerson: e.other_person_id && e.other_name !== null && e.other_district !== null && inScope(actor, e.other_district) ? { id: e.other_person_id, name: e.other_name } : null,
      diedOn: e.died_on,
      movedRows: e.moved_rows,
      note: e.note,
    })),
  };
}

interface PersonStatusEventRow {
  id: string;
  at: Date | string;
  kind: PersonStatusEventKind;
  from_district_code: string | null;
  to_district_code: string | null;
  other_person_id: string | null;
  died_on: string | null;
  moved_rows: Record<string, number> | null;
  note: string;
}
