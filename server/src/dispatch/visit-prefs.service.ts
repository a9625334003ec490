import type { DataSource, EntityManager } from 'typeorm';
import type { Gender } from '../../../dispatch/src';
import type { AuditService } from '../audit/audit.service';
import { inScope, type Actor } from '../auth/auth.service';
import { Person } from '../persons/person.entity';
import type { PersonChangeLog } from '../persons/person-change-log';
import { AppError } from '../shared/app-error';
import type { Clock } from '../shared/clock';
import { PersonDispatchPref } from './dispatch-people.entity';
import type { VisitPrefsInput } from './visit-prefs.schema';

/** A blocked candidate as the person page shows it: name and kind, never a phone number. */
export interface BlockedCandidateView {
  candidateId: string;
  kind: 'provider' | 'volunteer';
  name: string;
  providerName: string | null;
}

/** A person's visit preferences (上门服务偏好) as read and edited on the person page. */
export interface VisitPrefsView {
  personId: string;
  genderPreference: Gender | null;
  twoPersonVisit: boolean;
  noLoneVolunteer: boolean;
  blockedCandidates: BlockedCandidateView[];
  /** 0 while nothing was stored: send it back with the edit. */
  version: number;
  updatedAt: Date | null;
}

type PrefValues = Pick<PersonDispatchPref, 'genderPreference' | 'twoPersonVisit' | 'noLoneVolunteer' | 'blockedCandidateIds'>;

const NO_PREFS: PrefValues = { genderPreference: null, twoPersonVisit: false, noLoneVolunteer: false, blockedCandidateIds: [] };

/**
 * The visit preferences the dispatch engine's hard filters read (gender preference, two-person visit, no
 * lone volunteer, candidates the person blocked after a complaint). Scoped by the person's district (out of
 * scope answers like a missing person); reads audited with the person as subject; an edit is optimistic
 * (`version`), writes one `dispatchPref` history row with the old and new values and the reason, and one
 * audit entry, in one transaction.
 */
export class VisitPrefsService {
  constructor(
    private readonly ds: DataSource,
    private readonly audit: AuditService,
    private readonly history: PersonChangeLog,
    private readonly clock: Clock,
  ) {}

  /** @example await prefs.get(actor, personId) // { genderPreference: 'female', version: 2, … } */
  async get(actor: Actor, personId: string): Promise<VisitPrefsView> {
    await this.personInScope(actor, personId, 'person.dispatch-prefs.read');
    const row = await this.ds.getRepository(PersonDispatchPref).findOneBy({ personId });
    const view = await this.view(this.ds.manager, personId, row);
    await this.audit.record({
      actorId: actor.userId, actorUsername: actor.username, action: 'person.dispatch-prefs.read', subjectType: 'person', subjectId: personId,
      subjects: view.blockedCandidates.map(subjectOf), outcome: 'ok',
    });
    return view;
  }

  /**
   * Replace the preferences.
   * @throws AppError person/not-found (missing or out of scope), validation/invalid (details list the unknown
   * candidate ids), person/version-conflict (details.currentVersion).
   * @example await prefs.put(actor, personId, { genderPreference: 'female', twoPersonVisit: false, noLoneVolunteer: true, blockedCandidateIds: [], note: '本人要求', version: 0 })
   */
  async put(actor: Actor, personId: string, input: VisitPrefsInput): Promise<VisitPrefsView> {
    // Checked (and a refusal audited) outside the transaction, which a refusal rolls back; again inside.
    await this.personInScope(actor, personId, 'person.dispatch-prefs.edit');
    return this.ds.transaction(async (m) => {
      const person = await m.findOneBy(Person, { id: personId });
      if (!person || !inScope(actor, person.districtCode)) throw new AppError('person/not-found', `服务对象 ${personId} 不存在`);
      const row = await m.findOne(PersonDispatchPref, { where: { personId }, lock: { mode: 'pessimistic_write' } });
      await this.refuseUnknown(m, actor, input.blockedCandidateIds.filter((id) => !row?.blockedCandidateIds.includes(id)));
      const current = row?.version ?? 0;
      if (current !== input.version) {
        throw new AppError('person/version-conflict', '上门服务偏好已被他人修改，请刷新后重新编辑', { currentVersion: current, yourVersion: input.version });
      }
      const before: PrefValues = row ? pick(row) : NO_PREFS;
      const after: PrefValues = pick(input);
      if (JSON.stringify(before) === JSON.stringify(after)) return this.view(m, personId, row);
      const now = this.clock.now();
      const values = { ...after, version: current + 1, updatedBy: actor.userId, updatedAt: now };
      if (row) await m.update(PersonDispatchPref, { personId }, values);
      else await m.insert(PersonDispatchPref, { personId, ...values }).catch((err: unknown) => {
        // Two first edits at once: the second waits for the first's row, then loses on the key.
        if ((err as { code?: string }).code === '23505') throw new AppError('person/version-conflict', '上门服务偏好已被他人修改，请刷新后重新编辑', { currentVersion: 1, yourVersion: 0 });
        throw err;
      });
      await this.history.write(m, personId, person.version, actor, [{ field: 'dispatchPref', old: { ...before, note: null }, new: { ...after, note: input.note } }], now);
      await this.audit.record({
        actorId: actor.userId, actorUsername: actor.username, action: 'person.dispatch-prefs.edit', subjectType: 'person', subjectId: personId,
        subjects: (await this.candidates(m, [...new Set([...before.blockedCandidateIds, ...after.blockedCandidateIds])])).map(subjectOf),
        purpose: input.note, outcome: 'ok',
      }, m);
      return this.view(m, personId, await m.findOneByOrFail(PersonDispatchPref, { personId }));
    });
  }

