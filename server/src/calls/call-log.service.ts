import { randomUUID } from 'node:crypto';
import { In, Not, type DataSource } from 'typeorm';
import type { Logger } from '../config/logger';
import type { PersonService } from '../persons/person.service';
import { Contact } from '../persons/contact.entity';
import type { Person } from '../persons/person.entity';
import { maskPhone, normalizePhone } from '../persons/phone-number';
import { NO_AUDIENCE, type CallView, type DomainEvents, type PopAudience, type ScreenPop } from '../shared/domain-events';
import type { StaffDirectory } from '../staff/staff-directory';
import type { CallsSnapshot, TelephonyEvent } from '../telephony/telephony-events';
import { applyCallEvent, type CallEvent, type CallState } from './call-state';
import { Call } from './call.entity';

/** The caller lookup (needed for the row) and the whole pop (needed at ringing), started together. */
interface PendingPop {
  personId: Promise<string | null>;
  pop: Promise<ScreenPop>;
  /** Whose scope the call falls in (see {@link PopAudience}). */
  audience: Promise<PopAudience>;
}

interface Live {
  row: Call | null;
  state: CallState | null;
  pop: PendingPop | null;
}

/**
 * Builds the `call` log from canonical telephony events and raises screen pops.
 *
 * Events of one call are applied strictly in order (a promise chain per call); different calls run
 * concurrently. Each change is written before the matching domain event is emitted.
 */
export class CallLogService {
  private readonly live = new Map<string, Live>();
  private readonly chains = new Map<string, Promise<void>>();
  /** The last snapshot's reconciliation: call events after it wait for it. */
  private barrier: Promise<void> = Promise.resolve();

  constructor(
    private readonly ds: DataSource,
    private readonly persons: PersonService,
    private readonly staff: StaffDirectory,
    private readonly events: DomainEvents,
    private readonly log: Logger,
  ) {}

  /** Feed one event; resolves when it is persisted. Never rejects: failures are logged. */
  handle(event: TelephonyEvent): Promise<void> {
    const key = event.type === 'agent.state' || event.type === 'calls.snapshot' ? `#${event.type}` : `${event.vendor}:${event.callKey}`;
    // A snapshot is a barrier: it runs once every event before it is written (so it sees their rows), and the
    // events after it wait for it (so a call it closes or opens is not written under it at the same time).
    const prev =
      event.type === 'calls.snapshot'
        ? Promise.all([this.barrier, ...this.chains.values()])
        : Promise.all([this.barrier, this.chains.get(key)]);
    const next = prev
      .then(() => this.apply(event))
      .catch((err) => this.log.error({ err, event: event.type, key }, 'call event failed'));
    this.chains.set(key, next);
    if (event.type === 'calls.snapshot') this.barrier = next;
    void next.then(() => {
      if (this.chains.get(key) === next) this.chains.delete(key);
    });
    return next;
  }

  /** Wait until every queued event is persisted (tests, shutdown). */
  async drain(): Promise<void> {
    while (this.chains.size) await Promise.all([...this.chains.values()]);
  }

  private async apply(event: TelephonyEvent): Promise<void> {
    switch (event.type) {
      case 'agent.state': {
        const user = await this.staff.byExtension(event.agentExtension);
        this.events.emit('agent.state', {
          agentExtension: event.agentExtension,
          agentUserId: user?.id ?? null,
          queue: event.queue,
          state: event.state,
          paused: event.paused,
          pausedReason: event.pausedReason,
          member: event.member,
        });
        return;
      }
      case 'calls.snapshot':
        return this.reconcile(event);
      default:
        return this.applyCallEvent(event);
    }
  }

