import type { EntityManager } from 'typeorm';
import type { AfterCommit } from '../sos/after-commit';
import { lockJob, runCascade, type CascadeDeps } from './job-cascade';
import { replyText } from './offer-text';

/** `1`, `2`, or with the offer's code: `1 K7`, `2k7`. */
const REPLY = /^\s*([12])\s*([A-Za-z][2-9])?\s*$/;

export interface OfferReplyResult {
  reply: string;
  ticketId: string | null;
}

/**
 * An SMS reply to an offer (`1` accept, `2` decline), matched by the sender's number to a field worker or
 * volunteer. Returns null when the text is not an offer reply from one of them (the hotline's own rules
 * then handle it). Runs in the inbound webhook's transaction. Voice offers (电话联系) count too: their SMS
 * carries the same link and reply code.
 */
export async function handleOfferReply(m: EntityManager, deps: CascadeDeps, fromE164: string | null, body: string, now: Date, after: AfterCommit): Promise<OfferReplyResult | null> {
  const match = REPLY.exec(body);
  if (!match || !fromE164) return null;
  const people: { id: string; name: string; kind: string }[] = await m.query(
    `SELECT id, name, 'provider' AS kind FROM field_worker WHERE phone_e164 = $1 UNION ALL SELECT id, name, 'volunteer' FROM volunteer WHERE phone_e164 = $1`,
    [fromE164],
  );
  if (!people.length) return null;
  const ids = people.map((p) => p.id);
  const code = match[2]?.toUpperCase();
  const offers: { id: string; job_id: string; seq: number; sms_reply_code: string | null; status: string; ticket_id: string }[] = await m.query(
    `SELECT o.id, o.job_id, o.seq, o.sms_reply_code, o.status, j.ticket_id FROM job_offer o JOIN service_job j ON j.id = o.job_id
     WHERE o.candidate_id = ANY($1::uuid[]) AND o.channel IN ('sms', 'voice') AND o.sent_at > $2 ORDER BY o.sent_at DESC LIMIT 20`,
    [ids, new Date(now.getTime() - 24 * 3600_000)],
  );
  const candidates = code ? offers.filter((o) => o.sms_reply_code === code) : offers.filter((o) => o.status === 'open');
  if (!candidates.length) {
    const last = code ? undefined : offers[0];
    return { reply: last ? replyText(last.status === 'timed_out' ? 'expired' : 'ended') : replyText('none'), ticketId: last?.ticket_id ?? null };
  }
  if (candidates.length > 1) return { reply: replyText('ambiguous', `1 ${candidates[0]!.sms_reply_code}`), ticketId: null };
  const target = candidates[0]!;
  const locked = await lockJob(m, target.job_id);
  if (!locked) return { reply: replyText('none'), ticketId: null };
  const who = people.find((p) => locked.offers.some((o) => o.id === target.id && o.candidateId === p.id));
  const accept = match[1] === '1';
  const step = await runCascade(m, deps, locked, accept ? { type: 'accept', at: now, offerId: `${target.job_id}/${target.seq}` } : { type: 'decline', at: now, offerId: `${target.job_id}/${target.seq}` }, { staffUserId: null, label: `${who?.kind === 'provider' ? '服务人员' : '志愿者'}${who?.name ?? ''}（短信）` }, after, { answeredVia: 'sms' });
  if (step.rejection) {
    const why = step.rejection.code === 'offer_expired' ? replyText('expired') : step.rejection.code === 'offer_withdrawn' ? replyText('ended', '（已由其他人员接单或已撤回）') : step.rejection.code === 'already_accepted' ? replyText('accepted', '（此前已接单）') : replyText('ended');
    return { reply: why, ticketId: target.ticket_id };
  }
  return { reply: accept ? replyText('accepted') : replyText('declined'), ticketId: target.ticket_id };
}
