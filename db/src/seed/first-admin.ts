import { randomBytes } from 'node:crypto';
import type { DataSource } from 'typeorm';
import { hashPassword } from '../../../server/src/auth/password-hash';
import { District } from '../../../server/src/districts/district.entity';
import { StaffUser } from '../../../server/src/staff/staff-user.entity';

export const FIRST_ADMIN_USERNAME = 'admin';

export interface FirstAdminOptions {
  /** `ANXIN_INITIAL_ADMIN_PASSWORD`; when absent a random one is generated. */
  password?: string;
  /** Created as the top-level (city) district when the database has no district at all. */
  rootDistrict: { code: string; name: string };
}

/**
 * Production first start: on a database without staff, create exactly one admin (`admin`) with a one-time
 * password that must be changed before anything else. No demo user, no demo password. Does nothing when any
 * staff user exists.
 * @returns the username and one-time password to print once, or null when the database already had staff.
 * @example const first = await createFirstAdmin(ds, { rootDistrict: { code: '330100', name: '杭州市' } });
 */
export async function createFirstAdmin(ds: DataSource, opts: FirstAdminOptions): Promise<{ username: string; password: string; generated: boolean } | null> {
  const password = opts.password ?? randomBytes(18).toString('base64url');
  const passwordHash = await hashPassword(password);
  return ds.transaction(async (m) => {
    await m.query('LOCK TABLE staff_user IN EXCLUSIVE MODE'); // two nodes starting at once create one admin
    if ((await m.count(StaffUser)) > 0) return null;
    const roots: { code: string }[] = await m.query(`SELECT code FROM district WHERE parent_code IS NULL AND level = 'city' ORDER BY code LIMIT 1`);
    let rootCode = roots[0]?.code;
    if (!rootCode) {
      await m.insert(District, { code: opts.rootDistrict.code, name: opts.rootDistrict.name, level: 'city', parentCode: null });
      rootCode = opts.rootDistrict.code;
    }
    await m.insert(StaffUser, {
      username: FIRST_ADMIN_USERNAME,
      displayName: '系统管理员',
      passwordHash,
      role: 'admin',
      skills: [],
      sipExtension: null,
      districtCode: rootCode,
      mustChangePassword: true,
    });
    return { username: FIRST_ADMIN_USERNAME, password, generated: opts.password === undefined };
  });
}
