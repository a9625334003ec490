import type { DistrictLevel } from '../../../server/src/districts/district.entity';
import type { CommunicationNeed, LivingSituation, RiskTier } from '../../../server/src/persons/person.entity';
import type { DeviceKind, DeviceMode } from '../../../server/src/persons/device.entity';
import type { StaffRole } from '../../../server/src/staff/staff-user.entity';
import type { Gender } from '../../../server/src/persons/citizen-id';
import type { DisabilityCategory, DisabilityLevel } from '../../../server/src/persons/disability-certificate';

/** Plain demo records, shaped after the entities; the seeder maps them to rows (and encrypts). */

export interface DemoDistrict {
  /** 6 digits for city and district, 9 for a street (街道/镇), 12 for a community (社区/村). */
  code: string;
  name: string;
  level: DistrictLevel;
  parentCode: string | null;
}

export type DemoPhoneKind = 'mobile' | 'landline' | 'sos_device';

export interface DemoPhone {
  /** E.164, unique across the whole data set (persons and contacts). */
  e164: string;
  kind: DemoPhoneKind;
}

export const CONTACT_RELATIONS = [
  '子女', '配偶', '父母', '兄弟姐妹', '孙子女', '其他亲属', '邻居', '社区网格员', '朋友', '机构护理员',
] as const;
export type ContactRelation = (typeof CONTACT_RELATIONS)[number];

export interface DemoContact {
  /** Calling order, 1 first. A guardian, when there is one, is priority 1. */
  priority: number;
  name: string;
  relation: ContactRelation;
  isGuardian: boolean;
  phoneE164: string;
  phoneKind: 'mobile' | 'landline';
  /** Consent to be called or texted when an SOS escalates. */
  notifyOnEmergency: boolean;
}

export interface DemoDevice {
  kind: DeviceKind;
  /** Unique, e.g. `pendant-0001`, `smoke-0042`. */
  serial: string;
  /** Shared by all devices of one home. */
  mode: DeviceMode;
  armed: boolean;
  /** Percent, 0–100. */
  battery: number;
  /** ISO 8601 instant, relative to the reference date. */
  lastHeartbeatAt: string;
  /** SIM number of an SOS pendant (also listed in the owner's `phones` as `sos_device`), else null. */
  phoneE164: string | null;
}

export interface DemoPerson {
  /** Deterministic UUID, usable as the primary key. */
  id: string;
  /** Set on the fixed persons the AMI recordings use (`ami-test-caller`, `ami-burst-01`…, `ami-sos-pendant`). */
  fixture: string | null;
  name: string;
  gender: Gender;
  /** `YYYY-MM-DD` */
  birthDate: string;
  /** Citizen ID: 18 characters, valid checksum, area code = `districtCode.slice(0, 6)`. Plain: encrypt before storing. */
  idNumber: string;
  /** 残疾人证号: 20 characters = idNumber + category + level. Plain: encrypt before storing. */
  certNumber: string;
  disabilityCategory: DisabilityCategory;
  disabilityLevel: DisabilityLevel;
  /** Other categories (never the main one); 2–3 entries for 多重 (7). */
  subDisabilities: DisabilityCategory[];
  livingSituation: LivingSituation;
  riskTier: RiskTier;
  /** The community (12-digit code). */
  districtCode: string;
  address: string;
  lat: number;
  lng: number;
  communicationNeed: CommunicationNeed;
  dialect: string | null;
  /** Plain: encrypt before storing. */
  medicalNotes: string | null;
  /** Numbers owned by the person, including SOS pendant SIMs. May be empty for young children. */
  phones: DemoPhone[];
  /** 1–3, ordered. */
  contacts: DemoContact[];
  devices: DemoDevice[];
}

export interface DemoStaffUser {
  username: string;
  displayName: string;
  role: StaffRole;
  /** `sign_language`, `medical`, `dialect:<name>` (names as in `DEMO_DIALECTS`). */
  skills: string[];
  sipExtension: string | null;
  /** City code for city-wide scope, or a district code. */
  districtCode: string;
}

export interface DemoPersonsOptions {
  seed: number | string;
  /** Total persons including the fixed AMI fixture persons (which come first). */
  count: number;
  /** Persons per yielded batch (default 1000). Does not change the data. */
  batchSize?: number;
  /** `YYYY-MM-DD` that ages and heartbeats are computed from (default `DEMO_REFERENCE_DATE`). */
  referenceDate?: string;
}

export interface DemoData {
  districts: DemoDistrict[];
  staff: DemoStaffUser[];
  persons: DemoPerson[];
}
