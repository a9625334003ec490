import { z } from 'zod';
import { ALLOCATION_DESTINATIONS, MONEY_CHANNELS } from '../../../dispatch/src/ledger';
import { normalizePhone } from '../persons/phone-number';
import { SERVICE_TYPES } from '../tickets/ticket';

/** Request schemas of `/api/timebank`, `/api/public/volunteer-*` and `/api/volunteer-portal` (docs/timebank-api.md). */

export const day = z
  .string()
  .regex(/^\d{4}-\d{2}-\d{2}$/, '日期格式应为 YYYY-MM-DD')
  .refine((d) => !Number.isNaN(Date.parse(`${d}T00:00:00Z`)) && new Date(`${d}T00:00:00Z`).toISOString().startsWith(d), '不存在的日期');
const month = z.string().regex(/^\d{4}-(0[1-9]|1[0-2])$/, '月份格式应为 YYYY-MM');
const instant = z.iso.datetime({ offset: true, message: '时间格式应为 ISO 8601（带时区）' }).transform((s) => new Date(s));
const text = (min: number, max: number, what: string) => z.string().trim().min(min, `${what}至少 ${min} 个字`).max(max, `${what}最多 ${max} 个字`);
const districtCode = z.string().regex(/^\d{6,12}$/, '辖区代码应为 6–12 位数字');
const idempotencyKey = z.string().uuid('idempotencyKey 必须是 UUID');
const skill = z.string().trim().min(1).max(32);
/** A Chinese mobile number, stored as E.164. */
export const mobile = z
  .string()
  .max(30)
  .transform((raw, ctx) => {
    const n = normalizePhone(raw);
    if (!n || n.kind !== 'mobile') {
      ctx.addIssue({ code: 'custom', message: '请填写有效的手机号码' });
      return z.NEVER;
    }
    return n.e164;
  });

const limit = z.coerce.number().int().min(1).max(200).default(50);
const offset = z.coerce.number().int().min(0).max(1_000_000).default(0);
export const pageSchema = z.object({ limit, offset }).strict();

export const volunteerParam = z.object({ volunteerId: z.string().uuid('volunteerId 必须是 UUID') }).strict();
export const idParam = (name: string) => z.object({ [name]: z.string().uuid(`${name} 必须是 UUID`) }).strict();
export const emptyBody = z.object({}).strict();
export const reasonBody = z.object({ reason: text(2, 200, '原因') }).strict();

export const listVolunteersSchema = z.object({ q: z.string().trim().max(30).optional(), limit, offset }).strict();
export type ListVolunteersQuery = z.infer<typeof listVolunteersSchema>;


export const trainingSchema = z
  .object({
    course: text(2, 100, '课程'),
    hours: z.number().min(0.5).max(200).refine((h) => Number.isInteger(h * 2), '学时以半小时为单位'),
    completedOn: day,
    organiser: z.string().trim().max(100).optional(),
  })
  .strict();
export type TrainingInput = z.infer<typeof trainingSchema>;

export const yearQuery = z.object({ year: z.coerce.number().int().min(2000).max(2100).optional() }).strict();
export const statementQuery = z.object({ year: z.coerce.number().int().min(2000).max(2100).optional(), limit, offset }).strict();
export type StatementQuery = z.infer<typeof statementQuery>;

export const signupSchema = z
  .object({
    name: text(2, 30, '姓名'),
    phone: mobile,
    districtCode,
    skills: z.array(skill).max(20).optional(),
    availability: z.string().trim().max(200).optional(),
    note: z.string().trim().max(500).optional(),
    consent: z.literal(true, '请阅读并同意个人信息的使用说明'),
  })
  .strict();
export type SignupInput = z.infer<typeof signupSchema>;
export const listSignupsSchema = z.object({ status: z.enum(['pending', 'approved', 'rejected']).optional(), limit, offset }).strict();
export type ListSignupsQuery = z.infer<typeof listSignupsSchema>;
/** Staff complete what dispatch needs of a volunteer: gender and the service area (centre and radius). */
export const approveSignupSchema = z
  .object({ gender: z.enum(['male', 'female']), centreLat: z.number().min(-90).max(90), centreLng: z.number().min(-180).max(180), radiusKm: z.number().gt(0).max(30) })
  .strict();
export type ApproveSignupInput = z.infer<typeof approveSignupSchema>;

