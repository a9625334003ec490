import { z } from 'zod';
import { DEVICE_KINDS, DEVICE_MODES } from './device.entity';
import { COMMUNICATION_NEEDS, LIVING_SITUATIONS, RISK_TIERS } from './person.entity';

/** One line of text: no line breaks (control characters are refused before any route). */
const line = (max: number) => z.string().trim().max(max).regex(/^[^\r\n\u2028\u2029]*$/, '不能包含换行');
const phone = z.string().trim().min(3).max(30);
/** A real calendar date (2026-02-30 is refused here, not by the database with a 500). */
export const isCalendarDate = (d: string): boolean => {
  const t = Date.parse(`${d}T00:00:00Z`);
  return !Number.isNaN(t) && new Date(t).toISOString().slice(0, 10) === d;
};
const version = z.number().int().min(1).max(2_147_483_647);

/**
 * `PATCH /api/persons/:id`: the fields to change (others stay) and the version the editor read (or an
 * `If-Match: "<version>"` header). `null` clears an optional field.
 */
export const editPersonSchema = z
  .object({
    version: version.optional(),
    name: line(50).min(1, '请填写姓名').optional(),
    gender: z.enum(['M', 'F']).optional(),
    birthDate: z.string().regex(/^\d{4}-\d{2}-\d{2}$/, '出生日期格式为 YYYY-MM-DD').refine(isCalendarDate, '出生日期无效').nullable().optional(),
    idNumber: line(30).nullable().optional(),
    certNumber: line(30).nullable().optional(),
    disabilityCategory: z.number().int().min(1).max(7).nullable().optional(),
    disabilityLevel: z.number().int().min(1).max(4).nullable().optional(),
    subDisabilities: z.array(z.number().int().min(1).max(7)).max(7).refine((a) => new Set(a).size === a.length, '残疾类别不能重复').optional(),
    livingSituation: z.enum(LIVING_SITUATIONS).nullable().optional(),
    riskTier: z.enum(RISK_TIERS).optional(),
    communicationNeed: z.enum(COMMUNICATION_NEEDS).optional(),
    dialect: line(30).nullable().optional(),
    address: line(200).nullable().optional(),
    lat: z.number().min(-90).max(90).nullable().optional(),
    lng: z.number().min(-180).max(180).nullable().optional(),
    medicalNotes: z.string().trim().max(2000).nullable().optional(),
  })
  .strict();
export type EditPersonInput = z.infer<typeof editPersonSchema>;

/** `If-Match: "3"` (or `3`, or `W/"3"`) → 3; anything else → undefined. */
export function versionFromIfMatch(header: string | undefined): number | undefined {
  const m = header?.trim().match(/^(?:W\/)?"?(\d{1,9})"?$/);
  return m ? Number(m[1]) : undefined;
}

export const contactSchema = z
  .object({
    name: line(50).min(1, '请填写联系人姓名'),
    relation: line(20).min(1, '请填写关系'),
    phone,
    isGuardian: z.boolean().default(false),
    notifyOnEmergency: z.boolean().default(true),
  })
  .strict();
export type ContactInput = z.infer<typeof contactSchema>;

export const contactPatchSchema = z
  .object({
    name: line(50).min(1).optional(),
    relation: line(20).min(1).optional(),
    phone: phone.optional(),
    isGuardian: z.boolean().optional(),
    notifyOnEmergency: z.boolean().optional(),
  })
  .strict()
  .refine((v) => Object.keys(v).length > 0, '没有要修改的内容');
export type ContactPatch = z.infer<typeof contactPatchSchema>;

/** `PUT /api/persons/:id/contacts/order`: every contact id of the person, in the new emergency order. */
export const contactOrderSchema = z.object({ ids: z.array(z.string().uuid()).min(1).max(50) }).strict();

export const phoneSchema = z
  .object({
    number: phone,
    kind: z.enum(['mobile', 'landline', 'sos_device']).optional(),
    /** The number is another person's too (a shared family landline): add it anyway. */
    confirmShared: z.boolean().default(false),
  })
  .strict();
export type PhoneInput = z.infer<typeof phoneSchema>;

export const deviceSchema = z
  .object({
    kind: z.enum(DEVICE_KINDS),
    serial: z.string().trim().min(3).max(64).regex(/^[A-Za-z0-9][A-Za-z0-9._-]*$/, '序列号只能包含字母、数字、点、下划线和连字符'),
    model: line(64).optional(),
    /** The SIM number of a calling pendant: calls from it skip the IVR as SOS. */
    phone: phone.optional(),
    mode: z.enum(DEVICE_MODES).default('home'),
    armed: z.boolean().default(true),
  })
  .strict();
export type DeviceInput = z.infer<typeof deviceSchema>;

export const devicePatchSchema = z
  .object({ mode: z.enum(DEVICE_MODES).optional(), armed: z.boolean().optional() })
  .strict()
  .refine((v) => v.mode !== undefined || v.armed !== undefined, '没有要修改的内容');
export type DevicePatch = z.infer<typeof devicePatchSchema>;

export const changesQuerySchema = z.object({ limit: z.coerce.number().int().min(1).max(200).default(50) }).strict();

const uuid = z.string().uuid('id 必须是 UUID');
export const contactParams = z.object({ id: uuid, contactId: uuid });
export const phoneParams = z.object({ id: uuid, phoneId: uuid });
export const deviceParams = z.object({ id: uuid, deviceId: uuid });
