import type { DataSource } from 'typeorm';
import type { Actor } from '../auth/auth.service';
import { AppError } from '../shared/app-error';

/** The account work orders opened by devices, calls and texts are created by. It cannot log in. */
export const SYSTEM_USERNAME = 'anxin-system';

/**
 * The system actor (`anxin-system`, inactive, no usable password), created on first use under the
 * top-level district. City-wide scope: an SOS may come from anywhere.
 */
export class SystemActor {
  private cached: Promise<Actor> | null = null;

  constructor(private readonly ds: DataSource) {}

  get(): Promise<Actor> {
    this.cached ??= this.ensure().catch((err) => {
      this.cached = null;
      throw err;
    });
    return this.cached;
  }

  private async ensure(): Promise<Actor> {
    const existing: { id: string; district_code: string }[] = await this.ds.query('SELECT id, district_code FROM staff_user WHERE username = $1', [SYSTEM_USERNAME]);
    let row = existing[0];
    if (!row) {
      const roots: { code: string }[] = await this.ds.query('SELECT code FROM district WHERE parent_code IS NULL ORDER BY code LIMIT 1');
      if (!roots[0]) throw new AppError('internal', '没有任何行政区划：无法创建系统账号（请先导入区划或演示数据）');
      await this.ds.query(
        `INSERT INTO staff_user (username, display_name, password_hash, role, district_code, active)
         VALUES ($1, '安心系统', '!', 'admin', $2, false) ON CONFLICT (username) DO NOTHING`,
        [SYSTEM_USERNAME, roots[0].code],
      );
      row = (await this.ds.query('SELECT id, district_code FROM staff_user WHERE username = $1', [SYSTEM_USERNAME]))[0];
    }
    return { userId: row!.id, username: SYSTEM_USERNAME, displayName: '安心系统', role: 'admin', roles: ['admin'], sipExtension: null, districtCode: row!.district_code, scopePrefix: null };
  }
}