  private async personInScope(actor: Actor, personId: string, action: string): Promise<Person> {
    const person = await this.ds.getRepository(Person).findOneBy({ id: personId });
    if (person && inScope(actor, person.districtCode)) return person;
    if (person) await this.audit.record({ actorId: actor.userId, actorUsername: actor.username, action, subjectType: 'person', subjectId: personId, outcome: 'denied' });
    throw new AppError('person/not-found', `服务对象 ${personId} 不存在`);
  }

  /**
   * Every newly blocked id must be a field worker's or a volunteer's in the actor's scope (out of scope reads
   * as unknown); ids already on the list stay, whoever added them.
   */
  private async refuseUnknown(m: EntityManager, actor: Actor, ids: string[]): Promise<void> {
    if (ids.length === 0) return;
    const known = new Set((await this.candidates(m, ids)).filter((c) => inScope(actor, c.districtCode)).map((c) => c.candidateId));
    const unknown = ids.filter((id) => !known.has(id));
    if (unknown.length) {
      throw new AppError('validation/invalid', `未知的服务人员或志愿者：${unknown.join('、')}`, unknown.map((id) => ({ path: 'blockedCandidateIds', message: `未知的服务人员或志愿者 ${id}`, id })));
    }
  }

  private async candidates(m: EntityManager, ids: string[]): Promise<Array<BlockedCandidateView & { districtCode: string }>> {
    if (ids.length === 0) return [];
    const rows: { id: string; kind: 'provider' | 'volunteer'; name: string; provider_name: string | null; district_code: string }[] = await m.query(
      `SELECT f.id, 'provider' AS kind, f.name, p.name AS provider_name, f.district_code FROM field_worker f JOIN provider p ON p.id = f.provider_id WHERE f.id = ANY($1::uuid[])
       UNION ALL SELECT v.id, 'volunteer' AS kind, v.name, NULL AS provider_name, v.district_code FROM volunteer v WHERE v.id = ANY($1::uuid[])`,
      [ids],
    );
    return rows.map((r) => ({ candidateId: r.id, kind: r.kind, name: r.name, providerName: r.provider_name, districtCode: r.district_code }));
  }

  private async view(m: EntityManager, personId: string, row: PersonDispatchPref | null): Promise<VisitPrefsView> {
    const { blockedCandidateIds, ...flags } = row ? pick(row) : NO_PREFS;
    const byId = new Map((await this.candidates(m, blockedCandidateIds)).map(({ districtCode: _, ...c }) => [c.candidateId, c]));
    return {
      personId,
      ...flags,
      blockedCandidates: blockedCandidateIds.map((id) => byId.get(id)).filter((c): c is BlockedCandidateView => !!c),
      version: row?.version ?? 0,
      updatedAt: row?.updatedAt ?? null,
    };
  }
}

function pick(v: PrefValues): PrefValues {
  return { genderPreference: v.genderPreference ?? null, twoPersonVisit: v.twoPersonVisit, noLoneVolunteer: v.noLoneVolunteer, blockedCandidateIds: [...v.blockedCandidateIds] };
}

function subjectOf(c: BlockedCandidateView): { type: string; id: string } {
  return { type: c.kind === 'volunteer' ? 'volunteer' : 'field_worker', id: c.candidateId };
}
