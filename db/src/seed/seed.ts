import type { DataSource } from 'typeorm';
import { hashPassword } from '../../../server/src/auth/auth.service';
import { District } from '../../../server/src/districts/district.entity';
import type { FieldCrypto } from '../../../server/src/shared/field-crypto';
import { StaffUser } from '../../../server/src/staff/staff-user.entity';
import { DEMO_PASSWORD, demoDistricts, demoStaff, generatePersons, type DemoPerson } from './demo-data';
import { insertPersons, type PersonRecord } from './person-writer';
import { DEMO_FIELD_PIN, seedDispatchPeople } from './demo-dispatch';

export interface SeedResult {
  districts: number;
  staff: { username: string; role: string; sipExtension: string | null }[];
  persons: number;
  password: string;
  /** Dispatch people (issue 9); their field-page PIN is `fieldPin`. */
  dispatch: { providers: number; fieldWorkers: number; volunteers: number; fieldPin: string };
}

export interface SeedOptions {
  persons: number;
  seed?: string;
  batchSize?: number;
  onProgress?: (done: number, total: number) => void;
  /** Dispatch providers (each with a few field workers); default 40. */
  providers?: number;
  /** Dispatch volunteers; default 300. */
  volunteers?: number;
  onDispatchProgress?: (what: string, done: number, total: number) => void;
}

/** Whether the database holds no staff yet (a fresh install). */
export async function isEmpty(ds: DataSource): Promise<boolean> {
  return (await ds.getRepository(StaffUser).count()) === 0;
}

/**
 * Seed the demo city: districts, staff for every role, and `persons` persons (the fixed AMI fixture
 * callers first). Each batch commits on its own, so a big seed shows progress and a crash loses at
 * most one batch.
 */
export async function seedDemoData(ds: DataSource, crypto: FieldCrypto, opts: SeedOptions): Promise<SeedResult> {
  const districts = demoDistricts();
  const staff = demoStaff();
  const passwordHash = await hashPassword(DEMO_PASSWORD);
  await ds.transaction(async (m) => {
    await m.createQueryBuilder().insert().into(District).values(districts).orIgnore().execute();
    await m
      .createQueryBuilder()
      .insert()
      .into(StaffUser)
      .values(staff.map((s) => ({ ...s, passwordHash })))
      .orIgnore()
      .execute();
  });
  let done = 0;
  for (const batch of generatePersons({ seed: opts.seed ?? 'anxin-demo', count: opts.persons, batchSize: opts.batchSize ?? 1000 })) {
    await ds.transaction((m) => insertPersons(m, crypto, batch.map(toRecord)));
    done += batch.length;
    opts.onProgress?.(done, opts.persons);
  }
  const dispatch = await seedDispatchPeople(ds, { providers: opts.providers ?? 40, volunteers: opts.volunteers ?? 300, seed: opts.seed, today: new Date(Date.now() + 8 * 3600_000).toISOString().slice(0, 10), onProgress: opts.onDispatchProgress });
  return {
    districts: districts.length,
    dispatch: { ...dispatch, fieldPin: DEMO_FIELD_PIN },
    staff: staff.map((s) => ({ username: s.username, role: s.role, sipExtension: s.sipExtension })),
    persons: done,
    password: DEMO_PASSWORD,
  };
}

function toRecord(p: DemoPerson): PersonRecord {
  return {
    id: p.id,
    name: p.name,
    gender: p.gender,
    birthDate: p.birthDate,
    idNumber: p.idNumber,
    certNumber: p.certNumber,
    disabilityCategory: p.disabilityCategory,
    disabilityLevel: p.disabilityLevel,
    subDisabilities: p.subDisabilities,
    livingSituation: p.livingSituation,
    riskTier: p.riskTier,
    districtCode: p.districtCode,
    address: p.address,
    lat: p.lat,
    lng: p.lng,
    communicationNeed: p.communicationNeed,
    dialect: p.dialect,
    medicalNotes: p.medicalNotes,
    phones: p.phones,
    contacts: p.contacts.map(({ priority, name, relation, isGuardian, phoneE164, phoneKind, notifyOnEmergency }) => ({ priority, name, relation, isGuardian, phoneE164, phoneKind, notifyOnEmergency })),
    devices: p.devices,
  };
}
