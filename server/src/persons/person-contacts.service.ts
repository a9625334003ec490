import type { DataSource, EntityManager } from 'typeorm';
import type { AuditService } from '../audit/audit.service';
import type { Actor } from '../auth/auth.service';
import { AppError } from '../shared/app-error';
import type { Clock } from '../shared/clock';
import { Contact } from './contact.entity';
import type { RecordValue } from './person-change';
import type { PersonChangeLog } from './person-change-log';
import type { ContactInput, ContactPatch } from './person-edit.schema';
import { Person } from './person.entity';
import type { PersonDetail, PersonService } from './person.service';
import { PhoneNumber } from './phone.entity';
import { normalizePhone } from './phone-number';

const invalid = (path: string, message: string) => new AppError('validation/invalid', message, [{ path, message }]);

/** A contact's number, normalised (a service number such as 12345 is no one's contact). */
export function contactNumber(path: string, raw: string): string {
  const phone = normalizePhone(raw);
  if (!phone || phone.kind === 'service') throw invalid(path, `无法识别的电话号码: ${raw}`);
  return phone.e164;
}

const valueOf = (c: Contact): RecordValue => ({ name: c.name, relation: c.relation, e164: c.phoneE164, isGuardian: c.isGuardian, notifyOnEmergency: c.notifyOnEmergency });

/**
 * 监护人 and emergency contacts: add, edit, reorder (the emergency calling order), remove. Each change is
 * audited and kept in the person's change history; the contact's number stays in the caller-id index.
 * Every method answers with the person's record as `GET /api/persons/:id` does.
 */
export class PersonContactsService {
  constructor(
    private readonly ds: DataSource,
    private readonly audit: AuditService,
    private readonly persons: PersonService,
    private readonly history: PersonChangeLog,
    private readonly clock: Clock,
  ) {}

  /** @example await contacts.add(actor, personId, { name: '李红', relation: '女儿', phone: '13912345678', isGuardian: true, notifyOnEmergency: true }); */
  async add(actor: Actor, personId: string, input: ContactInput): Promise<PersonDetail> {
    const phoneE164 = contactNumber('phone', input.phone);
    return this.change(actor, personId, 'person.contact-add', async (m, person) => {
      const [{ max }]: { max: number | null }[] = await m.query('SELECT MAX(priority) AS max FROM contact WHERE person_id = $1', [person.id]);
      const contact = await m.save(Contact, m.create(Contact, { personId: person.id, name: input.name, relation: input.relation, isGuardian: input.isGuardian, notifyOnEmergency: input.notifyOnEmergency, priority: Number(max ?? 0) + 1, phoneE164 }));
      await m.insert(PhoneNumber, { e164: phoneE164, kind: 'mobile', personId: null, contactId: contact.id });
      return { old: null, new: valueOf(contact) };
    });
  }

  /** @throws AppError contact/not-found (not this person's contact) */
  async update(actor: Actor, personId: string, contactId: string, patch: ContactPatch): Promise<PersonDetail> {
    const phoneE164 = patch.phone !== undefined ? contactNumber('phone', patch.phone) : undefined;
    return this.change(actor, personId, 'person.contact-edit', async (m, person) => {
      const contact = await this.contactOf(m, person.id, contactId);
      const old = valueOf(contact);
      const { phone: _typed, ...fields } = patch;
      Object.assign(contact, fields, phoneE164 ? { phoneE164 } : {});
      await m.save(Contact, contact);
      if (phoneE164) await m.update(PhoneNumber, { contactId: contact.id }, { e164: phoneE164 });
      return { old, new: valueOf(contact) };
    });
  }

  /**
   * Set the emergency order: `ids` must be exactly the person's contacts, first to call first.
   * @throws AppError validation/invalid (an id missing, repeated or not this person's)
   */
  async reorder(actor: Actor, personId: string, ids: string[]): Promise<PersonDetail> {
    return this.change(actor, personId, 'person.contact-order', async (m, person) => {
      const contacts = await m.find(Contact, { where: { personId: person.id }, order: { priority: 'ASC' } });
      const known = new Set(contacts.map((c) => c.id));
      if (ids.length !== contacts.length || new Set(ids).size !== ids.length || ids.some((id) => !known.has(id))) {
        throw invalid('ids', '顺序必须恰好包含该服务对象的全部联系人，各一次');
      }
      for (const [i, id] of ids.entries()) await m.update(Contact, { id }, { priority: i + 1 });
      const names = new Map(contacts.map((c) => [c.id, c.name]));
      return { field: 'contactOrder', old: contacts.map((c) => c.name), new: ids.map((id) => names.get(id)) };
    });
  }

  /** Remove a contact and its number from the caller-id index; the others close up the order. */
  async remove(actor: Actor, personId: string, contactId: string): Promise<PersonDetail> {
    return this.change(actor, personId, 'person.contact-remove', async (m, person) => {
      const contact = await this.contactOf(m, person.id, contactId);
      await m.delete(Contact, { id: contact.id }); // its phone_number row goes with it (ON DELETE CASCADE)
      await m.query('UPDATE contact SET priority = priority - 1 WHERE person_id = $1 AND priority > $2', [person.id, contact.priority]);
      return { old: valueOf(contact), new: null };
    });
  }

  private async contactOf(m: EntityManager, personId: string, contactId: string): Promise<Contact> {
    const contact = await m.findOneBy(Contact, { id: contactId, personId });
    if (!contact) throw new AppError('contact/not-found', `联系人 ${contactId} 不存在`);
    return contact;
  }

  private async change(actor: Actor, personId: string, action: string, work: (m: EntityManager, person: Person) => Promise<{ field?: 'contact' | 'contactOrder'; old: unknown; new: unknown }>): Promise<PersonDetail> {
    await this.persons.loadInScope(actor, personId, action);
    await this.ds.transaction(async (m) => {
      const person = await m.findOneOrFail(Person, { where: { id: personId }, lock: { mode: 'pessimistic_write' } });
      const change = await work(m, person);
      await this.history.write(m, person.id, person.version, actor, [{ field: change.field ?? 'contact', old: change.old, new: change.new }], this.clock.now());
      await this.audit.record({ actorId: actor.userId, actorUsername: actor.username, action, subjectType: 'person', subjectId: person.id, outcome: 'ok' }, m);
    });
    return this.persons.record(await this.ds.getRepository(Person).findOneByOrFail({ id: personId }));
  }
}
