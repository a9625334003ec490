import type { DataSource } from 'typeorm';
import { demoDistricts, demoStaff, DEMO_PASSWORD, FIXTURE_PERSONS, generatePersons } from '../../../db/src/seed/demo-data';
import { insertPersons } from '../../../db/src/seed/person-writer';
import { hashPassword } from '../../src/auth/auth.service';
import { District } from '../../src/districts/district.entity';
import { PhoneNumber } from '../../src/persons/phone.entity';
import { Person } from '../../src/persons/person.entity';
import { fieldCryptoFromSecret } from '../../src/shared/crypto-from-config';
import { StaffUser } from '../../src/staff/staff-user.entity';
import { In } from 'typeorm';
import { TEST_DATA_KEY } from './test-app';
import { acquireFileLock } from './file-lock';

/**
 * The recorded AMI traffic uses fixed numbers (13800138000…, the SOS pendant 13900000001) and agent
 * extensions 8001–8003. Test files that replay it share those rows, so they take this lock for their
 * whole run (a lock file: works across jest workers, on PGlite and PostgreSQL alike) and reset the rows
 * first. Other tests use random numbers and run alongside freely.
 */
export function acquireFixtureLock(timeoutMs = 120_000): Promise<() => void> {
  return acquireFileLock('ami-fixture', timeoutMs);
}

export interface FixturePeople {
  /** Person id by fixture label (`ami-test-caller`, `ami-burst-01`…, `ami-sos-pendant`). */
  personIds: Record<string, string>;
  /** Staff user by extension: '8001' → agent8001 … */
  agents: Record<string, StaffUser>;
  supervisor: StaffUser;
  password: string;
}

/**
 * Remove whatever owns the fixture numbers / extensions, then insert the demo seed's fixture persons
 * and staff (same generator as `npm start`), so a replay pops real records. Call under the lock.
 */
export async function resetFixturePeople(ds: DataSource): Promise<FixturePeople> {
  const numbers = FIXTURE_PERSONS.flatMap((p) => p.phones.map((ph) => ph.e164));
  const [batch] = [...generatePersons({ seed: 'anxin-test', count: FIXTURE_PERSONS.length })];
  const staff = demoStaff();
  const passwordHash = await hashPassword(DEMO_PASSWORD);
  return ds.transaction(async (m) => {
    const owners = await m.find(PhoneNumber, { where: { e164: In(numbers) } });
    const personIds = [...new Set(owners.map((o) => o.personId).filter((x): x is string => !!x))];
    const fixtureIds = batch.map((p) => p.id);
    const gone = [...personIds, ...fixtureIds];
    // Rows that keep a person (no cascade on purpose in production) go first, so earlier tests' care plans,
    // consents and status history of the fixture people cannot block the reset.
    for (const sql of [
      'DELETE FROM care_event WHERE person_id = ANY($1) OR task_id IN (SELECT id FROM care_task WHERE person_id = ANY($1))',
      'DELETE FROM care_task WHERE person_id = ANY($1)',
      'DELETE FROM care_plan WHERE person_id = ANY($1)',
      'DELETE FROM person_consent WHERE person_id = ANY($1)',
      'DELETE FROM person_status_event WHERE person_id = ANY($1) OR other_person_id = ANY($1)',
      'UPDATE person SET merged_into_id = NULL WHERE merged_into_id = ANY($1)',
    ]) await m.query(sql, [gone]);
    await m.delete(Person, { id: In(gone) });
    await m.createQueryBuilder().insert().into(District).values(demoDistricts()).orIgnore().execute();
    const usernames = staff.map((s) => s.username);
    await m.query('UPDATE call SET agent_user_id = NULL WHERE agent_user_id IN (SELECT id FROM staff_user WHERE username = ANY($1) OR sip_extension = ANY($2))', [usernames, ['8001', '8002', '8003']]);
    await m.query('UPDATE staff_user SET sip_extension = NULL, active = false WHERE sip_extension = ANY($1) AND NOT (username = ANY($2))', [['8001', '8002', '8003'], usernames]);
    await m.createQueryBuilder().insert().into(StaffUser).values(staff.map((s) => ({ ...s, passwordHash }))).orIgnore().execute();
    // The demo agents start offline, with no softphone report left by an earlier file.
    await m.query('DELETE FROM agent_presence WHERE user_id IN (SELECT id FROM staff_user WHERE username = ANY($1))', [usernames]);
    await m.query('UPDATE staff_user SET password_hash = $1, failed_logins = 0, locked_until = NULL, active = true WHERE username = ANY($2)', [passwordHash, usernames]);
    await insertPersons(m, fieldCryptoFromSecret(TEST_DATA_KEY), batch.map((p) => ({ ...p, contacts: p.contacts })));
    const users = await m.find(StaffUser, { where: { username: In(usernames) } });
    const agents: Record<string, StaffUser> = {};
    for (const u of users) if (u.sipExtension) agents[u.sipExtension] = u;
    return {
      personIds: Object.fromEntries(batch.map((p) => [p.fixture ?? p.id, p.id])),
      agents,
      supervisor: users.find((u) => u.role === 'supervisor')!,
      password: DEMO_PASSWORD,
    };
  });
}
