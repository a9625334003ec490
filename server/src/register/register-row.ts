import type { DeviceKind } from '../persons/device.entity';
import type { CommunicationNeed, LivingSituation, RiskTier } from '../persons/person.entity';
import { resolveIdentity } from '../persons/person-create.service';
import { normalizePhone } from '../persons/phone-number';
import { AppError } from '../shared/app-error';
import { hasControlCharacters } from '../shared/control-characters';
import { lookup, type RegisterField } from './register-columns';

/** Why a row cannot be imported. Never carries the cell's value: the errors are stored and shown. */
export const ROW_ERROR_CODES = [
  'required',
  'too-long',
  'control-characters',
  'bad-value',
  'bad-date',
  'id-number',
  'certificate',
  'identity-mismatch',
  'district-unknown',
  'phone',
  'duplicate-in-file',
  'duplicate-in-database',
  'device-serial-taken',
] as const;
export type RowErrorCode = (typeof ROW_ERROR_CODES)[number];

export interface RowError {
  /** 1-based line of the sheet (the header is line 1). */
  row: number;
  field: RegisterField | null;
  code: RowErrorCode;
}

/** A row ready to store (plain values; the service encrypts and hashes). */
export interface RegisterRow {
  row: number;
  name: string;
  gender: 'M' | 'F';
  birthDate: string | null;
  idNumber: string | null;
  certNumber: string | null;
  disabilityCategory: number | null;
  disabilityLevel: number | null;
  districtCode: string;
  address: string | null;
  livingSituation: LivingSituation | null;
  riskTier: RiskTier;
  communicationNeed: CommunicationNeed;
  dialect: string | null;
  phones: { e164: string; kind: 'mobile' | 'landline' }[];
  contacts: { name: string; relation: string; phoneE164: string; isGuardian: boolean }[];
  device: { serial: string; kind: DeviceKind; phoneE164: string | null } | null;
}

const MAX_LENGTH: Partial<Record<RegisterField, number>> = { name: 50, address: 200, dialect: 30, contact1Name: 50, contact2Name: 50, contact1Relation: 20, contact2Relation: 20, deviceSerial: 64 };

/**
 * Check one row of the register. Pure: the districts that exist come in as a set.
 * @example parseRegisterRow(2, { name: '王芳', gender: '女', districtCode: '330106001001', phones: '13912345678' }, new Set(['330106001001']))
 */
