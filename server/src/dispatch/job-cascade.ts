/**
 * The offer cascade, persisted: build the engine's state from a locked job and its offer rows, apply one
 * event with `applyCascadeEvent`, write the new state back and carry out the effects in the same
 * transaction — offer SMS through the outbox with a one-time link, durable timers, withdrawal notices, the
 * order's lifecycle and timeline. Realtime notices are queued for after the commit.
 */
import { createHash, randomBytes, randomInt } from 'node:crypto';
import type { EntityManager } from 'typeorm';
import { applyCascadeEvent, type CascadeEvent, type CascadeState, type CascadeStep, type CascadeStatus, type Offer } from '../../../dispatch/src';
import type { Outbox } from '../outbox/outbox.service';
import type { AfterCommit } from '../sos/after-commit';
import { addTimeline } from '../sos/ticket-writer';
import { candidatesById } from './candidate-search';
import type { AnsweredVia } from './dispatch-words';
import { assignedText, offerText, withdrawnText } from './offer-text';
import { followTicket } from './ticket-follow';
import type { DispatchNotices } from './dispatch-notices';
import { JobOffer, ServiceJob } from './service-job.entity';

export const sha256 = (s: string): string => createHash('sha256').update(s).digest('hex');

/** Who caused an event: a staff user, or a field worker / volunteer (named on the timeline). */
export interface CascadeActor {
  staffUserId: string | null;
  label: string;
}

export interface CascadeDeps {
  outbox: Outbox;
  notices: DispatchNotices;
  /** `https://host` the field links start with. */
  linkBase: string;
}

/** The cascade's view of a stored job. */
export function cascadeStateOf(job: ServiceJob, offers: JobOffer[]): CascadeState {
  const status: CascadeStatus =
    job.status === 'open' ? 'idle' : job.status === 'offering' ? 'offering' : job.status === 'with_dispatcher' ? 'with_dispatcher' : job.status === 'cancelled' ? 'cancelled' : job.status === 'completed' || job.status === 'failed' ? 'cancelled' : 'assigned';
  const accepted = offers.find((o) => o.status === 'accepted' && o.candidateId === job.assigneeId);
  return {
    jobId: job.id,
    status,
    parallel: job.parallel,
    timeoutMs: job.offerTimeoutSeconds * 1000,
    queue: [...job.queue],
    offers: offers.map(
      (o): Offer => ({ offerId: `${job.id}/${o.seq}`, candidateId: o.candidateId, sentAt: o.sentAt, expiresAt: o.expiresAt, status: o.status, endedAt: o.endedAt, withdrawReason: o.withdrawReason, declineNote: o.declineNote }),
    ),
    assignee: job.assigneeId ? { candidateId: job.assigneeId, via: job.assignedVia ?? 'dispatcher', offerId: accepted ? `${job.id}/${accepted.seq}` : null, at: job.assignedAt ?? job.updatedAt } : null,
  };
}

const seqOf = (offerId: string): number => Number(offerId.slice(offerId.lastIndexOf('/') + 1));

/** The job locked for update, with its offers in order. */
export async function lockJob(m: EntityManager, jobId: string): Promise<{ job: ServiceJob; offers: JobOffer[] } | null> {
  const job = await m.findOne(ServiceJob, { where: { id: jobId }, lock: { mode: 'pessimistic_write' } });
  if (!job) return null;
  const offers = await m.find(JobOffer, { where: { jobId }, order: { seq: 'ASC' } });
  return { job, offers };
}

/**
 * Apply one cascade event to a locked job and persist everything it decided.
 * Returns the step (with `rejection` when refused; a refused answer may still have expired the offer).
 */
