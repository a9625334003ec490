import { z } from 'zod';
import { PRIORITIES, SERVICE_CODES } from '../../../dispatch/src';
import { FIELD_ACTIONS, JOB_STATUSES } from './dispatch-words';

const text = (max: number) => z.string().trim().min(1).max(max);
const lat = z.number().min(-90).max(90);
const lng = z.number().min(-180).max(180);
const instant = z.string().datetime({ offset: true, message: '时间格式应为 ISO 8601' }).transform((s) => new Date(s));

/** `POST /api/dispatch/jobs`. */
export const createJobSchema = z
  .object({
    ticketId: z.string().uuid('ticketId 必须是 UUID'),
    service: z.enum(SERVICE_CODES).optional(),
    task: z.string().trim().regex(/^[a-z][a-z0-9_]{0,39}$/, '任务名称只能是小写字母、数字和下划线').optional(),
    windowStart: instant,
    durationMinutes: z.number().int().min(5).max(24 * 60).optional(),
    locationText: text(200).optional(),
    areaText: text(60).optional(),
    lat: lat.optional(),
    lng: lng.optional(),
    needs: z.string().trim().max(1000).optional(),
    lifeOrProperty: z.boolean().optional(),
    genderPreference: z.enum(['female', 'male']).nullable().optional(),
    twoPersonVisit: z.boolean().optional(),
  })
  .strict()
  .refine((b) => (b.lat === undefined) === (b.lng === undefined), { message: 'lat 与 lng 需同时给出', path: ['lng'] });
export type CreateJobInput = z.infer<typeof createJobSchema>;

export const listJobsSchema = z
  .object({
    status: z.enum(JOB_STATUSES).optional(),
    open: z.enum(['true', 'false']).transform((v) => v === 'true').optional(),
    service: z.enum(SERVICE_CODES).optional(),
    priority: z.enum(PRIORITIES).optional(),
    limit: z.coerce.number().int().min(1).max(200).default(50),
    offset: z.coerce.number().int().min(0).max(1_000_000).default(0),
  })
  .strict();
export type ListJobsQuery = z.infer<typeof listJobsSchema>;

export const candidatesQuerySchema = z.object({ limit: z.coerce.number().int().min(1).max(50).default(10) }).strict();

export const offerSchema = z
  .object({
    candidateIds: z.array(z.string().uuid('candidateIds 必须是 UUID')).min(1).max(50).optional(),
    parallel: z.number().int().min(1).max(10).optional(),
  })
  .strict();
export type OfferInput = z.infer<typeof offerSchema>;

export const assignSchema = z.object({ candidateId: z.string().uuid('candidateId 必须是 UUID') }).strict();
export const withdrawSchema = z.object({ offerId: z.string().uuid('offerId 必须是 UUID').optional() }).strict();
/** `POST /api/dispatch/jobs/:id/voice-offers`: whom to call, by id (the server finds the number). */
export const voiceOfferSchema = z.object({ candidateId: z.string().uuid('candidateId 必须是 UUID') }).strict();
/** `POST /api/dispatch/jobs/:id/voice-answers`: what the candidate said on the phone. */
export const voiceAnswerSchema = z
  .object({
    offerId: z.string().uuid('offerId 必须是 UUID'),
    answer: z.enum(['accepted', 'declined'], { message: 'answer 应为 accepted 或 declined' }),
    note: z.string().trim().max(500).optional(),
  })
  .strict();
export const cancelJobSchema = z.object({ reason: z.string().trim().min(2, '请填写取消原因').max(500) }).strict();

/** `POST /api/field/open`. */
export const fieldOpenSchema = z
  .object({
    token: z.string().regex(/^[A-Za-z0-9_-]{16,64}$/, '链接无效'),
    pin: z.string().regex(/^\d{4,8}$/, 'PIN 为 4–8 位数字'),
  })
  .strict();

/** `POST /api/field/job/actions`. */
export const fieldActionSchema = z
  .object({
    action: z.enum(FIELD_ACTIONS),
    note: z.string().trim().max(1000).optional(),
    reason: z.string().trim().min(2).max(500).optional(),
    position: z.object({ lat, lng, accuracyM: z.number().min(0).max(100_000).optional() }).strict().optional(),
  })
  .strict()
  .refine((b) => b.action !== 'cannot_complete' || !!b.reason, { message: '无法完成时请填写原因', path: ['reason'] });
export type FieldActionInput = z.infer<typeof fieldActionSchema>;

export const fieldSessionHeader = z.string().regex(/^[A-Za-z0-9_-]{20,64}$/);
