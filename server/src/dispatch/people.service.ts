import { randomInt } from 'node:crypto';
import type { DataSource, EntityManager } from 'typeorm';
import type { CandidateKind } from '../../../dispatch/src';
import type { AuditService } from '../audit/audit.service';
import { inScope, type Actor } from '../auth/auth.service';
import { hashPassword } from '../auth/password-hash';
import { maskPhone } from '../persons/phone-number';
import { AppError } from '../shared/app-error';
import type { Clock } from '../shared/clock';
import { FieldWorker, Provider, Volunteer } from './dispatch-people.entity';
import { ACTIVE_ASSIGNED_STATUSES } from './dispatch-words';
import type { CandidateInput, CandidatePatch, ListPeopleQuery, ProviderInput, ProviderPatch } from './people.schema';

const DAY = 86_400_000;
/** A certification expiring within this many days is flagged. */
export const EXPIRING_SOON_DAYS = 30;

type Person = FieldWorker | Volunteer;
const entityOf = (kind: CandidateKind) => (kind === 'provider' ? FieldWorker : Volunteer);
const subjectOf = (kind: CandidateKind) => (kind === 'provider' ? 'field_worker' : 'volunteer');

/** A six-digit field-page PIN. */
export const newPin = (): string => String(randomInt(0, 1_000_000)).padStart(6, '0');

const shanghaiToday = (now: Date) => new Date(now.getTime() + 8 * 3600_000).toISOString().slice(0, 10);
const plusDays = (d: string, n: number) => new Date(Date.parse(`${d}T00:00:00Z`) + n * DAY).toISOString().slice(0, 10);

/**
 * Providers, field workers and volunteers for dispatchers and supervisors: list and search in scope,
 * create (with a field-page PIN shown once), edit with optimistic versions. Phones are stored in full and
 * only ever returned masked; reads of a worker's record are audited.
 */
export class PeopleService {
  constructor(
    private readonly ds: DataSource,
    private readonly audit: AuditService,
    private readonly clock: Clock,
  ) {}

  // ── providers ──
  async listProviders(actor: Actor, q: Pick<ListPeopleQuery, 'q' | 'status' | 'limit' | 'offset'>) {
    const qb = this.ds.getRepository(Provider).createQueryBuilder('p');
    if (actor.scopePrefix) qb.andWhere('p.district_code LIKE :scope', { scope: `${actor.scopePrefix}%` });
    if (q.q) qb.andWhere('(p.name LIKE :q OR p.credit_code = :code)', { q: `%${escapeLike(q.q)}%`, code: q.q.toUpperCase() });
    if (q.status) qb.andWhere('p.status = :status', { status: q.status });
    qb.orderBy('p.name', 'ASC').addOrderBy('p.id', 'ASC').skip(q.offset).take(q.limit);
    const [rows, total] = await qb.getManyAndCount();
    return { items: await this.providerViews(this.ds.manager, rows), total };
  }

  async getProvider(actor: Actor, id: string) {
    const p = await this.providerInScope(this.ds.manager, actor, id);
    return (await this.providerViews(this.ds.manager, [p]))[0]!;
  }

  async createProvider(actor: Actor, input: ProviderInput) {
    this.checkDistrict(actor, input.districtCode);
    return this.ds.transaction(async (m) => {
      await this.districtExists(m, input.districtCode);
      if (await m.existsBy(Provider, { creditCode: input.creditCode })) throw new AppError('conflict', '该统一社会信用代码已登记');
      const saved = await m.save(Provider, m.create(Provider, { ...providerColumns(input), status: input.status ?? 'active' }));
      await this.audit.record({ actorId: actor.userId, actorUsername: actor.username, action: 'dispatch.provider.create', subjectType: 'provider', subjectId: saved.id, outcome: 'ok' }, m);
      return (await this.providerViews(m, [saved]))[0]!;
    });
  }

