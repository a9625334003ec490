/**
 * The offer cascade as a pure state machine: `applyCascadeEvent(state, event)` returns the new state, the
 * effects the server must carry out (send an offer and keep its timer, cancel a timer, tell a candidate
 * an offer was withdrawn, confirm the assignee, hand the job back to the dispatcher) and, when the event
 * is refused, a rejection saying why. The state is never mutated; time comes in on every event.
 *
 * Offers go to the ranked candidates `parallel` at a time (1: one after another; urgent jobs several at
 * once, the first accept wins and the other offers are withdrawn). A decline or timeout opens the next
 * offer; when the list runs out the job goes back to the dispatcher with every candidate's outcome.
 */

export const CASCADE_STATUSES = ['idle', 'offering', 'assigned', 'with_dispatcher', 'cancelled'] as const;
export type CascadeStatus = (typeof CASCADE_STATUSES)[number];

export const OFFER_STATUSES = ['open', 'accepted', 'declined', 'timed_out', 'withdrawn'] as const;
export type OfferStatus = (typeof OFFER_STATUSES)[number];

export const WITHDRAW_REASONS = ['taken_by_other', 'dispatcher', 'assigned_directly', 'cancelled'] as const;
export type WithdrawReason = (typeof WITHDRAW_REASONS)[number];

export interface Offer {
  /** `<jobId>/<n>`: unique within the job, in the order offers were sent. */
  offerId: string;
  candidateId: string;
  sentAt: Date;
  expiresAt: Date;
  status: OfferStatus;
  endedAt: Date | null;
  /** Set when status is `withdrawn`. */
  withdrawReason: WithdrawReason | null;
  /** What the candidate said when declining. */
  declineNote: string | null;
}

export interface Assignment {
  candidateId: string;
  via: 'offer' | 'dispatcher';
  /** The accepted offer; null when the dispatcher assigned someone who had none open. */
  offerId: string | null;
  at: Date;
}

export interface CascadeState {
  jobId: string;
  status: CascadeStatus;
  /** Offers open at once. */
  parallel: number;
  timeoutMs: number;
  /** Ranked candidates not offered yet, best first. */
  queue: string[];
  offers: Offer[];
  assignee: Assignment | null;
}

export type CascadeEvent =
  | { type: 'start'; at: Date; candidateIds: readonly string[] }
  | { type: 'accept'; at: Date; offerId: string }
  | { type: 'decline'; at: Date; offerId: string; note?: string }
  | { type: 'timeout'; at: Date; offerId: string }
  /** Dispatcher: give the job to this candidate now (by phone, say); every open offer is withdrawn. */
  | { type: 'assign'; at: Date; candidateId: string }
  /** Dispatcher: withdraw one offer (the cascade goes on), or with no offerId everything (back to the dispatcher). */
  | { type: 'withdraw'; at: Date; offerId?: string }
  /** Dispatcher: offer again to this ranked list (a new search, or people who declined before). */
  | { type: 'reoffer'; at: Date; candidateIds: readonly string[]; parallel?: number }
  | { type: 'cancel'; at: Date };

export const RETURN_CAUSES = ['no_candidates', 'list_exhausted', 'withdrawn'] as const;
export type ReturnCause = (typeof RETURN_CAUSES)[number];

export type CascadeEffect =
  /** Send the offer and store a durable timer due at `expiresAt`. */
  | { type: 'send_offer'; offerId: string; candidateId: string; expiresAt: Date }
  /** The offer ended before its timer: drop the timer. */
  | { type: 'cancel_timer'; offerId: string }
  /** Tell the candidate the offer (or assignment) no longer stands. */
  | { type: 'notify_withdrawn'; offerId: string | null; candidateId: string; reason: WithdrawReason }
  | { type: 'confirm_assignment'; candidateId: string; offerId: string | null; via: Assignment['via'] }
  /** The job needs a person again: every offer's outcome so far, oldest first. */
  | { type: 'return_to_dispatcher'; cause: ReturnCause; outcomes: OfferOutcome[] };