export const donateCoinsSchema = z.object({ units: z.number().int().min(1).max(10_000_000), idempotencyKey }).strict();
/** A transfer to a direct relative: exactly one receiver (another volunteer or a person of the register). */
export const transferSchema = z
  .object({
    toVolunteerId: z.string().uuid('toVolunteerId 必须是 UUID').optional(),
    toPersonId: z.string().uuid('toPersonId 必须是 UUID').optional(),
    relation: text(1, 20, '关系'),
    units: z.number().int().min(1).max(10_000_000),
    note: text(2, 200, '说明'),
    idempotencyKey,
  })
  .strict()
  .refine((b) => (b.toVolunteerId === undefined) !== (b.toPersonId === undefined), { message: '请指定一位接收人：toVolunteerId 或 toPersonId（只能一个）', path: ['toVolunteerId'] });
export type TransferInput = z.infer<typeof transferSchema>;
export const confirmJobSchema = z.object({ by: z.literal('recipient'), note: z.string().trim().max(500).optional() }).strict();

export const approvalSchema = z.discriminatedUnion('type', [
  z.object({ type: z.literal('adjust'), volunteerId: z.string().uuid(), units: z.number().int().min(-10_000_000).max(10_000_000).refine((u) => u !== 0, '调整数量不能为 0'), note: text(2, 200, '说明') }).strict(),
  z.object({ type: z.literal('reverse'), transactionId: z.string().trim().min(1).max(80).regex(/^[A-Za-z0-9:_-]+$/, '交易号格式不正确'), note: text(2, 200, '说明') }).strict(),
]);
export type ApprovalBody = z.infer<typeof approvalSchema>;
export const listApprovalsSchema = z.object({ status: z.enum(['pending', 'approved', 'rejected']).optional(), limit, offset }).strict();
export type ListApprovalsQuery = z.infer<typeof listApprovalsSchema>;

export const activitySchema = z
  .object({
    title: text(2, 100, '活动名称'),
    description: z.string().trim().max(2000).optional(),
    districtCode,
    location: text(2, 200, '地点'),
    startsAt: instant,
    endsAt: instant,
    capacity: z.number().int().min(1).max(10_000),
  })
  .strict()
  .refine((a) => a.startsAt < a.endsAt, { message: '结束时间必须晚于开始时间', path: ['endsAt'] });
export type ActivityInput = z.infer<typeof activitySchema>;
export const listActivitiesSchema = z.object({ status: z.enum(['open', 'closed']).optional(), limit, offset }).strict();
export type ListActivitiesQuery = z.infer<typeof listActivitiesSchema>;
export const activitySignupSchema = z.object({ volunteerId: z.string().uuid() }).strict();
export const attendanceSchema = z
  .object({
    lines: z
      .array(
        z.discriminatedUnion('attended', [
          z.object({ volunteerId: z.string().uuid(), attended: z.literal(true), checkInAt: instant, checkOutAt: instant }).strict().refine((l) => l.checkInAt < l.checkOutAt, { message: '签退时间必须晚于签到时间', path: ['checkOutAt'] }),
          z.object({ volunteerId: z.string().uuid(), attended: z.literal(false) }).strict(),
        ]),
      )
      .min(1)
      .max(10_000),
  })
  .strict();
export type AttendanceInput = z.infer<typeof attendanceSchema>;

export const shopItemSchema = z
  .object({
    kind: z.enum(['goods', 'service']),
    name: text(2, 100, '名称'),
    description: z.string().trim().max(1000).optional(),
    priceUnits: z.number().int().min(1).max(10_000_000),
    stock: z.number().int().min(0).max(1_000_000).optional(),
    serviceType: z.enum(SERVICE_TYPES).optional(),
  })
  .strict()
  .refine((i) => (i.kind === 'goods') === (i.stock !== undefined), { message: '实物需要库存 (stock)，服务没有库存', path: ['stock'] })
  .refine((i) => (i.kind === 'service') === (i.serviceType !== undefined), { message: '服务需要服务类型 (serviceType)', path: ['serviceType'] });
export type ShopItemInput = z.infer<typeof shopItemSchema>;
export const shopItemPatchSchema = z
  .object({
    name: text(2, 100, '名称').optional(),
    description: z.string().trim().max(1000).nullable().optional(),
    priceUnits: z.number().int().min(1).max(10_000_000).optional(),
    active: z.boolean().optional(),
    addStock: z.number().int().min(1).max(1_000_000).optional(),
  })
  .strict();
