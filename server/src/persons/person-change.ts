import { maskCitizenId } from './citizen-id';
import { maskCertificate } from './disability-certificate';
import { maskPhone } from './phone-number';

/**
 * The change history's rules, pure: which profile fields exist, which are sensitive (kept encrypted in
 * `person_change` and shown masked, as on the profile), how two versions of a profile differ, and how a
 * stored value is shown.
 */
export const PROFILE_FIELDS = [
  'name', 'gender', 'birthDate', 'idNumber', 'certNumber', 'disabilityCategory', 'disabilityLevel', 'subDisabilities',
  'livingSituation', 'riskTier', 'communicationNeed', 'dialect', 'address', 'lat', 'lng', 'medicalNotes',
] as const;
export type ProfileField = (typeof PROFILE_FIELDS)[number];

/**
 * Changes of the person's contacts, phones and devices are history rows too (one per add/edit/remove), and so
 * are edits of the visit preferences dispatch reads (`dispatchPref`: the old and new set, with the reason).
 */
export const RECORD_FIELDS = ['contact', 'contactOrder', 'phone', 'primaryPhone', 'device', 'dispatchPref'] as const;
export type RecordField = (typeof RECORD_FIELDS)[number];
export type ChangeField = ProfileField | RecordField;

/** The profile with identifiers and notes in clear (as the edit service sees it inside the transaction). */
export type ProfileValues = Record<ProfileField, unknown>;

/** Fields whose values are encrypted in the history and masked when shown. */
const SENSITIVE: ReadonlySet<ChangeField> = new Set<ChangeField>(['birthDate', 'idNumber', 'certNumber', 'medicalNotes', 'contact', 'phone', 'device']);

export function isSensitive(field: ChangeField): boolean {
  return SENSITIVE.has(field);
}

export interface FieldChange {
  field: ChangeField;
  old: unknown;
  new: unknown;
}

const same = (a: unknown, b: unknown) => JSON.stringify(a ?? null) === JSON.stringify(b ?? null);

/**
 * The fields that differ between two profiles, in PROFILE_FIELDS order.
 * @example diffProfile({ ...p, riskTier: 'general' }, { ...p, riskTier: 'high' }) // [{ field: 'riskTier', old: 'general', new: 'high' }]
 */
export function diffProfile(before: ProfileValues, after: ProfileValues): FieldChange[] {
  return PROFILE_FIELDS.filter((f) => !same(before[f], after[f])).map((f) => ({ field: f, old: before[f] ?? null, new: after[f] ?? null }));
}

/** A contact, phone or device as a history value (numbers in clear: the row is encrypted). */
export interface RecordValue {
  name?: string;
  relation?: string;
  e164?: string | null;
  kind?: string;
  serial?: string;
  model?: string | null;
  mode?: string;
  armed?: boolean;
  retired?: boolean;
  notifyOnEmergency?: boolean;
  isGuardian?: boolean;
}

/**
 * How a stored (decrypted) value is shown in the history: as the profile shows it. The birth date as its
 * year, identifiers masked, medical notes not at all (`'***'` when set), phone numbers masked.
 * @example maskedValue('idNumber', '110101199003070013') // '110***********0013'-style mask
 */
export function maskedValue(field: ChangeField, value: unknown): unknown {
  if (value === null || value === undefined) return null;
  switch (field) {
    case 'birthDate':
      return typeof value === 'string' ? value.slice(0, 4) : null;
    case 'idNumber':
      return typeof value === 'string' ? maskCitizenId(value) : null;
    case 'certNumber':
      return typeof value === 'string' ? maskCertificate(value) : null;
    case 'medicalNotes':
      return '***';
    case 'contact':
    case 'phone':
    case 'device': {
      const v = value as RecordValue;
      return { ...v, e164: undefined, phoneMasked: v.e164 ? maskPhone(v.e164) : null };
    }
    default:
      return value;
  }
}
