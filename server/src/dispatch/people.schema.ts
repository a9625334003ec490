import { z } from 'zod';
import { ABSENCE_KINDS, CANDIDATE_STATUSES, CERTIFICATIONS, SERVICE_CODES, SKILLS } from '../../../dispatch/src';
import { normalizePhone } from '../persons/phone-number';

const day = z.string().regex(/^\d{4}-\d{2}-\d{2}$/, '日期格式应为 YYYY-MM-DD').refine((d) => !Number.isNaN(Date.parse(`${d}T00:00:00Z`)) && new Date(`${d}T00:00:00Z`).toISOString().startsWith(d), '不存在的日期');
const clock = z.string().regex(/^([01]\d|2[0-3]):[0-5]\d$|^24:00$/, '时间格式应为 HH:MM');
const phone = z
  .string()
  .trim()
  .max(30)
  .transform((raw, ctx) => {
    const n = normalizePhone(raw);
    if (!n || n.kind !== 'mobile') {
      ctx.addIssue({ code: 'custom', message: '请填写有效的手机号码' });
      return z.NEVER;
    }
    return n.e164;
  });
const area = z.object({ centre: z.object({ lat: z.number().min(-90).max(90), lng: z.number().min(-180).max(180) }).strict(), radiusKm: z.number().gt(0).max(30) }).strict();
const districtCode = z.string().regex(/^\d{6,12}$/, '辖区代码为 6–12 位数字');

export const providerSchema = z
  .object({
    name: z.string().trim().min(2).max(100),
    creditCode: z.string().trim().toUpperCase().regex(/^[0-9A-HJ-NPQRTUWXY]{2}\d{6}[0-9A-HJ-NPQRTUWXY]{10}$/, '统一社会信用代码为 18 位'),
    contactName: z.string().trim().min(1).max(50),
    contactPhone: phone,
    districtCode,
    services: z.array(z.enum(SERVICE_CODES)).max(SERVICE_CODES.length),
    serviceArea: area,
    status: z.enum(CANDIDATE_STATUSES).optional(),
  })
  .strict();
export const providerPatchSchema = providerSchema.partial().extend({ version: z.number().int().min(1) }).strict();
export type ProviderInput = z.infer<typeof providerSchema>;
export type ProviderPatch = z.infer<typeof providerPatchSchema>;

const certification = z
  .object({ kind: z.enum(CERTIFICATIONS), validFrom: day, expiresOn: day })
  .strict()
  .refine((c) => c.validFrom <= c.expiresOn, { message: '有效期开始不能晚于结束', path: ['expiresOn'] });
const slot = z
  .object({ weekday: z.union([z.literal(1), z.literal(2), z.literal(3), z.literal(4), z.literal(5), z.literal(6), z.literal(7)]), from: clock, to: clock })
  .strict()
  .refine((s) => s.from < s.to, { message: '开始时间须早于结束时间', path: ['to'] });
const absence = z
  .object({ kind: z.enum(ABSENCE_KINDS), from: z.string().datetime({ offset: true }), to: z.string().datetime({ offset: true }) })
  .strict()
  .refine((a) => Date.parse(a.from) < Date.parse(a.to), { message: '开始须早于结束', path: ['to'] });

const candidateFields = {
  name: z.string().trim().min(1).max(50),
  gender: z.enum(['female', 'male']),
  phone,
  districtCode,
  skills: z.array(z.enum(SKILLS)).max(SKILLS.length),
  certifications: z.array(certification).max(20),
  weekly: z.array(slot).max(50),
  absences: z.array(absence).max(50),
  crewSize: z.number().int().min(1).max(4),
  maxConcurrentJobs: z.number().int().min(1).max(20),
  serviceArea: area,
  status: z.enum(CANDIDATE_STATUSES).optional(),
};
export const fieldWorkerSchema = z.object({ ...candidateFields, providerId: z.string().uuid('providerId 必须是 UUID') }).strict();
export const volunteerSchema = z.object({ ...candidateFields, staffUserId: z.string().uuid().nullable().optional() }).strict();
export const fieldWorkerPatchSchema = fieldWorkerSchema.partial().extend({ version: z.number().int().min(1) }).strict();
export const volunteerPatchSchema = volunteerSchema.partial().extend({ version: z.number().int().min(1) }).strict();
export type CandidateInput = z.infer<typeof fieldWorkerSchema> | z.infer<typeof volunteerSchema>;
export type CandidatePatch = Partial<z.infer<typeof fieldWorkerSchema> & z.infer<typeof volunteerSchema>> & { version: number };

export const listPeopleSchema = z
  .object({
    q: z.string().trim().min(1).max(50).optional(),
    status: z.enum(CANDIDATE_STATUSES).optional(),
    providerId: z.string().uuid().optional(),
    skill: z.enum(SKILLS).optional(),
    expiringWithinDays: z.coerce.number().int().min(0).max(366).optional(),
    limit: z.coerce.number().int().min(1).max(200).default(50),
    offset: z.coerce.number().int().min(0).max(1_000_000).default(0),
  })
  .strict();
export type ListPeopleQuery = z.infer<typeof listPeopleSchema>;
export const listProvidersSchema = listPeopleSchema.pick({ q: true, status: true, limit: true, offset: true }).strict();
