import { z } from 'zod';
import { CONSENT_KINDS, CONSENT_METHODS } from './person-consent.entity';

const note = z.string().trim().min(2, '请填写说明（至少 2 个字）').max(200, '说明最多 200 个字').regex(/^[^\p{Cc}\p{Cf}]*$/u, '说明不能包含控制字符');
const isoDate = z.iso.date('日期格式应为 YYYY-MM-DD').refine((d) => d >= '1900-01-01', '日期不合理');

/** `POST /api/persons/:id/move`: hand the record over to another district. */
export const moveSchema = z.object({ districtCode: z.string().regex(/^\d{6}(\d{3}(\d{3})?)?$/, '辖区代码应为 6、9 或 12 位数字'), note }).strict();

/** `POST /api/persons/:id/deceased`. */
export const deceasedSchema = z.object({ diedOn: isoDate, note }).strict();

/** `POST /api/persons/:id/reactivate`: correct a death recorded by mistake. */
export const reactivateSchema = z.object({ note }).strict();

/** `POST /api/persons/:id/merge`: `:id` is the survivor, `duplicateId` the record merged into it. */
export const mergeSchema = z.object({ duplicateId: z.string().uuid('duplicateId 必须是 UUID'), note }).strict();

/** `POST /api/persons/:id/consents`. */
export const giveConsentSchema = z.object({ kind: z.enum(CONSENT_KINDS), givenOn: isoDate, method: z.enum(CONSENT_METHODS) }).strict();

/** `POST /api/persons/:id/consents/withdraw`: the consent in force of that kind. */
export const withdrawConsentSchema = z.object({ kind: z.enum(CONSENT_KINDS), withdrawnOn: isoDate, method: z.enum(CONSENT_METHODS) }).strict();
