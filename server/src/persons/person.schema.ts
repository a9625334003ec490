import { z } from 'zod';
import { RISK_TIERS } from './person.entity';

export const personSearchSchema = z
  .object({
    q: z.string().trim().min(1).max(50).optional(),
    phone: z.string().trim().min(3).max(30).optional(),
    name: z.string().trim().min(1).max(50).optional(),
    certificate: z
      .string()
      .trim()
      .regex(/^\d{17}[\dXx](\d{2})?$/, '证件号应为 18 位身份证号或 20 位残疾人证号')
      .optional(),
    riskTier: z.enum(RISK_TIERS).optional(),
    districtCode: z.string().regex(/^\d{6,12}$/).optional(),
    purpose: z.string().max(200).optional(),
    limit: z.coerce.number().int().min(1).max(100).default(20),
    offset: z.coerce.number().int().min(0).max(100_000).default(0),
  })
  .strict()
  .refine((v) => v.q || v.phone || v.name || v.certificate || v.riskTier || v.districtCode, {
    message: '至少提供一个查询条件 (q, phone, name, certificate, riskTier, districtCode)',
  });
export type PersonSearch = z.infer<typeof personSearchSchema>;

export const revealSchema = z.object({ reason: z.string().trim().min(4, '请填写查看完整证件号的原因（至少 4 个字）').max(200) }).strict();

export const uuidParam = z.object({ id: z.string().uuid('id 必须是 UUID') });