  private async applyCallEvent(event: CallEvent): Promise<void> {
    const key = `${event.vendor}:${event.callKey}`;
    let live = this.live.get(key);
    if (!live) {
      // A call we do not hold is nearly always new: it is inserted at once, and only when its row turns out to
      // exist already (written before a restart) is that row read and the event applied to it.
      live = { row: null, state: null, pop: null };
      this.live.set(key, live);
    }
    const { next, changed } = applyCallEvent(live.state ? { ...live.state, callKey: event.callKey } : null, event);
    if (!changed) return;
    live.state = next;
    // Start the caller lookup and the pop as soon as the number is known; writes go on meanwhile.
    if (!live.pop && next.fromRaw && next.direction === 'inbound') live.pop = this.buildPop(key, next);

    const fields: Partial<Call> = fromState(next);
    const row = live.row;
    if (!row?.fromE164 && next.fromRaw) fields.fromE164 = normalizePhone(next.fromRaw)?.e164 ?? null;
    if (!row?.toE164 && next.toRaw) fields.toE164 = normalizePhone(next.toRaw)?.e164 ?? null;
    // The first write (the INSERT) does not wait for the caller lookup; every later one carries its result.
    if (row && !row.personId && live.pop) fields.personId = (await live.pop.personId) ?? null;
    if (next.agentExtension && next.agentExtension !== row?.agentExtension) {
      fields.agentUserId = (await this.staff.byExtension(next.agentExtension))?.id ?? null;
    }
    const ringing = event.type === 'call.ringing' && live.pop !== null;
    if (!row) {
      const inserted = await this.insert(key, event, fields);
      if (!inserted) {
        const existing = await this.ds.getRepository(Call).findOneByOrFail({ callKey: key });
        Object.assign(live, { row: existing, state: toState(existing), pop: null });
        return this.applyCallEvent(event);
      }
      live.row = inserted;
      if (ringing) await this.ring(live.pop!, inserted, next);
    } else if (ringing) {
      // The agent's screen must not lag the phone: the row exists (inserted when the call was offered), so the
      // pop goes out with the state being written, and the write completes before this call's next event.
      [live.row] = await Promise.all([this.update(row, fields), this.ring(live.pop!, { ...row, ...fields } as Call, next)]);
    } else {
      live.row = await this.update(row, fields);
    }
    if (!ringing) this.events.emit('call.updated', { call: toView(live.row, next), audience: live.pop ? await live.pop.audience : NO_AUDIENCE });
    if (next.status === 'ended') this.live.delete(key);
  }

  /**
   * `call.ringing` with the screen pop. The realtime fan-out delivers it to the ringing agent and the
   * supervisors whose scope covers the audience, and audits each delivery (see realtime/call-fanout.ts).
   */
  private async ring(pending: PendingPop, row: Call, state: CallState): Promise<void> {
    // The lookup may have started at the IVR; queue, priority and flags are as of now.
    const [base, audience] = await Promise.all([pending.pop, pending.audience]);
    const pop: ScreenPop = { ...base, callId: row.id, queue: state.queue, ivrChoice: state.ivrChoice, isSos: state.isSos, priority: state.priority };
    this.events.emit('call.ringing', { call: toView(row, state), agentUserId: row.agentUserId, pop, audience });
  }

  /** One INSERT; the id is ours, so nothing needs reading back. Null when a row with this key exists. */
  private async insert(key: string, event: CallEvent, fields: Partial<Call>): Promise<Call | null> {
    const now = new Date();
    const row = Object.assign(new Call(), {
      id: randomUUID(),
      callKey: key,
      // A failed originate has no channel: its key is our request id, not an Asterisk Linkedid.
      amiLinkedId: event.vendor === 'asterisk' && !(event.type === 'call.originated' && event.callKey === event.requestId) ? event.callKey : null,
      twilioCallSid: event.vendor === 'twilio' ? event.callKey : null,
      recordingRef: null,
      agentUserId: null,
      personId: null,
      fromE164: null,
      toE164: null,
      createdAt: now,
      updatedAt: now,
      ...fields,
    });
    const result = await this.ds.createQueryBuilder().insert().into(Call).values(row).orIgnore().returning('id').updateEntity(false).execute();
    return (result.raw as unknown[]).length ? row : null;
  }

