import { Brackets, In, Not, type DataSource } from 'typeorm';
import type { AuditService } from '../audit/audit.service';
import { inScope, type Actor } from '../auth/auth.service';
import { Call } from '../calls/call.entity';
import { AppError } from '../shared/app-error';
import type { FieldCrypto } from '../shared/field-crypto';
import { TERMINAL_STATUSES } from '../tickets/ticket';
import { Ticket } from '../tickets/ticket.entity';
import { maskCitizenId } from './citizen-id';
import { Contact } from './contact.entity';
import { Device } from './device.entity';
import { maskCertificate } from './disability-certificate';
import { Person } from './person.entity';
import { PhoneNumber } from './phone.entity';
import { maskPhone, normalizePhone } from './phone-number';
import type { PersonSearch } from './person.schema';
import { PersonChangeLog } from './person-change-log';

/**
 * A person as lists, searches and screen pops show it. Nothing here lets the masks be undone: the birth
 * date is given as a year (and an age), never in full beside the masked ID; phones are masked and carry an
 * id, which click-to-call dials by (`POST /api/calls/click-to-call { personId, phoneId }`).
 */
export interface PersonSummary {
  id: string;
  name: string;
  gender: 'M' | 'F';
  /**
   * The year only, and no age: an age beside the year would tell on which side of today the birthday
   * falls, and an age read on successive days would give the birthday itself.
   */
  birthYear: number | null;
  disabilityCategory: number | null;
  disabilityLevel: number | null;
  subDisabilities: number[];
  riskTier: Person['riskTier'];
  livingSituation: Person['livingSituation'];
  communicationNeed: Person['communicationNeed'];
  dialect: string | null;
  districtCode: string;
  address: string | null;
  idNumberMasked: string | null;
  certNumberMasked: string | null;
  phones: { id: string; masked: string; kind: string; isPrimary: boolean }[];
}

/** The full record (`GET /api/persons/:id`): still masked; medical notes only through the audited reveal. */
export interface PersonDetail extends PersonSummary {
  /** Send it back with an edit (`PATCH /api/persons/:id`): optimistic concurrency. */
  version: number;
  hasMedicalNotes: boolean;
  contacts: { id: string; name: string; relation: string; isGuardian: boolean; priority: number; notifyOnEmergency: boolean; phoneMasked: string }[];
  devices: (Pick<Device, 'id' | 'kind' | 'serial' | 'model' | 'mode' | 'armed' | 'battery' | 'lastHeartbeatAt' | 'retiredAt'> & { phoneMasked: string | null })[];
  openTickets: Pick<Ticket, 'id' | 'number' | 'category' | 'serviceType' | 'priority' | 'status' | 'summary' | 'createdAt'>[];
  recentCalls: Pick<Call, 'id' | 'direction' | 'status' | 'offeredAt' | 'answeredAt' | 'endedAt' | 'agentExtension' | 'endReason' | 'outcome' | 'endedAfter' | 'endedBefore' | 'ivrChoice' | 'isSos'>[];
}

/** The person in the ringing agent's screen pop: the record and what the call needs (medical notes). */
export interface PopPerson extends PersonDetail {
  medicalNotes: string | null;
}

/** What the audited reveal returns: every value the masks hide. */
export interface RevealedIdentifiers {
  idNumber: string | null;
  certNumber: string | null;
  birthDate: string | null;
  medicalNotes: string | null;
  phones: { id: string; e164: string; kind: string }[];
  contacts: { id: string; phoneE164: string }[];
  devices: { id: string; phoneE164: string | null }[];
  /** The change history's encrypted values in full (identifiers, birth date, notes, numbers), by history row id. */
  changes: { id: string; oldValue: unknown; newValue: unknown }[];
}

const RECENT_CALLS = 5;

/** People (服务对象): search, the masked record, the unmasked values for the reveal, and the screen-pop read. */
export class PersonService {
  constructor(
    private readonly ds: DataSource,
    private readonly crypto: FieldCrypto,
    private readonly audit: AuditService,
  ) {}

