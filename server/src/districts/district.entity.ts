import { Column, Entity, PrimaryColumn } from 'typeorm';

export const DISTRICT_LEVELS = ['city', 'district', 'street', 'community'] as const;
export type DistrictLevel = (typeof DISTRICT_LEVELS)[number];

/** 行政区划: city → 区 → 街镇 → 村居, GB/T 2260-style codes. A code's prefix is its ancestors'. */
@Entity('district')
export class District {
  @PrimaryColumn({ type: 'varchar', length: 12 })
  code!: string;

  @Column({ type: 'varchar', length: 100 })
  name!: string;

  @Column({ type: 'varchar', length: 16 })
  level!: DistrictLevel;

  @Column({ name: 'parent_code', type: 'varchar', length: 12, nullable: true })
  parentCode!: string | null;

  /** Set when retired (never deleted): no longer offered for new records, kept for history. */
  @Column({ name: 'retired_at', type: 'timestamptz', nullable: true })
  retiredAt?: Date | null;

  @Column({ name: 'retired_by_id', type: 'uuid', nullable: true })
  retiredById?: string | null;
}
