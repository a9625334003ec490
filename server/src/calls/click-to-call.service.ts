import { randomUUID } from 'node:crypto';
import { Not, type DataSource } from 'typeorm';
import type { AuditService } from '../audit/audit.service';
import { inScope, type Actor } from '../auth/auth.service';
import { may } from '../auth/permissions';
import type { Logger } from '../config/logger';
import { Contact } from '../persons/contact.entity';
import { Person } from '../persons/person.entity';
import { PhoneNumber } from '../persons/phone.entity';
import { maskPhone, normalizePhone } from '../persons/phone-number';
import { AppError } from '../shared/app-error';
import type { Clock } from '../shared/clock';
import type { CallView, DomainEvents } from '../shared/domain-events';
import { toAppError } from '../telephony/telephony-failure';
import type { TelephonyPort } from '../telephony/telephony.port';
import { Ticket } from '../tickets/ticket.entity';
import type { TicketService } from '../tickets/ticket.service';
import type { ClickToCallInput } from './click-to-call.schema';
import { Call } from './call.entity';

export interface DialAccepted {
  /** Our Originate ActionID; the call row carries it as `originateRequestId`. */
  requestId: string;
  toMasked: string;
  agentExtension: string;
  ticketNumber: string | null;
}

interface Pending {
  actor: Actor;
  personId: string | null;
  ticketId: string | null;
  ticketLinked: boolean;
  expiresAt: number;
}

/** How long a placed originate waits for its call to appear before we stop linking it. */
const PENDING_TTL_MS = 10 * 60_000;

/**
 * Click-to-call (一键外呼): asks the PBX to ring the agent's own extension and then dial the number, and
 * links the resulting call to the person and the work order once the call log has recorded it.
 */
export class ClickToCallService {
  private readonly pending = new Map<string, Pending>();

  constructor(
    private readonly ds: DataSource,
    private readonly telephony: TelephonyPort | null,
    private readonly tickets: TicketService,
    private readonly audit: AuditService,
    events: DomainEvents,
    private readonly clock: Clock,
    private readonly opts: { callerId: string; log: Logger; newId?: () => string },
  ) {
    events.on('call.updated', ({ call }) => void this.onCall(call));
  }

  /**
   * @throws AppError telephony/not-configured (503) without a PBX; validation/invalid for a bad number or an
   * actor without an extension; telephony/temporary or telephony/rejected when the PBX refuses.
   * Targets are checked before the PBX: a target out of scope answers as missing whether or not a PBX is set up.
   * @example await clickToCall.dial(actor, { personId, phoneId, ticketId });
   */
  async dial(actor: Actor, input: ClickToCallInput): Promise<DialAccepted> {
    if ('number' in input && !may(actor.roles, 'call.dial-number')) throw new AppError('auth/forbidden', '您的角色只能按联系人外呼，不能输入号码');
    const ticket = input.ticketId ? await this.ticketInScope(actor, input.ticketId) : null;
    return this.place(actor, await this.target(actor, input, ticket), ticket);
  }

  /**
   * Whether this actor could place a call now (a PBX and an extension): checked before work that leads to a call.
   * @throws AppError telephony/not-configured (503) or validation/invalid, as {@link dial}.
   */
  assertCanDial(actor: Actor): void {
    if (!this.telephony) throw new AppError('telephony/not-configured', '未配置电话系统（ASTERISK_AMI_URL），无法外呼');
    if (!actor.sipExtension) throw new AppError('validation/invalid', '您的账号没有分机号，无法外呼');
  }

  /**
   * Dial a number the server resolved itself (a dispatch candidate's phone, found by id in the actor's scope),
   * linked to a work order in scope. The caller checked role and scope of the number's owner; the number never
   * comes from the browser and only its masked form goes back.
   * @example await clickToCall.dialResolved(actor, { e164: candidate.phoneE164, ticketId: job.ticketId });
   */
  async dialResolved(actor: Actor, input: { e164: string; ticketId: string }): Promise<DialAccepted> {
    const ticket = await this.ticketInScope(actor, input.ticketId);
    return this.place(actor, { number: input.e164, personId: null }, ticket);
  }

  private async place(actor: Actor, target: { number: string; personId: string | null }, ticket: Ticket | null): Promise<DialAccepted> {
    const phone = normalizePhone(target.number);
    if (!phone) throw new AppError('validation/invalid', '无法识别的电话号码');
    if (!this.telephony) throw new AppError('telephony/not-configured', '未配置电话系统（ASTERISK_AMI_URL），无法外呼');
    if (!actor.sipExtension) throw new AppError('validation/invalid', '您的账号没有分机号，无法外呼');
    const personId = target.personId;

    this.sweep();
    const requestId = `c2c-${(this.opts.newId ?? randomUUID)()}`;
    this.pending.set(requestId, { actor, personId: personId ?? ticket?.personId ?? null, ticketId: ticket?.id ?? null, ticketLinked: false, expiresAt: this.clock.now().getTime() + PENDING_TTL_MS });
    try {
      await this.telephony.originate({
        requestId,
        agentExtension: actor.sipExtension,
        toNumber: phone.national,
        callerId: this.opts.callerId,
        variables: ticket ? { ANXIN_TICKET: ticket.number } : {},
      });
    } catch (err) {
      this.pending.delete(requestId);
      throw toAppError(err, '外呼');
    }
    await this.audit.record({
      actorId: actor.userId, actorUsername: actor.username, action: 'call.click_to_call',
      subjectType: ticket ? 'ticket' : personId ? 'person' : undefined, subjectId: ticket?.id ?? personId ?? undefined,
      subjects: personId ? [{ type: 'person', id: personId }] : [],
      purpose: requestId, outcome: 'ok',
    });
    return { requestId, toMasked: maskPhone(phone.e164), agentExtension: actor.sipExtension, ticketNumber: ticket?.number ?? null };
  }

