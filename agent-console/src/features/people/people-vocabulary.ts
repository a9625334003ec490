/**
 * The closed lists the people screens offer (skills, certificates, services), the same words as the dispatch
 * engine's `dispatch/src/vocabulary.ts`, and the editable row shapes of the forms.
 */
export const SKILL_CODES = ['mobility_assist', 'wheelchair_transfer', 'medical_escort', 'meal_delivery', 'cooking', 'companionship', 'sign_language', 'shopping', 'emergency_response', 'recreation', 'outing_escort', 'driving', 'delivery', 'installation'] as const;
export type SkillCode = (typeof SKILL_CODES)[number];
export const CERT_KINDS = ['first_aid', 'nursing', 'driving_licence', 'food_handling', 'sign_language_interpreter'] as const;
export type CertKind = (typeof CERT_KINDS)[number];
export const SERVICE_CODES = ['help_walk', 'medical_escort', 'meals', 'family_visit', 'shopping', 'urgent_help', 'recreation', 'outing', 'order_fulfilment'] as const;
export type ServiceCode = (typeof SERVICE_CODES)[number];
export const WEEKDAYS = [1, 2, 3, 4, 5, 6, 7] as const;
export type Weekday = (typeof WEEKDAYS)[number];

export interface CertRow {
  kind: CertKind;
  validFrom: string;
  expiresOn: string;
}

export interface SlotRow {
  weekday: Weekday;
  from: string;
  to: string;
}

export interface AbsenceRow {
  kind: 'leave' | 'sick';
  /** `YYYY-MM-DD` (from the start of that Shanghai day). */
  from: string;
  /** `YYYY-MM-DD`, inclusive. */
  to: string;
}
