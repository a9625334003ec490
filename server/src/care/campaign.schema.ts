import { z } from 'zod';
import { RISK_TIERS } from '../persons/person.entity';
import { CAMPAIGN_REPEATS, QUESTION_TYPES } from './campaign';

const day = z.string().regex(/^\d{4}-\d{2}-\d{2}$/, '日期格式应为 YYYY-MM-DD').refine((d) => !Number.isNaN(Date.parse(`${d}T00:00:00Z`)) && new Date(`${d}T00:00:00Z`).toISOString().startsWith(d), '不存在的日期');
const districtCode = z.string().regex(/^\d{2,12}$/, '区划代码应为 2–12 位数字');

/** Cohort filters; every one narrows the cohort, an absent one does not filter. */
export const cohortFiltersSchema = z
  .object({
    disabilityCategories: z.array(z.number().int().min(1).max(7)).min(1).max(7).optional(),
    disabilityLevels: z.array(z.number().int().min(1).max(4)).min(1).max(4).optional(),
    livingAlone: z.boolean().optional(),
    ageMin: z.number().int().min(0).max(130).optional(),
    ageMax: z.number().int().min(0).max(130).optional(),
    riskTiers: z.array(z.enum(RISK_TIERS)).min(1).max(3).optional(),
    hasSosDevice: z.boolean().optional(),
    /** Not reached (a done task) for more than this many days, or never. */
    lastContactOlderThanDays: z.number().int().min(1).max(3650).optional(),
  })
  .strict()
  .refine((f) => f.ageMin === undefined || f.ageMax === undefined || f.ageMin <= f.ageMax, { message: '最小年龄不能大于最大年龄', path: ['ageMax'] });
export type CohortFilters = z.infer<typeof cohortFiltersSchema>;

const questionId = z.string().regex(/^[a-z][a-z0-9_]{0,29}$/, '问题编号只能是小写字母、数字和下划线');
export const questionSchema = z
  .object({
    id: questionId,
    type: z.enum(QUESTION_TYPES),
    label: z.string().trim().min(1, '请填写问题').max(200),
    required: z.boolean().default(false),
    options: z.array(z.string().trim().min(1).max(50)).min(2).max(10).optional(),
    min: z.number().int().min(0).max(10).optional(),
    max: z.number().int().min(1).max(10).optional(),
  })
  .strict()
  .refine((q) => (q.type === 'single' || q.type === 'multiple') === (q.options !== undefined), { message: '单选和多选题需要 2–10 个选项，其他题型不能带选项', path: ['options'] })
  .refine((q) => !q.options || new Set(q.options).size === q.options.length, { message: '选项不能重复', path: ['options'] })
  .refine((q) => q.type === 'scale' || (q.min === undefined && q.max === undefined), { message: '只有量表题可以设置分值范围', path: ['min'] })
  .refine((q) => q.type !== 'scale' || (q.min ?? 1) < (q.max ?? 5), { message: '量表的最小值必须小于最大值', path: ['max'] });

export const questionsSchema = z
  .array(questionSchema)
  .min(1, '问卷至少需要一个问题')
  .max(30)
  .refine((qs) => new Set(qs.map((q) => q.id)).size === qs.length, { message: '问题编号不能重复' });

export const previewSchema = z.object({ districtCode, filters: cohortFiltersSchema }).strict();

export const createCampaignSchema = z
  .object({
    name: z.string().trim().min(2, '请填写活动名称').max(100),
    districtCode,
    filters: cohortFiltersSchema,
    repeat: z.enum(CAMPAIGN_REPEATS),
    startDay: day,
    endDay: day,
    questions: questionsSchema,
  })
  .strict()
  .refine((c) => c.startDay <= c.endDay, { message: '结束日期不能早于开始日期', path: ['endDay'] });
export type CreateCampaignInput = z.infer<typeof createCampaignSchema>;

/** Edit: the version read (409 when stale); new questions make a new questionnaire version. */
export const updateCampaignSchema = z
  .object({
    version: z.number().int().min(1),
    name: z.string().trim().min(2).max(100).optional(),
    filters: cohortFiltersSchema.optional(),
    endDay: day.optional(),
    questions: questionsSchema.optional(),
  })
  .strict();
export type UpdateCampaignInput = z.infer<typeof updateCampaignSchema>;

export const listCampaignsSchema = z
  .object({
    limit: z.coerce.number().int().min(1).max(200).default(50),
    offset: z.coerce.number().int().min(0).max(1_000_000).default(0),
  })
  .strict();

export const heatWarningSchema = z.object({ districtCode, note: z.string().trim().min(2, '请填写预警说明').max(500) }).strict();

/** Answers keyed by question id, checked against the version asked by `answersProblem`. */
export const answersSchema = z.record(questionId, z.union([z.string().max(1000), z.array(z.string().max(50)).max(10), z.number(), z.boolean()]));

export const emptySchema = z.object({}).strict();
