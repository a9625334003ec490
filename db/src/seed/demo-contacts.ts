import type { Gender } from '../../../server/src/persons/citizen-id';
import type { LivingSituation } from '../../../server/src/persons/person.entity';
import type { ContactRelation, DemoContact } from './demo-types';
import { randomFullName, randomSurname } from './demo-names';
import type { PhoneAllocator } from './demo-phones';
import { weighted, type Rng, type WeightedTable } from './prng';

/** Guardian (监护人) and emergency contacts of a demo person, in calling order. */

export interface ContactSubject {
  surname: string;
  gender: Gender;
  birthYear: number;
  age: number;
  referenceYear: number;
  living: LivingSituation;
  needsGuardian: boolean;
}

const COUNT = weighted<number>([[1, 30], [2, 45], [3, 25]]);
const CHILD = weighted<ContactRelation>([['父母', 6], ['其他亲属', 3], ['邻居', 1]]);
const YOUNG_ADULT = weighted<ContactRelation>([['配偶', 4], ['兄弟姐妹', 3], ['父母', 5], ['朋友', 2], ['邻居', 1]]);
const ADULT = weighted<ContactRelation>([['配偶', 5], ['兄弟姐妹', 3], ['子女', 3], ['父母', 1], ['朋友', 2], ['邻居', 1]]);
const ELDER: WeightedTable<ContactRelation> = [
  ['子女', 8], ['配偶', 3], ['孙子女', 1], ['邻居', 2], ['社区网格员', 2], ['其他亲属', 1],
];
const ELDER_ALONE = weighted<ContactRelation>(ELDER.filter(([r]) => r !== '配偶'));
const ELDER_WITH_SPOUSE = weighted<ContactRelation>(ELDER);
const YOUNG_ELDER_ALONE = weighted<ContactRelation>(ELDER.filter(([r]) => r !== '配偶' && r !== '孙子女'));
const YOUNG_ELDER_WITH_SPOUSE = weighted<ContactRelation>(ELDER.filter(([r]) => r !== '孙子女'));
/** Family first, then carers and neighbours (the guardian always leads). */
const CALL_ORDER: readonly ContactRelation[] = [
  '配偶', '子女', '父母', '兄弟姐妹', '孙子女', '其他亲属', '机构护理员', '邻居', '社区网格员', '朋友',
];
/** Relations a person has at most one of. */
const SINGLE: ReadonlySet<ContactRelation> = new Set(['配偶', '社区网格员', '机构护理员']);
const SAME_SURNAME_LINE: ReadonlySet<ContactRelation> = new Set(['兄弟姐妹']);

function relationTable(s: ContactSubject): (rng: Rng) => ContactRelation {
  if (s.age < 18) return CHILD;
  if (s.age < 45) return YOUNG_ADULT;
  if (s.age < 60) return ADULT;
  const single = s.living === 'alone' || s.living === 'care_home';
  if (s.age < 70) return single ? YOUNG_ELDER_ALONE : YOUNG_ELDER_WITH_SPOUSE;
  return single ? ELDER_ALONE : ELDER_WITH_SPOUSE;
}

function guardianRelation(rng: Rng, s: ContactSubject): ContactRelation {
  if (s.age < 55) return '父母';
  return s.living !== 'alone' && rng.chance(0.4) ? '配偶' : '子女';
}

function contactBirthYear(rng: Rng, relation: ContactRelation, s: ContactSubject): number {
  const adultLimit = s.referenceYear - 18;
  switch (relation) {
    case '父母': return s.birthYear - rng.int(22, 35);
    case '子女': return Math.min(adultLimit, s.birthYear + rng.int(22, 35));
    case '孙子女': return Math.min(adultLimit, s.birthYear + rng.int(45, 60));
    case '配偶': return s.birthYear + rng.int(-4, 4);
    case '兄弟姐妹': return s.birthYear + rng.int(-8, 8);
    default: return rng.int(1955, 1998);
  }
}

function contactName(rng: Rng, relation: ContactRelation, gender: Gender, birthYear: number, s: ContactSubject): string {
  let sameSurname = false;
  if (relation === '父母') sameSurname = gender === 'M';
  else if (relation === '子女' || relation === '孙子女') sameSurname = s.gender === 'M' || rng.chance(0.3);
  else if (SAME_SURNAME_LINE.has(relation)) sameSurname = true;
  else if (relation === '其他亲属') sameSurname = rng.chance(0.5);
  return randomFullName(rng, gender, birthYear, sameSurname ? s.surname : randomSurname(rng));
}

/**
 * 1–3 contacts; the guardian first when the subject needs one, then family before carers and neighbours.
 * A parent who would be over 95 becomes a sibling. Everyone in a care home has the home's carer.
 * @example buildContacts(rng, phones, subject); // [{ priority: 1, relation: '子女', isGuardian: false, … }]
 */
export function buildContacts(rng: Rng, phones: PhoneAllocator, s: ContactSubject): DemoContact[] {
  const guardian = s.needsGuardian ? guardianRelation(rng, s) : null;
  const rest: ContactRelation[] = s.living === 'care_home' ? ['机构护理员'] : [];
  const has = (r: ContactRelation) => r === guardian || rest.includes(r);
  const target = Math.max(COUNT(rng), rest.length + (guardian ? 1 : 0));
  const pickRelation = relationTable(s);
  for (let tries = 0; rest.length + (guardian ? 1 : 0) < target && tries < 8; tries++) {
    const r = pickRelation(rng);
    if (!(SINGLE.has(r) && has(r))) rest.push(r);
  }
  rest.sort((a, b) => CALL_ORDER.indexOf(a) - CALL_ORDER.indexOf(b));
  const relations = guardian ? [guardian, ...rest] : rest;
  const guardianFirst = guardian !== null;
  return relations.map((wanted, i): DemoContact => {
    const isGuardian = guardianFirst && i === 0;
    const gender: Gender = rng.chance(0.5) ? 'M' : 'F';
    let relation = wanted;
    let birthYear = contactBirthYear(rng, relation, s);
    if (relation === '父母' && s.referenceYear - birthYear > 95) {
      relation = '兄弟姐妹';
      birthYear = contactBirthYear(rng, relation, s);
    }
    const landline = relation !== '社区网格员' && relation !== '机构护理员' && relation !== '邻居' && rng.chance(0.1);
    return {
      priority: i + 1,
      name: contactName(rng, relation, gender, birthYear, s),
      relation,
      isGuardian,
      phoneE164: landline ? phones.landline(rng) : phones.mobile(rng),
      phoneKind: landline ? 'landline' : 'mobile',
      notifyOnEmergency: isGuardian || rng.chance(0.9),
    };
  });
}
