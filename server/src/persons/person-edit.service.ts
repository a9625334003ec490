import type { DataSource, EntityManager } from 'typeorm';
import type { AuditService } from '../audit/audit.service';
import { inScope, type Actor } from '../auth/auth.service';
import { AppError } from '../shared/app-error';
import type { Clock } from '../shared/clock';
import type { FieldCrypto } from '../shared/field-crypto';
import { retryOnUniqueViolation } from '../sos/retry-conflict';
import { resolveIdentity } from './person-create.service';
import { diffProfile, type ProfileValues } from './person-change';
import type { PersonChangeLog, PersonChangeView } from './person-change-log';
import type { EditPersonInput } from './person-edit.schema';
import { Person } from './person.entity';
import type { PersonDetail, PersonService } from './person.service';

const IDENTITY_FIELDS = ['gender', 'birthDate', 'idNumber', 'certNumber', 'disabilityCategory', 'disabilityLevel'] as const;

/**
 * Editing a person's profile with optimistic concurrency: the editor sends the version they read; the
 * second of two concurrent editors is refused (`person/version-conflict`, 409) and reloads. Every changed
 * field becomes a `person_change` row (sensitive values encrypted) and the edit one audit entry, in the same
 * transaction as the change.
 */
export class PersonEditService {
  constructor(
    private readonly ds: DataSource,
    private readonly crypto: FieldCrypto,
    private readonly audit: AuditService,
    private readonly persons: PersonService,
    private readonly history: PersonChangeLog,
    private readonly clock: Clock,
  ) {}

  /**
   * @throws AppError person/not-found, validation/invalid (identifiers that disagree, no version given),
   * person/version-conflict (details.currentVersion), person/duplicate (the new ID or certificate number is
   * another record's).
   * @example await editor.edit(actor, personId, { version: 3, riskTier: 'high' });
   */
  async edit(actor: Actor, personId: string, input: EditPersonInput, ifMatchVersion?: number): Promise<PersonDetail> {
    const expected = input.version ?? ifMatchVersion;
    await this.persons.loadInScope(actor, personId, 'person.edit');
    if (expected === undefined) throw new AppError('validation/invalid', '缺少版本号（version 或 If-Match）', [{ path: 'version', message: '请提供读取时的版本号' }]);
    const updated = await retryOnUniqueViolation(() => this.ds.transaction(async (m) => {
      const person = await m.findOne(Person, { where: { id: personId }, lock: { mode: 'pessimistic_write' } });
      if (!person || !inScope(actor, person.districtCode)) throw new AppError('person/not-found', `服务对象 ${personId} 不存在`);
      if (person.version !== expected) {
        throw new AppError('person/version-conflict', '该记录已被他人修改，请刷新后重新编辑', { currentVersion: person.version, yourVersion: expected });
      }
      const before = this.profileOf(person);
      const after = this.apply(before, input);
      const changes = diffProfile(before, after);
      if (changes.length === 0) return person;
      if (changes.some((c) => c.field === 'idNumber' || c.field === 'certNumber')) await this.refuseDuplicate(m, actor, person.id, after);
      const version = person.version + 1;
      await m.update(Person, { id: person.id }, { ...this.columnsOf(after), version });
      const now = this.clock.now();
      await this.history.write(m, person.id, version, actor, changes, now);
      await this.audit.record({ actorId: actor.userId, actorUsername: actor.username, action: 'person.edit', subjectType: 'person', subjectId: person.id, purpose: changes.map((c) => c.field).join(','), outcome: 'ok' }, m);
      return m.findOneByOrFail(Person, { id: person.id });
    }));
    return this.persons.record(updated);
  }

  /** The change history, newest first, masked like the profile. Audited as a read of the person. */
  async changes(actor: Actor, personId: string, limit: number): Promise<{ items: PersonChangeView[] }> {
    await this.persons.loadInScope(actor, personId, 'person.history');
    const items = await this.history.list(this.ds, personId, limit);
    await this.audit.record({ actorId: actor.userId, actorUsername: actor.username, action: 'person.history', subjectType: 'person', subjectId: personId, outcome: 'ok' });
    return { items };
  }