  /** One UPDATE of the columns that changed. */
  private async update(row: Call, fields: Partial<Call>): Promise<Call> {
    const changed: Partial<Call> = {};
    for (const [k, v] of Object.entries(fields) as [keyof Call, unknown][]) {
      const before = row[k];
      const same = before instanceof Date && v instanceof Date ? before.getTime() === v.getTime() : before === v;
      if (!same) (changed as Record<string, unknown>)[k] = v;
    }
    if (Object.keys(changed).length) {
      changed.updatedAt = new Date();
      await this.ds.createQueryBuilder().update(Call).set(changed).where('id = :id', { id: row.id }).updateEntity(false).execute();
    }
    return Object.assign(row, changed);
  }

  private buildPop(callKey: string, state: CallState): PendingPop {
    const fromE164 = state.fromRaw ? (normalizePhone(state.fromRaw)?.e164 ?? null) : null;
    const person = fromE164 ? this.persons.findByNumber(fromE164) : Promise.resolve(null);
    const built = this.popFor(callKey, state, fromE164, person);
    // A failed lookup must not break the call log: the pop then says "unknown caller".
    built.catch((err) => this.log.warn({ err, callKey }, 'screen pop lookup failed'));
    const fallback = { pop: this.unknownPop(callKey, state, fromE164), audience: NO_AUDIENCE };
    const safe = built.catch(() => fallback);
    return { personId: person.then((p) => p?.id ?? null).catch(() => null), pop: safe.then((b) => b.pop), audience: safe.then((b) => b.audience) };
  }

  private unknownPop(callKey: string, state: CallState, fromE164: string | null): ScreenPop {
    return {
      callId: '',
      callKey,
      fromE164,
      fromMasked: fromE164 ? maskPhone(fromE164) : state.fromRaw,
      queue: state.queue,
      ivrChoice: state.ivrChoice,
      isSos: state.isSos,
      priority: state.priority,
      person: null,
      knownAsContactOf: [],
      sharedWith: [],
    };
  }

  private async popFor(callKey: string, state: CallState, fromE164: string | null, personLookup: Promise<Person | null>): Promise<{ pop: ScreenPop; audience: PopAudience }> {
    const base = this.unknownPop(callKey, state, fromE164);
    if (!fromE164) return { pop: base, audience: NO_AUDIENCE };
    const person = await personLookup;
    if (person) {
      // A shared family landline: the other persons who own the number are offered too.
      const [detail, shared] = await Promise.all([
        this.persons.popDetail(person),
        this.ds.query<{ personId: string; name: string; districtCode: string }[]>(
          `SELECT p.id AS "personId", p.name, p.district_code AS "districtCode" FROM phone_number n JOIN person p ON p.id = n.person_id
            WHERE n.e164 = $1 AND p.id <> $2 ORDER BY p.name, p.id LIMIT 5`,
          [fromE164, person.id],
        ),
      ]);
      return {
        pop: { ...base, person: detail, sharedWith: shared.map(({ personId, name }) => ({ personId, name })) },
        audience: { districtCode: person.districtCode, contactDistricts: Object.fromEntries(shared.map((s) => [s.personId, s.districtCode])) },
      };
    }
    const contacts = await this.ds
      .getRepository(Contact)
      .createQueryBuilder('c')
      .innerJoin('person', 'p', 'p.id = c.person_id')
      .select(['c.person_id AS "personId"', 'p.name AS name', 'c.relation AS relation', 'p.district_code AS "districtCode"'])
      .where('c.phone_e164 = :e', { e: fromE164 })
      .orderBy('c.priority', 'ASC')
      .limit(5)
      .getRawMany<{ personId: string; name: string; relation: string; districtCode: string }>();
    return {
      pop: { ...base, knownAsContactOf: contacts.map(({ personId, name, relation }) => ({ personId, name, relation })) },
      audience: { districtCode: contacts[0]?.districtCode ?? null, contactDistricts: Object.fromEntries(contacts.map((c) => [c.personId, c.districtCode])) },
    };
  }