export interface OfferOutcome {
  offerId: string;
  candidateId: string;
  status: OfferStatus;
  withdrawReason: WithdrawReason | null;
  declineNote: string | null;
}

export const REJECTION_CODES = [
  'unknown_offer',
  'offer_expired',
  'offer_withdrawn',
  'offer_declined',
  'already_accepted',
  'timer_not_due',
  'not_allowed',
] as const;
export type RejectionCode = (typeof REJECTION_CODES)[number];

export interface Rejection {
  code: RejectionCode;
  message: string;
}

export interface CascadeStep {
  state: CascadeState;
  effects: CascadeEffect[];
  /** Set when the event was refused. The state may still have moved (an answer after expiry expires the offer). */
  rejection?: Rejection;
}

/**
 * A job's cascade before any offer.
 * @example let s = createCascade({ jobId: 'j1', parallel: 1, timeoutMs: 120_000 });
 */
export function createCascade(input: { jobId: string; parallel: number; timeoutMs: number }): CascadeState {
  if (!Number.isInteger(input.parallel) || input.parallel < 1) throw new RangeError('parallel must be a whole number ≥ 1');
  if (!(input.timeoutMs > 0)) throw new RangeError('timeoutMs must be > 0');
  return { jobId: input.jobId, status: 'idle', parallel: input.parallel, timeoutMs: input.timeoutMs, queue: [], offers: [], assignee: null };
}

/**
 * Apply one event.
 * @example
 * const { state, effects } = applyCascadeEvent(s, { type: 'start', at: now, candidateIds: ['v1', 'v2'] });
 * // effects: [{ type: 'send_offer', offerId: 'j1/1', candidateId: 'v1', expiresAt: now + 120 s }]
 */
export function applyCascadeEvent(state: CascadeState, event: CascadeEvent): CascadeStep {
  const step = new Step(state);
  switch (event.type) {
    case 'start':
      if (state.status !== 'idle') return step.reject('not_allowed', `job is ${state.status}; start only once (use reoffer)`);
      return step.offerTo(event.candidateIds, event.at).done();
    case 'reoffer':
      if (state.status === 'assigned' || state.status === 'cancelled') return step.reject('not_allowed', `job is ${state.status}; withdraw the assignment first`);
      if (event.parallel !== undefined && (!Number.isInteger(event.parallel) || event.parallel < 1)) return step.reject('not_allowed', 'parallel must be a whole number ≥ 1');
      if (event.parallel !== undefined) step.state.parallel = event.parallel;
      return step.offerTo(event.candidateIds, event.at).done();
    case 'accept':
      return step.answer(event.offerId, event.at, 'accept');
    case 'decline':
      return step.answer(event.offerId, event.at, 'decline', event.note);
    case 'timeout':
      return step.timeout(event.offerId, event.at);
    case 'assign':
      return step.assign(event.candidateId, event.at);
    case 'withdraw':
      return event.offerId === undefined ? step.withdrawAll(event.at) : step.withdrawOne(event.offerId, event.at);
    case 'cancel':
      if (state.status === 'cancelled') return step.reject('not_allowed', 'job is already cancelled');
      step.closeEverything(event.at, 'cancelled');
      step.state.status = 'cancelled';
      return step.done();
  }
}

/** One transition being built: a copy of the state and the effects so far. */
class Step {
  readonly state: CascadeState;
  private readonly effects: CascadeEffect[] = [];

  constructor(private readonly before: CascadeState) {
    this.state = { ...before, queue: [...before.queue], offers: before.offers.map((o) => ({ ...o })) };
  }

  done(): CascadeStep {
    return { state: this.state, effects: this.effects };
  }

