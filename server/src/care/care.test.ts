import { careOutcomeEffect, channelFor, planCareEscalation, surveyOutcomeEffect } from './care';

const retry = new Date('2026-03-02T03:00:00Z');
const retryUntil = (max: number) => (n: number) => (n < max ? retry : null);

describe('care rules', () => {
  it.each([
    ['voice', 'voice'],
    ['sms_only', 'sms'],
    ['sign_language_video', 'sms'],
    ['via_guardian', 'guardian'],
  ] as const)('when the communication need is %s, then the channel is %s', (need, channel) => {
    expect(channelFor(need)).toBe(channel);
  });

  it.each([
    ['high', 'alone', ['contacts', 'home_visit', 'welfare_check']],
    ['high', 'with_family', ['contacts', 'home_visit']],
    ['key', 'alone', ['contacts', 'home_visit']],
    ['general', null, ['contacts', 'home_visit']],
  ] as const)('when a %s-risk person (%s) is unreached, then the ladder is %j', (riskTier, livingSituation, keys) => {
    expect(planCareEscalation({ riskTier, livingSituation }).map((s) => s.key)).toEqual(keys);
  });

  it('when a care call goes unanswered, then it retries until the policy says no, then escalates', () => {
    expect(careOutcomeEffect('no_answer', 0, retryUntil(3))).toEqual({ status: 'open', retryAt: retry, attempts: 1 });
    expect(careOutcomeEffect('busy', 1, retryUntil(3))).toEqual({ status: 'open', retryAt: retry, attempts: 2 });
    expect(careOutcomeEffect('no_answer', 2, retryUntil(3))).toEqual({ status: 'escalating', attempts: 3 });
    expect(careOutcomeEffect('wrong_number', 0, retryUntil(3))).toEqual({ status: 'escalating', attempts: 1 });
  });

  it.each([
    ['reached_fine', null, false],
    ['refused', null, false],
    ['reached_needs_help', 'needs_help', false],
    ['visit_needed', 'home_visit', false],
    ['deceased_moved', null, true],
  ] as const)('when the outcome is %s, then the task is done, opening %p and closing the plan: %p', (outcome, openOrder, closePlan) => {
    expect(careOutcomeEffect(outcome, 0, retryUntil(3))).toEqual({ status: 'done', attempts: 1, openOrder, closePlan });
  });

  it('when a 回访 is rated, then 不满意 and 非常不满意 send the order to rework and the others do not', () => {
    expect(surveyOutcomeEffect('reached', 'dissatisfied', 0, retryUntil(3))).toEqual({ status: 'done', attempts: 1, rework: true });
    expect(surveyOutcomeEffect('reached', 'very_dissatisfied', 1, retryUntil(3))).toEqual({ status: 'done', attempts: 2, rework: true });
    expect(surveyOutcomeEffect('reached', 'basically_satisfied', 0, retryUntil(3))).toEqual({ status: 'done', attempts: 1, rework: false });
  });

  it('when a 回访 goes unanswered three times, or the number is wrong, or the person refuses, then it is 回访失败', () => {
    expect(surveyOutcomeEffect('no_answer', null, 0, retryUntil(99))).toEqual({ status: 'open', retryAt: retry, attempts: 1 });
    expect(surveyOutcomeEffect('busy', null, 1, retryUntil(99))).toEqual({ status: 'open', retryAt: retry, attempts: 2 });
    expect(surveyOutcomeEffect('no_answer', null, 2, retryUntil(99))).toEqual({ status: 'failed', attempts: 3 });
    expect(surveyOutcomeEffect('wrong_number', null, 0, retryUntil(99))).toEqual({ status: 'failed', attempts: 1 });
    expect(surveyOutcomeEffect('refused', null, 0, retryUntil(99))).toEqual({ status: 'failed', attempts: 1 });
  });
});
