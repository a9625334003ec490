import { AppError } from '../shared/app-error';

/**
 * 公民身份号码 (GB 11643-1999): 6-digit area code, 8-digit birth date, 3-digit sequence (odd = male,
 * even = female), 1 check character (0–9 or X) computed with ISO 7064 MOD 11-2.
 */

export type Gender = 'M' | 'F';

/** Weights 2^(17-i) mod 11 for positions 1–17. */
export const CITIZEN_ID_WEIGHTS = [7, 9, 10, 5, 8, 4, 2, 1, 6, 3, 7, 9, 10, 5, 8, 4, 2] as const;
const CHECK_CHARS = '10X98765432';

/** Province-level prefixes of GB/T 2260, plus 83 (Taiwan residents' permits) and 91 (foreigners' permanent residence). */
const PROVINCE_PREFIXES = new Set([
  '11', '12', '13', '14', '15', '21', '22', '23', '31', '32', '33', '34', '35', '36', '37', '41', '42', '43',
  '44', '45', '46', '50', '51', '52', '53', '54', '61', '62', '63', '64', '65', '71', '81', '82', '83', '91',
]);

export type CitizenIdParseResult =
  | { ok: true; citizenId: string; areaCode: string; birthDate: string; gender: Gender; sequence: string }
  | { ok: false; reason: string };

/**
 * The check character for the first 17 digits.
 * @example citizenIdCheckChar('11010519491231002'); // 'X'
 */
export function citizenIdCheckChar(first17: string): string {
  if (!/^\d{17}$/.test(first17)) throw new AppError('validation/invalid', `need 17 digits, got "${first17}"`);
  let sum = 0;
  for (let i = 0; i < 17; i++) sum += (first17.charCodeAt(i) - 48) * CITIZEN_ID_WEIGHTS[i]!;
  return CHECK_CHARS[sum % 11]!;
}

/** `YYYYMMDD` → `YYYY-MM-DD` when it is a real calendar date from 1800 on (GB 11643 itself uses 1880), else null. */
function calendarDate(yyyymmdd: string): string | null {
  const y = Number(yyyymmdd.slice(0, 4));
  const m = Number(yyyymmdd.slice(4, 6));
  const d = Number(yyyymmdd.slice(6, 8));
  if (y < 1800 || m < 1 || m > 12 || d < 1) return null;
  const daysInMonth = new Date(Date.UTC(y, m, 0)).getUTCDate();
  if (d > daysInMonth) return null;
  return `${yyyymmdd.slice(0, 4)}-${yyyymmdd.slice(4, 6)}-${yyyymmdd.slice(6, 8)}`;
}

/**
 * Validate an 18-character citizen ID and read its birth date and gender. Spaces are ignored and a
 * lower-case `x` is accepted. The birth date is not compared with today (that is the caller's clock).
 *
 * @example
 * parseCitizenId('11010519491231002X');
 * // { ok: true, citizenId: '11010519491231002X', areaCode: '110105', birthDate: '1949-12-31', gender: 'F', sequence: '002' }
 * parseCitizenId('110105194912310021'); // { ok: false, reason: '校验位错误 / check character mismatch …' }
 */
export function parseCitizenId(raw: string): CitizenIdParseResult {
  const id = String(raw ?? '').replace(/\s+/g, '').toUpperCase();
  if (id.length !== 18) {
    return { ok: false, reason: `身份证号应为18位 / citizen ID must be 18 characters (got ${id.length})` };
  }
  if (!/^\d{17}[\dX]$/.test(id)) {
    return { ok: false, reason: '身份证号前17位须为数字，末位为数字或X / first 17 must be digits, the last a digit or X' };
  }
  if (!PROVINCE_PREFIXES.has(id.slice(0, 2))) {
    return { ok: false, reason: `地区码无效 / unknown area code ${id.slice(0, 6)}` };
  }
  const birthDate = calendarDate(id.slice(6, 14));
  if (!birthDate) {
    return { ok: false, reason: `出生日期无效 / invalid birth date ${id.slice(6, 14)}` };
  }
  const expected = citizenIdCheckChar(id.slice(0, 17));
  if (id[17] !== expected) {
    return { ok: false, reason: `校验位错误 / check character mismatch (expected ${expected}, got ${id[17]})` };
  }
  const sequence = id.slice(14, 17);
  return { ok: true, citizenId: id, areaCode: id.slice(0, 6), birthDate, gender: Number(sequence[2]) % 2 === 1 ? 'M' : 'F', sequence };
}

/**
 * True when `raw` is a well-formed citizen ID with a correct check character.
 * @example isValidCitizenId('11010519491231002X'); // true
 */
export function isValidCitizenId(raw: string): boolean {
  return parseCitizenId(raw).ok;
}

/**
 * Build a valid citizen ID. The sequence's last digit carries the gender (odd = male).
 * @param areaCode6 six-digit GB/T 2260 code, e.g. `'330102'`
 * @param birthDate `'YYYY-MM-DD'` or `'YYYYMMDD'`
 * @param seq3 0–999 or a three-digit string
 * @throws AppError `validation/invalid` on a malformed part
 * @example makeCitizenId('110105', '1949-12-31', 2); // '11010519491231002X'
 */
export function makeCitizenId(areaCode6: string, birthDate: string, seq3: number | string): string {
  if (!/^\d{6}$/.test(areaCode6) || !PROVINCE_PREFIXES.has(areaCode6.slice(0, 2))) {
    throw new AppError('validation/invalid', `invalid area code "${areaCode6}"`);
  }
  const compact = birthDate.replace(/-/g, '');
  if (!/^\d{8}$/.test(compact) || !calendarDate(compact)) {
    throw new AppError('validation/invalid', `invalid birth date "${birthDate}"`);
  }
  const seq = typeof seq3 === 'number' ? seq3 : Number(seq3);
  if (!Number.isInteger(seq) || seq < 0 || seq > 999 || (typeof seq3 === 'string' && !/^\d{3}$/.test(seq3))) {
    throw new AppError('validation/invalid', `invalid sequence "${seq3}" (0–999)`);
  }
  const first17 = `${areaCode6}${compact}${String(seq).padStart(3, '0')}`;
  return first17 + citizenIdCheckChar(first17);
}

/**
 * Mask for display: area code and last four kept, birth date hidden. Safe only while the response beside it
 * shows no more of the birth date than the year (see `person.service.ts`): with the full date, the area code
 * and the last four, nothing would be left hidden.
 * @example maskCitizenId('11010519491231002X'); // '110105********002X'
 */
export function maskCitizenId(id: string): string {
  const s = String(id ?? '').replace(/\s+/g, '').toUpperCase();
  if (s.length < 10) return '*'.repeat(Math.max(4, s.length));
  return `${s.slice(0, 6)}${'*'.repeat(s.length - 10)}${s.slice(-4)}`;
}
