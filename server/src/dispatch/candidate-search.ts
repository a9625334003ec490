/**
 * Candidate search in PostgreSQL: narrow the field workers and volunteers to those whose service area could
 * cover the job, nearest centre first, at most `limit` rows; the engine then screens and ranks them in memory
 * with the exact rules. The radius is checked on a flat-earth approximation that never under-counts at city
 * scale, inside a bounding box on the area centre served by the `(centre_lat, centre_lng)` btree of active rows.
 *
 * The box widens in steps ({@link SEARCH_STEPS_KM}) and never past the widest service area stored in each table
 * (no centre farther away can cover the job). In a dense city the first small box already holds `limit`
 * candidates no farther than its half-width, and then nothing outside it can be nearer: the answer is the same
 * as the widest box's, without reading most of the city's rows (issue 9's benchmark: 100,000 volunteers).
 */
import type { EntityManager } from 'typeorm';
import type { Candidate, CandidateKind, Certification, Gender, Skill, WeeklySlot } from '../../../dispatch/src';
import type { StoredAbsence } from './dispatch-people.entity';
import { ACTIVE_ASSIGNED_STATUSES } from './dispatch-words';

/** Service areas are at most this wide (the table's CHECK): the widest bounding box half-width. */
export const MAX_RADIUS_KM = 30;
/** Box half-widths tried in turn (km); the last is always the widest service area stored. */
export const SEARCH_STEPS_KM: readonly number[] = [1, 2, 6, MAX_RADIUS_KM];
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
  active_jobs: number;
  visits: number;
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
  const cos = Math.max(0.2, Math.cos((input.lat * Math.PI) / 180));
  // Squared flat distance in km², with a 1% margin so the exact check in the engine decides the edge.
  const near = `((c.centre_lat - $1) * ${KM_PER_DEG_LAT}) ^ 2 + ((c.centre_lng - $2) * ${KM_PER_DEG_LAT} * $9) ^ 2`;
  // The box's half-widths in degrees are parameters `dLat` and `dLng`.
  const where = (dLat: number, dLng: number) => `c.status = 'active' AND c.centre_lat BETWEEN $1 - $${dLat} AND $1 + $${dLat} AND c.centre_lng BETWEEN $2 - $${dLng} AND $2 + $${dLng}
    AND c.skills @> $7::varchar[] AND ${near} <= (c.radius_km * 1.01) ^ 2 AND ($10::varchar IS NULL OR c.district_code LIKE $10 || '%')`;
  // Nearest first, by id only: the covering area index answers without reading the table.
  const sql = `(SELECT c.id, 'provider' AS kind, ${near} AS d2 FROM field_worker c JOIN provider p ON p.id = c.provider_id AND p.status = 'active' WHERE ${where(3, 4)} ORDER BY d2 LIMIT $8)
     UNION ALL
     (SELECT c.id, 'volunteer' AS kind, ${near} AS d2 FROM volunteer c WHERE ${where(5, 6)} ORDER BY d2 LIMIT $8)
     ORDER BY d2 LIMIT $8`;
  // The widest stored areas (with room for the margin), read once the first box is not enough: no centre
  // farther away can cover the job, so the box never grows past them.
  const widest = async (): Promise<{ fw: number; v: number }> => {
    const [w]: { fw: number | null; v: number | null }[] = await m.query(
      `SELECT (SELECT max(radius_km) FROM field_worker WHERE status = 'active') * 1.02 AS fw, (SELECT max(radius_km) FROM volunteer WHERE status = 'active') * 1.02 AS v`,
    );
    return { fw: Number(w?.fw ?? 0), v: Number(w?.v ?? 0) };
  };
  let max = { fw: Infinity, v: Infinity };
  let nearest: { id: string; kind: CandidateKind; d2: number }[] = [];
  for (const [i, stepKm] of SEARCH_STEPS_KM.entries()) {
    if (i === 1) max = await widest();
    // Box half-widths as plain numbers, so the planner sees the box (and picks the skills index for a rare skill).
    const fwKm = Math.min(stepKm, max.fw);
    const vKm = Math.min(stepKm, max.v);
    nearest = await m.query(sql, [input.lat, input.lng, fwKm / KM_PER_DEG_LAT, fwKm / (KM_PER_DEG_LAT * cos), vKm / KM_PER_DEG_LAT, vKm / (KM_PER_DEG_LAT * cos), input.skills, input.limit, cos, input.scopePrefix]);
    // Full, with the farthest row within the box's half-width: every centre outside the box is farther still.
    if (nearest.length === input.limit && nearest[nearest.length - 1]!.d2 <= stepKm ** 2) break;
    // The boxes already reach the widest areas: nothing outside can cover the job.
    if (stepKm >= Math.max(max.fw, max.v)) break;
  }
  const rows = await rowsById(m, nearest.filter((n) => n.kind === 'provider').map((n) => n.id), nearest.filter((n) => n.kind === 'volunteer').map((n) => n.id), null, input.personId);
  const byId = new Map(rows.map((r) => [r.id, r]));
  return toCandidates(nearest.flatMap((n) => byId.get(n.id) ?? []));
}

/**
 * The given candidates by id (for an offer or assignment the dispatcher chose), with their live load. With a
 * scope, a candidate registered outside it is not found (as if missing); `undefined` reads any (the cascade's
 * own follow-ups, which act on candidates already offered).
 */
export async function candidatesById(m: EntityManager, ids: readonly string[], personId: string | null, scopePrefix?: string | null): Promise<SearchedCandidate[]> {
  if (!ids.length) return [];
  return toCandidates(await rowsById(m, ids, ids, scopePrefix ?? null, personId));
}

/**
 * Field workers and volunteers by id (each list read from its own table), registered in the scope (null: any),
 * with their live load (jobs assigned and not finished) and their completed visits to the person.
 */
async function rowsById(m: EntityManager, fieldWorkerIds: readonly string[], volunteerIds: readonly string[], scopePrefix: string | null, personId: string | null): Promise<Row[]> {
  if (!fieldWorkerIds.length && !volunteerIds.length) return [];
  const counts = `(SELECT count(*) FROM service_job j WHERE j.assignee_id = c.id AND j.status = ANY($4))::int AS active_jobs,
    CASE WHEN $5::uuid IS NULL THEN 0 ELSE (SELECT count(*) FROM service_job j WHERE j.person_id = $5::uuid AND j.assignee_id = c.id AND j.status = 'completed')::int END AS visits`;
  return m.query(
    `SELECT ${COLUMNS}, 'provider' AS kind, p.name AS provider_name, ${counts} FROM field_worker c JOIN provider p ON p.id = c.provider_id WHERE c.id = ANY($1::uuid[]) AND ($3::varchar IS NULL OR c.district_code LIKE $3 || '%')
     UNION ALL
     SELECT ${COLUMNS}, 'volunteer' AS kind, NULL AS provider_name, ${counts} FROM volunteer c WHERE c.id = ANY($2::uuid[]) AND ($3::varchar IS NULL OR c.district_code LIKE $3 || '%')`,
    [fieldWorkerIds, volunteerIds, scopePrefix, ACTIVE_ASSIGNED_STATUSES, personId],
  );
}

function toCandidates(rows: Row[]): SearchedCandidate[] {
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
      activeJobs: r.active_jobs,
      serviceArea: { centre: { lat: r.centre_lat, lng: r.centre_lng }, radiusKm: r.radius_km },
      position: null,
      rating: r.rating,
      ratingCount: r.rating_count,
      lastOfferedAt: r.last_offered_at ? new Date(r.last_offered_at) : null,
      visitsWithPerson: r.visits,
    },
  }));
}
