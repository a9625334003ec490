import type { CommunicationNeed, LivingSituation, RiskTier } from '../../../server/src/persons/person.entity';
import type { Gender } from '../../../server/src/persons/citizen-id';
import type { DisabilityCategory, DisabilityLevel } from '../../../server/src/persons/disability-certificate';
import type { DemoPhone } from './demo-types';

/**
 * The persons behind the numbers in the recorded AMI traffic (server/test/fixtures/ami/README.md).
 * They are always the first persons of a demo data set, with these exact names, numbers and profiles;
 * their contacts, addresses and ID sequence numbers come from the seeded generator.
 */

export const AMI_FIXTURE_NUMBERS = {
  /** CallerID `"Test" <13800138000>`: the inbound, IVR, click-to-call and WebRTC scenarios. */
  testCaller: '+8613800138000',
  /** 13800138001 … 13800138010: the concurrent-burst scenario. */
  burstCallers: Array.from({ length: 10 }, (_, i) => `+86138001380${String(i + 1).padStart(2, '0')}`),
  /** The SIM of SOS pendant `pendant-0001` (AstDB `sos/13900000001`). */
  sosPendant: '+8613900000001',
} as const;
export const AMI_FIXTURE_PENDANT_SERIAL = 'pendant-0001';

export interface FixturePersonSpec {
  fixture: string;
  name: string;
  gender: Gender;
  birthDate: string;
  category: DisabilityCategory;
  level: DisabilityLevel;
  livingSituation: LivingSituation;
  riskTier: RiskTier;
  communicationNeed: CommunicationNeed;
  dialect: string | null;
  medicalNotes: string | null;
  phones: DemoPhone[];
  /** Index into the demo communities (fixed tree), so fixtures live in known places. */
  communityIndex: number;
  /** Gives the person the fixture SOS pendant. */
  sosPendant?: boolean;
}

const BURST: readonly [string, Gender, string, DisabilityCategory, DisabilityLevel, LivingSituation, RiskTier][] = [
  ['李秀英', 'F', '1948-05-02', 4, 3, 'empty_nest', 'key'],
  ['王志强', 'M', '1965-09-18', 1, 2, 'with_family', 'general'],
  ['刘桂兰', 'F', '1939-12-07', 4, 2, 'alone', 'high'],
  ['陈伟', 'M', '1978-03-26', 6, 3, 'with_family', 'key'],
  ['杨丽娟', 'F', '1971-07-14', 4, 4, 'with_family', 'general'],
  ['赵德明', 'M', '1945-01-30', 1, 1, 'empty_nest', 'key'],
  ['黄晓燕', 'F', '1983-11-09', 4, 3, 'with_family', 'general'],
  ['周国平', 'M', '1958-06-21', 2, 4, 'alone', 'key'],
  ['吴淑珍', 'F', '1950-02-11', 4, 2, 'care_home', 'general'],
  ['徐浩然', 'M', '1996-10-03', 3, 4, 'with_family', 'general'],
];

/** The twelve fixed persons, in the order they are generated. */
export const FIXTURE_PERSONS: readonly FixturePersonSpec[] = [
  {
    fixture: 'ami-test-caller', name: '张建国', gender: 'M', birthDate: '1952-03-15', category: 4, level: 2,
    livingSituation: 'empty_nest', riskTier: 'key', communicationNeed: 'voice', dialect: '杭州话',
    medicalNotes: '高血压，长期服用降压药；左下肢截肢，使用假肢',
    phones: [{ e164: AMI_FIXTURE_NUMBERS.testCaller, kind: 'mobile' }], communityIndex: 0,
  },
  ...BURST.map(([name, gender, birthDate, category, level, livingSituation, riskTier], i): FixturePersonSpec => ({
    fixture: `ami-burst-${String(i + 1).padStart(2, '0')}`, name, gender, birthDate, category, level,
    livingSituation, riskTier, communicationNeed: 'voice', dialect: null, medicalNotes: null,
    phones: [{ e164: AMI_FIXTURE_NUMBERS.burstCallers[i]!, kind: 'mobile' }], communityIndex: 3 + i * 11,
  })),
  {
    fixture: 'ami-sos-pendant', name: '王秀兰', gender: 'F', birthDate: '1940-08-20', category: 4, level: 2,
    livingSituation: 'alone', riskTier: 'high', communicationNeed: 'voice', dialect: '杭州话',
    medicalNotes: '冠心病、高血压；2025年跌倒致髋部骨折，行走需助行器',
    phones: [{ e164: AMI_FIXTURE_NUMBERS.sosPendant, kind: 'sos_device' }], communityIndex: 1, sosPendant: true,
  },
];

/** Every number the fixtures own; generated numbers never take one. */
export const FIXTURE_RESERVED_NUMBERS: readonly string[] = FIXTURE_PERSONS.flatMap((p) => p.phones.map((ph) => ph.e164));
