import { checkCertificateAgainstProfile, parseDisabilityCertificate } from '../../../server/src/persons/disability-certificate';
import { normalizePhone } from '../../../server/src/persons/phone-number';
import { STAFF_ROLES } from '../../../server/src/staff/staff-user.entity';
import {
  AMI_FIXTURE_NUMBERS,
  DEMO_PASSWORD,
  DEMO_REFERENCE_DATE,
  demoDistricts,
  generateDemoData,
  generatePersons,
  type DemoPerson,
} from './demo-data';

const all = (seed: number | string, count: number, batchSize?: number): DemoPerson[] =>
  [...generatePersons({ seed, count, batchSize })].flat();

const set = generateDemoData({ seed: 'test-seed', personCount: 2000 });
const persons = set.persons;

function ageOf(p: DemoPerson): number {
  const years = Number(DEMO_REFERENCE_DATE.slice(0, 4)) - Number(p.birthDate.slice(0, 4));
  return DEMO_REFERENCE_DATE.slice(5) < p.birthDate.slice(5) ? years - 1 : years;
}

describe('determinism', () => {
  it('when generated twice with the same seed, then the data is identical', () => {
    expect(generateDemoData({ seed: 'test-seed', personCount: 2000 })).toEqual(set);
  });

  it('when the batch size changes, then the data does not', () => {
    const batches = [...generatePersons({ seed: 7, count: 300, batchSize: 7 })];
    expect(batches).toHaveLength(43);
    expect(batches.every((b, i) => b.length === (i < 42 ? 7 : 6))).toBe(true);
    expect(batches.flat()).toEqual(all(7, 300, 1000));
  });

  it('when the seed changes, then the generated persons differ but the fixtures keep their names and numbers', () => {
    const a = all(1, 50);
    const b = all(2, 50);
    expect(a.slice(12).map((p) => p.name)).not.toEqual(b.slice(12).map((p) => p.name));
    expect(a.slice(0, 12).map((p) => [p.name, p.phones[0]!.e164])).toEqual(b.slice(0, 12).map((p) => [p.name, p.phones[0]!.e164]));
  });
});

describe('AMI fixture persons', () => {
  const byNumber = new Map(persons.flatMap((p) => p.phones.map((ph) => [ph.e164, p] as const)));

  it('when the recordings call from 13800138000, then it is 张建国, the first person', () => {
    expect(persons[0]).toMatchObject({ fixture: 'ami-test-caller', name: '张建国' });
    expect(byNumber.get('+8613800138000')).toBe(persons[0]);
  });

  it('when the burst calls from 13800138001–010, then each is a known person', () => {
    AMI_FIXTURE_NUMBERS.burstCallers.forEach((e164, i) => {
      expect(e164).toBe(`+86138001380${String(i + 1).padStart(2, '0')}`);
      expect(byNumber.get(e164)).toMatchObject({ fixture: `ami-burst-${String(i + 1).padStart(2, '0')}`, communicationNeed: 'voice' });
    });
  });

  it('when pendant-0001 calls from 13900000001, then its owner is high risk and lives alone', () => {
    const owner = byNumber.get('+8613900000001')!;
    expect(owner).toMatchObject({ fixture: 'ami-sos-pendant', riskTier: 'high', livingSituation: 'alone' });
    expect(owner.phones).toContainEqual({ e164: '+8613900000001', kind: 'sos_device' });
    expect(owner.devices).toContainEqual(expect.objectContaining({ kind: 'sos_pendant', serial: 'pendant-0001', phoneE164: '+8613900000001', armed: true }));
    expect(persons.flatMap((p) => p.devices).filter((d) => d.serial === 'pendant-0001')).toHaveLength(1);
  });

  it('when fewer persons than fixtures are asked for, then the first fixtures come', () => {
    expect(all('x', 3).map((p) => p.fixture)).toEqual(['ami-test-caller', 'ami-burst-01', 'ami-burst-02']);
    expect(all('x', 0)).toEqual([]);
  });
});

