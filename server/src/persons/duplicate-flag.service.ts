import type { DataSource } from 'typeorm';
import type { AuditService } from '../audit/audit.service';
import { inScope, type Actor } from '../auth/auth.service';
import { AppError } from '../shared/app-error';
import { PersonDuplicateFlag } from './person-duplicate-flag.entity';

export interface DuplicateFlagView {
  id: string;
  createdAt: Date;
  existingPersonId: string;
  existingDistrictCode: string;
  matchedOn: PersonDuplicateFlag['matchedOn'];
  attemptedById: string;
  attemptedDistrictCode: string;
}

/**
 * Open duplicate-registration flags (an ID or certificate number registered outside the registering user's
 * scope), for a supervisor whose scope covers both districts to sort out, and their resolution. Audited.
 */
export class DuplicateFlagService {
  constructor(
    private readonly ds: DataSource,
    private readonly audit: AuditService,
  ) {}

  /**
   * Open flags the actor may see (both the existing record and the attempted district in scope), oldest first.
   * @example await flags.open(supervisor); // [{ id, existingPersonId, attemptedDistrictCode, … }]
   */
  async open(actor: Actor): Promise<DuplicateFlagView[]> {
    const rows: (DuplicateFlagView & { existingDistrictCode: string })[] = await this.ds
      .getRepository(PersonDuplicateFlag)
      .createQueryBuilder('f')
      .innerJoin('person', 'p', 'p.id = f.existing_person_id')
      .select(['f.id AS id', 'f.created_at AS "createdAt"', 'f.existing_person_id AS "existingPersonId"', 'p.district_code AS "existingDistrictCode"', 'f.matched_on AS "matchedOn"', 'f.attempted_by_id AS "attemptedById"', 'f.attempted_district_code AS "attemptedDistrictCode"'])
      .where('f.resolved_at IS NULL')
      .orderBy('f.created_at', 'ASC')
      .limit(500)
      .getRawMany();
    const visible = rows.filter((f) => inScope(actor, f.existingDistrictCode) && inScope(actor, f.attemptedDistrictCode));
    await this.audit.record({ actorId: actor.userId, actorUsername: actor.username, action: 'person.duplicate-flag.list', subjects: visible.map((f) => ({ type: 'person', id: f.existingPersonId })), outcome: 'ok' });
    return visible;
  }

  /**
   * Close a flag with a note of what was done.
   * @throws AppError person/not-found when the flag is unknown, closed already or out of scope
   */
  async resolve(actor: Actor, flagId: string, resolution: string): Promise<void> {
    await this.ds.transaction(async (m) => {
      const [flag]: { existing_person_id: string; district_code: string; attempted_district_code: string }[] = await m.query(
        `SELECT f.existing_person_id, p.district_code, f.attempted_district_code FROM person_duplicate_flag f JOIN person p ON p.id = f.existing_person_id
          WHERE f.id = $1 AND f.resolved_at IS NULL FOR UPDATE OF f`,
        [flagId],
      );
      if (!flag || !inScope(actor, flag.district_code) || !inScope(actor, flag.attempted_district_code)) throw new AppError('person/not-found', `重复登记标记 ${flagId} 不存在`);
      await m.query('UPDATE person_duplicate_flag SET resolved_at = now(), resolved_by_id = $2, resolution = $3 WHERE id = $1', [flagId, actor.userId, resolution]);
      await this.audit.record({ actorId: actor.userId, actorUsername: actor.username, action: 'person.duplicate-flag.resolve', subjectType: 'person', subjectId: flag.existing_person_id, purpose: resolution, outcome: 'ok' }, m);
    });
  }
}