  /**
   * Search by phone (any common Chinese format), name (prefix), or ID / certificate number (exact).
   * Only persons in the actor's districts are returned; the search is audited.
   */
  async search(actor: Actor, query: PersonSearch): Promise<{ items: PersonSummary[]; total: number }> {
    const qb = this.ds.getRepository(Person).createQueryBuilder('p');
    if (actor.scopePrefix) qb.andWhere('p.district_code LIKE :scope', { scope: `${actor.scopePrefix}%` });
    const text = query.q?.trim();
    if (query.phone || (text && /^[+\d\s()-]{5,}$/.test(text) && !/^\d{17}[\dXx]/.test(text))) {
      const phone = normalizePhone(query.phone ?? text!);
      if (!phone) throw new AppError('validation/invalid', `无法识别的电话号码: ${query.phone ?? text}`);
      qb.andWhere(
        new Brackets((w) =>
          w
            .where('p.id IN (SELECT person_id FROM phone_number WHERE e164 = :e164 AND person_id IS NOT NULL)')
            .orWhere('p.id IN (SELECT c.person_id FROM contact c WHERE c.phone_e164 = :e164)'),
        ),
        { e164: phone.e164 },
      );
    } else if (query.certificate || (text && /^\d{17}[\dXx](\d{2})?$/.test(text))) {
      const value = (query.certificate ?? text!).toUpperCase();
      const hash = this.crypto.hash(value);
      qb.andWhere(value.length === 20 ? 'p.cert_number_hash = :hash' : 'p.id_number_hash = :hash', { hash });
    } else if (query.name || text) {
      qb.andWhere('p.name LIKE :name', { name: `${escapeLike(query.name ?? text!)}%` });
    }
    if (query.riskTier) qb.andWhere('p.risk_tier = :risk', { risk: query.riskTier });
    if (query.districtCode) qb.andWhere('p.district_code LIKE :dc', { dc: `${escapeLike(query.districtCode)}%` });
    qb.orderBy('p.name', 'ASC').addOrderBy('p.id', 'ASC').skip(query.offset).take(query.limit);
    const [rows, total] = await qb.getManyAndCount();
    await this.audit.record({ actorId: actor.userId, actorUsername: actor.username, action: 'person.search', subjectType: 'person', subjectId: rows.length === 1 ? rows[0].id : undefined, subjects: rows.map((r) => ({ type: 'person', id: r.id })), purpose: query.purpose, outcome: 'ok' });
    return { items: await this.summaries(rows), total };
  }

  /** The whole record with contacts, devices, open orders and recent calls. Audited. */
  async get(actor: Actor, id: string, purpose?: string): Promise<PersonDetail> {
    const person = await this.loadInScope(actor, id);
    const detail = await this.detail(person);
    await this.audit.record({ actorId: actor.userId, actorUsername: actor.username, action: 'person.read', subjectType: 'person', subjectId: id, purpose, outcome: 'ok' });
    return detail;
  }

  /**
   * Every value the masks hide, for the audited reveal (`PersonRevealService`, which checks scope, purpose
   * and rate first). Not audited here.
   */
  async unmasked(person: Person): Promise<RevealedIdentifiers> {
    const [phones, contacts, devices, changes] = await Promise.all([
      this.ds.getRepository(PhoneNumber).find({ where: { personId: person.id }, order: { kind: 'ASC' } }),
      this.ds.getRepository(Contact).find({ where: { personId: person.id }, order: { priority: 'ASC' } }),
      this.ds.getRepository(Device).find({ where: { personId: person.id }, order: { kind: 'ASC' } }),
      new PersonChangeLog(this.crypto).revealed(this.ds, person.id, 100),
    ]);
    return {
      idNumber: person.idNumberEnc ? this.crypto.decrypt(person.idNumberEnc) : null,
      certNumber: person.certNumberEnc ? this.crypto.decrypt(person.certNumberEnc) : null,
      birthDate: person.birthDate,
      medicalNotes: person.medicalNotesEnc ? this.crypto.decrypt(person.medicalNotesEnc) : null,
      phones: phones.map(({ id, e164, kind }) => ({ id, e164, kind })),
      contacts: contacts.map(({ id, phoneE164 }) => ({ id, phoneE164 })),
      devices: devices.map(({ id, phoneE164 }) => ({ id, phoneE164 })),
      changes,
    };
  }

  /** The person a number belongs to (their own number first, then as a contact's number). */
  async findByNumber(e164: string): Promise<Person | null> {
    const own = await this.ds
      .getRepository(Person)
      .createQueryBuilder('p')
      .innerJoin(PhoneNumber, 'n', 'n.person_id = p.id')
      .where('n.e164 = :e164', { e164 })
      .orderBy("CASE n.kind WHEN 'sos_device' THEN 0 ELSE 1 END")
      .addOrderBy('n.is_primary', 'DESC') // a shared landline pops the person whose primary number it is
      .addOrderBy('p.id', 'ASC')
      .getOne();
    return own;
  }

  /**
   * The record for a screen pop: the masked record plus the medical notes, which the ringing agent needs to
   * help the caller (the fan-out withholds them from watching supervisors and audits each delivery). For the
   * system: auditing is the caller's. Takes the person row the caller lookup already read, so the pop costs
   * one round of parallel queries.
   */
  async popDetail(person: Person): Promise<PopPerson> {
    return { ...(await this.detail(person)), medicalNotes: person.medicalNotesEnc ? this.crypto.decrypt(person.medicalNotesEnc) : null };
  }

  /** The masked record as `get` returns it, without auditing (the caller audits: e.g. a registration). */
  record(person: Person): Promise<PersonDetail> {
    return this.detail(person);
  }

