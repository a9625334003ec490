/**
 * The closed lists the people screens offer (skills, certificates, services: the wire's lists, the same words as
 * the dispatch engine's) and the editable row shapes of the forms.
 */
import { CERTIFICATION_KINDS, DISPATCH_SERVICES, DISPATCH_SKILLS, type CertificationKind, type DispatchService, type DispatchSkill } from '../../api/dispatch-wire';

export const SKILL_CODES = DISPATCH_SKILLS;
export type SkillCode = DispatchSkill;
export const CERT_KINDS = CERTIFICATION_KINDS;
export type CertKind = CertificationKind;
export const SERVICE_CODES = DISPATCH_SERVICES;
export type ServiceCode = DispatchService;
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
