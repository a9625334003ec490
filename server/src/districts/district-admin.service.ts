import { parse } from 'csv-parse/sync';
import type { DataSource, EntityManager } from 'typeorm';
import type { AuditService } from '../audit/audit.service';
import { inScope, type Actor } from '../auth/auth.service';
import { AppError } from '../shared/app-error';
import { TERMINAL_STATUSES } from '../tickets/ticket';
import { childPrefix, validateDistrictCsv, type DistrictLine } from './district-csv';
import { DISTRICT_LEVELS, District } from './district.entity';

/** What still uses a district (its whole subtree): retirement is refused while any count is above 0. */
export interface DistrictUse {
  activePersons: number;
  openOrders: number;
  activeStaff: number;
}

/** Most lines one import takes (a city's whole tree is a few thousand). */
export const DISTRICT_IMPORT_MAX_LINES = 20_000;

/**
 * The district tree's administration (admin): import from CSV (all rows or none), rename, retire. A district
 * is never deleted: retiring keeps it for the records that name it and takes it out of pickers. Every change
 * is audited (districts are no personal data; the entries name the codes).
 */
export class DistrictAdminService {
  constructor(
    private readonly ds: DataSource,
    private readonly audit: AuditService,
  ) {}

  /**
   * Check and import a CSV (code, name, parent code) in one transaction.
   * @returns how many districts were added
   * @throws AppError district/import-invalid with `details.errors` (line, code) — nothing written
   * @example await districts.importCsv(admin, '330106,西湖区,330100\n330106001000,北山街道,330106\n');
   */
  async importCsv(actor: Actor, csv: string): Promise<{ created: number }> {
    const lines = parseLines(csv);
    if (lines.length === 0) throw new AppError('district/import-invalid', '文件中没有辖区', { errors: [{ line: 1, code: 'malformed' }] });
    if (lines.length > DISTRICT_IMPORT_MAX_LINES) throw new AppError('district/import-invalid', `一次最多导入 ${DISTRICT_IMPORT_MAX_LINES} 行`, { errors: [{ line: DISTRICT_IMPORT_MAX_LINES + 1, code: 'malformed' }] });
    const created = await this.ds.transaction(async (m) => {
      const existing = new Map((await m.getRepository(District).find()).map((d) => [d.code, d]));
      const { rows, errors } = validateDistrictCsv(lines, existing, (parent) => (parent === null ? actor.scopePrefix === null : inScope(actor, parent)));
      if (errors.length) throw new AppError('district/import-invalid', `发现 ${errors.length} 处错误，未写入任何辖区`, { errors: errors.slice(0, 500), total: errors.length });
      const byLevel = [...rows].sort((a, b) => DISTRICT_LEVELS.indexOf(a.level) - DISTRICT_LEVELS.indexOf(b.level));
      for (let i = 0; i < byLevel.length; i += 500) await m.insert(District, byLevel.slice(i, i + 500));
      await this.audit.record({ actorId: actor.userId, actorUsername: actor.username, action: 'district.import', purpose: `${rows.length} 个辖区: ${rows.slice(0, 20).map((r) => r.code).join(' ')}`, outcome: 'ok' }, m);
      return rows.length;
    }).catch((err: unknown) => {
      if ((err as { code?: string }).code === '23505') throw new AppError('conflict', '辖区代码已被同时导入，请重试');
      throw err;
    });
    return { created };
  }

  /**
   * Change a district's name.
   * @throws AppError district/not-found (unknown or outside the actor's districts)
   */
  async rename(actor: Actor, code: string, name: string): Promise<District> {
    return this.ds.transaction(async (m) => {
      const district = await this.loadInScope(m, actor, code);
      const before = district.name;
      await m.update(District, { code }, { name });
      await this.audit.record({ actorId: actor.userId, actorUsername: actor.username, action: 'district.rename', subjectType: 'district', subjectId: code, purpose: `${before} → ${name}`, outcome: 'ok' }, m);
      return { ...district, name };
    });
  }

  /**
   * Retire a district and everything under it, refused while any of it has active persons, open orders or
   * active staff (409 with the counts). A city is never retired.
   * @throws AppError district/not-found, district/in-use
   */
  async retire(actor: Actor, code: string): Promise<{ code: string; retired: number }> {
    return this.ds.transaction(async (m) => {
      const district = await this.loadInScope(m, actor, code);
      if (district.retiredAt) throw new AppError('district/in-use', `辖区 ${code} 已撤销`, { reason: 'already-retired' });
      if (district.level === 'city') throw new AppError('district/in-use', '市级辖区不能撤销', { reason: 'city' });
      const prefix = `${childPrefix(district)}%`;
      // Lock the subtree so that no person or staff is added under it while we count.
      await m.query('SELECT code FROM district WHERE code LIKE $1 FOR UPDATE', [prefix]);
      const use = await usage(m, prefix);
      if (use.activePersons || use.openOrders || use.activeStaff) {
        await this.audit.record({ actorId: actor.userId, actorUsername: actor.username, action: 'district.retire', subjectType: 'district', subjectId: code, outcome: 'denied' }, m);
        throw new AppError('district/in-use', `辖区 ${code} 仍有在册服务对象 ${use.activePersons} 人、未完结工单 ${use.openOrders} 张、在岗人员 ${use.activeStaff} 人`, { reason: 'in-use', ...use });
      }
      const [, retired]: [unknown, number] = await m.query('UPDATE district SET retired_at = now(), retired_by_id = $2 WHERE code LIKE $1 AND retired_at IS NULL', [prefix, actor.userId]);
      await this.audit.record({ actorId: actor.userId, actorUsername: actor.username, action: 'district.retire', subjectType: 'district', subjectId: code, purpose: `${retired} 个辖区`, outcome: 'ok' }, m);
      return { code, retired };
    });
  }

  private async loadInScope(m: EntityManager, actor: Actor, code: string): Promise<District> {
    const district = await m.getRepository(District).findOne({ where: { code }, lock: { mode: 'pessimistic_write' } });
    if (!district || !inScope(actor, code) || (district.level === 'city' && actor.scopePrefix !== null)) throw new AppError('district/not-found', `辖区 ${code} 不存在`);
    return district;
  }
}

async function usage(m: EntityManager, prefix: string): Promise<DistrictUse> {
  const [row]: { persons: number; orders: number; staff: number }[] = await m.query(
    `SELECT (SELECT count(*)::int FROM person WHERE district_code LIKE $1 AND status = 'active') AS persons,
            (SELECT count(*)::int FROM ticket WHERE district_code LIKE $1 AND status <> ALL($2::text[])) AS orders,
            (SELECT count(*)::int FROM staff_user WHERE district_code LIKE $1 AND active) AS staff`,
    [prefix, [...TERMINAL_STATUSES]],
  );
  return { activePersons: row!.persons, openOrders: row!.orders, activeStaff: row!.staff };
}

function parseLines(csv: string): DistrictLine[] {
  let records: { record: string[]; info: { lines: number } }[];
  try {
    records = parse(csv, { bom: true, relax_column_count: true, skip_empty_lines: false, info: true, trim: true }) as unknown as typeof records;
  } catch (err) {
    const line = (err as { lines?: number }).lines ?? 1;
    throw new AppError('district/import-invalid', '文件不是合法的 CSV', { errors: [{ line, code: 'malformed' }] });
  }
  return records.filter((r) => r.record.some((c) => c !== '')).map((r) => ({ line: r.info.lines, cells: r.record }));
}
