/**
 * Care and 回访 rules: task kinds and states, outcomes and what each one does, the channel a person is
 * reached by, and the no-answer escalation ladder. Pure: the service feeds facts and the time.
 */
import type { CommunicationNeed, LivingSituation, RiskTier } from '../persons/person.entity';
import type { Satisfaction } from '../tickets/ticket';

/** `campaign`: a campaign's call; `event`: birthday, festival or heat-warning call (see campaign.ts). */
export const CARE_TASK_KINDS = ['care', 'survey', 'campaign', 'event'] as const;
export type CareTaskKind = (typeof CARE_TASK_KINDS)[number];

/** open (due or waiting for a retry; claimable) → done | failed | escalating (no answer) → done. */
export const CARE_TASK_STATUSES = ['open', 'escalating', 'done', 'failed', 'cancelled'] as const;
export type CareTaskStatus = (typeof CARE_TASK_STATUSES)[number];

export const CARE_CHANNELS = ['voice', 'sms', 'guardian'] as const;
export type CareChannel = (typeof CARE_CHANNELS)[number];

export const CARE_OUTCOMES = [
  'reached_fine',
  'reached_needs_help', // opens a work order
  'no_answer',
  'busy',
  'wrong_number',
  'refused',
  'visit_needed', // opens a 待派单 home-visit order
  'deceased_moved', // closes the plan with a reason
] as const;
export type CareOutcome = (typeof CARE_OUTCOMES)[number];

export const SURVEY_OUTCOMES = ['reached', 'no_answer', 'busy', 'wrong_number', 'refused'] as const;
export type SurveyOutcome = (typeof SURVEY_OUTCOMES)[number];

/** Outcomes that count as an unanswered attempt (retry, then escalate or 回访失败). */
export const UNREACHED: readonly string[] = ['no_answer', 'busy'];

/** How long a claim holds a task for one agent. */
export const LEASE_MINUTES = 10;

/** How many unanswered 回访 attempts (at different times) make it 回访失败. */
export const SURVEY_MAX_ATTEMPTS = 3;

/** The ratings that send the order back for rework (重办). */
export const DISSATISFIED: readonly Satisfaction[] = ['dissatisfied', 'very_dissatisfied'];

/**
 * The channel by communication needs: SMS for people who cannot take a voice call, the guardian for people who
 * communicate through one (intellectual disability), voice otherwise.
 * @example channelFor('sms_only') // 'sms'
 */
export function channelFor(need: CommunicationNeed): CareChannel {
  if (need === 'sms_only' || need === 'sign_language_video') return 'sms';
  if (need === 'via_guardian') return 'guardian';
  return 'voice';
}

export type EscalationStepKey = 'contacts' | 'home_visit' | 'welfare_check';

export interface EscalationStep {
  key: EscalationStepKey;
  /** Minutes after the previous step (the first: after the last unanswered attempt). */
  waitMinutes: number;
  title: string;
}

/**
 * The ladder after the attempts are used up: emergency contacts → home visit (a 待派单 work order) → for a
 * 高风险 person living alone, a P0 welfare check (a missed check-in is an emergency).
 * @example planCareEscalation({ riskTier: 'high', livingSituation: 'alone' }).map((s) => s.key) // ['contacts', 'home_visit', 'welfare_check']
 */
export function planCareEscalation(p: { riskTier: RiskTier; livingSituation: LivingSituation | null }, waits = { homeVisitMinutes: 30, welfareCheckMinutes: 30 }): EscalationStep[] {
  const steps: EscalationStep[] = [
    { key: 'contacts', waitMinutes: 0, title: '多次未接通：通知紧急联系人' },
    { key: 'home_visit', waitMinutes: waits.homeVisitMinutes, title: '仍未联系上：生成上门探访工单（待派单）' },
  ];
  if (p.riskTier === 'high' && p.livingSituation === 'alone') steps.push({ key: 'welfare_check', waitMinutes: waits.welfareCheckMinutes, title: '高风险独居对象失联：P0 紧急探视' });
  return steps;
}

/** What recording an outcome does to a care task. */
export type CareOutcomeEffect =
  | { status: 'open'; retryAt: Date; attempts: number }
  | { status: 'escalating'; attempts: number }
  | { status: 'done'; attempts: number; openOrder: 'needs_help' | 'home_visit' | null; closePlan: boolean }
  | { status: 'failed'; attempts: number };

/**
 * Decide a care call's outcome. `retryAt` is where the retry policy puts the next attempt (null when the
 * attempts are used up).
 * @example careOutcomeEffect('no_answer', 0, retry) // { status: 'open', retryAt: retry, attempts: 1 }
 */
export function careOutcomeEffect(outcome: CareOutcome, attemptsBefore: number, retryAt: (attemptsMade: number) => Date | null): CareOutcomeEffect {
  const attempts = attemptsBefore + 1;
  switch (outcome) {
    case 'no_answer':
    case 'busy': {
      const at = retryAt(attempts);
      return at ? { status: 'open', retryAt: at, attempts } : { status: 'escalating', attempts };
    }
    case 'wrong_number':
      // The number on file is wrong: somebody still has to reach the person.
      return { status: 'escalating', attempts };
    case 'reached_fine':
    case 'refused':
      return { status: 'done', attempts, openOrder: null, closePlan: false };
    case 'reached_needs_help':
      return { status: 'done', attempts, openOrder: 'needs_help', closePlan: false };
    case 'visit_needed':
      return { status: 'done', attempts, openOrder: 'home_visit', closePlan: false };
    case 'deceased_moved':
      return { status: 'done', attempts, openOrder: null, closePlan: true };
  }
}

/** What recording a 回访 outcome does. */
export type SurveyOutcomeEffect =
  | { status: 'open'; retryAt: Date; attempts: number }
  | { status: 'failed'; attempts: number }
  | { status: 'done'; attempts: number; rework: boolean };

/**
 * Decide a 回访 outcome: a rating closes it (不满意 / 非常不满意 → rework); unreached three times at different
 * times, a wrong number or a refusal is 回访失败 (never counted as satisfied).
 * @example surveyOutcomeEffect('reached', 'dissatisfied', 0, retry) // { status: 'done', attempts: 1, rework: true }
 */
export function surveyOutcomeEffect(outcome: SurveyOutcome, satisfaction: Satisfaction | null, attemptsBefore: number, retryAt: (attemptsMade: number) => Date | null): SurveyOutcomeEffect {
  const attempts = attemptsBefore + 1;
  if (outcome === 'reached') return { status: 'done', attempts, rework: satisfaction !== null && DISSATISFIED.includes(satisfaction) };
  if (UNREACHED.includes(outcome)) {
    const at = attempts < SURVEY_MAX_ATTEMPTS ? retryAt(attempts) : null;
    return at ? { status: 'open', retryAt: at, attempts } : { status: 'failed', attempts };
  }
  return { status: 'failed', attempts };
}
