import { citizenIdCheckChar, type Gender } from '../../../server/src/persons/citizen-id';
import type { DeviceKind, DeviceMode } from '../../../server/src/persons/device.entity';
import type { RiskTier } from '../../../server/src/persons/person.entity';
import { buildContacts } from './demo-contacts';
import { DEMO_CITY, demoCommunities, round6, type DemoCommunity } from './demo-districts';
import { AMI_FIXTURE_PENDANT_SERIAL, FIXTURE_PERSONS, FIXTURE_RESERVED_NUMBERS, type FixturePersonSpec } from './demo-fixtures';
import { randomFullName, surnameOf } from './demo-names';
import { createPhoneAllocator, type PhoneAllocator } from './demo-phones';
import type { DemoDevice, DemoPerson, DemoPersonsOptions, DemoPhone } from './demo-types';
import {
  communicationFor, randomBirthDate, randomDialect, randomDisability, randomLiving, randomMedicalNotes, riskTierFor,
} from './demo-traits';
import { createRng, uuidFrom, weighted, type Rng } from './prng';

/** The day demo ages and device heartbeats are computed from (the date of the AMI click-to-call ticket). */
export const DEMO_REFERENCE_DATE = '2026-11-22';

const SERIAL_PREFIX: Record<DeviceKind, string> = {
  sos_pendant: 'pendant', fall_detector: 'fall', door_sensor: 'door', smoke_sensor: 'smoke',
  gas_sensor: 'gas', water_sensor: 'water', health_monitor: 'health',
};
const DEVICE_CHANCE: Record<RiskTier, number> = { high: 0.75, key: 0.35, general: 0.06 };
const MODE = weighted<DeviceMode>([['home', 70], ['away', 10], ['sleep', 20]]);

interface Ctx {
  rng: Rng;
  phones: PhoneAllocator;
  communities: readonly DemoCommunity[];
  usedIds: Set<string>;
  serials: Record<DeviceKind, number>;
  referenceDate: string;
  referenceYear: number;
  nowMs: number;
}

function ageOn(birthDate: string, referenceDate: string): number {
  const age = Number(referenceDate.slice(0, 4)) - Number(birthDate.slice(0, 4));
  return referenceDate.slice(5) < birthDate.slice(5) ? age - 1 : age;
}

/** A citizen ID unique in the data set: odd sequence for men, even for women, bumped on collision. */
function uniqueCitizenId(ctx: Ctx, areaCode: string, birthDate: string, gender: Gender): string {
  const prefix = areaCode + birthDate.replace(/-/g, '');
  let seq = ctx.rng.int(0, 499) * 2 + (gender === 'M' ? 1 : 0);
  for (let tries = 0; tries < 500; tries++, seq = (seq + 2) % 1000) {
    const first17 = prefix + String(seq).padStart(3, '0');
    if (!ctx.usedIds.has(first17)) {
      ctx.usedIds.add(first17);
      return first17 + citizenIdCheckChar(first17);
    }
  }
  throw new Error(`demo data: no free citizen ID sequence for ${prefix}`);
}

function address(rng: Rng, c: DemoCommunity, careHome: boolean): string {
  const where = `${DEMO_CITY.name}${c.districtName}${c.streetName}${c.name}`;
  if (careHome) return `${where}${c.streetName.slice(0, 2)}颐养院${rng.int(1, 3)}号楼${rng.int(1, 5)}0${rng.int(1, 9)}室`;
  if (c.rural) return `${where}${rng.int(1, 12)}组${rng.int(1, 88)}号`;
  return `${where}${c.road}${rng.int(1, 399)}号${rng.int(1, 24)}幢${rng.int(1, 4)}单元${rng.int(1, 18)}0${rng.int(1, 4)}室`;
}

function ownPhones(ctx: Ctx, age: number, careHome: boolean): DemoPhone[] {
  const { rng, phones } = ctx;
  const mobile = (): DemoPhone => ({ e164: phones.mobile(rng), kind: 'mobile' });
  const landline = (): DemoPhone => ({ e164: phones.landline(rng), kind: 'landline' });
  if (age < 12) return rng.chance(0.7) ? [] : [mobile()];
  if (careHome) return rng.chance(0.5) ? [landline()] : [mobile()];
  const x = rng.next();
  if (age >= 75) return x < 0.55 ? [mobile()] : x < 0.85 ? [landline()] : [mobile(), landline()];
  return x < 0.85 ? [mobile()] : x < 0.95 ? [mobile(), landline()] : [landline()];
}