  /** Refuse the event: the state as it was, unless this step already moved it (`keep`). */
  reject(code: RejectionCode, message: string, keep = false): CascadeStep {
    return keep ? { state: this.state, effects: this.effects, rejection: { code, message } } : { state: this.before, effects: [], rejection: { code, message } };
  }

  private open(): Offer[] {
    return this.state.offers.filter((o) => o.status === 'open');
  }

  private find(offerId: string): Offer | undefined {
    return this.state.offers.find((o) => o.offerId === offerId);
  }

  /** Replace the queue with this list (no duplicates, nobody with an open offer) and fill the open slots. */
  offerTo(candidateIds: readonly string[], at: Date): this {
    const openTo = new Set(this.open().map((o) => o.candidateId));
    this.state.queue = [...new Set(candidateIds)].filter((id) => !openTo.has(id));
    this.state.status = 'offering';
    const sentBefore = this.state.offers.length;
    this.fill(at);
    if ((this.state.status as CascadeStatus) === 'with_dispatcher' && this.state.offers.length === sentBefore) {
      // fill() said list_exhausted; nothing was offered at all in this round.
      const last = this.effects[this.effects.length - 1];
      if (last?.type === 'return_to_dispatcher') last.cause = 'no_candidates';
    }
    return this;
  }

  /** Open offers up to `parallel`; with none open and nobody left, hand the job back. */
  private fill(at: Date): void {
    if (this.state.status !== 'offering') return;
    let open = this.open().length;
    while (open < this.state.parallel && this.state.queue.length) {
      const candidateId = this.state.queue.shift()!;
      const offer: Offer = {
        offerId: `${this.state.jobId}/${this.state.offers.length + 1}`,
        candidateId,
        sentAt: at,
        expiresAt: new Date(at.getTime() + this.state.timeoutMs),
        status: 'open',
        endedAt: null,
        withdrawReason: null,
        declineNote: null,
      };
      this.state.offers.push(offer);
      this.effects.push({ type: 'send_offer', offerId: offer.offerId, candidateId, expiresAt: offer.expiresAt });
      open++;
    }
    if (open === 0) this.backToDispatcher('list_exhausted');
  }

  private backToDispatcher(cause: ReturnCause): void {
    this.state.status = 'with_dispatcher';
    this.state.queue = [];
    const outcomes = this.state.offers.map((o) => ({ offerId: o.offerId, candidateId: o.candidateId, status: o.status, withdrawReason: o.withdrawReason, declineNote: o.declineNote }));
    this.effects.push({ type: 'return_to_dispatcher', cause, outcomes });
  }

  private end(offer: Offer, status: Exclude<OfferStatus, 'open'>, at: Date, cancelTimer: boolean): void {
    offer.status = status;
    offer.endedAt = at;
    if (cancelTimer) this.effects.push({ type: 'cancel_timer', offerId: offer.offerId });
  }

  private withdraw(offer: Offer, at: Date, reason: WithdrawReason): void {
    const wasOpen = offer.status === 'open';
    offer.withdrawReason = reason;
    this.end(offer, 'withdrawn', at, wasOpen);
    this.effects.push({ type: 'notify_withdrawn', offerId: offer.offerId, candidateId: offer.candidateId, reason });
  }

