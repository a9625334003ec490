import { IsNull, type DataSource, type EntityManager } from 'typeorm';
import type { AuditService } from '../audit/audit.service';
import type { Actor } from '../auth/auth.service';
import { AppError } from '../shared/app-error';
import type { Clock } from '../shared/clock';
import { CONSENT_KINDS, PersonConsent, type ConsentKind, type ConsentMethod } from './person-consent.entity';
import { latestToday, lockStatus } from './person-status.service';
import type { PersonService } from './person.service';

export interface ConsentView {
  id: string;
  kind: ConsentKind;
  givenOn: string;
  method: ConsentMethod;
  recordedBy: string | null;
  recordedAt: string;
  withdrawnOn: string | null;
  withdrawalMethod: ConsentMethod | null;
  withdrawnBy: string | null;
  withdrawnAt: string | null;
}

/** The consents of a person: the one in force per kind (null: none, or withdrawn) and the whole history. */
export interface ConsentsView {
  current: Record<ConsentKind, ConsentView | null>;
  history: ConsentView[];
}

/**
 * PIPL consents, recorded as the person (or guardian) gives them: one for sensitive personal information
 * (disability, health, location), one for notifying contacts. A withdrawal closes the consent and keeps it;
 * a later consent is a new row. Reads and changes are audited with the person as subject.
 */
export class PersonConsentService {
  constructor(
    private readonly ds: DataSource,
    private readonly persons: PersonService,
    private readonly audit: AuditService,
    private readonly clock: Clock,
  ) {}

  /** The consents in force and their history. Audited as a read of the person. */
  async list(actor: Actor, personId: string): Promise<ConsentsView> {
    await this.persons.loadInScope(actor, personId, 'person.consent.read');
    const view = await consentsOf(this.ds.manager, personId);
    await this.audit.record({ actorId: actor.userId, actorUsername: actor.username, action: 'person.consent.read', subjectType: 'person', subjectId: personId, outcome: 'ok' });
    return view;
  }

  /**
   * Record a consent as given (date and how), by the actor.
   * @throws AppError person/not-found, person/status-conflict (a merged record), conflict (one in force already)
   */
  async give(actor: Actor, personId: string, input: { kind: ConsentKind; givenOn: string; method: ConsentMethod }): Promise<ConsentsView> {
    this.notInFuture(input.givenOn, 'givenOn');
    await this.persons.loadInScope(actor, personId, 'person.consent');
    return this.ds.transaction(async (m) => {
      const row = await lockStatus(m, actor, personId);
      if (row.status === 'merged') throw new AppError('person/status-conflict', '该记录已合并，请在合并后的记录上登记', { status: row.status });
      if (await currentOf(m, personId, input.kind)) throw new AppError('conflict', '该项同意仍然有效；如需重新登记，请先登记撤回', { reason: 'consent-in-force' });
      await m.insert(PersonConsent, { personId, kind: input.kind, givenOn: input.givenOn, method: input.method, recordedById: actor.userId, recordedAt: this.clock.now() });
      await this.audit.record({ actorId: actor.userId, actorUsername: actor.username, action: 'person.consent.give', subjectType: 'person', subjectId: personId, purpose: `${input.kind} ${input.method} ${input.givenOn}`, outcome: 'ok' }, m);
      return consentsOf(m, personId);
    });
  }

  /**
   * Record the withdrawal of the consent in force of a kind (kept, with the date, how and by whom).
   * @throws AppError person/not-found, conflict (none in force)
   */
  async withdraw(actor: Actor, personId: string, input: { kind: ConsentKind; withdrawnOn: string; method: ConsentMethod }): Promise<ConsentsView> {
    this.notInFuture(input.withdrawnOn, 'withdrawnOn');
    await this.persons.loadInScope(actor, personId, 'person.consent');
    return this.ds.transaction(async (m) => {
      await lockStatus(m, actor, personId);
      const current = await currentOf(m, personId, input.kind);
      if (!current) throw new AppError('conflict', '没有有效的同意可撤回', { reason: 'no-consent' });
      if (input.withdrawnOn < current.givenOn) throw new AppError('validation/invalid', '撤回日期早于同意日期', [{ path: 'withdrawnOn', message: '撤回日期早于同意日期' }]);
      await m.update(PersonConsent, { id: current.id }, { withdrawnOn: input.withdrawnOn, withdrawalMethod: input.method, withdrawnById: actor.userId, withdrawnAt: this.clock.now() });
      await this.audit.record({ actorId: actor.userId, actorUsername: actor.username, action: 'person.consent.withdraw', subjectType: 'person', subjectId: personId, purpose: `${input.kind} ${input.method} ${input.withdrawnOn}`, outcome: 'ok' }, m);
      return consentsOf(m, personId);
    });
  }

  private notInFuture(date: string, path: string): void {
    if (date > latestToday(this.clock)) throw new AppError('validation/invalid', '日期不能晚于今天', [{ path, message: '日期不能晚于今天' }]);
  }
}

async function currentOf(m: EntityManager, personId: string, kind: ConsentKind): Promise<PersonConsent | null> {
  return m.getRepository(PersonConsent).findOne({ where: { personId, kind, withdrawnAt: IsNull() }, order: { recordedAt: 'DESC' } });
}

async function consentsOf(m: EntityManager, personId: string): Promise<ConsentsView> {
  const rows: (Record<string, unknown> & { id: string; kind: ConsentKind; given_on: string; method: ConsentMethod; recorded_at: Date; withdrawn_on: string | null; withdrawal_method: ConsentMethod | null; withdrawn_at: Date | null; recorded_by: string | null; withdrawn_by: string | null })[] = await m.query(
    `SELECT c.id, c.kind, c.given_on::text AS given_on, c.method, c.recorded_at, c.withdrawn_on::text AS withdrawn_on, c.withdrawal_method, c.withdrawn_at,
            r.display_name AS recorded_by, w.display_name AS withdrawn_by
       FROM person_consent c LEFT JOIN staff_user r ON r.id = c.recorded_by_id LEFT JOIN staff_user w ON w.id = c.withdrawn_by_id
      WHERE c.person_id = $1 ORDER BY c.recorded_at DESC, c.id LIMIT 200`,
    [personId],
  );
  const history: ConsentView[] = rows.map((c) => ({
    id: c.id,
    kind: c.kind,
    givenOn: c.given_on,
    method: c.method,
    recordedBy: c.recorded_by,
    recordedAt: new Date(c.recorded_at).toISOString(),
    withdrawnOn: c.withdrawn_on,
    withdrawalMethod: c.withdrawal_method,
    withdrawnBy: c.withdrawn_by,
    withdrawnAt: c.withdrawn_at ? new Date(c.withdrawn_at).toISOString() : null,
  }));
  const current = Object.fromEntries(CONSENT_KINDS.map((k) => [k, history.find((h) => h.kind === k && h.withdrawnAt === null) ?? null])) as Record<ConsentKind, ConsentView | null>;
  return { current, history };
}
