/**
 * Candidate search in PostgreSQL: narrow the field workers and volunteers to those whose service area could
 * cover the job (a bounding box on the area centre, served by the `(centre_lat, centre_lng)` btree of active
 * rows, then the radius on a flat-earth approximation that never under-counts at city scale), nearest first,
 * at most `limit` rows. The engine then screens and ranks them in memory with the exact rules.
 */
import type { EntityManager } from 'typeorm';
import type { Candidate, CandidateKind, Certification, Gender, Skill, WeeklySlot } from '../../../dispatch/src';
import type { StoredAbsence } from './dispatch-people.entity';
import { ACTIVE_ASSIGNED_STATUSES } from './dispatch-words';

/** Service areas are at most this wide (the table's CHECK): the bounding box half-width. */
export const MAX_RADIUS_KM = 30;
const KM_PER_DEG_LAT = 111.32;

export interface SearchedCandidate {
  candidate: Candidate;
  name: string;
  providerName: string | null;
  phoneE164: string;
}

interface Row {
  id: string;
  kind: CandidateKind;
  name: string;
  provider_name: string | null;
  gender: Gender;
  phone_e164: string;
  skills: Skill[];
  certifications: Certification[];
  weekly: WeeklySlot[];
  absences: StoredAbsence[];
  crew_size: number;
  max_concurrent_jobs: number;
  centre_lat: number;
  centre_lng: number;
  radius_km: number;
  rating: number | null;
  rating_count: number;
  last_offered_at: Date | null;
  status: Candidate['status'];
}

const COLUMNS = `c.id, c.name, c.gender, c.phone_e164, c.skills, c.certifications, c.weekly, c.absences, c.crew_size, c.max_concurrent_jobs,
  c.centre_lat, c.centre_lng, c.radius_km, c.rating, c.rating_count, c.last_offered_at, c.status`;

export interface SearchInput {
  lat: number;
  lng: number;
  /** Skills every candidate must have (narrowing only; the engine says why others are out). */
  skills: readonly string[];
  personId: string | null;
  limit: number;
  /** The dispatcher's district scope: only candidates registered in it (null: the whole city). */
  scopePrefix: string | null;
}

/**
 * Active candidates whose area may cover the point and who hold the skills, nearest centre first.
 * @example await searchCandidates(m, { lat: 31.23, lng: 121.47, skills: ['meal_delivery'], personId, limit: 300, scopePrefix: '310104' })
 */
export async function searchCandidates(m: EntityManager, input: SearchInput): Promise<SearchedCandidate[]> {
  const dLat = MAX_RADIUS_KM / KM_PER_DEG_LAT;
  const cos = Math.max(0.2, Math.cos((input.lat * Math.PI) / 180));
  const dLng = dLat / cos;
  // Squared flat distance in km², with a 1% margin so the exact check in the engine decides the edge.
  const near = `((c.centre_lat - $1) * ${KM_PER_DEG_LAT}) ^ 2 + ((c.centre_lng - $2) * ${KM_PER_DEG_LAT} * $7) ^ 2`;
  const where = `c.status = 'active' AND c.centre_lat BETWEEN $1 - $3 AND $1 + $3 AND c.centre_lng BETWEEN $2 - $4 AND $2 + $4
    AND c.skills @> $5::varchar[] AND ${near} <= (c.radius_km * 1.01) ^ 2 AND ($8::varchar IS NULL OR c.district_code LIKE $8 || '%')`;
  const rows: Row[] = await m.query(
    `(SELECT ${COLUMNS}, 'provider' AS kind, p.name AS provider_name, ${near} AS d2 FROM field_worker c JOIN provider p ON p.id = c.provider_id AND p.status = 'active' WHERE ${where} ORDER BY d2 LIMIT $6)
     UNION ALL
     (SELECT ${COLUMNS}, 'volunteer' AS kind, NULL AS provider_name, ${near} AS d2 FROM volunteer c WHERE ${where} ORDER BY d2 LIMIT $6)
     ORDER BY d2 LIMIT $6`,
    [input.lat, input.lng, dLat, dLng, input.skills, input.limit, cos, input.scopePrefix],
  );
  return toCandidates(m, rows, input.personId);
}

/**
 * The given candidates by id (for an offer or assignment the dispatcher chose), with their live load. With a
 * scope, a candidate registered outside it is not found (as if missing); `undefined` reads any (the cascade's
 * own follow-ups, which act on candidates already offered).
 */
export async function candidatesById(m: EntityManager, ids: readonly string[], personId: string | null, scopePrefix?: string | null): Promise<SearchedCandidate[]> {
  if (!ids.length) return [];
  const scope = scopePrefix ?? null;
  const rows: Row[] = await m.query(
    `SELECT ${COLUMNS}, 'provider' AS kind, p.name AS provider_name FROM field_worker c JOIN provider p ON p.id = c.provider_id WHERE c.id = ANY($1::uuid[]) AND ($2::varchar IS NULL OR c.district_code LIKE $2 || '%')
     UNION ALL
     SELECT ${COLUMNS}, 'volunteer' AS kind, NULL AS provider_name FROM volunteer c WHERE c.id = ANY($1::uuid[]) AND ($2::varchar IS NULL OR c.district_code LIKE $2 || '%')`,
    [ids, scope],
  );
  return toCandidates(m, rows, personId);
}

async function toCandidates(m: EntityManager, rows: Row[], personId: string | null): Promise<SearchedCandidate[]> {
  if (!rows.length) return [];
  const ids = rows.map((r) => r.id);
  const load: { assignee_id: string; n: string }[] = await m.query(
    'SELECT assignee_id, count(*) AS n FROM service_job WHERE assignee_id = ANY($1::uuid[]) AND status = ANY($2) GROUP BY assignee_id',
    [ids, ACTIVE_ASSIGNED_STATUSES],
  );
  const visits: { assignee_id: string; n: string }[] = personId
    ? await m.query("SELECT assignee_id, count(*) AS n FROM service_job WHERE person_id = $1 AND assignee_id = ANY($2::uuid[]) AND status = 'completed' GROUP BY assignee_id", [personId, ids])
    : [];
  const loadOf = new Map(load.map((l) => [l.assignee_id, Number(l.n)]));
  const visitsOf = new Map(visits.map((v) => [v.assignee_id, Number(v.n)]));
  return rows.map((r) => ({
    name: r.name,
    providerName: r.provider_name,
    phoneE164: r.phone_e164,
    candidate: {
      candidateId: r.id,
      kind: r.kind,
      status: r.status,
      gender: r.gender,
      skills: r.skills,
      certifications: r.certifications,
      weekly: r.weekly,
      absences: r.absences.map((a) => ({ kind: a.kind, from: new Date(a.from), to: new Date(a.to) })),
      crewSize: r.crew_size,
      maxConcurrentJobs: r.max_concurrent_jobs,
      activeJobs: loadOf.get(r.id) ?? 0,
      serviceArea: { centre: { lat: r.centre_lat, lng: r.centre_lng }, radiusKm: r.radius_km },
      position: null,
      rating: r.rating,
      ratingCount: r.rating_count,
      lastOfferedAt: r.last_offered_at ? new Date(r.last_offered_at) : null,
      visitsWithPerson: visitsOf.get(r.id) ?? 0,
    },
  }));
}