  answer(offerId: string, at: Date, answer: 'accept' | 'decline', note?: string): CascadeStep {
    const offer = this.find(offerId);
    if (!offer) return this.reject('unknown_offer', `no offer ${offerId} for job ${this.state.jobId}`);
    switch (offer.status) {
      case 'accepted':
        return answer === 'accept'
          ? this.reject('already_accepted', 'this offer was already accepted')
          : this.reject('already_accepted', 'this offer was accepted; ask the dispatcher to withdraw it');
      case 'declined':
        return this.reject('offer_declined', 'this offer was already declined');
      case 'timed_out':
        return this.reject('offer_expired', `this offer expired at ${offer.expiresAt.toISOString()}`);
      case 'withdrawn':
        return this.reject('offer_withdrawn', offer.withdrawReason === 'taken_by_other' ? 'another candidate accepted first' : `this offer was withdrawn (${offer.withdrawReason})`);
      case 'open':
        break;
    }
    if (at.getTime() >= offer.expiresAt.getTime()) {
      // The answer came after the deadline but before the timer fired: expire it now and move on.
      this.end(offer, 'timed_out', offer.expiresAt, true);
      this.fill(at);
      return this.reject('offer_expired', `this offer expired at ${offer.expiresAt.toISOString()}`, true);
    }
    if (answer === 'decline') {
      offer.declineNote = note?.trim() || null;
      this.end(offer, 'declined', at, true);
      this.fill(at);
      return this.done();
    }
    this.end(offer, 'accepted', at, true);
    for (const other of this.open()) this.withdraw(other, at, 'taken_by_other');
    this.state.assignee = { candidateId: offer.candidateId, via: 'offer', offerId: offer.offerId, at };
    this.state.status = 'assigned';
    this.effects.push({ type: 'confirm_assignment', candidateId: offer.candidateId, offerId: offer.offerId, via: 'offer' });
    return this.done();
  }

  timeout(offerId: string, at: Date): CascadeStep {
    const offer = this.find(offerId);
    if (!offer) return this.reject('unknown_offer', `no offer ${offerId} for job ${this.state.jobId}`);
    if (offer.status !== 'open') return this.reject('not_allowed', `offer is ${offer.status}; its timer no longer counts`);
    if (at.getTime() < offer.expiresAt.getTime()) return this.reject('timer_not_due', `offer expires at ${offer.expiresAt.toISOString()}`);
    this.end(offer, 'timed_out', at, false);
    this.fill(at);
    return this.done();
  }

  assign(candidateId: string, at: Date): CascadeStep {
    if (this.state.status === 'assigned' || this.state.status === 'cancelled') return this.reject('not_allowed', `job is ${this.state.status}`);
    const own = this.open().find((o) => o.candidateId === candidateId);
    if (own) this.end(own, 'accepted', at, true);
    for (const other of this.open()) this.withdraw(other, at, 'assigned_directly');
    this.state.queue = [];
    this.state.assignee = { candidateId, via: 'dispatcher', offerId: own?.offerId ?? null, at };
    this.state.status = 'assigned';
    this.effects.push({ type: 'confirm_assignment', candidateId, offerId: own?.offerId ?? null, via: 'dispatcher' });
    return this.done();
  }

  withdrawOne(offerId: string, at: Date): CascadeStep {
    const offer = this.find(offerId);
    if (!offer) return this.reject('unknown_offer', `no offer ${offerId} for job ${this.state.jobId}`);
    if (offer.status === 'accepted') return this.withdrawAll(at);
    if (offer.status !== 'open') return this.reject('not_allowed', `offer is ${offer.status}`);
    this.withdraw(offer, at, 'dispatcher');
    this.fill(at);
    return this.done();
  }

  withdrawAll(at: Date): CascadeStep {
    if (this.state.status === 'cancelled' || this.state.status === 'idle') return this.reject('not_allowed', `job is ${this.state.status}`);
    if (this.state.status === 'with_dispatcher') return this.reject('not_allowed', 'nothing to withdraw: the job is with the dispatcher');
    this.closeEverything(at, 'dispatcher');
    this.backToDispatcher('withdrawn');
    return this.done();
  }

  /** Withdraw every open offer and the assignment, if any. */
  closeEverything(at: Date, reason: WithdrawReason): void {
    for (const offer of this.open()) this.withdraw(offer, at, reason);
    const a = this.state.assignee;
    if (a) {
      const accepted = a.offerId ? this.find(a.offerId) : undefined;
      if (accepted) this.withdraw(accepted, at, reason);
      else this.effects.push({ type: 'notify_withdrawn', offerId: null, candidateId: a.candidateId, reason });
      this.state.assignee = null;
    }
    this.state.queue = [];
  }
}
