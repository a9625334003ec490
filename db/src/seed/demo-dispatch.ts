/**
 * Demo dispatch people: providers with Chinese organisation names and their field workers, and volunteers,
 * spread over the demo city's communities with realistic skills and certificates. Seeded: the same seed
 * gives the same people. Sizes are free (`--providers 5000 --volunteers 100000` for the benchmark).
 * Every demo worker's field-page PIN is {@link DEMO_FIELD_PIN}.
 */
import type { DataSource } from 'typeorm';
import { hashPassword } from '../../../server/src/auth/auth.service';
import { type CertificationKind, type ServiceCode, type Skill } from '../../../dispatch/src';
import { demoCommunities, round6, type DemoCommunity } from './demo-districts';
import { randomFullName } from './demo-names';
import { createRng, uuidFrom, type Rng } from './prng';

export const DEMO_FIELD_PIN = '246810';

const ORG_PREFIX = ['安心', '康乐', '颐和', '福寿', '仁爱', '阳光', '夕阳红', '乐龄', '慈济', '和美', '惠民', '邻里', '长青', '百合', '暖阳', '同心'];
const ORG_KIND = ['居家养老服务中心', '助残服务社', '社区服务有限公司', '家政服务有限公司', '护理服务站', '助餐配送中心', '康复辅具服务部', '社会工作服务中心'];
/** What an organisation of each kind offers, and the skills its staff have. */
const KIND_SERVICES: Record<string, { services: ServiceCode[]; skills: Skill[]; certs: CertificationKind[] }> = {
  居家养老服务中心: { services: ['help_walk', 'family_visit', 'meals', 'shopping'], skills: ['mobility_assist', 'companionship', 'meal_delivery', 'shopping', 'wheelchair_transfer'], certs: ['first_aid'] },
  助残服务社: { services: ['help_walk', 'outing', 'recreation', 'family_visit'], skills: ['mobility_assist', 'wheelchair_transfer', 'outing_escort', 'recreation', 'sign_language'], certs: ['first_aid', 'sign_language_interpreter'] },
  社区服务有限公司: { services: ['shopping', 'urgent_help', 'order_fulfilment'], skills: ['shopping', 'emergency_response', 'delivery', 'driving'], certs: ['first_aid', 'driving_licence'] },
  家政服务有限公司: { services: ['meals', 'shopping'], skills: ['cooking', 'meal_delivery', 'shopping'], certs: ['food_handling'] },
  护理服务站: { services: ['medical_escort', 'urgent_help', 'help_walk'], skills: ['medical_escort', 'emergency_response', 'mobility_assist', 'wheelchair_transfer'], certs: ['nursing', 'first_aid'] },
  助餐配送中心: { services: ['meals'], skills: ['meal_delivery', 'cooking', 'delivery'], certs: ['food_handling'] },
  康复辅具服务部: { services: ['order_fulfilment', 'help_walk'], skills: ['installation', 'delivery', 'wheelchair_transfer', 'mobility_assist'], certs: ['driving_licence'] },
  社会工作服务中心: { services: ['family_visit', 'recreation', 'outing', 'urgent_help'], skills: ['companionship', 'recreation', 'outing_escort', 'emergency_response'], certs: ['first_aid'] },
};
const VOLUNTEER_SKILLS: readonly Skill[] = ['companionship', 'shopping', 'mobility_assist', 'recreation', 'outing_escort', 'meal_delivery', 'sign_language', 'medical_escort', 'emergency_response', 'driving'];
const CREDIT_CHARS = '0123456789ABCDEFGHJKLMNPQRTUWXY';

export interface DispatchSeedOptions {
  providers: number;
  /** Field workers per provider (average). */
  workersPerProvider?: number;
  volunteers: number;
  seed?: string;
  /** The date the certificates are valid around (`YYYY-MM-DD`). */
  today: string;
  onProgress?: (what: string, done: number, total: number) => void;
}

