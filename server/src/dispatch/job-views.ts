/** Stored jobs and offers as the console reads them (`agent-console/src/api/dispatch-wire.ts`). */
import type { DataSource, EntityManager } from 'typeorm';
import type { CandidateKind, OfferStatus, Priority, ReturnCause, ServiceCode, WithdrawReason } from '../../../dispatch/src';
import type { AnsweredVia, JobStatus, OfferChannel } from './dispatch-words';
import type { JobOffer, JobRequirements, ServiceJob } from './service-job.entity';

export interface JobAssigneeView {
  kind: CandidateKind;
  id: string;
  name: string;
  providerName: string | null;
  via: 'offer' | 'dispatcher';
  at: Date;
}

export interface JobSummaryView {
  id: string;
  ticketId: string;
  ticketNumber: string;
  personId: string | null;
  districtCode: string;
  service: ServiceCode;
  task: string | null;
  priority: Priority;
  lifeOrProperty: boolean;
  status: JobStatus;
  windowStart: Date;
  windowEnd: Date;
  areaText: string;
  lat: number;
  lng: number;
  dispatchDueAt: Date;
  slaOverdue: boolean;
  openOffers: number;
  returnCause: ReturnCause | null;
  assignee: JobAssigneeView | null;
  version: number;
  updatedAt: Date;
}

export interface OfferViewData {
  id: string;
  seq: number;
  candidateKind: CandidateKind;
  candidateId: string;
  candidateName: string;
  channel: OfferChannel;
  status: OfferStatus;
  sentAt: Date;
  expiresAt: Date;
  answeredAt: Date | null;
  endedAt: Date | null;
  answeredVia: AnsweredVia | null;
  withdrawReason: WithdrawReason | null;
  declineNote: string | null;
}

export interface JobDetailView extends JobSummaryView {
  personName: string | null;
  locationText: string;
  needs: string | null;
  requirements: JobRequirements;
  parallel: number;
  offerTimeoutSeconds: number;
  queued: number;
  enRouteAt: Date | null;
  checkInAt: Date | null;
  checkIn: { lat: number; lng: number } | null;
  checkOutAt: Date | null;
  checkOut: { lat: number; lng: number } | null;
  outcomeNotes: string | null;
  failureReason: string | null;
  durationMinutes: number | null;
  offers: OfferViewData[];
}

type Db = DataSource | EntityManager;

/** Names of field workers and volunteers by id (with the provider's name). */
export async function namesOf(db: Db, ids: readonly string[]): Promise<Map<string, { name: string; providerName: string | null }>> {
  if (!ids.length) return new Map();
  const rows: { id: string; name: string; provider_name: string | null }[] = await db.query(
    `SELECT w.id, w.name, p.name AS provider_name FROM field_worker w JOIN provider p ON p.id = w.provider_id WHERE w.id = ANY($1::uuid[])
     UNION ALL SELECT v.id, v.name, NULL FROM volunteer v WHERE v.id = ANY($1::uuid[])`,
    [[...new Set(ids)]],
  );
  return new Map(rows.map((r) => [r.id, { name: r.name, providerName: r.provider_name }]));
}

/** Board rows for these jobs (ticket numbers, assignee names, open offers), in the given order. */
export async function jobSummaries(db: Db, jobs: ServiceJob[], now: Date): Promise<JobSummaryView[]> {
  if (!jobs.length) return [];
  const ids = jobs.map((j) => j.id);
  const numbers: { id: string; number: string }[] = await db.query('SELECT id, number FROM ticket WHERE id = ANY($1::uuid[])', [[...new Set(jobs.map((j) => j.ticketId))]]);
  const open: { job_id: string; n: string }[] = await db.query(`SELECT job_id, count(*) AS n FROM job_offer WHERE job_id = ANY($1::uuid[]) AND status = 'open' GROUP BY job_id`, [ids]);
  const numberOf = new Map(numbers.map((n) => [n.id, n.number]));
  const openOf = new Map(open.map((o) => [o.job_id, Number(o.n)]));
  const names = await namesOf(db, jobs.flatMap((j) => (j.assigneeId ? [j.assigneeId] : [])));
  return jobs.map((j) => {
    const who = j.assigneeId ? names.get(j.assigneeId) : undefined;
    return {
      id: j.id,
      ticketId: j.ticketId,
      ticketNumber: numberOf.get(j.ticketId) ?? '',
      personId: j.personId,
      districtCode: j.districtCode,
      service: j.service,
      task: j.task,
      priority: j.priority,
      lifeOrProperty: j.lifeOrProperty,
      status: j.status,
      windowStart: j.windowStart,
      windowEnd: j.windowEnd,
      areaText: j.areaText,
      lat: j.lat,
      lng: j.lng,
      dispatchDueAt: j.dispatchDueAt,
      slaOverdue: !j.assigneeId && !['completed', 'failed', 'cancelled'].includes(j.status) && j.dispatchDueAt.getTime() <= now.getTime(),
      openOffers: openOf.get(j.id) ?? 0,
      returnCause: j.returnCause as ReturnCause | null,
      assignee: j.assigneeId && j.assigneeKind ? { kind: j.assigneeKind, id: j.assigneeId, name: who?.name ?? '', providerName: who?.providerName ?? null, via: j.assignedVia ?? 'dispatcher', at: j.assignedAt ?? j.updatedAt } : null,
      version: j.version,
      updatedAt: j.updatedAt,
    };
  });
}

export async function offerViews(db: Db, offers: JobOffer[]): Promise<OfferViewData[]> {
  const names = await namesOf(db, offers.map((o) => o.candidateId));
  return offers.map((o) => ({
    id: o.id,
    seq: o.seq,
    candidateKind: o.candidateKind,
    candidateId: o.candidateId,
    candidateName: names.get(o.candidateId)?.name ?? '',
    channel: o.channel,
    status: o.status,
    sentAt: o.sentAt,
    expiresAt: o.expiresAt,
    answeredAt: o.answeredAt,
    endedAt: o.endedAt,
    answeredVia: o.answeredVia,
    withdrawReason: o.withdrawReason,
    declineNote: o.declineNote,
  }));
}

export async function jobDetail(db: Db, job: ServiceJob, offers: JobOffer[], now: Date): Promise<JobDetailView> {
  const [summary] = await jobSummaries(db, [job], now);
  const person: { name: string }[] = job.personId ? await db.query('SELECT name FROM person WHERE id = $1', [job.personId]) : [];
  return {
    ...summary!,
    personName: person[0]?.name ?? null,
    locationText: job.locationText,
    needs: job.needs,
    requirements: job.requirements,
    parallel: job.parallel,
    offerTimeoutSeconds: job.offerTimeoutSeconds,
    queued: job.queue.length,
    enRouteAt: job.enRouteAt,
    checkInAt: job.checkInAt,
    checkIn: job.checkInLat !== null && job.checkInLng !== null ? { lat: job.checkInLat, lng: job.checkInLng } : null,
    checkOutAt: job.checkOutAt,
    checkOut: job.checkOutLat !== null && job.checkOutLng !== null ? { lat: job.checkOutLat, lng: job.checkOutLng } : null,
    outcomeNotes: job.outcomeNotes,
    failureReason: job.failureReason,
    durationMinutes: job.durationMinutes,
    offers: await offerViews(db, offers),
  };
}