export async function runCascade(
  m: EntityManager,
  deps: CascadeDeps,
  locked: { job: ServiceJob; offers: JobOffer[] },
  event: CascadeEvent,
  actor: CascadeActor,
  after: AfterCommit,
  opts: { answeredVia?: AnsweredVia; channel?: JobOffer['channel'] } = {},
): Promise<CascadeStep> {
  const { job, offers } = locked;
  const now = event.at;
  const step = applyCascadeEvent(cascadeStateOf(job, offers), event);
  const bySeq = new Map(offers.map((o) => [o.seq, o]));
  const changed: JobOffer[] = [];
  /** One-time link tokens of the offers made in this step (only their hashes are stored). */
  const tokens = new Map<string, string>();

  // Offers: update the ones that moved, insert the new ones (effects below send them).
  const newOffers = step.state.offers.filter((o) => !bySeq.has(seqOf(o.offerId)));
  const newIds = newOffers.map((o) => o.candidateId);
  const people = new Map((await candidatesById(m, newIds, job.personId)).map((c) => [c.candidate.candidateId, c]));
  for (const o of step.state.offers) {
    const row = bySeq.get(seqOf(o.offerId));
    if (row) {
      if (row.status !== o.status || (row.endedAt?.getTime() ?? null) !== (o.endedAt?.getTime() ?? null)) {
        const answered = row.status === 'open' && (o.status === 'accepted' || o.status === 'declined');
        row.status = o.status;
        row.endedAt = o.endedAt;
        row.withdrawReason = o.withdrawReason;
        row.declineNote = o.declineNote;
        if (answered) {
          row.answeredAt = now;
          row.answeredVia = opts.answeredVia ?? 'dispatcher';
        }
        await m.update(JobOffer, { id: row.id }, { status: row.status, endedAt: row.endedAt, withdrawReason: row.withdrawReason, declineNote: row.declineNote, answeredAt: row.answeredAt, answeredVia: row.answeredVia });
        changed.push(row);
      }
      continue;
    }
    const person = people.get(o.candidateId);
    if (!person) throw new Error(`cascade: candidate ${o.candidateId} vanished`);
    const token = randomBytes(18).toString('base64url');
    const inserted = m.create(JobOffer, {
      jobId: job.id,
      seq: seqOf(o.offerId),
      candidateKind: person.candidate.kind,
      candidateId: o.candidateId,
      channel: opts.channel ?? 'sms',
      status: o.status,
      sentAt: o.sentAt,
      expiresAt: o.expiresAt,
      answeredAt: null,
      endedAt: o.endedAt,
      answeredVia: null,
      withdrawReason: o.withdrawReason,
      declineNote: o.declineNote,
      tokenHash: sha256(token),
      pinFailures: 0,
      fieldSessionHash: null,
      fieldSessionExpiresAt: null,
      smsReplyCode: replyCode(),
    });
    const saved = await m.save(JobOffer, inserted);
    bySeq.set(saved.seq, saved);
    changed.push(saved);
    const table = person.candidate.kind === 'provider' ? 'field_worker' : 'volunteer';
    await m.query(`UPDATE ${table} SET last_offered_at = $2 WHERE id = $1`, [o.candidateId, now]);
    tokens.set(saved.id, token);
    await deps.outbox.enqueue(m, {
      kind: 'sms',
      idempotencyKey: `dispatch:offer:${saved.id}`,
      ticketId: job.ticketId,
      payload: {
        to: person.phoneE164,
        body: offerText({ service: job.service, start: job.windowStart, areaText: job.areaText, code: saved.smsReplyCode!, link: `${deps.linkBase}/f/${token}`, urgent: job.priority === 'P0', minutes: Math.max(1, Math.round(job.offerTimeoutSeconds / 60)) }),
      },
    });
    await m.query(`INSERT INTO dispatch_timer (kind, job_id, offer_id, due_at) VALUES ('offer_timeout', $1, $2, $3)`, [job.id, saved.id, saved.expiresAt]);
  }

  const notes: string[] = [];
  for (const effect of step.effects) {
    switch (effect.type) {
      case 'send_offer': {
        const row = bySeq.get(seqOf(effect.offerId))!;
        const who = people.get(effect.candidateId);
        notes.push(`发出邀请 #${row.seq} → ${who?.name ?? effect.candidateId}`);
        break;
      }
      case 'cancel_timer': {
        const row = bySeq.get(seqOf(effect.offerId));
        if (row) await m.query('UPDATE dispatch_timer SET cancelled_at = $2 WHERE offer_id = $1 AND fired_at IS NULL AND cancelled_at IS NULL', [row.id, now]);
        break;
      }
      case 'notify_withdrawn': {
        const [c] = await candidatesById(m, [effect.candidateId], null);
        if (c) {
          await deps.outbox.enqueue(m, { kind: 'sms', idempotencyKey: `dispatch:withdrawn:${job.id}:${effect.offerId ?? 'assignment'}:${effect.candidateId}:${now.getTime()}`, ticketId: job.ticketId, payload: { to: c.phoneE164, body: withdrawnText(job.service, job.windowStart, effect.reason) } });
          notes.push(`撤回 ${c.name}（${effect.reason}）`);
        }
        break;
      }
      case 'confirm_assignment': {
        const [c] = await candidatesById(m, [effect.candidateId], null);
        if (!c) throw new Error(`cascade: candidate ${effect.candidateId} vanished`);
        job.assigneeId = c.candidate.candidateId;
        job.assigneeKind = c.candidate.kind;
        job.assignedVia = effect.via;
        job.assignedAt = now;
        notes.push(`${effect.via === 'offer' ? '接单' : '调度员直接指派'}：${c.name}${c.providerName ? `（${c.providerName}）` : ''}`);
        if (effect.via === 'dispatcher') {
          // A direct assignment needs its own link for the field page: an accepted offer row on channel `direct`.
          let row = effect.offerId ? bySeq.get(seqOf(effect.offerId)) : undefined;
          if (!row) {
            const token = randomBytes(18).toString('base64url');
            row = await m.save(JobOffer, m.create(JobOffer, { jobId: job.id, seq: Math.max(0, ...bySeq.keys()) + 1, candidateKind: c.candidate.kind, candidateId: c.candidate.candidateId, channel: 'direct', status: 'accepted', sentAt: now, expiresAt: now, answeredAt: now, endedAt: now, answeredVia: 'dispatcher', withdrawReason: null, declineNote: null, tokenHash: sha256(token), pinFailures: 0, fieldSessionHash: null, fieldSessionExpiresAt: null, smsReplyCode: null }));
            bySeq.set(row.seq, row);
            changed.push(row);
            tokens.set(row.id, token);
          }
          const token = tokens.get(row.id);
          const link = token ? `${deps.linkBase}/f/${token}` : '之前短信中的链接';
          await deps.outbox.enqueue(m, { kind: 'sms', idempotencyKey: `dispatch:assigned:${row.id}`, ticketId: job.ticketId, payload: { to: c.phoneE164, body: assignedText(job.service, job.windowStart, link) } });
        }
        await m.query('UPDATE dispatch_timer SET cancelled_at = $2 WHERE job_id = $1 AND kind = $3 AND fired_at IS NULL AND cancelled_at IS NULL', [job.id, now, 'sla_overdue']);
        break;
      }
      case 'return_to_dispatcher':
        job.returnCause = effect.cause;
        notes.push(effect.cause === 'no_candidates' ? '无可派人员，退回调度员' : effect.cause === 'list_exhausted' ? '候选名单已用完，退回调度员' : '已全部撤回，退回调度员');
        break;
    }
  }

  // The job row.
  const s = step.state;
  if (s.status === 'offering') job.status = 'offering';
  else if (s.status === 'with_dispatcher') job.status = 'with_dispatcher';
  else if (s.status === 'cancelled' && job.status !== 'completed' && job.status !== 'failed') job.status = 'cancelled';
  else if (s.status === 'assigned' && !['assigned', 'en_route', 'on_site'].includes(job.status)) job.status = 'assigned';
  if (!s.assignee) {
    job.assigneeId = null;
    job.assigneeKind = null;
    job.assignedVia = null;
    job.assignedAt = null;
  }
  if (s.status === 'offering') job.returnCause = null;
  job.queue = [...s.queue];
  job.parallel = s.parallel;
  const saved = await m.save(ServiceJob, job);
  locked.job = saved;
  locked.offers = [...bySeq.values()].sort((a, b) => a.seq - b.seq);

  // The order follows its job; every step on its timeline.
  if (!step.rejection || step.effects.length) {
    if (notes.length) await addTimeline(m, job.ticketId, now, actor.staffUserId, 'job_offer', `${jobLabel(job)}：${notes.join('；')}${actor.staffUserId ? '' : `（${actor.label}）`}`);
    if (step.effects.some((e) => e.type === 'send_offer')) await followTicket(m, job.ticketId, 'dispatch', actor, now, after, deps.notices);
    if (step.effects.some((e) => e.type === 'confirm_assignment')) await followTicket(m, job.ticketId, 'take', actor, now, after, deps.notices);
  }
  after.add(() => {
    for (const row of changed) deps.notices.offerUpdated(saved, row);
    deps.notices.jobChanged(saved.id);
  });
  return step;
}

/** Two letters and a digit, no look-alikes: names one offer in an SMS reply (`1 K7`). */
function replyCode(): string {
  const letters = 'ABCDEFGHJKLMNPQRSTUVWXYZ';
  return `${letters[randomInt(letters.length)]}${randomInt(2, 10)}`;
}

export function jobLabel(job: Pick<ServiceJob, 'service' | 'id'>): string {
  return `任务 ${job.id.slice(0, 8)}`;
}