describe('identifiers', () => {
  it('when every certificate is parsed, then it is valid and agrees with the profile', () => {
    for (const p of persons) {
      const cert = parseDisabilityCertificate(p.certNumber);
      expect(cert).toMatchObject({ ok: true, citizenId: p.idNumber, category: p.disabilityCategory, level: p.disabilityLevel });
      const mismatches = checkCertificateAgainstProfile(p.certNumber, {
        category: p.disabilityCategory, level: p.disabilityLevel, birthDate: p.birthDate, gender: p.gender, citizenId: p.idNumber,
      });
      expect(mismatches).toEqual([]);
      expect(p.idNumber.slice(0, 6)).toBe(p.districtCode.slice(0, 6));
    }
  });

  it('when ids, ID numbers and device serials are collected, then none repeats', () => {
    const unique = (xs: string[]) => new Set(xs).size === xs.length;
    expect(unique(persons.map((p) => p.id))).toBe(true);
    expect(unique(persons.map((p) => p.idNumber))).toBe(true);
    expect(unique(persons.flatMap((p) => p.devices.map((d) => d.serial)))).toBe(true);
  });
});

describe('phone numbers', () => {
  const owned = persons.flatMap((p) => [
    ...p.phones.map((ph) => ({ e164: ph.e164, kind: ph.kind })),
    ...p.contacts.map((c) => ({ e164: c.phoneE164, kind: c.phoneKind })),
  ]);

  it('when every number is normalised, then it is valid E.164 of the stated kind', () => {
    for (const { e164, kind } of owned) {
      const n = normalizePhone(e164);
      expect({ e164, kind, normalised: n?.e164, normalisedKind: n?.kind }).toEqual({
        e164, kind, normalised: e164, normalisedKind: kind === 'sos_device' ? 'mobile' : kind,
      });
    }
  });

  it('when numbers of persons and contacts are collected, then each appears once', () => {
    const seen = new Map<string, number>();
    for (const { e164 } of owned) seen.set(e164, (seen.get(e164) ?? 0) + 1);
    expect([...seen].filter(([, n]) => n > 1)).toEqual([]);
  });

  it('when a device has a number, then its owner lists it as an sos_device number', () => {
    for (const p of persons) {
      for (const d of p.devices.filter((x) => x.phoneE164)) {
        expect(d.kind).toBe('sos_pendant');
        expect(p.phones).toContainEqual({ e164: d.phoneE164, kind: 'sos_device' });
      }
    }
  });

  it('when a person needs SMS or video, then they have a mobile', () => {
    for (const p of persons.filter((x) => x.communicationNeed === 'sms_only' || x.communicationNeed === 'sign_language_video')) {
      expect(p.phones.some((ph) => ph.kind === 'mobile')).toBe(true);
    }
  });
});

describe('profiles', () => {
  it('when disabilities are checked, then sub-disabilities are other categories, 2–3 for 多重', () => {
    for (const p of persons) {
      expect(p.disabilityLevel).toBeGreaterThanOrEqual(1);
      expect(p.disabilityLevel).toBeLessThanOrEqual(4);
      expect(p.subDisabilities).not.toContain(p.disabilityCategory);
      expect(p.subDisabilities).not.toContain(7);
      if (p.disabilityCategory === 7) expect(p.subDisabilities.length).toBeGreaterThanOrEqual(2);
    }
  });

  it('when ages are counted, then they lie in 5–95 and skew old', () => {
    const ages = persons.map(ageOf).sort((a, b) => a - b);
    expect(ages[0]).toBeGreaterThanOrEqual(5);
    expect(ages.at(-1)).toBeLessThanOrEqual(95);
    expect(ages[Math.floor(ages.length / 2)]).toBeGreaterThanOrEqual(50);
  });

  it('when communication needs are counted, then many deaf people use SMS and intellectual disability goes via guardian', () => {
    const share = (cat: number, need: string) => {
      const group = persons.filter((p) => p.disabilityCategory === cat && ageOf(p) >= 12);
      return group.filter((p) => p.communicationNeed === need).length / group.length;
    };
    expect(share(2, 'sms_only')).toBeGreaterThan(0.3);
    expect(share(5, 'via_guardian')).toBeGreaterThan(0.6);
  });

  it('when contacts are checked, then there are 1–3 in order and a guardian leads for minors', () => {
    for (const p of persons) {
      expect(p.contacts.length).toBeGreaterThanOrEqual(1);
      expect(p.contacts.length).toBeLessThanOrEqual(3);
      expect(p.contacts.map((c) => c.priority)).toEqual(p.contacts.map((_, i) => i + 1));
      expect(p.contacts.slice(1).some((c) => c.isGuardian)).toBe(false);
      if (ageOf(p) < 18 || p.communicationNeed === 'via_guardian') expect(p.contacts[0]!.isGuardian).toBe(true);
    }
  });

  it('when tiers and living situations are counted, then every value occurs', () => {
    expect(new Set(persons.map((p) => p.riskTier))).toEqual(new Set(['high', 'key', 'general']));
    expect(new Set(persons.map((p) => p.livingSituation))).toEqual(new Set(['alone', 'empty_nest', 'with_family', 'care_home']));
    expect(new Set(persons.map((p) => p.communicationNeed))).toEqual(new Set(['voice', 'sms_only', 'sign_language_video', 'via_guardian']));
    expect(persons.some((p) => p.dialect)).toBe(true);
    expect(persons.some((p) => p.medicalNotes)).toBe(true);
    expect(new Set(persons.flatMap((p) => p.devices.map((d) => d.kind))).size).toBe(7);
  });

  it('when places are checked, then each person lives in a community near the city centre', () => {
    const communities = new Set(set.districts.filter((d) => d.level === 'community').map((d) => d.code));
    for (const p of persons) {
      expect(communities.has(p.districtCode)).toBe(true);
      expect(Math.abs(p.lat - 30.27)).toBeLessThan(0.7);
      expect(Math.abs(p.lng - 120.15)).toBeLessThan(0.7);
      expect(p.address.startsWith('安心市')).toBe(true);
    }
  });
});