export type ShopItemPatch = z.infer<typeof shopItemPatchSchema>;
export const shopListSchema = z.object({ includeInactive: z.enum(['true', 'false']).transform((v) => v === 'true').optional() }).strict();

export const redeemSchema = z
  .object({ volunteerId: z.string().uuid(), itemId: z.string().uuid(), quantity: z.number().int().min(1).max(20).default(1), idempotencyKey, recipientPersonId: z.string().uuid().optional() })
  .strict();
export type RedeemInput = z.infer<typeof redeemSchema>;
export const portalRedeemSchema = z.object({ itemId: z.string().uuid(), quantity: z.number().int().min(1).max(20).default(1), idempotencyKey }).strict();
export const listRedemptionsSchema = z.object({ volunteerId: z.string().uuid().optional(), status: z.enum(['placed', 'cancelled']).optional(), limit, offset }).strict();
export type ListRedemptionsQuery = z.infer<typeof listRedemptionsSchema>;

export const portalSessionSchema = z.object({ code: z.string().regex(/^[A-Za-z0-9_-]{16,64}$/, '链接无效') }).strict();

export const liabilitySchema = z.object({ from: month.optional(), to: month.optional() }).strict();
export type LiabilityQuery = z.infer<typeof liabilitySchema>;

export const donorSchema = z
  .object({ kind: z.enum(['person', 'organisation']), name: text(2, 100, '名称'), phone: mobile.optional(), contact: z.string().trim().max(100).optional(), districtCode, note: z.string().trim().max(500).optional() })
  .strict();
export type DonorInput = z.infer<typeof donorSchema>;
export const listDonorsSchema = z.object({ q: z.string().trim().max(50).optional(), limit, offset }).strict();

const fen = z.number().int().min(1).max(1_000_000_000_00);
export const giftSchema = z.discriminatedUnion('kind', [
  z
    .object({
      donorId: z.string().uuid(),
      kind: z.literal('goods'),
      receivedOn: day,
      items: z.array(z.object({ name: text(1, 100, '物品名称'), quantity: z.number().int().min(1).max(1_000_000), unitValueFen: z.number().int().min(0).max(1_000_000_00) }).strict()).min(1).max(100),
      note: z.string().trim().max(500).optional(),
    })
    .strict(),
  z
    .object({
      donorId: z.string().uuid(),
      kind: z.literal('money'),
      receivedOn: day,
      amountFen: fen,
      channel: z.enum(MONEY_CHANNELS),
      receiptNo: z.string().trim().min(1, '请填写收据号').max(50).regex(/^[A-Za-z0-9-]+$/, '收据号只能包含字母、数字和连字符'),
      note: z.string().trim().max(500).optional(),
    })
    .strict(),
]);
export type GiftInput = z.infer<typeof giftSchema>;
export const listGiftsSchema = z.object({ donorId: z.string().uuid().optional(), kind: z.enum(['goods', 'money']).optional(), limit, offset }).strict();
export type ListGiftsQuery = z.infer<typeof listGiftsSchema>;
export const allocationSchema = z
  .object({
    destination: z.object({ kind: z.enum(ALLOCATION_DESTINATIONS), id: z.string().uuid() }).strict(),
    itemId: z.string().regex(/^i\d{1,3}$/, '物品编号格式不正确').optional(),
    quantity: z.number().int().min(1).max(1_000_000).optional(),
    amountFen: fen.optional(),
    note: z.string().trim().max(500).optional(),
  })
  .strict()
  .refine((a) => (a.amountFen === undefined) !== (a.quantity === undefined), { message: '物资按数量 (itemId + quantity)、款项按金额 (amountFen) 分配', path: ['quantity'] });
export type AllocationInput = z.infer<typeof allocationSchema>;
export const returnSchema = z
  .object({ quantity: z.number().int().min(1).max(1_000_000).optional(), amountFen: fen.optional(), note: z.string().trim().max(500).optional() })
  .strict()
  .refine((a) => (a.amountFen === undefined) !== (a.quantity === undefined), { message: '退回需要数量或金额之一', path: ['quantity'] });
export type ReturnInput = z.infer<typeof returnSchema>;
export const donationReportSchema = z.object({ from: day.optional(), to: day.optional() }).strict();