function device(ctx: Ctx, kind: DeviceKind, mode: DeviceMode, armed: boolean, phoneE164: string | null, serial?: string): DemoDevice {
  const { rng } = ctx;
  const staleMinutes = rng.chance(0.03) ? rng.int(1440, 7200) : rng.int(1, 30);
  return {
    kind,
    serial: serial ?? `${SERIAL_PREFIX[kind]}-${String(ctx.serials[kind]++).padStart(4, '0')}`,
    mode,
    armed,
    battery: rng.chance(0.06) ? rng.int(5, 19) : rng.int(40, 100),
    lastHeartbeatAt: new Date(ctx.nowMs - staleMinutes * 60_000).toISOString(),
    phoneE164,
  };
}

function devicesFor(ctx: Ctx, p: { risk: RiskTier; age: number; medical: boolean; fixturePendant: string | null }): DemoDevice[] {
  const { rng } = ctx;
  if (!p.fixturePendant && !rng.chance(DEVICE_CHANCE[p.risk])) return [];
  const mode = p.fixturePendant ? 'home' : MODE(rng);
  const armed = p.fixturePendant ? true : rng.chance(0.85);
  const out: DemoDevice[] = [];
  if (p.fixturePendant) {
    out.push({ ...device(ctx, 'sos_pendant', mode, armed, p.fixturePendant, AMI_FIXTURE_PENDANT_SERIAL),
      battery: 86, lastHeartbeatAt: new Date(ctx.nowMs - 5 * 60_000).toISOString() });
  } else if (rng.chance(0.8)) {
    out.push(device(ctx, 'sos_pendant', mode, armed, ctx.phones.device()));
  }
  if (p.age >= 65 && rng.chance(0.4)) out.push(device(ctx, 'fall_detector', mode, armed, null));
  if (rng.chance(0.4)) out.push(device(ctx, 'smoke_sensor', mode, armed, null));
  if (rng.chance(0.35)) out.push(device(ctx, 'gas_sensor', mode, armed, null));
  if (rng.chance(0.15)) out.push(device(ctx, 'water_sensor', mode, armed, null));
  if (rng.chance(0.25)) out.push(device(ctx, 'door_sensor', mode, armed, null));
  if (p.medical && rng.chance(0.5)) out.push(device(ctx, 'health_monitor', mode, armed, null));
  if (out.length === 0) out.push(device(ctx, 'smoke_sensor', mode, armed, null));
  return out;
}

