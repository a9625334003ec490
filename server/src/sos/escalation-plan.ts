/**
 * The SOS escalation chain for one person: which steps, after how long, reaching whom by what. Pure.
 *
 *   raised ─(agentAnswer s)→ callback ─(callbackWait s)→ contacts ─(contactInterval s)→ next contact …
 *          ─(responderWait s)→ responder job ─(communityWait s)→ community
 *
 * The callback goes by the person's communication needs, so a silent SOS never stalls: deaf and
 * speech-impaired people get an SMS, people with an intellectual disability (or who communicate through a
 * guardian) get their guardian called, everyone else is called back (and texted too when the SOS was silent).
 */
import type { CommunicationNeed } from '../persons/person.entity';
import { maskPhone } from '../persons/phone-number';

export interface EscalationTimings {
  /** An agent must acknowledge within this many seconds of the SOS, or the callback starts. */
  agentAnswerSeconds: number;
  /** After the callback, before the emergency contacts. */
  callbackWaitSeconds: number;
  /** Between calls to successive emergency contacts. */
  contactIntervalSeconds: number;
  /** After the last contact, before a responder job is put up for dispatch. */
  responderWaitSeconds: number;
  /** After the responder job, before the community is brought in. */
  communityWaitSeconds: number;
}

export interface PlanContact {
  id: string;
  name: string;
  relation: string;
  isGuardian: boolean;
  priority: number;
  notifyOnEmergency: boolean;
  phoneE164: string;
}

export interface EscalationSubject {
  personName: string | null;
  communicationNeed: CommunicationNeed;
  disabilityCategory: number | null;
  subDisabilities: number[];
  silent: boolean;
  /** The person's mobiles (can receive SMS), best first. */
  mobiles: string[];
  /** Numbers the person answers by voice (mobiles, landline, the SOS device's SIM), best first. */
  voiceNumbers: string[];
  contacts: PlanContact[];
  /** The district's community duty number (居委会/网格), when configured. */
  communityNumber: string | null;
  /** Whether a PBX is connected: without one, calls are replaced by texts. */
  canCall: boolean;
}

export type ReachMode = 'voice' | 'sms' | 'guardian';

export type StepAction =
  | { type: 'call'; to: string; who: string }
  | { type: 'sms'; to: string; who: string; template: 'person' | 'contact' | 'community' }
  | { type: 'responder_job' }
  | { type: 'notify_supervisors' };

export const STEP_KEYS = ['callback', 'contacts', 'contact_call', 'responder', 'community'] as const;
export type StepKey = (typeof STEP_KEYS)[number];

export interface PlannedStep {
  key: StepKey;
  /** Seconds after the previous step (the first: after the SOS was raised). */
  waitSeconds: number;
  /** For the timeline, Mandarin. */
  title: string;
  actions: StepAction[];
}

const HEARING = 2;
const SPEECH = 3;
const INTELLECTUAL = 5;
const COMMUNITY = /社区|网格|居委|村委|物业/;

/**
 * How the person can be reached when they do not answer an agent.
 * @example reachMode({ communicationNeed: 'voice', disabilityCategory: 2, subDisabilities: [] }) // 'sms'
 */
export function reachMode(s: Pick<EscalationSubject, 'communicationNeed' | 'disabilityCategory' | 'subDisabilities'>): ReachMode {
  const kinds = new Set([s.disabilityCategory, ...s.subDisabilities]);
  if (s.communicationNeed === 'via_guardian' || kinds.has(INTELLECTUAL)) return 'guardian';
  if (s.communicationNeed === 'sms_only' || s.communicationNeed === 'sign_language_video' || kinds.has(HEARING) || kinds.has(SPEECH)) return 'sms';
  return 'voice';
}

const label = (c: PlanContact) => `${c.name}（${c.relation}）`;
const describe = (a: StepAction): string => {
  switch (a.type) {
    case 'call':
      return `呼叫${a.who} ${maskPhone(a.to)}`;
    case 'sms':
      return `短信${a.who} ${maskPhone(a.to)}`;
    case 'responder_job':
      return '转入待派单，派发现场响应';
    case 'notify_supervisors':
      return '通知值班主管';
  }
};

