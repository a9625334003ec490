import type { CallerRelation, CallView, ScreenPop, ServiceType, TicketCategory, TicketChannel, TicketPriority } from '../../api/wire';

/** The work-order form's values. */
export interface OrderDraft {
  category: TicketCategory | '';
  serviceType: ServiceType | '';
  priority: TicketPriority;
  callerRelation: CallerRelation;
  channel: TicketChannel;
  summary: string;
  confidential: boolean;
  linkCall: boolean;
}

/** The default IVR menu (ivr/ default flow): 1 life service, 2 orders, 3 emergency, 4 inquiry, 0 agent. */
export const IVR_CATEGORY: Record<string, TicketCategory> = { '1': 'life_service', '2': 'order', '3': 'emergency', '4': 'inquiry' };

/** Emergencies are P0, complaints P1, the rest P2 (the server's own default). */
export function defaultPriority(category: TicketCategory | ''): TicketPriority {
  return category === 'emergency' ? 'P0' : category === 'complaint' ? 'P1' : 'P2';
}

export const EMPTY_DRAFT: OrderDraft = { category: '', serviceType: '', priority: 'P2', callerRelation: 'self', channel: 'phone', summary: '', confidential: false, linkCall: false };

/**
 * A draft filled from the call: category from the IVR choice (or emergency for an SOS), priority by category
 * and raised to P1 for high-risk people, caller relation from whose number it is, the channel, and the call
 * link. `prefilled` says whether anything was guessed (the form tells the agent to check).
 *
 * @example draftFromCall(call, { ...pop, ivrChoice: '3' }).draft.category // 'emergency'
 */
export function draftFromCall(call: CallView | null, pop: ScreenPop | null, chosenIsContact = false): { draft: OrderDraft; prefilled: boolean } {
  if (!call) return { draft: EMPTY_DRAFT, prefilled: false };
  const category: TicketCategory | '' = pop?.isSos ? 'emergency' : (pop?.ivrChoice && IVR_CATEGORY[pop.ivrChoice]) || '';
  let priority = defaultPriority(category);
  if (pop?.person?.riskTier === 'high' && priority > 'P1') priority = 'P1';
  const callerRelation: CallerRelation = pop?.person ? 'self' : chosenIsContact || (pop?.knownAsContactOf.length ?? 0) > 0 ? 'guardian' : 'self';
  const channel: TicketChannel = pop?.isSos ? 'sos_button' : call.direction === 'outbound' ? 'outbound_care' : 'phone';
  const draft: OrderDraft = { ...EMPTY_DRAFT, category, priority, callerRelation, channel, linkCall: true };
  return { draft, prefilled: category !== '' || priority !== 'P2' || callerRelation !== 'self' || channel !== 'phone' };
}

export type DraftErrors = Partial<Record<'category' | 'serviceType' | 'summary', string>>;

/** What must be fixed before saving (messages are i18n keys). */
export function validateDraft(d: OrderDraft): DraftErrors {
  const errors: DraftErrors = {};
  if (!d.category) errors.category = 'ticketForm.categoryRequired';
  if (d.category === 'life_service' && !d.serviceType) errors.serviceType = 'ticketForm.serviceTypeRequired';
  if (d.summary.trim().length < 2) errors.summary = 'ticketForm.summaryRequired';
  return errors;
}
