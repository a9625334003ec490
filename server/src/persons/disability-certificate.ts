import { maskCitizenId, parseCitizenId, type Gender } from './citizen-id';

/**
 * 残疾人证号 (second-generation certificate): the holder's 18-character citizen ID, then the disability
 * category digit, then the level digit — 20 characters in all.
 */

export const DISABILITY_CATEGORIES = {
  1: { key: 'visual', zh: '视力残疾', en: 'Visual' },
  2: { key: 'hearing', zh: '听力残疾', en: 'Hearing' },
  3: { key: 'speech', zh: '言语残疾', en: 'Speech' },
  4: { key: 'physical', zh: '肢体残疾', en: 'Physical' },
  5: { key: 'intellectual', zh: '智力残疾', en: 'Intellectual' },
  6: { key: 'mental', zh: '精神残疾', en: 'Mental' },
  7: { key: 'multiple', zh: '多重残疾', en: 'Multiple' },
} as const;
export type DisabilityCategory = keyof typeof DISABILITY_CATEGORIES;
export type DisabilityCategoryKey = (typeof DISABILITY_CATEGORIES)[DisabilityCategory]['key'];
export const DISABILITY_CATEGORY_CODES = [1, 2, 3, 4, 5, 6, 7] as const satisfies readonly DisabilityCategory[];

/** 1 is the most severe. */
export const DISABILITY_LEVELS = {
  1: { zh: '一级', en: 'Level 1 (most severe)' },
  2: { zh: '二级', en: 'Level 2' },
  3: { zh: '三级', en: 'Level 3' },
  4: { zh: '四级', en: 'Level 4 (mildest)' },
} as const;
export type DisabilityLevel = keyof typeof DISABILITY_LEVELS;
export const DISABILITY_LEVEL_CODES = [1, 2, 3, 4] as const satisfies readonly DisabilityLevel[];

export type CertificateParseResult =
  | {
      ok: true;
      certificate: string;
      citizenId: string;
      category: DisabilityCategory;
      level: DisabilityLevel;
      birthDate: string;
      gender: Gender;
    }
  | { ok: false; code: 'length' | 'citizen_id' | 'category' | 'level'; reason: string };

/** Narrow a number to a category code 1–7. @example isDisabilityCategory(7); // true */
export function isDisabilityCategory(n: number): n is DisabilityCategory {
  return Number.isInteger(n) && n >= 1 && n <= 7;
}

/** Narrow a number to a level 1–4. @example isDisabilityLevel(0); // false */
export function isDisabilityLevel(n: number): n is DisabilityLevel {
  return Number.isInteger(n) && n >= 1 && n <= 4;
}

/**
 * Check and split a certificate number. Spaces are ignored, `x` is read as `X`.
 *
 * @example
 * parseDisabilityCertificate('11010519491231002X42');
 * // { ok: true, certificate: '11010519491231002X42', citizenId: '11010519491231002X', category: 4, level: 2,
 * //   birthDate: '1949-12-31', gender: 'F' }
 * parseDisabilityCertificate('11010519491231002X82');
 * // { ok: false, code: 'category', reason: '残疾类别无效… / invalid disability category 8 (1–7)' }
 */
export function parseDisabilityCertificate(raw: string): CertificateParseResult {
  const s = String(raw ?? '').replace(/\s+/g, '').toUpperCase();
  if (s.length !== 20) {
    return { ok: false, code: 'length', reason: `残疾人证号应为20位 / certificate number must be 20 characters (got ${s.length})` };
  }
  const id = parseCitizenId(s.slice(0, 18));
  if (!id.ok) {
    return { ok: false, code: 'citizen_id', reason: `证号前18位不是有效身份证号：${id.reason}` };
  }
  const category = Number(s[18]);
  if (!/\d/.test(s[18]!) || !isDisabilityCategory(category)) {
    return { ok: false, code: 'category', reason: `残疾类别无效（第19位应为1–7）/ invalid disability category "${s[18]}" (1–7)` };
  }
  const level = Number(s[19]);
  if (!/\d/.test(s[19]!) || !isDisabilityLevel(level)) {
    return { ok: false, code: 'level', reason: `残疾等级无效（第20位应为1–4）/ invalid disability level "${s[19]}" (1–4)` };
  }
  return { ok: true, certificate: s, citizenId: id.citizenId, category, level, birthDate: id.birthDate, gender: id.gender };
}