  /**
   * Calls carrying one of our request ids: the first sighting links the work order; once the call has ended the
   * person is set on the call row (the call log rewrites the live row until then).
   */
  private async onCall(call: CallView): Promise<void> {
    const requestId = call.originateRequestId;
    const pending = requestId ? this.pending.get(requestId) : undefined;
    if (!requestId || !pending) return;
    const ended = call.status === 'ended';
    const linkTicket = pending.ticketId && !pending.ticketLinked;
    pending.ticketLinked = true;
    if (ended) this.pending.delete(requestId);
    try {
      if (linkTicket) await this.tickets.linkCall(pending.actor, pending.ticketId!, call.id);
      if (ended && pending.personId) {
        await this.ds.createQueryBuilder().update(Call).set({ personId: pending.personId }).where('id = :id AND person_id IS NULL', { id: call.id }).execute();
      }
    } catch (err) {
      this.opts.log.error({ err, requestId, callId: call.id }, 'click-to-call: linking the call failed');
    }
  }

  /** The number to dial and whom it belongs to, each checked against the actor's scope (out of scope = not found). */
  private async target(actor: Actor, input: ClickToCallInput, ticket: Ticket | null): Promise<{ number: string; personId: string | null }> {
    if ('phoneId' in input) {
      const person = await this.personInScope(actor, input.personId);
      const phone = await this.ds.getRepository(PhoneNumber).findOneBy({ id: input.phoneId, personId: person.id });
      if (!phone) throw new AppError('person/not-found', '该电话号码不存在');
      return { number: phone.e164, personId: person.id };
    }
    if ('contactId' in input) {
      const contact = await this.ds.getRepository(Contact).findOneBy({ id: input.contactId });
      if (!contact) throw new AppError('person/not-found', '该联系人不存在');
      await this.personInScope(actor, contact.personId);
      return { number: contact.phoneE164, personId: contact.personId };
    }
    if ('callId' in input) {
      const call = await this.ds.getRepository(Call).findOneBy({ id: input.callId });
      if (!call) throw new AppError('call/not-found', '该通话不存在');
      if (call.personId) await this.personInScope(actor, call.personId).catch(() => Promise.reject(new AppError('call/not-found', '该通话不存在')));
      else if (!may(actor.roles, 'call.dial-number')) throw new AppError('call/not-found', '该通话不存在');
      const number = call.direction === 'inbound' ? call.fromE164 : call.toE164;
      if (!number) throw new AppError('validation/invalid', '该通话没有可回拨的号码');
      return { number, personId: call.personId };
    }
    if ('number' in input) {
      const personId = input.personId ? (await this.personInScope(actor, input.personId)).id : null;
      return { number: input.number, personId: personId ?? ticket?.personId ?? null };
    }
    // A work order's caller: the number of its first inbound call, else the person's first phone.
    const [caller]: { e164: string }[] = await this.ds.query(
      `SELECT c.from_e164 AS e164 FROM ticket_call tc JOIN call c ON c.id = tc.call_id
        WHERE tc.ticket_id = $1 AND c.direction = 'inbound' AND c.from_e164 IS NOT NULL
        ORDER BY c.offered_at ASC NULLS LAST LIMIT 1`,
      [ticket!.id],
    );
    if (caller) return { number: caller.e164, personId: ticket!.personId };
    const phone = ticket!.personId ? await this.ds.getRepository(PhoneNumber).findOne({ where: { personId: ticket!.personId, kind: Not('sos_device') }, order: { kind: 'ASC' } }) : null;
    if (!phone) throw new AppError('validation/invalid', '该工单没有可回拨的号码');
    return { number: phone.e164, personId: ticket!.personId };
  }

  private async personInScope(actor: Actor, id: string): Promise<Person> {
    const person = await this.ds.getRepository(Person).findOneBy({ id });
    if (!person || !inScope(actor, person.districtCode)) throw new AppError('person/not-found', `服务对象 ${id} 不存在`);
    return person;
  }

  private async ticketInScope(actor: Actor, id: string): Promise<Ticket> {
    const ticket = await this.ds.getRepository(Ticket).findOneBy({ id });
    if (!ticket || !inScope(actor, ticket.districtCode)) throw new AppError('ticket/not-found', `工单 ${id} 不存在`);
    return ticket;
  }

  private sweep(): void {
    const now = this.clock.now().getTime();
    for (const [id, p] of this.pending) if (p.expiresAt < now) this.pending.delete(id);
  }
}