function step(key: StepKey, waitSeconds: number, heading: string, actions: StepAction[], none: string): PlannedStep {
  const body = actions.length ? actions.map(describe).join('；') : none;
  return { key, waitSeconds, title: `${heading}：${body}`, actions };
}

/**
 * The steps, in order. Contacts without consent to be notified are left out; community contacts
 * (网格员, 居委会 …) are kept for the last step.
 * @example planEscalation(subject, timings)[0] // { key: 'callback', waitSeconds: 30, title: '自动回拨本人：呼叫本人 138****8000', … }
 */
export function planEscalation(s: EscalationSubject, t: EscalationTimings): PlannedStep[] {
  const consenting = s.contacts.filter((c) => c.notifyOnEmergency).sort((a, b) => Number(b.isGuardian) - Number(a.isGuardian) || a.priority - b.priority);
  const family = consenting.filter((c) => !COMMUNITY.test(c.relation));
  const community = consenting.filter((c) => COMMUNITY.test(c.relation));
  const guardian = family.find((c) => c.isGuardian) ?? family[0];
  const called = new Set<string>();
  const texted = new Set<string>();
  const call = (to: string, who: string): StepAction[] => (s.canCall ? (called.add(to), [{ type: 'call', to, who }]) : []);
  const sms = (to: string, who: string, template: 'person' | 'contact' | 'community'): StepAction[] => (texted.add(to), [{ type: 'sms', to, who, template }]);

  const mode = reachMode(s);
  let callback: StepAction[] = [];
  if (mode === 'voice' && s.voiceNumbers[0] && s.canCall) {
    callback = [...call(s.voiceNumbers[0], '本人'), ...(s.silent && s.mobiles[0] ? sms(s.mobiles[0], '本人', 'person') : [])];
  } else if (mode !== 'guardian' && s.mobiles[0]) {
    callback = sms(s.mobiles[0], '本人', 'person');
  }
  if (!callback.length && guardian) callback = [...call(guardian.phoneE164, `监护人${label(guardian)}`), ...sms(guardian.phoneE164, `监护人${label(guardian)}`, 'contact')];
  const heading = mode === 'guardian' ? '联系监护人' : mode === 'sms' ? '短信联系本人（听力/言语障碍）' : '自动回拨本人';
  const steps = [step('callback', t.agentAnswerSeconds, heading, callback, '无可用联系方式，跳过')];

  const toText = family.filter((c) => !texted.has(c.phoneE164));
  const toCall = family.filter((c) => !called.has(c.phoneE164));
  const [firstCall, ...laterCalls] = s.canCall ? toCall : [];
  steps.push(
    step(
      'contacts',
      t.callbackWaitSeconds,
      '通知紧急联系人',
      [...toText.flatMap((c) => sms(c.phoneE164, label(c), 'contact')), ...(firstCall ? call(firstCall.phoneE164, label(firstCall)) : [])],
      '没有同意接收紧急通知的联系人',
    ),
  );
  for (const c of laterCalls) steps.push(step('contact_call', t.contactIntervalSeconds, '依次呼叫紧急联系人', call(c.phoneE164, label(c)), ''));

  steps.push(step('responder', t.responderWaitSeconds, '派发现场响应任务', [{ type: 'responder_job' }], ''));
  const communityTargets: { to: string; who: string }[] = community.length ? community.map((c) => ({ to: c.phoneE164, who: label(c) })) : s.communityNumber ? [{ to: s.communityNumber, who: '社区值班电话' }] : [];
  steps.push(
    step(
      'community',
      t.communityWaitSeconds,
      '联系社区',
      [...communityTargets.flatMap((c) => [...call(c.to, c.who), ...sms(c.to, c.who, 'community')]), { type: 'notify_supervisors' }],
      '',
    ),
  );
  return steps;
}