export function parseRegisterRow(row: number, cells: Partial<Record<RegisterField, string>>, districts: ReadonlySet<string>): { ok: true; value: RegisterRow } | { ok: false; errors: RowError[] } {
  const errors: RowError[] = [];
  const fail = (field: RegisterField | null, code: RowErrorCode) => errors.push({ row, field, code });
  const text: Partial<Record<RegisterField, string>> = {};
  for (const [field, raw] of Object.entries(cells) as [RegisterField, string | undefined][]) {
    const value = (raw ?? '').trim();
    if (!value) continue;
    if (hasControlCharacters(value)) fail(field, 'control-characters');
    else if (value.length > (MAX_LENGTH[field] ?? 100)) fail(field, 'too-long');
    else text[field] = value;
  }
  const pick = <T>(field: RegisterField, map: (v: string) => T | undefined): T | null => {
    const v = text[field];
    if (v === undefined) return null;
    const out = map(v);
    if (out === undefined) {
      fail(field, 'bad-value');
      return null;
    }
    return out;
  };

  if (!text.name && !errors.some((e) => e.field === 'name')) fail('name', 'required');
  const gender = pick('gender', (v) => lookup('gender', v));
  let birthDate = pick('birthDate', (v) => normaliseDate(v));
  if (text.birthDate && birthDate === null && !errors.some((e) => e.field === 'birthDate')) fail('birthDate', 'bad-date');
  const category = pick('disabilityCategory', (v) => lookup('disabilityCategory', v));
  const level = pick('disabilityLevel', (v) => lookup('disabilityLevel', v));
  const livingSituation = pick('livingSituation', (v) => lookup('livingSituation', v));
  const riskTier = pick('riskTier', (v) => lookup('riskTier', v)) ?? 'general';
  const communicationNeed = pick('communicationNeed', (v) => lookup('communicationNeed', v)) ?? 'voice';

  const districtCode = text.districtCode ?? '';
  if (!districtCode) {
    if (!errors.some((e) => e.field === 'districtCode')) fail('districtCode', 'required');
  } else if (!districts.has(districtCode)) fail('districtCode', 'district-unknown');

  const phones: RegisterRow['phones'] = [];
  if (!text.phones) {
    if (!errors.some((e) => e.field === 'phones')) fail('phones', 'required');
  } else {
    for (const raw of text.phones.split(/[;；,，、/\s]+/).filter(Boolean)) {
      const p = normalizePhone(raw);
      if (!p || p.kind === 'service') fail('phones', 'phone');
      else if (!phones.some((x) => x.e164 === p.e164)) phones.push({ e164: p.e164, kind: p.kind === 'landline' ? 'landline' : 'mobile' });
    }
    if (phones.length > 5) fail('phones', 'too-long');
  }

  const contacts: RegisterRow['contacts'] = [];
  for (const n of [1, 2] as const) {
    const name = text[`contact${n}Name`];
    const phone = text[`contact${n}Phone`];
    if (!name && !phone) continue;
    if (!name) fail(`contact${n}Name`, 'required');
    if (!phone) fail(`contact${n}Phone`, 'required');
    const p = phone ? normalizePhone(phone) : null;
    if (phone && (!p || p.kind === 'service')) fail(`contact${n}Phone`, 'phone');
    const guardian = pick(`contact${n}Guardian`, (v) => lookup('yesNo', v));
    if (name && p && p.kind !== 'service') contacts.push({ name, relation: text[`contact${n}Relation`] ?? '联系人', phoneE164: p.e164, isGuardian: guardian ?? false });
  }

  let device: RegisterRow['device'] = null;
  if (text.deviceSerial) {
    const kind = pick('deviceKind', (v) => lookup('deviceKind', v)) ?? 'sos_pendant';
    const p = text.devicePhone ? normalizePhone(text.devicePhone) : null;
    if (text.devicePhone && !p) fail('devicePhone', 'phone');
    device = { serial: text.deviceSerial, kind, phoneE164: p?.e164 ?? null };
  } else if (text.deviceKind || text.devicePhone) fail('deviceSerial', 'required');

  let identity: ReturnType<typeof resolveIdentity> | null = null;
  if (gender || text.idNumber || text.certNumber) {
    try {
      identity = resolveIdentity({ gender: gender ?? undefined, birthDate: birthDate ?? undefined, idNumber: text.idNumber, certNumber: text.certNumber, disabilityCategory: category ?? undefined, disabilityLevel: level ?? undefined });
    } catch (err) {
      if (!(err instanceof AppError)) throw err;
      const path = ((err.details as { path: string }[] | undefined)?.[0]?.path ?? '') as string;
      if (path === 'idNumber') fail('idNumber', 'id-number');
      else if (path === 'certNumber') fail('certNumber', text.certNumber && /不符|mismatch/i.test(err.message) ? 'identity-mismatch' : 'certificate');
      else if (path === 'gender') fail('gender', 'identity-mismatch');
      else if (path === 'birthDate') fail('birthDate', 'identity-mismatch');
      else fail(null, 'bad-value');
    }
  } else fail('gender', 'required');

  if (errors.length || !identity) return { ok: false, errors };
  birthDate = identity.birthDate;
  return {
    ok: true,
    value: {
      row,
      name: text.name!,
      gender: identity.gender,
      birthDate,
      idNumber: identity.idNumber,
      certNumber: identity.certNumber,
      disabilityCategory: identity.category,
      disabilityLevel: identity.level,
      districtCode,
      address: text.address ?? null,
      livingSituation,
      riskTier,
      communicationNeed,
      dialect: text.dialect ?? null,
      phones,
      contacts,
      device,
    },
  };
}

/** `1980-05-17`, `1980/5/17`, `1980.05.17`, `19800517` → `1980-05-17`; a date that does not exist → undefined. */
export function normaliseDate(raw: string): string | undefined {
  const m = /^(\d{4})[-/.年]?(\d{1,2})[-/.月]?(\d{1,2})日?$/.exec(raw.trim());
  if (!m) return undefined;
  const [y, mo, d] = [Number(m[1]), Number(m[2]), Number(m[3])];
  const date = new Date(Date.UTC(y, mo - 1, d));
  if (date.getUTCFullYear() !== y || date.getUTCMonth() !== mo - 1 || date.getUTCDate() !== d || y < 1900) return undefined;
  return `${m[1]}-${String(mo).padStart(2, '0')}-${String(d).padStart(2, '0')}`;
}
