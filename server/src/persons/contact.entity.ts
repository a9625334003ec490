import { Column, Entity, PrimaryGeneratedColumn } from 'typeorm';

/** 监护人 and emergency contacts of a person, in calling order. */
@Entity('contact')
export class Contact {
  @PrimaryGeneratedColumn('uuid')
  id!: string;

  @Column({ name: 'person_id', type: 'uuid' })
  personId!: string;

  @Column({ type: 'varchar', length: 50 })
  name!: string;

  /** 子女, 配偶, 邻居, 社区网格员 … */
  @Column({ type: 'varchar', length: 20 })
  relation!: string;

  @Column({ name: 'is_guardian', type: 'boolean', default: false })
  isGuardian!: boolean;

  @Column({ type: 'smallint', default: 1 })
  priority!: number;

  @Column({ name: 'notify_on_emergency', type: 'boolean', default: true })
  notifyOnEmergency!: boolean;

  @Column({ name: 'phone_e164', type: 'varchar', length: 20 })
  phoneE164!: string;
}
