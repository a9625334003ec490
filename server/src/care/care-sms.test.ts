import { parseSmsReply, SMS_NEEDS, smsQuestion } from './care-sms';

describe('SMS reply codes', () => {
  it.each([
    ['care', '1', { kind: 'care', outcome: 'reached_fine' }],
    ['care', ' １。', { kind: 'care', outcome: 'reached_fine' }],
    ['care', '好', { kind: 'care', outcome: 'reached_fine' }],
    ['care', '2', { kind: 'care', outcome: 'reached_needs_help' }],
    ['care', '3', null],
    ['care', '12', null],
    ['care', '我腿疼', null],
    ['survey', '1', { kind: 'survey', satisfaction: 'very_satisfied', resolved: null }],
    ['survey', '２ y', { kind: 'survey', satisfaction: 'satisfied', resolved: true }],
    ['survey', '3N', { kind: 'survey', satisfaction: 'basically_satisfied', resolved: false }],
    ['survey', '4否', { kind: 'survey', satisfaction: 'dissatisfied', resolved: false }],
    ['survey', '5', { kind: 'survey', satisfaction: 'very_dissatisfied', resolved: null }],
    ['survey', '6', null],
    ['survey', '0', null],
    ['survey', '', null],
    ['survey', '1Y2', null],
  ] as const)('when a %s task gets %j, then it reads as %j', (kind, body, expected) => {
    expect(parseSmsReply(kind, body)).toEqual(expected);
  });

  it('when the question is texted, then it carries no name or order details and names the codes', () => {
    expect(smsQuestion('care', '12345')).toContain('回复 1 一切都好，回复 2 需要帮助');
    expect(smsQuestion('survey', '12345')).toContain('5 非常不满意');
    expect(SMS_NEEDS).toEqual(['sms_only', 'sign_language_video']);
  });
});