/** Insert the demo providers, field workers and volunteers; returns how many of each. */
export async function seedDispatchPeople(ds: DataSource, opts: DispatchSeedOptions): Promise<{ providers: number; fieldWorkers: number; volunteers: number }> {
  const rng = createRng(`${opts.seed ?? 'anxin-demo'}:dispatch`);
  const communities = demoCommunities();
  const pinHash = await hashPassword(DEMO_FIELD_PIN);
  let workers = 0;
  const BATCH = 500;
  for (let start = 0; start < opts.providers; start += BATCH) {
    const providerRows: unknown[][] = [];
    const workerRows: unknown[][] = [];
    for (let i = start; i < Math.min(opts.providers, start + BATCH); i++) {
      const c = rng.pick(communities);
      const kind = rng.pick(ORG_KIND);
      const spec = KIND_SERVICES[kind]!;
      const id = uuidFrom(rng);
      const centre = near(rng, c, 0.02);
      providerRows.push([id, `${c.districtName}${rng.pick(ORG_PREFIX)}${kind}${i >= ORG_PREFIX.length * ORG_KIND.length ? `（${c.streetName}${i}）` : ''}`, creditCode(rng, i), randomFullName(rng, rng.chance(0.5) ? 'F' : 'M', rng.int(1965, 1995)), mobile(rng), c.districtCode, spec.services, centre.lat, centre.lng, rng.int(5, 15)]);
      const n = Math.max(1, Math.round((opts.workersPerProvider ?? 4) * (0.5 + rng.next())));
      for (let k = 0; k < n; k++) {
        const gender = rng.chance(0.6) ? 'female' : 'male';
        const home = near(rng, c, 0.03);
        const skills = sample(rng, spec.skills, rng.int(2, spec.skills.length));
        workerRows.push([uuidFrom(rng), id, randomFullName(rng, gender === 'female' ? 'F' : 'M', rng.int(1965, 2000)), gender, mobile(rng), c.districtCode, skills, JSON.stringify(certs(rng, spec.certs, opts.today)), JSON.stringify(weekly(rng, true)), rng.chance(0.15) ? 2 : 1, rng.int(2, 4), home.lat, home.lng, rng.int(4, 12), ...rated(rating(rng), rng.int(0, 80)), pinHash]);
      }
    }
    await ds.transaction(async (m) => {
      await insertRows(m, 'provider', ['id', 'name', 'credit_code', 'contact_name', 'contact_phone_e164', 'district_code', 'services', 'centre_lat', 'centre_lng', 'radius_km'], providerRows, { services: 'varchar[]' });
      await insertRows(m, 'field_worker', ['id', 'provider_id', 'name', 'gender', 'phone_e164', 'district_code', 'skills', 'certifications', 'weekly', 'crew_size', 'max_concurrent_jobs', 'centre_lat', 'centre_lng', 'radius_km', 'rating', 'rating_count', 'pin_hash'], workerRows, { skills: 'varchar[]', certifications: 'jsonb', weekly: 'jsonb' });
    });
    workers += workerRows.length;
    opts.onProgress?.('providers', Math.min(opts.providers, start + BATCH), opts.providers);
  }
  for (let start = 0; start < opts.volunteers; start += BATCH * 2) {
    const rows: unknown[][] = [];
    for (let i = start; i < Math.min(opts.volunteers, start + BATCH * 2); i++) {
      const c = rng.pick(communities);
      const gender = rng.chance(0.62) ? 'female' : 'male';
      const home = near(rng, c, 0.02);
      const skills = sample(rng, VOLUNTEER_SKILLS, rng.int(1, 4));
      const held = skills.includes('medical_escort') || skills.includes('emergency_response') ? ['first_aid' as const] : rng.chance(0.2) ? ['first_aid' as const] : [];
      rows.push([uuidFrom(rng), randomFullName(rng, gender === 'female' ? 'F' : 'M', rng.int(1950, 2005)), gender, mobile(rng), c.districtCode, skills, JSON.stringify(certs(rng, held, opts.today)), JSON.stringify(weekly(rng, false)), rng.chance(0.1) ? 2 : 1, rng.int(1, 2), home.lat, home.lng, rng.int(2, 6), ...rated(rating(rng), rng.int(0, 30)), pinHash]);
    }
    await ds.transaction((m) => insertRows(m, 'volunteer', ['id', 'name', 'gender', 'phone_e164', 'district_code', 'skills', 'certifications', 'weekly', 'crew_size', 'max_concurrent_jobs', 'centre_lat', 'centre_lng', 'radius_km', 'rating', 'rating_count', 'pin_hash'], rows, { skills: 'varchar[]', certifications: 'jsonb', weekly: 'jsonb' }));
    opts.onProgress?.('volunteers', Math.min(opts.volunteers, start + BATCH * 2), opts.volunteers);
  }
  return { providers: opts.providers, fieldWorkers: workers, volunteers: opts.volunteers };
}