  private profileOf(p: Person): ProfileValues {
    return {
      name: p.name, gender: p.gender, birthDate: p.birthDate,
      idNumber: p.idNumberEnc ? this.crypto.decrypt(p.idNumberEnc) : null,
      certNumber: p.certNumberEnc ? this.crypto.decrypt(p.certNumberEnc) : null,
      disabilityCategory: p.disabilityCategory, disabilityLevel: p.disabilityLevel, subDisabilities: p.subDisabilities,
      livingSituation: p.livingSituation, riskTier: p.riskTier, communicationNeed: p.communicationNeed, dialect: p.dialect,
      address: p.address, lat: p.lat, lng: p.lng,
      medicalNotes: p.medicalNotesEnc ? this.crypto.decrypt(p.medicalNotesEnc) : null,
    };
  }

  /**
   * The profile after the edit. When an identifier is edited, what it embeds (gender and birth date; for a
   * certificate also category and level) follows it unless the editor changed those too, and the whole
   * identity must agree (the same check as registration).
   */
  private apply(before: ProfileValues, input: EditPersonInput): ProfileValues {
    const after: ProfileValues = { ...before };
    for (const [k, v] of Object.entries(input)) if (k !== 'version' && v !== undefined) (after as Record<string, unknown>)[k] = v === '' ? null : v;
    if (!IDENTITY_FIELDS.some((f) => input[f] !== undefined)) return after;
    const idEdited = input.idNumber !== undefined || input.certNumber !== undefined;
    const certEdited = input.certNumber !== undefined;
    const who = resolveIdentity({
      gender: (input.gender ?? (idEdited ? undefined : (after.gender as 'M' | 'F'))) as 'M' | 'F' | undefined,
      birthDate: (input.birthDate !== undefined ? input.birthDate : idEdited ? null : after.birthDate) as string | undefined,
      idNumber: (after.idNumber as string | null) ?? undefined,
      certNumber: (after.certNumber as string | null) ?? undefined,
      disabilityCategory: (input.disabilityCategory !== undefined || !certEdited ? after.disabilityCategory : null) as number | undefined,
      disabilityLevel: (input.disabilityLevel !== undefined || !certEdited ? after.disabilityLevel : null) as number | undefined,
    });
    return {
      ...after,
      gender: who.gender, birthDate: who.birthDate ?? (idEdited ? before.birthDate : after.birthDate),
      idNumber: who.idNumber, certNumber: who.certNumber, disabilityCategory: who.category, disabilityLevel: who.level,
    };
  }

  private columnsOf(v: ProfileValues): Partial<Person> {
    const s = (x: unknown) => (x === null || x === undefined ? null : String(x));
    const idNumber = s(v.idNumber);
    const certNumber = s(v.certNumber);
    const notes = s(v.medicalNotes);
    return {
      name: String(v.name), gender: v.gender as 'M' | 'F', birthDate: s(v.birthDate),
      idNumberEnc: idNumber ? this.crypto.encrypt(idNumber) : null, idNumberHash: idNumber ? this.crypto.hash(idNumber) : null,
      certNumberEnc: certNumber ? this.crypto.encrypt(certNumber) : null, certNumberHash: certNumber ? this.crypto.hash(certNumber) : null,
      disabilityCategory: v.disabilityCategory as number | null, disabilityLevel: v.disabilityLevel as number | null,
      subDisabilities: v.subDisabilities as number[], livingSituation: v.livingSituation as Person['livingSituation'],
      riskTier: v.riskTier as Person['riskTier'], communicationNeed: v.communicationNeed as Person['communicationNeed'],
      dialect: s(v.dialect), address: s(v.address), lat: v.lat as number | null, lng: v.lng as number | null,
      medicalNotesEnc: notes ? this.crypto.encrypt(notes) : null,
    };
  }

  /** Another record holds the new ID / certificate number: name it only when it lies in the actor's scope. */
  private async refuseDuplicate(m: EntityManager, actor: Actor, personId: string, after: ProfileValues): Promise<void> {
    const hashes = [after.idNumber, after.certNumber].filter((x): x is string => typeof x === 'string').map((x) => this.crypto.hash(x));
    if (hashes.length === 0) return;
    const [other]: { id: string; district_code: string }[] = await m.query(
      'SELECT id, district_code FROM person WHERE id <> $1 AND (id_number_hash = ANY($2) OR cert_number_hash = ANY($2)) LIMIT 1',
      [personId, hashes],
    );
    if (!other) return;
    if (inScope(actor, other.district_code)) throw new AppError('person/duplicate', '该身份证号或残疾人证号已登记在另一条记录上', { personId: other.id });
    throw new AppError('person/duplicate', '该身份证号或残疾人证号已登记在另一条记录上，请联系管理员核实');
  }
}