  async editProvider(actor: Actor, id: string, patch: ProviderPatch) {
    return this.ds.transaction(async (m) => {
      const p = await this.providerInScope(m, actor, id, true);
      if (p.version !== patch.version) throw new AppError('conflict', `记录已被他人修改（版本 ${p.version}），请刷新后重试`);
      if (patch.districtCode) {
        this.checkDistrict(actor, patch.districtCode);
        await this.districtExists(m, patch.districtCode);
      }
      if (patch.creditCode && patch.creditCode !== p.creditCode && (await m.existsBy(Provider, { creditCode: patch.creditCode }))) throw new AppError('conflict', '该统一社会信用代码已登记');
      Object.assign(p, providerColumns({ ...providerInput(p), ...stripUndefined(patch) }), patch.status ? { status: patch.status } : {});
      const saved = await m.save(Provider, p);
      await this.audit.record({ actorId: actor.userId, actorUsername: actor.username, action: 'dispatch.provider.edit', subjectType: 'provider', subjectId: id, outcome: 'ok' }, m);
      return (await this.providerViews(m, [saved]))[0]!;
    });
  }

  // ── field workers and volunteers ──
  async list(actor: Actor, kind: CandidateKind, q: ListPeopleQuery) {
    const qb = this.ds.getRepository(entityOf(kind)).createQueryBuilder('c');
    if (actor.scopePrefix) qb.andWhere('c.district_code LIKE :scope', { scope: `${actor.scopePrefix}%` });
    if (q.q) qb.andWhere('c.name LIKE :q', { q: `%${escapeLike(q.q)}%` });
    if (q.status) qb.andWhere('c.status = :status', { status: q.status });
    if (q.skill) qb.andWhere(':skill = ANY(c.skills)', { skill: q.skill });
    if (q.providerId && kind === 'provider') qb.andWhere('c.provider_id = :pid', { pid: q.providerId });
    if (q.expiringWithinDays !== undefined) {
      const today = shanghaiToday(this.clock.now());
      qb.andWhere(`EXISTS (SELECT 1 FROM jsonb_array_elements(c.certifications) e WHERE e->>'expiresOn' <= :until)`, { until: plusDays(today, q.expiringWithinDays) });
    }
    qb.orderBy('c.name', 'ASC').addOrderBy('c.id', 'ASC').skip(q.offset).take(q.limit);
    const [rows, total] = await qb.getManyAndCount();
    await this.audit.record({ actorId: actor.userId, actorUsername: actor.username, action: `dispatch.${subjectOf(kind)}.list`, subjects: rows.map((r) => ({ type: subjectOf(kind), id: r.id })), outcome: 'ok' });
    return { items: await this.views(this.ds.manager, kind, rows), total };
  }

  async get(actor: Actor, kind: CandidateKind, id: string) {
    const row = await this.inScope(this.ds.manager, actor, kind, id);
    await this.audit.record({ actorId: actor.userId, actorUsername: actor.username, action: `dispatch.${subjectOf(kind)}.read`, subjectType: subjectOf(kind), subjectId: id, outcome: 'ok' });
    return (await this.views(this.ds.manager, kind, [row]))[0]!;
  }

  async create(actor: Actor, kind: CandidateKind, input: CandidateInput) {
    this.checkDistrict(actor, input.districtCode);
    const pin = newPin();
    const pinHash = await hashPassword(pin);
    const candidate = await this.ds.transaction(async (m) => {
      await this.districtExists(m, input.districtCode);
      const extra = await this.links(m, actor, kind, input);
      const Entity = entityOf(kind);
      const saved: Person = await m.save(Entity, m.create(Entity, { ...candidateColumns(input), ...extra, pinHash, status: input.status ?? 'active', rating: null, ratingCount: 0, lastOfferedAt: null }) as Person);
      await this.audit.record({ actorId: actor.userId, actorUsername: actor.username, action: `dispatch.${subjectOf(kind)}.create`, subjectType: subjectOf(kind), subjectId: saved.id, outcome: 'ok' }, m);
      return (await this.views(m, kind, [saved]))[0]!;
    });
    return { candidate, pin };
  }

