import { z } from 'zod';
import { SATISFACTION } from '../tickets/ticket';
import { CARE_CHANNELS, CARE_OUTCOMES, CARE_TASK_KINDS, SURVEY_OUTCOMES } from './care';
import { CADENCES, windowIsUsable } from './care-recurrence';
import { answersSchema } from './campaign.schema';

const minute = z.number().int().min(0).max(1440);
const day = z.string().regex(/^\d{4}-\d{2}-\d{2}$/, '日期格式应为 YYYY-MM-DD').refine((d) => !Number.isNaN(Date.parse(`${d}T00:00:00Z`)) && new Date(`${d}T00:00:00Z`).toISOString().startsWith(d), '不存在的日期');

/**
 * `PUT /api/care/plans/:personId`: create or change a person's plan. Everything is optional: the defaults come
 * from the person (cadence by risk tier, channel by communication needs, 09:00–18:00 with a 12:00–14:00 rest).
 */
export const savePlanSchema = z
  .object({
    cadence: z.enum(CADENCES).optional(),
    intervalDays: z.number().int().min(1).max(366).optional(),
    startDay: day.optional(),
    windowStart: minute.optional(),
    windowEnd: minute.optional(),
    quietStart: minute.nullable().optional(),
    quietEnd: minute.nullable().optional(),
    channel: z.enum(CARE_CHANNELS).optional(),
    team: z.string().trim().min(1).max(50).nullable().optional(),
    script: z.string().trim().max(2000).nullable().optional(),
    version: z.number().int().min(1).optional(),
  })
  .strict()
  .refine((p) => (p.cadence === 'custom') === (p.intervalDays !== undefined) || (p.cadence === undefined && p.intervalDays === undefined), { message: '自定义周期 (custom) 必须且只能配合 intervalDays', path: ['intervalDays'] })
  .refine((p) => (p.quietStart == null) === (p.quietEnd == null), { message: '免打扰时段需要同时给出开始和结束', path: ['quietEnd'] });
export type SavePlanInput = z.infer<typeof savePlanSchema>;

/** Check the merged window (input over the stored plan) once the defaults are known. */
export function usableWindow(w: { start: number; end: number; quietStart: number | null; quietEnd: number | null }): string | null {
  if (w.start >= w.end) return '呼叫时段的开始必须早于结束';
  if (!windowIsUsable(w)) return '免打扰时段覆盖了整个呼叫时段';
  return null;
}

export const closePlanSchema = z.object({ reason: z.string().trim().min(2, '请填写关闭原因').max(500) }).strict();

export const listPlansSchema = z
  .object({
    limit: z.coerce.number().int().min(1).max(200).default(50),
    offset: z.coerce.number().int().min(0).max(1_000_000).default(0),
  })
  .strict();
export type ListPlansQuery = z.infer<typeof listPlansSchema>;

export const listTasksSchema = z
  .object({
    kind: z.enum(CARE_TASK_KINDS).optional(),
    /** Only tasks due by now (the work list); `false` includes the rest of today and later. */
    dueOnly: z.enum(['true', 'false']).transform((v) => v === 'true').default(true),
    limit: z.coerce.number().int().min(1).max(200).default(50),
    offset: z.coerce.number().int().min(0).max(1_000_000).default(0),
  })
  .strict();
export type ListTasksQuery = z.infer<typeof listTasksSchema>;

export const claimNextSchema = z.object({ kind: z.enum(CARE_TASK_KINDS).optional() }).strict();

const note = z.string().trim().max(1000).optional();

/** `POST /api/care/tasks/:id/outcome` for a care call. */
export const careOutcomeSchema = z
  .object({ outcome: z.enum(CARE_OUTCOMES), note, questionnaireVersion: z.number().int().min(1).max(100000).optional(), answers: answersSchema.optional() })
  .strict().refine((o) => o.outcome !== 'deceased_moved' || (o.note?.length ?? 0) >= 2, { message: '去世/迁出需要填写说明', path: ['note'] });

/** `POST /api/care/tasks/:id/outcome` for a 回访: a reached person gives a rating and says whether it was resolved. */
export const surveyOutcomeSchema = z
  .object({
    outcome: z.enum(SURVEY_OUTCOMES),
    satisfaction: z.enum(SATISFACTION).optional(),
    resolved: z.boolean().optional(),
    comment: z.string().trim().max(1000).optional(),
    note,
  })
  .strict()
  .refine((o) => o.outcome !== 'reached' || (o.satisfaction && o.resolved !== undefined), { message: '接通的回访需要满意度 (satisfaction) 和是否解决 (resolved)', path: ['satisfaction'] })
  .refine((o) => o.outcome === 'reached' || (!o.satisfaction && o.resolved === undefined), { message: '未接通的回访不能带满意度', path: ['satisfaction'] });

/** Either shape; the task's kind decides which one applies. */
export const outcomeSchema = z.union([careOutcomeSchema, surveyOutcomeSchema]);
export type CareOutcomeInput = z.infer<typeof careOutcomeSchema>;
export type SurveyOutcomeInput = z.infer<typeof surveyOutcomeSchema>;
