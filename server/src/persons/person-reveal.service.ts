import type { AuditService } from '../audit/audit.service';
import type { Actor } from '../auth/auth.service';
import { AppError } from '../shared/app-error';
import type { Clock } from '../shared/clock';
import type { DomainEvents } from '../shared/domain-events';
import type { RevealInput } from './person.schema';
import type { PersonService, RevealedIdentifiers } from './person.service';
import { RevealLimiter, type RevealLimits } from './reveal-limiter';

/**
 * The audited reveal (`POST /api/persons/:id/reveal`): full ID and certificate numbers, birth date, medical
 * notes, phone and contact numbers, for a purpose from a fixed list. Rate-limited per user; a user who
 * reveals many distinct persons in a short time raises a `person.reveal-bulk` audit entry and a
 * `security.alert` for the security admins.
 */
export class PersonRevealService {
  private readonly limiter: RevealLimiter;

  constructor(
    private readonly persons: PersonService,
    private readonly audit: AuditService,
    private readonly events: DomainEvents,
    private readonly clock: Clock,
    private readonly limits: RevealLimits,
  ) {
    this.limiter = new RevealLimiter(limits);
  }

  /**
   * @throws AppError person/not-found (missing or out of scope), person/reveal-rate-limited (429, details.retryAfterSeconds)
   * @example await reveals.reveal(actor, personId, { purpose: 'identity_verification' });
   */
  async reveal(actor: Actor, personId: string, input: RevealInput): Promise<RevealedIdentifiers> {
    const person = await this.persons.loadInScope(actor, personId, 'person.reveal');
    const purpose = input.detail ? `${input.purpose}: ${input.detail}` : input.purpose;
    const now = this.clock.now();
    const decision = this.limiter.take(actor.userId, personId, now.getTime());
    if (!decision.ok) {
      await this.audit.record({ actorId: actor.userId, actorUsername: actor.username, action: 'person.reveal', subjectType: 'person', subjectId: personId, purpose, outcome: 'denied' });
      throw new AppError('person/reveal-rate-limited', `查看完整信息过于频繁，请 ${decision.retryAfterSeconds} 秒后再试`, { retryAfterSeconds: decision.retryAfterSeconds });
    }
    const revealed = await this.persons.unmasked(person);
    await this.audit.record({ actorId: actor.userId, actorUsername: actor.username, action: 'person.reveal', subjectType: 'person', subjectId: personId, purpose, outcome: 'ok' });
    if (decision.bulk) {
      const windowMinutes = Math.round(this.limits.windowMs / 60_000);
      await this.audit.record({
        actorId: actor.userId, actorUsername: actor.username, action: 'person.reveal-bulk',
        subjects: decision.bulk.persons.map((id) => ({ type: 'person', id })),
        purpose: `${decision.bulk.persons.length} persons in ${windowMinutes} min`, outcome: 'ok',
      });
      // After the entry is written (standalone entries commit on their own): the alert names no person.
      this.events.emit('security.alert', { kind: 'person.reveal-bulk', actorId: actor.userId, actorUsername: actor.username, persons: decision.bulk.persons.length, windowMinutes, at: now.toISOString() });
    }
    return revealed;
  }
}
