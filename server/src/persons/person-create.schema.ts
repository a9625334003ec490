import { z } from 'zod';
import { COMMUNICATION_NEEDS, LIVING_SITUATIONS, RISK_TIERS } from './person.entity';
import { isCalendarDate } from './person-edit.schema';

const phone = z.string().trim().min(3).max(30);

/** `POST /api/persons`: a new 服务对象, typically an unknown caller the agent just spoke to. */
export const createPersonSchema = z
  .object({
    name: z.string().trim().min(1, '请填写姓名').max(50),
    gender: z.enum(['M', 'F']).optional(),
    birthDate: z.string().regex(/^\d{4}-\d{2}-\d{2}$/, '出生日期格式为 YYYY-MM-DD').refine(isCalendarDate, '出生日期无效').optional(),
    idNumber: z.string().trim().max(30).optional(),
    certNumber: z.string().trim().max(30).optional(),
    disabilityCategory: z.number().int().min(1).max(7).optional(),
    disabilityLevel: z.number().int().min(1).max(4).optional(),
    livingSituation: z.enum(LIVING_SITUATIONS).optional(),
    riskTier: z.enum(RISK_TIERS).default('general'),
    communicationNeed: z.enum(COMMUNICATION_NEEDS).default('voice'),
    dialect: z.string().trim().max(30).optional(),
    districtCode: z.string().regex(/^\d{6,12}$/, '辖区代码为 6–12 位数字').optional(),
    address: z.string().trim().max(200).optional(),
    medicalNotes: z.string().trim().max(2000).optional(),
    phones: z.array(z.object({ number: phone, kind: z.enum(['mobile', 'landline', 'sos_device']).optional() }).strict()).min(1, '至少填写一个电话号码').max(5),
    contacts: z
      .array(
        z
          .object({
            name: z.string().trim().min(1).max(50),
            relation: z.string().trim().min(1).max(20),
            phone,
            isGuardian: z.boolean().default(false),
            notifyOnEmergency: z.boolean().default(true),
          })
          .strict(),
      )
      .max(5)
      .default([]),
  })
  .strict();
export type CreatePersonInput = z.infer<typeof createPersonSchema>;