function buildPerson(ctx: Ctx, spec: FixturePersonSpec | undefined): DemoPerson {
  const { rng } = ctx;
  const id = uuidFrom(rng);
  const community = spec ? ctx.communities[spec.communityIndex % ctx.communities.length]! : rng.pick(ctx.communities);
  const gender: Gender = spec?.gender ?? (rng.chance(0.54) ? 'M' : 'F');
  const { birthDate, age } = spec
    ? { birthDate: spec.birthDate, age: ageOn(spec.birthDate, ctx.referenceDate) }
    : randomBirthDate(rng, ctx.referenceDate);
  const { category, level, subDisabilities } = spec
    ? { category: spec.category, level: spec.level, subDisabilities: [] }
    : randomDisability(rng);
  const living = spec?.livingSituation ?? randomLiving(rng, age);
  const risk = spec?.riskTier ?? riskTierFor(rng, { age, level, living, category });
  const communicationNeed = spec?.communicationNeed ?? communicationFor(rng, { age, category, level });
  const dialect = spec ? spec.dialect : randomDialect(rng, age);
  const medicalNotes = spec ? spec.medicalNotes : randomMedicalNotes(rng, age);
  const birthYear = Number(birthDate.slice(0, 4));
  const name = spec?.name ?? randomFullName(rng, gender, birthYear);
  const idNumber = uniqueCitizenId(ctx, community.districtCode, birthDate, gender);

  const phones = spec ? spec.phones.map((p) => ({ ...p })) : ownPhones(ctx, age, living === 'care_home');
  if (spec && !phones.some((p) => p.kind !== 'sos_device')) phones.push({ e164: ctx.phones.landline(rng), kind: 'landline' });
  if ((communicationNeed === 'sms_only' || communicationNeed === 'sign_language_video') && !phones.some((p) => p.kind === 'mobile')) {
    phones.unshift({ e164: ctx.phones.mobile(rng), kind: 'mobile' });
  }
  const fixturePendant = spec?.sosPendant ? (spec.phones.find((p) => p.kind === 'sos_device')?.e164 ?? null) : null;
  const devices = spec && !spec.sosPendant ? [] : devicesFor(ctx, { risk, age, medical: medicalNotes !== null, fixturePendant });
  for (const d of devices) {
    if (d.phoneE164 && !phones.some((p) => p.e164 === d.phoneE164)) phones.push({ e164: d.phoneE164, kind: 'sos_device' });
  }
  const needsGuardian = age < 18 || communicationNeed === 'via_guardian' || ((category === 5 || category === 6) && level <= 2);
  const contacts = buildContacts(rng, ctx.phones, {
    surname: surnameOf(name), gender, birthYear, age, referenceYear: ctx.referenceYear, living, needsGuardian,
  });
  const spread = community.rural ? 0.008 : 0.003;
  return {
    id,
    fixture: spec?.fixture ?? null,
    name,
    gender,
    birthDate,
    idNumber,
    certNumber: `${idNumber}${category}${level}`,
    disabilityCategory: category,
    disabilityLevel: level,
    subDisabilities,
    livingSituation: living,
    riskTier: risk,
    districtCode: community.code,
    address: address(rng, community, living === 'care_home'),
    lat: round6(community.lat + (rng.next() - 0.5) * spread),
    lng: round6(community.lng + (rng.next() - 0.5) * spread),
    communicationNeed,
    dialect,
    medicalNotes,
    phones,
    contacts,
    devices,
  };
}

/**
 * Demo persons in batches; the fixed AMI fixture persons come first. Same seed and count → same data,
 * whatever the batch size. Memory stays flat apart from a set of used ID numbers.
 * @throws RangeError on a negative or fractional count, a batch size below 1 or a malformed reference date.
 * @example
 * for (const batch of generatePersons({ seed: 'demo', count: 100_000, batchSize: 2000 })) {
 *   await insertBatch(batch);
 * }
 */
export function* generatePersons(opts: DemoPersonsOptions): Generator<DemoPerson[], void, undefined> {
  const { seed, count, batchSize = 1000, referenceDate = DEMO_REFERENCE_DATE } = opts;
  if (!Number.isInteger(count) || count < 0) throw new RangeError(`demo data: count must be a whole number ≥ 0 (got ${count})`);
  if (!Number.isInteger(batchSize) || batchSize < 1) throw new RangeError(`demo data: batchSize must be ≥ 1 (got ${batchSize})`);
  if (!/^\d{4}-\d{2}-\d{2}$/.test(referenceDate) || Number.isNaN(Date.parse(referenceDate))) {
    throw new RangeError(`demo data: referenceDate must be YYYY-MM-DD (got ${referenceDate})`);
  }
  const ctx: Ctx = {
    rng: createRng(`persons/${seed}`),
    phones: createPhoneAllocator(seed, FIXTURE_RESERVED_NUMBERS),
    communities: demoCommunities(),
    usedIds: new Set(),
    serials: { sos_pendant: 2, fall_detector: 1, door_sensor: 1, smoke_sensor: 1, gas_sensor: 1, water_sensor: 1, health_monitor: 1 },
    referenceDate,
    referenceYear: Number(referenceDate.slice(0, 4)),
    nowMs: Date.parse(`${referenceDate}T08:00:00+08:00`),
  };
  let batch: DemoPerson[] = [];
  for (let i = 0; i < count; i++) {
    batch.push(buildPerson(ctx, FIXTURE_PERSONS[i]));
    if (batch.length === batchSize) {
      yield batch;
      batch = [];
    }
  }
  if (batch.length > 0) yield batch;
}
