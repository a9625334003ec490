import { IsNull, type DataSource, type EntityManager } from 'typeorm';
import type { AuditService } from '../audit/audit.service';
import { inScope, type Actor } from '../auth/auth.service';
import { District } from '../districts/district.entity';
import { AppError } from '../shared/app-error';
import type { FieldCrypto } from '../shared/field-crypto';
import { retryOnUniqueViolation } from '../sos/retry-conflict';
import { parseCitizenId } from './citizen-id';
import { Contact } from './contact.entity';
import { checkCertificateAgainstProfile, parseDisabilityCertificate } from './disability-certificate';
import type { CreatePersonInput } from './person-create.schema';
import { PersonDuplicateFlag, type DuplicateMatch } from './person-duplicate-flag.entity';
import { Person } from './person.entity';
import type { PersonDetail, PersonService } from './person.service';
import { PhoneNumber, type PhoneKind } from './phone.entity';
import { normalizePhone } from './phone-number';

const invalid = (path: string, message: string) => new AppError('validation/invalid', message, [{ path, message }]);

/** An existing record with the same ID or certificate number. */
interface Duplicate {
  personId: string;
  districtCode: string;
  matchedOn: DuplicateMatch;
}

/** Identity fields after the ID and certificate numbers have been checked against each other. */
interface Identity {
  gender: 'M' | 'F';
  birthDate: string | null;
  idNumber: string | null;
  certNumber: string | null;
  category: number | null;
  level: number | null;
}

/**
 * Check the ID and certificate numbers and what the agent typed against each other. Pure.
 * The certificate embeds the ID number, the category and the level; the ID number embeds birth date and gender.
 * @throws AppError validation/invalid naming the field.
 */
export function resolveIdentity(input: Pick<CreatePersonInput, 'gender' | 'birthDate' | 'idNumber' | 'certNumber' | 'disabilityCategory' | 'disabilityLevel'>): Identity {
  let gender = input.gender ?? null;
  let birthDate = input.birthDate ?? null;
  let idNumber: string | null = null;
  if (input.idNumber) {
    const id = parseCitizenId(input.idNumber);
    if (!id.ok) throw invalid('idNumber', id.reason);
    if (gender && gender !== id.gender) throw invalid('gender', '性别与身份证号不符');
    if (birthDate && birthDate !== id.birthDate) throw invalid('birthDate', '出生日期与身份证号不符');
    ({ gender, birthDate } = id);
    idNumber = id.citizenId;
  }
  let category = input.disabilityCategory ?? null;
  let level = input.disabilityLevel ?? null;
  let certNumber: string | null = null;
  if (input.certNumber) {
    const cert = parseDisabilityCertificate(input.certNumber);
    if (!cert.ok) throw invalid('certNumber', cert.reason);
    const mismatch = checkCertificateAgainstProfile(cert.certificate, { category, level, birthDate, gender, citizenId: idNumber });
    if (mismatch.length) throw invalid(`certNumber`, mismatch.map((m) => m.message).join('；'));
    ({ category, level, gender, birthDate } = cert);
    certNumber = cert.certificate;
    idNumber ??= cert.citizenId;
  }
  if (!gender) throw invalid('gender', '请选择性别（或填写身份证号）');
  return { gender, birthDate, idNumber, certNumber, category, level };
}

/** Registering a new 服务对象 (typically an unknown caller), with numbers and contacts, in one transaction. */
export class PersonCreateService {
  constructor(
    private readonly ds: DataSource,
    private readonly crypto: FieldCrypto,
    private readonly audit: AuditService,
    private readonly persons: PersonService,
  ) {}

