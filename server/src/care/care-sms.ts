/**
 * The SMS channel of care calls and 回访 (people who cannot take a voice call): the question texts (short, no
 * name, no order details) and the reply codes. Pure: the service feeds the text and the time.
 */
import { COMMUNICATION_NEEDS, type CommunicationNeed } from '../persons/person.entity';
import { SATISFACTION, type Satisfaction } from '../tickets/ticket';
import { channelFor, type CareTaskKind } from './care';

/** How long a texted question waits for its reply before it counts as an unanswered attempt. */
export const SMS_REPLY_MINUTES = 120;

/** How long after the question a reply is still matched to the task (recorded as late once timed out). */
export const SMS_LATE_DAYS = 7;

/** The communication needs reached by SMS (the channel rule of {@link channelFor}). */
export const SMS_NEEDS: readonly CommunicationNeed[] = COMMUNICATION_NEEDS.filter((n) => channelFor(n) === 'sms');

/**
 * The question a task texts. Care: 1 = 好, 2 = 需要帮助. 回访: 1–5 on the 好差评 scale, optionally Y/N (resolved).
 * @example smsQuestion('care', '12345') // '【安心热线】您好，例行关怀问候：请回复 1 一切都好，回复 2 需要帮助。紧急情况请回复 SOS 或拨打 12345。'
 */
export function smsQuestion(kind: CareTaskKind, hotline: string): string {
  if (kind === 'survey') return `【安心热线】您好，您的服务工单已办结，请回复数字评价：1 非常满意，2 满意，3 基本满意，4 不满意，5 非常不满意；数字后可加 Y（问题已解决）或 N（未解决）。`;
  return `【安心热线】您好，例行关怀问候：请回复 1 一切都好，回复 2 需要帮助。紧急情况请回复 SOS 或拨打 ${hotline}。`;
}

export type SmsAnswer =
  | { kind: 'care'; outcome: 'reached_fine' | 'reached_needs_help' }
  | { kind: 'survey'; satisfaction: Satisfaction; resolved: boolean | null };

/**
 * Read a reply code (full-width digits and letters accepted, spaces ignored); null when it is not one.
 * @example parseSmsReply('survey', '２ y') // { kind: 'survey', satisfaction: 'satisfied', resolved: true }
 * @example parseSmsReply('care', '3') // null
 */
export function parseSmsReply(kind: CareTaskKind, body: string): SmsAnswer | null {
  const text = body.normalize('NFKC').replace(/[\s。．.!！]/g, '').toUpperCase();
  if (kind === 'care') {
    if (text === '1' || text === '好') return { kind: 'care', outcome: 'reached_fine' };
    if (text === '2') return { kind: 'care', outcome: 'reached_needs_help' };
    return null;
  }
  const m = /^([1-5])(Y|N|是|否)?$/.exec(text);
  if (!m) return null;
  const resolved = m[2] === undefined ? null : m[2] === 'Y' || m[2] === '是';
  return { kind: 'survey', satisfaction: SATISFACTION[Number(m[1]) - 1]!, resolved };
}
