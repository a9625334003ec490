import { parsePhoneNumberFromString, type CountryCode, type NumberType } from 'libphonenumber-js/max';

/**
 * Phone number normalisation for caller-id lookup and storage (E.164).
 *
 * Uses the "max" metadata of libphonenumber-js: the default ("min") metadata validates by length only
 * and cannot tell a mobile from a landline, which the SMS fallback and the phone index need.
 */

export const NORMALIZED_PHONE_KINDS = ['mobile', 'landline', 'service'] as const;
export type NormalizedPhoneKind = (typeof NORMALIZED_PHONE_KINDS)[number];

export interface NormalizedPhone {
  /** `+8613800138000` */
  e164: string;
  kind: NormalizedPhoneKind;
  /** National dialling form, digits only, trunk prefix included: `13800138000`, `057188888888`. */
  national: string;
}

/** Anything a human or a carrier writes around a number; letters (extensions, names) are refused. */
const ALLOWED_CHARS = /^\+?[\d\s\-().]+$/;
const MAX_RAW_LENGTH = 40;

function kindOf(type: NumberType): NormalizedPhoneKind | null {
  switch (type) {
    case 'MOBILE':
    case 'FIXED_LINE_OR_MOBILE': // some regions (US, …) cannot tell; SMS may work, so treat as mobile
      return 'mobile';
    case 'FIXED_LINE':
      return 'landline';
    case 'TOLL_FREE': // 800
    case 'SHARED_COST': // 400
    case 'PREMIUM_RATE':
    case 'UAN':
    case 'VOIP':
    case 'PERSONAL_NUMBER':
    case 'PAGER':
    case 'VOICEMAIL':
      return 'service';
    case undefined:
      return null;
  }
}

/**
 * Normalise a dialled or presented number to E.164 and classify it.
 * Accepts `+86`, `0086`, `86`, a leading trunk `0`, spaces, dashes, dots, parentheses and full-width
 * characters. Returns `null` for anything that is not a valid, complete number (short codes such as
 * 10086 or 110, local landline numbers without area code, text).
 *
 * @example
 * normalizePhone('+86 138-0013-8000'); // { e164: '+8613800138000', kind: 'mobile', national: '13800138000' }
 * normalizePhone('(0571) 8888 8888');  // { e164: '+8657188888888', kind: 'landline', national: '057188888888' }
 * normalizePhone('400-800-1234');      // { e164: '+864008001234', kind: 'service', national: '4008001234' }
 * normalizePhone('10086');             // null
 */
export function normalizePhone(raw: string, defaultRegion: CountryCode = 'CN'): NormalizedPhone | null {
  if (typeof raw !== 'string') return null;
  const text = raw.normalize('NFKC').trim();
  if (text.length === 0 || text.length > MAX_RAW_LENGTH || !ALLOWED_CHARS.test(text)) return null;
  const parsed = parsePhoneNumberFromString(text, defaultRegion);
  if (!parsed || !parsed.isValid()) return null;
  const kind = kindOf(parsed.getType());
  if (!kind) return null;
  return { e164: parsed.number, kind, national: parsed.formatNational().replace(/\D/g, '') };
}

/**
 * Mask a number for display: keep the first group (mobile prefix or area code) and the last four digits.
 * Unparseable input keeps only its last four digits.
 *
 * @example
 * maskPhone('+8613800138000'); // '138****8000'
 * maskPhone('+8657188888888'); // '0571****8888'
 */
export function maskPhone(e164: string): string {
  const parsed = typeof e164 === 'string' ? parsePhoneNumberFromString(e164.normalize('NFKC').trim(), 'CN') : undefined;
  if (!parsed || !parsed.isValid()) {
    const digits = String(e164 ?? '').replace(/\D/g, '');
    return digits.length <= 4 ? '****' : `${'*'.repeat(digits.length - 4)}${digits.slice(-4)}`;
  }
  const formatted = parsed.formatNational();
  const digits = formatted.replace(/\D/g, '');
  const firstGroup = (formatted.match(/^\D*(\d+)/)?.[1] ?? '').length;
  const keepStart = Math.max(0, Math.min(firstGroup, digits.length - 4 - 3)); // hide at least 3 digits
  const hidden = digits.length - keepStart - 4;
  if (hidden < 3) return `${'*'.repeat(Math.max(4, digits.length - 2))}${digits.slice(-2)}`;
  return `${digits.slice(0, keepStart)}${'*'.repeat(hidden)}${digits.slice(keepStart + hidden)}`;
}