describe('districts and staff', () => {
  it('when the tree is walked, then codes have GB/T 2260 lengths and extend their parent', () => {
    const districts = demoDistricts();
    const byCode = new Map(districts.map((d) => [d.code, d]));
    expect(byCode.size).toBe(districts.length);
    const length = { city: 6, district: 6, street: 9, community: 12 } as const;
    for (const d of districts) {
      expect(d.code).toMatch(new RegExp(`^\\d{${length[d.level]}}$`));
      if (d.level === 'city') expect(d.parentCode).toBeNull();
      else {
        const parent = byCode.get(d.parentCode!)!;
        expect(parent).toBeDefined();
        expect(d.code.startsWith(d.level === 'district' ? d.parentCode!.slice(0, 4) : d.parentCode!)).toBe(true);
      }
    }
  });

  it('when staff are listed, then every role exists and agents 8001–8003 are there', () => {
    expect(new Set(set.staff.map((u) => u.role))).toEqual(new Set(STAFF_ROLES));
    expect(set.staff.filter((u) => u.role === 'agent').map((u) => [u.username, u.sipExtension])).toEqual([
      ['agent8001', '8001'], ['agent8002', '8002'], ['agent8003', '8003'],
    ]);
    const codes = new Set(set.districts.map((d) => d.code));
    expect(set.staff.every((u) => codes.has(u.districtCode))).toBe(true);
    expect(DEMO_PASSWORD).toBe('Anxin@2026');
  });
});

describe('scale and arguments', () => {
  // Speed is the seeder's benchmark's business (npm run seed -- --persons 100000), not a test's.
  it('when 100,000 persons are streamed, then they come in batches of the size asked with at least one distinct number per person', () => {
    let n = 0;
    const sizes = new Set<number>();
    const phones = new Set<string>();
    for (const batch of generatePersons({ seed: 'big', count: 100_000, batchSize: 5000 })) {
      n += batch.length;
      sizes.add(batch.length);
      for (const p of batch) for (const phone of p.phones) phones.add(phone.e164);
    }
    expect(n).toBe(100_000);
    expect([...sizes]).toEqual([5000]);
    expect(phones.size).toBeGreaterThanOrEqual(100_000);
  });

  it.each([
    [{ seed: 1, count: -1 }],
    [{ seed: 1, count: 1.5 }],
    [{ seed: 1, count: 10, batchSize: 0 }],
    [{ seed: 1, count: 10, referenceDate: '22.11.2026' }],
  ])('when called with %j, then it throws a RangeError', (opts) => {
    expect(() => [...generatePersons(opts)]).toThrow(RangeError);
  });
});
