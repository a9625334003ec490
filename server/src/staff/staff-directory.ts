import type { DataSource } from 'typeorm';
import { StaffUser } from './staff-user.entity';

const TTL_MS = 30_000;

/**
 * Maps PBX extensions to staff users. Cached briefly: it is on the screen-pop path, and extensions
 * change rarely.
 */
export class StaffDirectory {
  private readonly cache = new Map<string, { user: StaffUser | null; at: number }>();

  constructor(private readonly ds: DataSource) {}

  async byExtension(extension: string): Promise<StaffUser | null> {
    const hit = this.cache.get(extension);
    if (hit && Date.now() - hit.at < TTL_MS) return hit.user;
    const user = await this.ds.getRepository(StaffUser).findOneBy({ sipExtension: extension, active: true });
    this.cache.set(extension, { user, at: Date.now() });
    return user;
  }

  invalidate(): void {
    this.cache.clear();
  }
}
