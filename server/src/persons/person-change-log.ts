import type { DataSource, EntityManager } from 'typeorm';
import type { Actor } from '../auth/auth.service';
import type { FieldCrypto } from '../shared/field-crypto';
import { isSensitive, maskedValue, type ChangeField, type FieldChange } from './person-change';
import { PersonChange } from './person-change.entity';

/** A history row as the person page shows it: sensitive values masked exactly as on the profile. */
export interface PersonChangeView {
  id: string;
  version: number;
  field: ChangeField;
  oldValue: unknown;
  newValue: unknown;
  /** The values are masked (identifiers, birth date, notes, numbers). */
  masked: boolean;
  actorUsername: string | null;
  changedAt: Date;
}

/** Writes and reads `person_change`: JSON values, encrypted for the sensitive fields. */
export class PersonChangeLog {
  constructor(private readonly crypto: FieldCrypto) {}

  /** Append the changes, inside the caller's transaction (they commit with the edit they describe). */
  async write(m: EntityManager, personId: string, version: number, actor: Actor, changes: FieldChange[], at: Date): Promise<void> {
    if (changes.length === 0) return;
    const encode = (field: ChangeField, value: unknown) => {
      if (value === null || value === undefined) return null;
      const json = JSON.stringify(value);
      return isSensitive(field) ? this.crypto.encrypt(json) : json;
    };
    await m.insert(
      PersonChange,
      changes.map((c) => ({
        personId, version, field: c.field, oldValue: encode(c.field, c.old), newValue: encode(c.field, c.new),
        encrypted: isSensitive(c.field), actorId: actor.userId, actorUsername: actor.username, changedAt: at,
      })),
    );
  }

  /** The newest changes first, masked. */
  async list(ds: DataSource, personId: string, limit: number): Promise<PersonChangeView[]> {
    const rows = await ds.getRepository(PersonChange).find({ where: { personId }, order: { changedAt: 'DESC', version: 'DESC', field: 'ASC' }, take: limit });
    return rows.map((r) => {
      const field = r.field as ChangeField;
      const decode = (v: string | null) => (v === null ? null : JSON.parse(r.encrypted ? this.crypto.decrypt(v) : v));
      return {
        id: r.id, version: r.version, field,
        oldValue: maskedValue(field, decode(r.oldValue)), newValue: maskedValue(field, decode(r.newValue)),
        masked: r.encrypted, actorUsername: r.actorUsername, changedAt: r.changedAt,
      };
    });
  }

  /**
   * The encrypted history values in full, newest first, for the audited reveal (which checks scope, purpose
   * and rate first). Not audited here.
   */
  async revealed(ds: DataSource, personId: string, limit: number): Promise<{ id: string; oldValue: unknown; newValue: unknown }[]> {
    const rows = await ds.getRepository(PersonChange).find({ where: { personId, encrypted: true }, order: { changedAt: 'DESC', version: 'DESC', field: 'ASC' }, take: limit });
    const decode = (v: string | null) => (v === null ? null : JSON.parse(this.crypto.decrypt(v)));
    return rows.map((r) => ({ id: r.id, oldValue: decode(r.oldValue), newValue: decode(r.newValue) }));
  }
}