  async edit(actor: Actor, kind: CandidateKind, id: string, patch: CandidatePatch) {
    return this.ds.transaction(async (m) => {
      const row = await this.inScope(m, actor, kind, id, true);
      if (row.version !== patch.version) throw new AppError('conflict', `记录已被他人修改（版本 ${row.version}），请刷新后重试`);
      if (patch.districtCode) {
        this.checkDistrict(actor, patch.districtCode);
        await this.districtExists(m, patch.districtCode);
      }
      const merged = { ...candidateInput(row), ...stripUndefined(patch) } as CandidateInput;
      Object.assign(row, candidateColumns(merged), await this.links(m, actor, kind, patch), patch.status ? { status: patch.status } : {});
      const saved = await m.save(entityOf(kind), row as Person);
      await this.audit.record({ actorId: actor.userId, actorUsername: actor.username, action: `dispatch.${subjectOf(kind)}.edit`, subjectType: subjectOf(kind), subjectId: id, outcome: 'ok' }, m);
      return (await this.views(m, kind, [saved]))[0]!;
    });
  }

  async resetPin(actor: Actor, kind: CandidateKind, id: string): Promise<{ pin: string }> {
    await this.inScope(this.ds.manager, actor, kind, id);
    const pin = newPin();
    const pinHash = await hashPassword(pin);
    await this.ds.transaction(async (m) => {
      await m.update(entityOf(kind), { id }, { pinHash });
      await this.audit.record({ actorId: actor.userId, actorUsername: actor.username, action: `dispatch.${subjectOf(kind)}.reset-pin`, subjectType: subjectOf(kind), subjectId: id, outcome: 'ok' }, m);
    });
    return { pin };
  }

  private async links(m: EntityManager, actor: Actor, kind: CandidateKind, input: Partial<{ providerId: string; staffUserId: string | null }>) {
    if (kind === 'provider') {
      if (input.providerId === undefined) return {};
      await this.providerInScope(m, actor, input.providerId);
      return { providerId: input.providerId };
    }
    if (input.staffUserId === undefined) return {};
    if (input.staffUserId && !(await m.query('SELECT 1 FROM staff_user WHERE id = $1', [input.staffUserId])).length) throw new AppError('staff/not-found', '没有该工作人员');
    return { staffUserId: input.staffUserId };
  }

  private checkDistrict(actor: Actor, code: string): void {
    if (!inScope(actor, code)) throw new AppError('district/not-found', `辖区 ${code} 不存在`);
  }

  private async districtExists(m: EntityManager, code: string): Promise<void> {
    if (!(await m.query('SELECT 1 FROM district WHERE code = $1', [code])).length) throw new AppError('district/not-found', `辖区 ${code} 不存在`);
  }

  private async providerInScope(m: EntityManager, actor: Actor, id: string, lock = false): Promise<Provider> {
    const p = await m.findOne(Provider, { where: { id }, ...(lock ? { lock: { mode: 'pessimistic_write' as const } } : {}) });
    if (!p || !inScope(actor, p.districtCode)) throw new AppError('dispatch/not-found', `服务商 ${id} 不存在`);
    return p;
  }

  private async inScope(m: EntityManager, actor: Actor, kind: CandidateKind, id: string, lock = false): Promise<Person> {
    const row = (await m.findOne(entityOf(kind), { where: { id }, ...(lock ? { lock: { mode: 'pessimistic_write' as const } } : {}) })) as Person | null;
    if (!row || !inScope(actor, row.districtCode)) throw new AppError('dispatch/not-found', `人员 ${id} 不存在`);
    return row;
  }

  private async providerViews(m: EntityManager, rows: Provider[]) {
    const counts: { provider_id: string; n: string }[] = rows.length ? await m.query('SELECT provider_id, count(*) AS n FROM field_worker WHERE provider_id = ANY($1::uuid[]) GROUP BY provider_id', [rows.map((r) => r.id)]) : [];
    const countOf = new Map(counts.map((c) => [c.provider_id, Number(c.n)]));
    return rows.map((p) => ({
      id: p.id,
      name: p.name,
      creditCode: p.creditCode,
      contactName: p.contactName,
      contactPhoneMasked: maskPhone(p.contactPhoneE164),
      districtCode: p.districtCode,
      services: p.services,
      serviceArea: { centre: { lat: p.centreLat, lng: p.centreLng }, radiusKm: p.radiusKm },
      status: p.status,
      fieldWorkerCount: countOf.get(p.id) ?? 0,
      version: p.version,
      createdAt: p.createdAt,
      updatedAt: p.updatedAt,
    }));
  }

