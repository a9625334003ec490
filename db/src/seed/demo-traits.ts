import type { CommunicationNeed, LivingSituation, RiskTier } from '../../../server/src/persons/person.entity';
import type { DisabilityCategory, DisabilityLevel } from '../../../server/src/persons/disability-certificate';
import { weighted, type Rng } from './prng';

/**
 * Profile traits of demo persons with plausible proportions (category shares roughly as in China's
 * second national sample survey on disability; the population skews old).
 */

/** Dialects persons may speak; agents carry them as `dialect:<name>` skills. */
export const DEMO_DIALECTS = ['杭州话', '萧山话', '绍兴话', '宁波话', '温州话', '四川话', '闽南话', '粤语'] as const;
export type DemoDialect = (typeof DEMO_DIALECTS)[number];

const AGE_BAND = weighted<readonly [number, number]>([
  [[5, 17], 7], [[18, 44], 20], [[45, 59], 23], [[60, 74], 28], [[75, 95], 22],
]);
const CATEGORY = weighted<DisabilityCategory>([[4, 29], [2, 24], [7, 17], [1, 14], [6, 7], [5, 7], [3, 2]]);
const LEVEL = weighted<DisabilityLevel>([[1, 14], [2, 24], [3, 30], [4, 32]]);
const LIVING_OLD = weighted<LivingSituation>([['alone', 20], ['empty_nest', 30], ['with_family', 42], ['care_home', 8]]);
const LIVING_ADULT = weighted<LivingSituation>([['alone', 10], ['empty_nest', 5], ['with_family', 82], ['care_home', 3]]);
const LIVING_CHILD = weighted<LivingSituation>([['with_family', 97], ['care_home', 3]]);
const DIALECT = weighted<DemoDialect>([
  ['杭州话', 35], ['萧山话', 10], ['绍兴话', 12], ['宁波话', 10], ['温州话', 10], ['四川话', 10], ['闽南话', 6], ['粤语', 7],
]);
const MEDICAL = [
  '高血压，长期服用降压药', '2型糖尿病，每日注射胰岛素', '冠心病，随身携带硝酸甘油', '癫痫病史，近一年发作2次',
  '植入心脏起搏器', '青霉素过敏', '使用轮椅，需无障碍通道', '每周二、五血液透析', '阿尔茨海默病早期，易走失',
  '慢性阻塞性肺病，家中备制氧机', '脑卒中后遗症，右侧肢体偏瘫', '长期服用抗精神病药物，需按时提醒', '骨质疏松，有跌倒史',
  '听力设备：双耳助听器', '白内障术后，夜间视物困难',
] as const;

/**
 * Birth date for an age drawn from the (old-skewed) age bands.
 * @example randomBirthDate(rng, '2026-11-22'); // { birthDate: '1951-04-09', age: 75 }
 */
export function randomBirthDate(rng: Rng, referenceDate: string): { birthDate: string; age: number } {
  const [lo, hi] = AGE_BAND(rng);
  const age = rng.int(lo, hi);
  const [y, m, d] = referenceDate.split('-').map(Number) as [number, number, number];
  // the last birthday fell 0–364 days before the reference date
  const ms = Date.UTC(y - age, m - 1, d) - rng.int(0, 364) * 86_400_000;
  return { birthDate: new Date(ms).toISOString().slice(0, 10), age };
}

/**
 * Main category and level, plus sub-disabilities (always 2–3 for 多重, sometimes one otherwise).
 * @example randomDisability(rng); // { category: 7, level: 2, subDisabilities: [1, 2] }
 */
export function randomDisability(rng: Rng): {
  category: DisabilityCategory;
  level: DisabilityLevel;
  subDisabilities: DisabilityCategory[];
} {
  const category = CATEGORY(rng);
  const level = LEVEL(rng);
  const others = ([1, 2, 3, 4, 5, 6] as const).filter((c) => c !== category);
  let subCount = 0;
  if (category === 7) subCount = rng.int(2, 3);
  else if (rng.chance(0.1)) subCount = 1;
  const subDisabilities: DisabilityCategory[] = [];
  while (subDisabilities.length < subCount) {
    const c = rng.pick(others);
    if (!subDisabilities.includes(c)) subDisabilities.push(c);
  }
  return { category, level, subDisabilities: subDisabilities.sort((a, b) => a - b) };
}

/** 独居 / 空巢 / with family / care home, by age. @example randomLiving(rng, 82); // 'alone' */
export function randomLiving(rng: Rng, age: number): LivingSituation {
  if (age < 18) return LIVING_CHILD(rng);
  return age >= 60 ? LIVING_OLD(rng) : LIVING_ADULT(rng);
}

/**
 * Risk tier from a score: severity, living alone, age, cognitive or mental disability.
 * @example riskTierFor(rng, { age: 85, level: 1, living: 'alone', category: 4 }); // 'high'
 */
export function riskTierFor(
  rng: Rng,
  p: { age: number; level: DisabilityLevel; living: LivingSituation; category: DisabilityCategory },
): RiskTier {
  let score = p.level === 1 ? 2 : p.level === 2 ? 1 : 0;
  if (p.living === 'alone') score += 2;
  else if (p.living === 'empty_nest') score += 1;
  else if (p.living === 'care_home') score -= 2;
  if (p.age >= 80) score += 2;
  else if (p.age >= 70) score += 1;
  if (p.category === 5 || p.category === 6 || p.category === 7) score += 1;
  score += rng.next() < 0.1 ? 1 : 0;
  return score >= 5 ? 'high' : score >= 3 ? 'key' : 'general';
}

/**
 * How to reach the person: SMS for many deaf people, guardian for intellectual disability and children.
 * @example communicationFor(rng, { age: 40, category: 5, level: 2 }); // 'via_guardian'
 */
export function communicationFor(
  rng: Rng,
  p: { age: number; category: DisabilityCategory; level: DisabilityLevel },
): CommunicationNeed {
  if (p.age < 12) return 'via_guardian';
  switch (p.category) {
    case 2:
      if (p.level === 4) return rng.chance(0.7) ? 'voice' : 'sms_only';
      return rng.next() < 0.65 ? 'sms_only' : rng.chance(0.7) ? 'sign_language_video' : 'voice';
    case 3:
      return rng.next() < 0.5 ? 'sms_only' : rng.chance(0.4) ? 'via_guardian' : 'voice';
    case 5:
      return p.level <= 3 || rng.chance(0.5) ? 'via_guardian' : 'voice';
    case 6:
      return p.level <= 2 && rng.chance(0.6) ? 'via_guardian' : 'voice';
    case 7:
      return rng.chance(0.3) ? 'via_guardian' : 'voice';
    default:
      return 'voice';
  }
}

/** A dialect for some persons, more often the old. @example randomDialect(rng, 80); // '杭州话' or null */
export function randomDialect(rng: Rng, age: number): DemoDialect | null {
  return rng.chance(age >= 60 ? 0.35 : 0.08) ? DIALECT(rng) : null;
}

/** Free-text medical notes for some persons. @example randomMedicalNotes(rng, 70); // '高血压，长期服用降压药' or null */
export function randomMedicalNotes(rng: Rng, age: number): string | null {
  if (!rng.chance(age >= 65 ? 0.5 : 0.15)) return null;
  const first = rng.pick(MEDICAL);
  const second = rng.chance(0.3) ? rng.pick(MEDICAL) : first;
  return second === first ? first : `${first}；${second}`;
}
