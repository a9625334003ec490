/**
 * Campaign and event-call rules: questionnaire shapes and answer checking, the festival calendar, birthdays,
 * the heat-warning order, masked names. Pure: no database, no clock (days come in as `YYYY-MM-DD`).
 */
import type { LivingSituation, RiskTier } from '../persons/person.entity';

export const CAMPAIGN_STATUSES = ['draft', 'active', 'paused', 'ended'] as const;
export type CampaignStatus = (typeof CAMPAIGN_STATUSES)[number];

export const CAMPAIGN_REPEATS = ['once', 'weekly', 'monthly'] as const;
export type CampaignRepeat = (typeof CAMPAIGN_REPEATS)[number];

export const QUESTION_TYPES = ['single', 'multiple', 'scale', 'yes_no', 'text'] as const;
export type QuestionType = (typeof QUESTION_TYPES)[number];

/** One typed question. `options` for single/multiple choice; `min`/`max` for a scale. */
export interface Question {
  id: string;
  type: QuestionType;
  label: string;
  required: boolean;
  options?: string[];
  min?: number;
  max?: number;
}

export type AnswerValue = string | string[] | number | boolean;

/**
 * Check answers against the questions of the version asked: every required question answered, each answer
 * of its question's type (an option of the list, a whole number inside the scale …), no unknown keys.
 * Returns the reason in Chinese, or null when the answers fit.
 * @example answersProblem([{ id: 'ok', type: 'yes_no', label: '还好吗', required: true }], { ok: true }) // null
 */
export function answersProblem(questions: readonly Question[], answers: Record<string, unknown>): string | null {
  const byId = new Map(questions.map((q) => [q.id, q]));
  for (const key of Object.keys(answers)) if (!byId.has(key)) return `问卷中没有问题 ${key}`;
  for (const q of questions) {
    const a = answers[q.id];
    if (a === undefined || a === null || a === '' || (Array.isArray(a) && a.length === 0)) {
      if (q.required) return `请回答：${q.label}`;
      continue;
    }
    switch (q.type) {
      case 'single':
        if (typeof a !== 'string' || !q.options?.includes(a)) return `「${q.label}」的答案不是可选项之一`;
        break;
      case 'multiple':
        if (!Array.isArray(a) || a.some((x) => typeof x !== 'string' || !q.options?.includes(x)) || new Set(a).size !== a.length) return `「${q.label}」的答案不是可选项`;
        break;
      case 'scale':
        if (typeof a !== 'number' || !Number.isInteger(a) || a < (q.min ?? 1) || a > (q.max ?? 5)) return `「${q.label}」的分值应在 ${q.min ?? 1}–${q.max ?? 5} 之间`;
        break;
      case 'yes_no':
        if (typeof a !== 'boolean') return `「${q.label}」请回答是或否`;
        break;
      case 'text':
        if (typeof a !== 'string' || a.length > 1000) return `「${q.label}」的回答应为不超过 1000 字的文字`;
        break;
    }
  }
  return null;
}

/** A festival whose day calls every 高风险 and 重点 person with an active plan. */
export interface Festival {
  key: string;
  name: string;
  /** Fixed days (lunar festivals are listed per year), or a rule. */
  days?: readonly string[];
  rule?: { month: number; weekday: number; nth: number };
}

/**
 * The configured festival list: 春节 and 重阳节 follow the lunar calendar (listed per year); 全国助残日 is the
 * third Sunday of May.
 */
export const FESTIVALS: readonly Festival[] = [
  { key: 'spring', name: '春节', days: ['2026-02-17', '2027-02-06', '2028-01-26', '2029-02-13', '2030-02-03'] },
  { key: 'double_ninth', name: '重阳节', days: ['2026-10-18', '2027-10-08', '2028-10-26', '2029-10-16', '2030-10-05'] },
  { key: 'disability_day', name: '全国助残日', rule: { month: 5, weekday: 0, nth: 3 } },
];

/** The tiers a festival call goes to. */
export const FESTIVAL_TIERS: readonly RiskTier[] = ['high', 'key'];

/**
 * The festivals falling on `day`.
 * @example festivalsOn('2026-05-17').map((f) => f.name) // ['全国助残日'] (third Sunday of May 2026)
 */
export function festivalsOn(day: string, list: readonly Festival[] = FESTIVALS): Festival[] {
  const [y, m, d] = day.split('-').map(Number) as [number, number, number];
  return list.filter((f) => {
    if (f.days?.includes(day)) return true;
    if (!f.rule || f.rule.month !== m) return false;
    const firstWeekday = new Date(Date.UTC(y, m - 1, 1)).getUTCDay();
    const first = 1 + ((f.rule.weekday - firstWeekday + 7) % 7);
    return d === first + (f.rule.nth - 1) * 7;
  });
}

/**
 * The birth month-days celebrated on `day`: 29 February is celebrated on 28 February in common years.
 * @example birthdaysOn('2027-02-28') // ['02-28', '02-29']
 */
export function birthdaysOn(day: string): string[] {
  const [y, m, d] = day.split('-').map(Number) as [number, number, number];
  const md = day.slice(5);
  const leap = (y % 4 === 0 && y % 100 !== 0) || y % 400 === 0;
  return m === 2 && d === 28 && !leap ? [md, '02-29'] : [md];
}

/**
 * Work-list rank of a heat-warning call: 高风险 living alone first, then other 高风险, then people living
 * alone, then the rest.
 * @example heatRank('high', 'alone') // 0
 */
export function heatRank(tier: RiskTier, living: LivingSituation | null): number {
  if (tier === 'high') return living === 'alone' ? 0 : 1;
  return living === 'alone' ? 2 : 3;
}

/**
 * A name masked so it cannot be rebuilt from the rest of a preview sample (surname only).
 * @example maskName('王小明') // '王**'
 */
export function maskName(name: string): string {
  const chars = [...name];
  return chars.length <= 1 ? '*' : chars[0] + '*'.repeat(Math.min(chars.length - 1, 3));
}
