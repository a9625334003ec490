import type { EntityManager } from 'typeorm';
import { volunteerAccount } from '../../../dispatch/src/ledger';
import { inScope, type Actor } from '../auth/auth.service';
import { AppError } from '../shared/app-error';

/** A volunteer as the time bank reads it from dispatch's `volunteer` table. */
export interface VolunteerRow {
  id: string;
  name: string;
  districtCode: string;
  phoneE164: string;
  status: string;
  accountId: string;
}

const notFound = (what: string) => new AppError('timebank/not-found', `${what}不存在`);

/**
 * The volunteer, when it exists and lies in the actor's districts (else 404 like a missing one). With `lock`,
 * the row is locked for the rest of the transaction.
 * @example const v = await volunteerInScope(m, actor, volunteerId);
 */
export async function volunteerInScope(m: EntityManager, actor: Actor | null, volunteerId: string): Promise<VolunteerRow> {
  const [row] = await m.query(`SELECT id, name, district_code, phone_e164, status FROM volunteer WHERE id = $1`, [volunteerId]);
  if (!row || (actor && !inScope(actor, row.district_code))) throw notFound('志愿者');
  return { id: row.id, name: row.name, districtCode: row.district_code, phoneE164: row.phone_e164, status: row.status, accountId: volunteerAccount(row.id) };
}

/** A district the actor may file records under (an unknown or retired code, or one outside the scope, is refused). */
export async function districtInScope(m: EntityManager, actor: Actor, districtCode: string): Promise<void> {
  const [row] = await m.query(`SELECT code FROM district WHERE code = $1`, [districtCode]);
  if (!row || !inScope(actor, districtCode)) throw new AppError('validation/invalid', `辖区 ${districtCode} 不存在或不在您的管辖范围内`);
}

/** SQL fragment and parameter that keep rows of `column` inside the actor's scope (city-wide: everything). */
export function scopeFilter(actor: Actor, column: string, paramIndex: number): { sql: string; params: string[] } {
  if (actor.scopePrefix === null) return { sql: 'TRUE', params: [] };
  return { sql: `${column} LIKE $${paramIndex}`, params: [`${actor.scopePrefix.replace(/[\\%_]/g, (c) => `\\${c}`)}%`] };
}

export { notFound };
