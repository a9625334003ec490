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

/** Why full values are viewed (stored in the audit entry). */
export const REVEAL_PURPOSES = ['emergency_contact', 'identity_verification', 'service_delivery', 'subsidy_application', 'guardian_request', 'other'] as const;
export type RevealPurpose = (typeof REVEAL_PURPOSES)[number];

/** `POST /api/persons/:id/reveal`: a purpose from the list; free text optional, required for `other`. */
export const revealSchema = z
  .object({
    purpose: z.enum(REVEAL_PURPOSES, { message: '请选择查看目的' }),
    detail: z
      .string()
      .trim()
      .max(200)
      .regex(/^[^\p{Cc}]*$/u, '说明不能包含控制字符')
      .optional()
      .transform((v) => v || undefined),
  })
  .strict()
  .refine((v) => v.purpose !== 'other' || (v.detail?.length ?? 0) >= 4, { message: '目的为“其他”时请填写说明（至少 4 个字）', path: ['detail'] });
export type RevealInput = z.infer<typeof revealSchema>;

export const uuidParam = z.object({ id: z.string().uuid('id 必须是 UUID') });