/**
 * Build a certificate number from a (valid) citizen ID.
 * @example makeCertificateNumber('11010519491231002X', 4, 2); // '11010519491231002X42'
 */
export function makeCertificateNumber(citizenId: string, category: DisabilityCategory, level: DisabilityLevel): string {
  return `${citizenId.toUpperCase()}${category}${level}`;
}

export interface CertificateProfile {
  category: number | null;
  level: number | null;
  birthDate?: string | null;
  gender?: Gender | null;
  /** When given, the certificate must embed exactly this citizen ID. */
  citizenId?: string | null;
}

export interface CertificateMismatch {
  field: 'certificate' | 'category' | 'level' | 'birthDate' | 'gender' | 'citizenId';
  /** From the profile; null for an unreadable certificate. */
  expected: string | number | null;
  /** From the certificate. */
  actual: string | number | null;
  message: string;
}

/**
 * Compare a certificate with the person's profile. An empty list means they agree; an unreadable
 * certificate yields one `certificate` entry. Fields absent from the profile are not checked.
 *
 * @example
 * checkCertificateAgainstProfile('11010519491231002X42', { category: 2, level: 2, gender: 'F' });
 * // [{ field: 'category', expected: 2, actual: 4, message: '残疾类别不一致：档案为听力残疾，证号为肢体残疾 / …' }]
 */
export function checkCertificateAgainstProfile(cert: string, profile: CertificateProfile): CertificateMismatch[] {
  const parsed = parseDisabilityCertificate(cert);
  if (!parsed.ok) return [{ field: 'certificate', expected: null, actual: null, message: parsed.reason }];
  const out: CertificateMismatch[] = [];
  const catLabel = (n: number) => (isDisabilityCategory(n) ? DISABILITY_CATEGORIES[n] : { zh: `类别${n}`, en: `category ${n}` });
  const lvlLabel = (n: number) => (isDisabilityLevel(n) ? DISABILITY_LEVELS[n].zh : `${n}级`);
  if (profile.category != null && profile.category !== parsed.category) {
    const want = catLabel(profile.category);
    const got = DISABILITY_CATEGORIES[parsed.category];
    out.push({
      field: 'category', expected: profile.category, actual: parsed.category,
      message: `残疾类别不一致：档案为${want.zh}，证号为${got.zh} / category mismatch: profile ${want.en}, certificate ${got.en}`,
    });
  }
  if (profile.level != null && profile.level !== parsed.level) {
    out.push({
      field: 'level', expected: profile.level, actual: parsed.level,
      message: `残疾等级不一致：档案为${lvlLabel(profile.level)}，证号为${DISABILITY_LEVELS[parsed.level].zh} / level mismatch: profile ${profile.level}, certificate ${parsed.level}`,
    });
  }
  if (profile.birthDate != null && profile.birthDate !== parsed.birthDate) {
    out.push({
      field: 'birthDate', expected: profile.birthDate, actual: parsed.birthDate,
      message: `出生日期不一致：档案为${profile.birthDate}，证号为${parsed.birthDate} / birth date mismatch`,
    });
  }
  if (profile.gender != null && profile.gender !== parsed.gender) {
    out.push({
      field: 'gender', expected: profile.gender, actual: parsed.gender,
      message: `性别不一致：档案为${profile.gender === 'M' ? '男' : '女'}，证号为${parsed.gender === 'M' ? '男' : '女'} / gender mismatch`,
    });
  }
  if (profile.citizenId != null && profile.citizenId.replace(/\s+/g, '').toUpperCase() !== parsed.citizenId) {
    out.push({
      field: 'citizenId', expected: maskCitizenId(profile.citizenId), actual: maskCitizenId(parsed.citizenId),
      message: '证号与身份证号不一致 / certificate does not embed the profile citizen ID',
    });
  }
  return out;
}

/**
 * Mask for display: only the ID number's last four (also shown by {@link maskCitizenId}) and the category and
 * level digits (also in the profile). Together with the ID mask it reveals no more than the ID mask alone.
 * @example maskCertificate('11010519491231002X42'); // '**************002X42'
 */
export function maskCertificate(cert: string): string {
  const s = String(cert ?? '').replace(/\s+/g, '').toUpperCase();
  if (s.length !== 20) return '*'.repeat(Math.max(4, s.length));
  return `${'*'.repeat(14)}${s.slice(14)}`;
}
