import { demoDistricts } from './demo-districts';
import { generatePersons } from './demo-persons';
import { demoStaff } from './demo-staff';
import type { DemoData, DemoPerson } from './demo-types';

/**
 * Deterministic demo data as plain objects (no TypeORM): the district tree, staff users and persons with
 * their numbers, contacts and devices. Same seed → same data. The seeder inserts it (see
 * `person-writer.ts`) and encrypts `idNumber`, `certNumber` and `medicalNotes` on the way.
 *
 * Small sets: `generateDemoData({ seed, personCount })`. Large sets: stream with
 * `for (const batch of generatePersons({ seed, count, batchSize }))`.
 */

export type * from './demo-types';
export { CONTACT_RELATIONS } from './demo-types';
export { DEMO_CITY, DEMO_AREA_CODE, demoDistricts } from './demo-districts';
export { DEMO_PASSWORD, demoStaff } from './demo-staff';
export { DEMO_REFERENCE_DATE, generatePersons } from './demo-persons';
export { AMI_FIXTURE_NUMBERS, AMI_FIXTURE_PENDANT_SERIAL, FIXTURE_PERSONS } from './demo-fixtures';
export { DEMO_DIALECTS } from './demo-traits';

export interface DemoDataOptions {
  seed?: number | string;
  /** Total persons, the fixed AMI fixture persons included (default 200). */
  personCount?: number;
  referenceDate?: string;
}

/**
 * Everything at once, persons materialised (fine up to tens of thousands; stream beyond that).
 * @example
 * const { districts, staff, persons } = generateDemoData({ seed: 'demo', personCount: 200 });
 * persons[0].name; // '张建国' (+8613800138000)
 */
export function generateDemoData(options: DemoDataOptions = {}): DemoData {
  const { seed = 'anxin-demo', personCount = 200, referenceDate } = options;
  const persons: DemoPerson[] = [];
  for (const batch of generatePersons({ seed, count: personCount, batchSize: 5000, referenceDate })) {
    for (const p of batch) persons.push(p);
  }
  return { districts: demoDistricts(), staff: demoStaff(), persons };
}
