import type { DataSource, EntityManager } from 'typeorm';
import type { AuditService } from '../audit/audit.service';
import type { Actor } from '../auth/auth.service';
import { AppError } from '../shared/app-error';
import type { Clock } from '../shared/clock';
import type { FieldChange } from './person-change';
import type { PersonChangeLog } from './person-change-log';
import type { PhoneInput } from './person-edit.schema';
import { Person } from './person.entity';
import type { PersonDetail, PersonService } from './person.service';
import { PhoneNumber, type PhoneKind } from './phone.entity';
import { normalizePhone } from './phone-number';

/**
 * A person's own numbers (the caller-id index): add, remove, mark the primary. A number that is already
 * another person's is refused with `person/phone-shared` (409) unless the agent confirms it (a shared family
 * landline): then both persons own it and a call from it pops both. The refusal says how many other records
 * hold the number, never which.
 */
export class PersonPhonesService {
  constructor(
    private readonly ds: DataSource,
    private readonly audit: AuditService,
    private readonly persons: PersonService,
    private readonly history: PersonChangeLog,
    private readonly clock: Clock,
  ) {}

  /**
   * @throws AppError validation/invalid (not a callable number), conflict (already this person's),
   * person/phone-shared (another person's; send `confirmShared: true` to add it anyway)
   * @example await phones.add(actor, personId, { number: '0571-88888888', confirmShared: true });
   */
  async add(actor: Actor, personId: string, input: PhoneInput): Promise<PersonDetail> {
    const phone = normalizePhone(input.number);
    if (!phone || phone.kind === 'service') throw new AppError('validation/invalid', `无法识别的电话号码: ${input.number}`, [{ path: 'number', message: '无法识别的电话号码' }]);
    const kind: PhoneKind = input.kind ?? (phone.kind === 'landline' ? 'landline' : 'mobile');
    return this.change(actor, personId, 'person.phone-add', async (m, person) => {
      const owners: { person_id: string }[] = await m.query('SELECT DISTINCT person_id FROM phone_number WHERE e164 = $1 AND person_id IS NOT NULL', [phone.e164]);
      if (owners.some((o) => o.person_id === person.id)) throw new AppError('conflict', '该号码已在此服务对象名下');
      if (owners.length > 0 && !input.confirmShared) {
        throw new AppError('person/phone-shared', `该号码已登记在另外 ${owners.length} 位服务对象名下；如为家庭共用电话，请确认后再添加`, { sharedWith: owners.length });
      }
      // The first number of a person is their primary; later ones become it only when marked.
      const first = !(await m.existsBy(PhoneNumber, { personId: person.id }));
      await m.insert(PhoneNumber, { e164: phone.e164, kind, personId: person.id, contactId: null, isPrimary: first });
      return [{ field: 'phone', old: null, new: { e164: phone.e164, kind } }];
    }, input.confirmShared ? 'shared number confirmed' : undefined);
  }

  /** Remove one of the person's numbers; if it was the primary, the next one becomes primary. */
  async remove(actor: Actor, personId: string, phoneId: string): Promise<PersonDetail> {
    return this.change(actor, personId, 'person.phone-remove', async (m, person) => {
      const row = await this.phoneOf(m, person.id, phoneId);
      await m.delete(PhoneNumber, { id: row.id });
      if (row.isPrimary) {
        const next = await m.findOne(PhoneNumber, { where: { personId: person.id }, order: { kind: 'ASC', id: 'ASC' } });
        if (next) await m.update(PhoneNumber, { id: next.id }, { isPrimary: true });
      }
      return [{ field: 'phone', old: { e164: row.e164, kind: row.kind }, new: null }];
    });
  }

  /** Make this number the one called first. */
  async makePrimary(actor: Actor, personId: string, phoneId: string): Promise<PersonDetail> {
    return this.change(actor, personId, 'person.phone-primary', async (m, person) => {
      const row = await this.phoneOf(m, person.id, phoneId);
      const before = await m.findOneBy(PhoneNumber, { personId: person.id, isPrimary: true });
      if (before?.id === row.id) return [];
      await m.update(PhoneNumber, { personId: person.id }, { isPrimary: false });
      await m.update(PhoneNumber, { id: row.id }, { isPrimary: true });
      return [{ field: 'primaryPhone', old: before?.id ?? null, new: row.id }];
    });
  }

  private async phoneOf(m: EntityManager, personId: string, phoneId: string): Promise<PhoneNumber> {
    const row = await m.findOneBy(PhoneNumber, { id: phoneId, personId });
    if (!row) throw new AppError('phone/not-found', `电话 ${phoneId} 不存在`);
    return row;
  }

  private async change(actor: Actor, personId: string, action: string, work: (m: EntityManager, person: Person) => Promise<FieldChange[]>, purpose?: string): Promise<PersonDetail> {
    await this.persons.loadInScope(actor, personId, action);
    await this.ds.transaction(async (m) => {
      const person = await m.findOneOrFail(Person, { where: { id: personId }, lock: { mode: 'pessimistic_write' } });
      const changes = await work(m, person);
      if (changes.length === 0) return;
      await this.history.write(m, person.id, person.version, actor, changes, this.clock.now());
      await this.audit.record({ actorId: actor.userId, actorUsername: actor.username, action, subjectType: 'person', subjectId: person.id, purpose, outcome: 'ok' }, m);
    });
    return this.persons.record(await this.ds.getRepository(Person).findOneByOrFail({ id: personId }));
  }
}
