/**
 * Dispatch data for the browser tests, made through the real HTTP API as a dispatcher would (docs/dispatch-api.md):
 * volunteers with skills and all-week availability around a place, a life-service order submitted to dispatch
 * and its job. Offers' one-time links are read from the SMS the server queued in the outbox.
 */
import type { DataSource } from 'typeorm';
import type { CandidateBody, CreatedCandidate, JobDetail } from '../../src/api/dispatch-wire';
import { api, randomMobile } from '../../../server/test/support/test-app';

/** A place in the demo city (Shanghai, near 浦东 花木). */
export const PLACE = { lat: 31.2155, lng: 121.5447 };

const ALL_WEEK = ([1, 2, 3, 4, 5, 6, 7] as const).map((weekday) => ({ weekday, from: '00:00', to: '24:00' }));

/** A volunteer who can take walking-help jobs near {@link PLACE} (override anything); with the phone it was given (E.164). */
export async function makeVolunteer(baseUrl: string, token: string, districtCode: string, over: Partial<CandidateBody> = {}): Promise<CreatedCandidate & { phone: string }> {
  const body: CandidateBody = {
    name: `志愿者${Math.floor(Math.random() * 9000 + 1000)}`,
    gender: 'female',
    phone: randomMobile(),
    districtCode,
    skills: ['mobility_assist', 'wheelchair_transfer', 'companionship'],
    certifications: [{ kind: 'first_aid', validFrom: '2025-01-01', expiresOn: '2030-12-31' }],
    weekly: ALL_WEEK,
    absences: [],
    crewSize: 1,
    maxConcurrentJobs: 3,
    serviceArea: { centre: { lat: PLACE.lat + 0.01, lng: PLACE.lng + 0.01 }, radiusKm: 15 },
    ...over,
  };
  const res = await api<CreatedCandidate>(baseUrl, 'POST', '/api/dispatch/volunteers', token, body);
  if (res.status !== 201) throw new Error(`volunteer: ${res.status} ${JSON.stringify(res.body)}`);
  return { ...res.body, phone: body.phone };
}

/**
 * A 助行 order for the person, written and submitted to dispatch by an agent, and its job made by the dispatcher
 * (starting in two hours, at {@link PLACE}).
 */
export async function makeJob(baseUrl: string, tokens: { agent: string; dispatcher: string }, personId: string, over: Record<string, unknown> = {}): Promise<JobDetail> {
  const order = await api(baseUrl, 'POST', '/api/tickets', tokens.agent, { category: 'life_service', serviceType: 'help_walk', personId, summary: '陪同去社区医院复查', priority: 'P2' });
  if (order.status !== 201 && order.status !== 200) throw new Error(`order: ${order.status} ${JSON.stringify(order.body)}`);
  const submitted = await api(baseUrl, 'POST', `/api/tickets/${order.body.id}/transitions`, tokens.agent, { action: 'submit' });
  if (submitted.status !== 200) throw new Error(`submit: ${submitted.status} ${JSON.stringify(submitted.body)}`);
  const windowStart = new Date(Date.now() + 2 * 3600_000).toISOString();
  const job = await api<JobDetail>(baseUrl, 'POST', '/api/dispatch/jobs', tokens.dispatcher, { ticketId: order.body.id, windowStart, durationMinutes: 90, locationText: '浦东新区花木路 100 弄 5 号 302 室', lat: PLACE.lat, lng: PLACE.lng, needs: '轮椅使用者，需协助上下楼', ...over });
  if (job.status !== 201) throw new Error(`job: ${job.status} ${JSON.stringify(job.body)}`);
  return job.body;
}

/** The one-time token of the offer SMS sent to `phoneE164` for the order `ticketId` (from the outbox). */
export async function offerTokenFor(ds: DataSource, phoneE164: string, ticketId: string): Promise<string> {
  const rows: { body: string }[] = await ds.query(`SELECT payload->>'body' AS body FROM outbox WHERE kind = 'sms' AND payload->>'to' = $1 AND ticket_id = $2 ORDER BY created_at DESC LIMIT 1`, [phoneE164, ticketId]);
  const match = /\/f\/([A-Za-z0-9_-]+)/.exec(rows[0]?.body ?? '');
  if (!match) throw new Error(`no offer SMS with a link to ${phoneE164}: ${rows[0]?.body ?? 'none'}`);
  return match[1]!;
}