/** One multi-row INSERT with parameters (no values in the SQL text). */
async function insertRows(m: { query(sql: string, params: unknown[]): Promise<unknown> }, table: string, columns: string[], rows: unknown[][], casts: Record<string, string> = {}): Promise<void> {
  if (!rows.length) return;
  const params: unknown[] = [];
  const tuples = rows.map((row) => `(${row.map((v, i) => {
    params.push(v);
    const cast = casts[columns[i]!];
    return `$${params.length}${cast ? `::${cast}` : ''}`;
  }).join(', ')})`);
  await m.query(`INSERT INTO ${table} (${columns.join(', ')}) VALUES ${tuples.join(', ')}`, params);
}

function near(rng: Rng, c: DemoCommunity, spread: number): { lat: number; lng: number } {
  return { lat: round6(c.lat + (rng.next() - 0.5) * spread), lng: round6(c.lng + (rng.next() - 0.5) * spread) };
}

function sample<T>(rng: Rng, items: readonly T[], n: number): T[] {
  const pool = [...items];
  const out: T[] = [];
  while (out.length < n && pool.length) out.push(pool.splice(rng.int(0, pool.length - 1), 1)[0]!);
  return out;
}

/** Certificates issued one to three years ago; most valid a year or two more, a few expiring soon or expired. */
function certs(rng: Rng, kinds: readonly CertificationKind[], today: string): { kind: CertificationKind; validFrom: string; expiresOn: string }[] {
  const t = Date.parse(`${today}T00:00:00Z`);
  const day = (offset: number) => new Date(t + offset * 86_400_000).toISOString().slice(0, 10);
  return kinds.filter(() => rng.chance(0.85)).map((kind) => {
    const roll = rng.next();
    const expires = roll < 0.05 ? -rng.int(1, 90) : roll < 0.12 ? rng.int(1, 30) : rng.int(60, 900);
    return { kind, validFrom: day(-rng.int(365, 1100)), expiresOn: day(expires) };
  });
}

/** Weekly availability: staff work weekdays (some weekends), volunteers a few half-days. */
function weekly(rng: Rng, staff: boolean): { weekday: number; from: string; to: string }[] {
  if (staff) {
    const days = rng.chance(0.3) ? [1, 2, 3, 4, 5, 6, 7] : [1, 2, 3, 4, 5];
    const early = rng.chance(0.5);
    return days.map((weekday) => ({ weekday, from: early ? '07:00' : '08:30', to: early ? '19:00' : '20:30' }));
  }
  const days = sample(rng, [1, 2, 3, 4, 5, 6, 7], rng.int(2, 5)).sort();
  return days.map((weekday) => (rng.chance(0.5) ? { weekday, from: '08:00', to: '12:00' } : { weekday, from: '13:30', to: '18:00' }));
}

function rating(rng: Rng): number | null {
  return rng.chance(0.2) ? null : Math.round((3.5 + rng.next() * 1.5) * 10) / 10;
}

/** Rating and rating count as stored: an unrated person has no ratings counted (the same draws either way). */
function rated(rating: number | null, count: number): [number | null, number] {
  return rating === null ? [null, 0] : [rating, count];
}

function mobile(rng: Rng): string {
  return `+86${rng.pick(['135', '136', '137', '138', '139', '150', '151', '158', '187', '188'])}${String(rng.int(0, 99_999_999)).padStart(8, '0')}`;
}

/** A unique 18-character 统一社会信用代码 shape (registration authority 5/9, the serial from `i`). */
function creditCode(rng: Rng, i: number): string {
  const tail = Array.from({ length: 3 }, () => CREDIT_CHARS[rng.int(0, CREDIT_CHARS.length - 1)]).join('');
  return `${rng.chance(0.5) ? '52' : '91'}330100${String(i).padStart(7, '0')}${tail}`;
}