  /**
   * The person if it exists and lies in the actor's scope. Out of scope answers exactly like missing (no
   * existence oracle); the attempt is still audited as denied.
   * @throws AppError person/not-found
   */
  async loadInScope(actor: Actor, id: string, action = 'person.read'): Promise<Person> {
    const person = await this.ds.getRepository(Person).findOneBy({ id });
    if (person && inScope(actor, person.districtCode)) return person;
    if (person) await this.audit.record({ actorId: actor.userId, actorUsername: actor.username, action, subjectType: 'person', subjectId: id, outcome: 'denied' });
    throw new AppError('person/not-found', `服务对象 ${id} 不存在`);
  }

  private async detail(person: Person): Promise<PersonDetail> {
    const [[summary], contacts, devices, openTickets, recentCalls] = await Promise.all([
      this.summaries([person]),
      this.ds.getRepository(Contact).find({ where: { personId: person.id }, order: { priority: 'ASC' } }),
      this.ds.getRepository(Device).find({ where: { personId: person.id }, order: { kind: 'ASC' } }),
      this.ds.getRepository(Ticket).find({
        where: { personId: person.id, status: Not(In([...TERMINAL_STATUSES])) },
        order: { createdAt: 'DESC' },
        take: 20,
      }),
      this.ds.getRepository(Call).find({ where: { personId: person.id }, order: { offeredAt: 'DESC' }, take: RECENT_CALLS }),
    ]);
    return {
      ...summary,
      version: person.version,
      hasMedicalNotes: person.medicalNotesEnc !== null,
      contacts: contacts.map(({ id, name, relation, isGuardian, priority, notifyOnEmergency, phoneE164 }) => ({ id, name, relation, isGuardian, priority, notifyOnEmergency, phoneMasked: maskPhone(phoneE164) })),
      devices: devices.map(({ id, kind, serial, model, mode, armed, battery, lastHeartbeatAt, retiredAt, phoneE164 }) => ({ id, kind, serial, model, mode, armed, battery, lastHeartbeatAt, retiredAt, phoneMasked: phoneE164 ? maskPhone(phoneE164) : null })),
      openTickets: openTickets.map(({ id, number, category, serviceType, priority, status, summary: s, createdAt }) => ({ id, number, category, serviceType, priority, status, summary: s, createdAt })),
      recentCalls: recentCalls.map(({ id, direction, status, offeredAt, answeredAt, endedAt, agentExtension, endReason, outcome, endedAfter, endedBefore, ivrChoice, isSos }) => ({ id, direction, status, offeredAt, answeredAt, endedAt, agentExtension, endReason, outcome, endedAfter, endedBefore, ivrChoice, isSos })),
    };
  }

  private async summaries(rows: Person[]): Promise<PersonSummary[]> {
    if (rows.length === 0) return [];
    const phones = await this.ds.getRepository(PhoneNumber).find({ where: { personId: In(rows.map((r) => r.id)) } });
    return rows.map((p) => ({
      id: p.id,
      name: p.name,
      gender: p.gender,
      birthYear: p.birthDate ? Number(p.birthDate.slice(0, 4)) : null,
      disabilityCategory: p.disabilityCategory,
      disabilityLevel: p.disabilityLevel,
      subDisabilities: p.subDisabilities,
      riskTier: p.riskTier,
      livingSituation: p.livingSituation,
      communicationNeed: p.communicationNeed,
      dialect: p.dialect,
      districtCode: p.districtCode,
      address: p.address,
      idNumberMasked: p.idNumberEnc ? maskCitizenId(this.crypto.decrypt(p.idNumberEnc)) : null,
      certNumberMasked: p.certNumberEnc ? maskCertificate(this.crypto.decrypt(p.certNumberEnc)) : null,
      phones: ownPhones(phones.filter((n) => n.personId === p.id)),
    }));
  }
}

const KIND_ORDER: Record<string, number> = { mobile: 0, landline: 1 };

/**
 * A person's numbers, the primary first. Records written before numbers could be marked (seed, import,
 * registration) have none marked: then the first mobile (else landline) counts as the primary.
 */
function ownPhones(rows: PhoneNumber[]): PersonSummary['phones'] {
  const sorted = [...rows].sort((a, b) => Number(b.isPrimary) - Number(a.isPrimary) || (KIND_ORDER[a.kind] ?? 2) - (KIND_ORDER[b.kind] ?? 2) || a.id.localeCompare(b.id));
  const marked = sorted.some((n) => n.isPrimary);
  return sorted.map((n, i) => ({ id: n.id, masked: maskPhone(n.e164), kind: n.kind, isPrimary: marked ? n.isPrimary : i === 0 }));
}

function escapeLike(s: string): string {
  return s.replace(/[\\%_]/g, (c) => `\\${c}`);
}
