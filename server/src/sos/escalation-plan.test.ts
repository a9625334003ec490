import { planEscalation, reachMode, type EscalationSubject, type EscalationTimings, type PlanContact } from './escalation-plan';

const T: EscalationTimings = { agentAnswerSeconds: 30, callbackWaitSeconds: 60, contactIntervalSeconds: 45, responderWaitSeconds: 120, communityWaitSeconds: 180 };
const contact = (over: Partial<PlanContact>): PlanContact => ({ id: over.name ?? 'c', name: '李', relation: '女儿', isGuardian: false, priority: 1, notifyOnEmergency: true, phoneE164: '+8613800000001', ...over });
const daughter = contact({ name: '李女儿', relation: '女儿', isGuardian: true, priority: 1, phoneE164: '+8613800000001' });
const son = contact({ name: '李儿子', relation: '儿子', priority: 2, phoneE164: '+8613800000002' });
const neighbour = contact({ name: '王邻居', relation: '邻居', priority: 3, phoneE164: '+8613800000003' });
const grid = contact({ name: '赵网格', relation: '社区网格员', priority: 4, phoneE164: '+8613800000004' });
const noConsent = contact({ name: '不通知', relation: '朋友', priority: 5, notifyOnEmergency: false, phoneE164: '+8613800000005' });

const subject = (over: Partial<EscalationSubject> = {}): EscalationSubject => ({
  personName: '王秀兰',
  communicationNeed: 'voice',
  disabilityCategory: 4,
  subDisabilities: [],
  silent: false,
  mobiles: ['+8613900000009'],
  voiceNumbers: ['+8613900000001', '+8613900000009'],
  contacts: [grid, son, daughter, neighbour, noConsent],
  communityNumber: '+862088880000',
  canCall: true,
  ...over,
});

const summary = (s: EscalationSubject) => planEscalation(s, T).map((st) => [st.key, st.waitSeconds, st.actions.map((a) => (a.type === 'call' || a.type === 'sms' ? `${a.type}:${a.to.slice(-4)}` : a.type))]);

describe('reachMode', () => {
  it.each<[string, Partial<EscalationSubject>, string]>([
    ['a physically disabled person', { disabilityCategory: 4 }, 'voice'],
    ['a deaf person', { disabilityCategory: 2 }, 'sms'],
    ['a speech-impaired person', { disabilityCategory: 3 }, 'sms'],
    ['an SMS-only person', { communicationNeed: 'sms_only' }, 'sms'],
    ['a sign-language user', { communicationNeed: 'sign_language_video' }, 'sms'],
    ['a person with an intellectual disability', { disabilityCategory: 5 }, 'guardian'],
    ['multiple disabilities including hearing', { disabilityCategory: 7, subDisabilities: [4, 2] }, 'sms'],
    ['multiple disabilities including intellectual', { disabilityCategory: 7, subDisabilities: [2, 5] }, 'guardian'],
    ['someone reached through a guardian', { communicationNeed: 'via_guardian' }, 'guardian'],
  ])('when the SOS comes from %s, then the chain reaches them by %s', (_who, over, mode) => {
    expect(reachMode(subject(over))).toBe(mode);
  });
});

describe('planEscalation', () => {
  it('when a voice user does not answer, then: call back → text family and call the guardian → call the others → responder → community', () => {
    expect(summary(subject())).toEqual([
      ['callback', 30, ['call:0001']],
      ['contacts', 60, ['sms:0001', 'sms:0002', 'sms:0003', 'call:0001']],
      ['contact_call', 45, ['call:0002']],
      ['contact_call', 45, ['call:0003']],
      ['responder', 120, ['responder_job']],
      ['community', 180, ['call:0004', 'sms:0004', 'notify_supervisors']],
    ]);
  });

  it('when the SOS is silent, then the callback also texts the person', () => {
    expect(summary(subject({ silent: true }))[0]).toEqual(['callback', 30, ['call:0001', 'sms:0009']]);
  });

  it('when the person is deaf, then the first step is a text, never a voice call to them', () => {
    const plan = planEscalation(subject({ disabilityCategory: 2 }), T);
    expect(plan[0]!.actions).toEqual([{ type: 'sms', to: '+8613900000009', who: '本人', template: 'person' }]);
    expect(plan[0]!.title).toContain('听力/言语障碍');
    expect(plan.flatMap((s) => s.actions).some((a) => a.type === 'call' && (a.to === '+8613900000001' || a.to === '+8613900000009'))).toBe(false);
  });

  it('when a deaf person has no mobile, then the guardian is called and texted instead', () => {
    expect(summary(subject({ disabilityCategory: 2, mobiles: [] }))[0]).toEqual(['callback', 30, ['call:0001', 'sms:0001']]);
  });

  it('when the person has an intellectual disability, then the guardian comes first and is not texted twice', () => {
    const plan = summary(subject({ disabilityCategory: 5 }));
    expect(plan[0]).toEqual(['callback', 30, ['call:0001', 'sms:0001']]);
    expect(plan[1]).toEqual(['contacts', 60, ['sms:0002', 'sms:0003', 'call:0002']]);
  });

  it('when no PBX is connected, then calls become texts and no calling steps remain', () => {
    const plan = summary(subject({ canCall: false }));
    expect(plan.map((p) => p[0])).toEqual(['callback', 'contacts', 'responder', 'community']);
    expect(plan[0]).toEqual(['callback', 30, ['sms:0009']]);
    expect(plan.flat(2).some((x) => String(x).startsWith('call:'))).toBe(false);
  });

  it('when there is no community contact, then the community duty number is used', () => {
    expect(summary(subject({ contacts: [daughter] })).at(-1)).toEqual(['community', 180, ['call:0000', 'sms:0000', 'notify_supervisors']]);
  });

  it('when nothing is known about the caller, then every step still exists and the chain never stalls', () => {
    const plan = planEscalation(subject({ personName: null, mobiles: [], voiceNumbers: [], contacts: [], communityNumber: null }), T);
    expect(plan.map((p) => p.key)).toEqual(['callback', 'contacts', 'responder', 'community']);
    expect(plan[0]!.title).toContain('无可用联系方式');
    expect(plan[1]!.title).toContain('没有同意接收紧急通知的联系人');
  });

  it('when a contact has not consented, then they are never contacted', () => {
    const all = planEscalation(subject(), T).flatMap((s) => s.actions);
    expect(all.some((a) => 'to' in a && a.to === noConsent.phoneE164)).toBe(false);
  });
});