  private async views(m: EntityManager, kind: CandidateKind, rows: Person[]) {
    const ids = rows.map((r) => r.id);
    const load: { assignee_id: string; n: string }[] = ids.length ? await m.query('SELECT assignee_id, count(*) AS n FROM service_job WHERE assignee_id = ANY($1::uuid[]) AND status = ANY($2) GROUP BY assignee_id', [ids, ACTIVE_ASSIGNED_STATUSES]) : [];
    const loadOf = new Map(load.map((l) => [l.assignee_id, Number(l.n)]));
    const providerIds = kind === 'provider' ? [...new Set((rows as FieldWorker[]).map((r) => r.providerId))] : [];
    const providers: { id: string; name: string }[] = providerIds.length ? await m.query('SELECT id, name FROM provider WHERE id = ANY($1::uuid[])', [providerIds]) : [];
    const providerName = new Map(providers.map((p) => [p.id, p.name]));
    const today = shanghaiToday(this.clock.now());
    const soon = plusDays(today, EXPIRING_SOON_DAYS);
    return rows.map((r) => ({
      id: r.id,
      kind,
      providerId: r instanceof FieldWorker ? r.providerId : null,
      providerName: r instanceof FieldWorker ? (providerName.get(r.providerId) ?? null) : null,
      staffUserId: r instanceof Volunteer ? r.staffUserId : null,
      name: r.name,
      gender: r.gender,
      phoneMasked: maskPhone(r.phoneE164),
      districtCode: r.districtCode,
      skills: r.skills,
      certifications: r.certifications.map((c) => ({ ...c, expired: c.expiresOn < today, expiringSoon: c.expiresOn >= today && c.expiresOn <= soon })),
      weekly: r.weekly,
      absences: r.absences,
      crewSize: r.crewSize,
      maxConcurrentJobs: r.maxConcurrentJobs,
      activeJobs: loadOf.get(r.id) ?? 0,
      serviceArea: { centre: { lat: r.centreLat, lng: r.centreLng }, radiusKm: r.radiusKm },
      rating: r.rating,
      ratingCount: r.ratingCount,
      lastOfferedAt: r.lastOfferedAt,
      status: r.status,
      version: r.version,
      createdAt: r.createdAt,
      updatedAt: r.updatedAt,
    }));
  }
}

function providerColumns(i: ProviderInput) {
  return { name: i.name, creditCode: i.creditCode, contactName: i.contactName, contactPhoneE164: i.contactPhone, districtCode: i.districtCode, services: i.services, centreLat: i.serviceArea.centre.lat, centreLng: i.serviceArea.centre.lng, radiusKm: i.serviceArea.radiusKm };
}
function providerInput(p: Provider): ProviderInput {
  return { name: p.name, creditCode: p.creditCode, contactName: p.contactName, contactPhone: p.contactPhoneE164, districtCode: p.districtCode, services: p.services, serviceArea: { centre: { lat: p.centreLat, lng: p.centreLng }, radiusKm: p.radiusKm } };
}
function candidateColumns(i: CandidateInput) {
  return {
    name: i.name,
    gender: i.gender,
    phoneE164: i.phone,
    districtCode: i.districtCode,
    skills: i.skills,
    certifications: i.certifications,
    weekly: i.weekly,
    absences: i.absences,
    crewSize: i.crewSize,
    maxConcurrentJobs: i.maxConcurrentJobs,
    centreLat: i.serviceArea.centre.lat,
    centreLng: i.serviceArea.centre.lng,
    radiusKm: i.serviceArea.radiusKm,
  };
}
function candidateInput(r: Person): CandidateInput {
  return { name: r.name, gender: r.gender, phone: r.phoneE164, districtCode: r.districtCode, skills: r.skills, certifications: r.certifications, weekly: r.weekly, absences: r.absences, crewSize: r.crewSize, maxConcurrentJobs: r.maxConcurrentJobs, serviceArea: { centre: { lat: r.centreLat, lng: r.centreLng }, radiusKm: r.radiusKm } } as CandidateInput;
}
function stripUndefined<T extends object>(o: T): Partial<T> {
  return Object.fromEntries(Object.entries(o).filter(([k, v]) => v !== undefined && k !== 'version' && k !== 'status' && k !== 'providerId' && k !== 'staffUserId')) as Partial<T>;
}
function escapeLike(s: string): string {
  return s.replace(/[\\%_]/g, (c) => `\\${c}`);
}