  /**
   * After a (re)connect: calls we hold open that the PBX no longer has ended while we were away — when exactly
   * is unknown, so they are closed with the window they ended in (after the last time they were known to be up,
   * before the reconnect) and no end or talk time; calls the PBX has that we never saw are opened; bridged calls
   * are marked answered.
   */
  private async reconcile(snapshot: CallsSnapshot): Promise<void> {
    const vendorPrefix = `${snapshot.vendor}:`;
    const active = new Map(snapshot.calls.map((c) => [`${vendorPrefix}${c.callKey}`, c]));
    const open = await this.ds.getRepository(Call).find({ where: { status: Not(In(['ended'])) } });
    for (const row of open) {
      if (!row.callKey.startsWith(vendorPrefix) || active.has(row.callKey)) continue;
      const callKey = row.callKey.slice(vendorPrefix.length);
      const after = lastKnownUp(row, snapshot);
      await this.applyCallEvent({ type: 'call.ended-unseen', vendor: snapshot.vendor, callKey, at: snapshot.at, after });
    }
    for (const c of snapshot.calls) {
      const base = { vendor: snapshot.vendor, callKey: c.callKey, at: snapshot.at } as const;
      if (c.queue || c.state === 'queued') {
        // A call that started while we were away arrived when its channel was made (the PBX's Duration), not now.
        const arrived = c.durationSeconds !== undefined ? new Date(snapshot.at.getTime() - c.durationSeconds * 1000) : snapshot.at;
        await this.applyCallEvent({ ...base, at: arrived, type: 'call.offered', direction: 'inbound', fromNumber: c.fromNumber, toNumber: c.toNumber, queue: c.queue ?? 'unknown', priority: 0, channel: '' });
      }
      if (c.state === 'bridged' && c.agentExtension) {
        // Answered by now; if we did not see the answer, when it happened is unknown (a seen one is kept).
        await this.applyCallEvent({ ...base, type: 'call.answered', agentExtension: c.agentExtension, queue: c.queue, unseen: true });
      }
    }
    this.log.info({ active: snapshot.calls.length, reopened: open.length }, 'call log reconciled with PBX');
  }
}

/**
 * The last time a call we hold open was known to be up: its last event written (`updated_at`), its answer, or
 * the last frame the previous connection received (no hang-up had come by then) — never after the reconnect.
 */
function lastKnownUp(row: Call, snapshot: CallsSnapshot): Date {
  const times = [row.updatedAt, row.createdAt, row.offeredAt, row.answeredAt, snapshot.lastHeardAt].filter((d): d is Date => d instanceof Date);
  const latest = Math.max(...times.map((d) => d.getTime()));
  return new Date(Math.min(latest, snapshot.at.getTime()));
}

function toState(row: Call): CallState {
  return {
    callKey: row.callKey,
    direction: row.direction,
    status: row.status,
    fromRaw: row.fromRaw,
    toRaw: row.toE164,
    queue: row.queue,
    priority: row.priority,
    isSos: row.isSos,
    ivrChoice: row.ivrChoice,
    agentExtension: row.agentExtension,
    offeredAt: row.offeredAt,
    answeredAt: row.answeredAt,
    endedAt: row.endedAt,
    waitSeconds: row.waitSeconds,
    talkSeconds: row.talkSeconds,
    hangupCause: row.hangupCause,
    endReason: row.endReason,
    outcome: row.outcome,
    endedAfter: row.endedAfter,
    endedBefore: row.endedBefore,
    originateRequestId: row.originateRequestId,
    needsFollowUp: row.needsFollowUp,
  };
}

function fromState(s: CallState): Partial<Call> {
  const { callKey: _k, toRaw: _t, ...rest } = s;
  return rest;
}

function toView(row: Call, s: CallState): CallView {
  return { ...s, callKey: row.callKey, id: row.id, fromE164: row.fromE164, toE164: row.toE164, personId: row.personId, agentUserId: row.agentUserId };
}