  /**
   * @throws AppError validation/invalid, auth/forbidden (district out of scope), person/duplicate (same ID or
   * certificate number; names the record only when it lies in the actor's scope).
   * @example await creator.create(actor, { name: '王芳', gender: 'F', phones: [{ number: '13912345678' }], riskTier: 'general', communicationNeed: 'voice', contacts: [] });
   */
  async create(actor: Actor, input: CreatePersonInput): Promise<PersonDetail> {
    const who = resolveIdentity(input);
    const districtCode = input.districtCode ?? actor.districtCode;
    if (!inScope(actor, districtCode)) throw new AppError('auth/forbidden', '无权在该辖区登记服务对象');
    const phones = input.phones.map((p, i) => ({ ...this.number(`phones.${i}.number`, p.number), kind: p.kind }));
    const contacts = input.contacts.map((c, i) => ({ ...c, phoneE164: this.number(`contacts.${i}.phone`, c.phone).e164 }));

    // A concurrent twin loses on the unique hash index; its retry sees the winner and takes the duplicate path.
    const created = await retryOnUniqueViolation(() => this.ds.transaction(async (m): Promise<{ id: string } | { duplicate: Duplicate }> => {
      if (!(await m.existsBy(District, { code: districtCode, retiredAt: IsNull() }))) throw invalid('districtCode', `辖区 ${districtCode} 不存在或已撤销`);
      const duplicate = await this.findDuplicate(m, who);
      if (duplicate) return { duplicate };
      const person = await m.save(Person, m.create(Person, {
        name: input.name,
        gender: who.gender,
        birthDate: who.birthDate,
        idNumberEnc: who.idNumber ? this.crypto.encrypt(who.idNumber) : null,
        idNumberHash: who.idNumber ? this.crypto.hash(who.idNumber) : null,
        certNumberEnc: who.certNumber ? this.crypto.encrypt(who.certNumber) : null,
        certNumberHash: who.certNumber ? this.crypto.hash(who.certNumber) : null,
        disabilityCategory: who.category,
        disabilityLevel: who.level,
        subDisabilities: [],
        livingSituation: input.livingSituation ?? null,
        riskTier: input.riskTier,
        districtCode,
        address: input.address || null,
        lat: null,
        lng: null,
        communicationNeed: input.communicationNeed,
        dialect: input.dialect || null,
        medicalNotesEnc: input.medicalNotes ? this.crypto.encrypt(input.medicalNotes) : null,
      }));
      for (const p of phones) {
        const kind: PhoneKind = p.kind ?? (p.normalizedKind === 'landline' ? 'landline' : 'mobile');
        await m.insert(PhoneNumber, { e164: p.e164, kind, personId: person.id, contactId: null });
      }
      for (const [i, c] of contacts.entries()) {
        const contact = await m.save(Contact, m.create(Contact, { personId: person.id, name: c.name, relation: c.relation, isGuardian: c.isGuardian, priority: i + 1, notifyOnEmergency: c.notifyOnEmergency, phoneE164: c.phoneE164 }));
        await m.insert(PhoneNumber, { e164: c.phoneE164, kind: 'mobile', personId: null, contactId: contact.id });
      }
      await this.audit.record({ actorId: actor.userId, actorUsername: actor.username, action: 'person.create', subjectType: 'person', subjectId: person.id, outcome: 'ok' }, m);
      return { id: person.id };
    }));
    if ('duplicate' in created) return this.refuseDuplicate(actor, districtCode, created.duplicate);
    return this.persons.record(await this.ds.getRepository(Person).findOneByOrFail({ id: created.id }));
  }

  private number(path: string, raw: string): { e164: string; normalizedKind: string } {
    const phone = normalizePhone(raw);
    if (!phone || phone.kind === 'service') throw invalid(path, `无法识别的电话号码: ${raw}`);
    return { e164: phone.e164, normalizedKind: phone.kind };
  }

  private async findDuplicate(m: EntityManager, who: Identity): Promise<Duplicate | null> {
    const select = { id: true, districtCode: true } as const;
    const byId = who.idNumber ? await m.findOne(Person, { select, where: { idNumberHash: this.crypto.hash(who.idNumber) } }) : null;
    if (byId) return { personId: byId.id, districtCode: byId.districtCode, matchedOn: 'id_number' };
    const byCert = who.certNumber ? await m.findOne(Person, { select, where: { certNumberHash: this.crypto.hash(who.certNumber) } }) : null;
    return byCert ? { personId: byCert.id, districtCode: byCert.districtCode, matchedOn: 'cert_number' } : null;
  }

  /**
   * In scope: say which record it is. Out of scope: a generic answer that tells nothing about the other record
   * (not its id, name or district), and a flag with an audit entry for an administrator to resolve.
   */
  private async refuseDuplicate(actor: Actor, districtCode: string, dup: Duplicate): Promise<never> {
    if (inScope(actor, dup.districtCode)) throw new AppError('person/duplicate', '该身份证号或残疾人证号已登记', { personId: dup.personId });
    await this.ds.transaction(async (m) => {
      const flag = await m.save(PersonDuplicateFlag, m.create(PersonDuplicateFlag, { existingPersonId: dup.personId, matchedOn: dup.matchedOn, attemptedById: actor.userId, attemptedDistrictCode: districtCode, resolvedAt: null, resolvedById: null, resolution: null }));
      await this.audit.record({ actorId: actor.userId, actorUsername: actor.username, action: 'person.duplicate-flag', subjectType: 'person', subjectId: dup.personId, purpose: `flag ${flag.id}`, outcome: 'denied' }, m);
    });
    throw new AppError('person/duplicate', '该证件号无法在此登记，已提交管理员核实；请勿重复提交');
  }
}
