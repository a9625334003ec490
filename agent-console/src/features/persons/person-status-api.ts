import { request } from '../../api/http';

export type PersonStatus = 'active' | 'deceased' | 'merged';
export type ConsentKind = 'sensitive_info' | 'notify_contacts';
export type ConsentMethod = 'oral' | 'written' | 'phone_recording';
export const CONSENT_KINDS: ConsentKind[] = ['sensitive_info', 'notify_contacts'];
export const CONSENT_METHODS: ConsentMethod[] = ['oral', 'written', 'phone_recording'];

/** `GET /api/persons/:id/status` (server: `PersonStatusView`). */
export interface PersonStatusView {
  personId: string;
  status: PersonStatus;
  districtCode: string;
  diedOn: string | null;
  mergedIntoId: string | null;
  events: {
    id: string;
    at: string;
    kind: 'moved' | 'deceased' | 'reactivated' | 'merged_into' | 'merged_from';
    actorName: string | null;
    fromDistrictCode: string | null;
    toDistrictCode: string | null;
    otherPerson: { id: string; name: string } | null;
    diedOn: string | null;
    movedRows: Record<string, number> | null;
    note: string;
  }[];
}

export interface ConsentView {
  id: string;
  kind: ConsentKind;
  givenOn: string;
  method: ConsentMethod;
  recordedBy: string | null;
  recordedAt: string;
  withdrawnOn: string | null;
  withdrawalMethod: ConsentMethod | null;
  withdrawnBy: string | null;
  withdrawnAt: string | null;
}

export interface ConsentsView {
  current: Record<ConsentKind, ConsentView | null>;
  history: ConsentView[];
}

const base = (id: string) => `/api/persons/${encodeURIComponent(id)}`;

/** A person's status and consents (issue 8). */
export const personStatusApi = {
  status: (id: string) => request<PersonStatusView>('GET', `${base(id)}/status`),
  recordDeath: (id: string, body: { diedOn: string; note: string }) => request<PersonStatusView>('POST', `${base(id)}/deceased`, body),
  reactivate: (id: string, body: { note: string }) => request<PersonStatusView>('POST', `${base(id)}/reactivate`, body),
  move: (id: string, body: { districtCode: string; note: string }) => request<PersonStatusView>('POST', `${base(id)}/move`, body),
  merge: (id: string, body: { duplicateId: string; note: string }) => request<PersonStatusView>('POST', `${base(id)}/merge`, body),
  consents: (id: string) => request<ConsentsView>('GET', `${base(id)}/consents`),
  giveConsent: (id: string, body: { kind: ConsentKind; givenOn: string; method: ConsentMethod }) => request<ConsentsView>('POST', `${base(id)}/consents`, body),
  withdrawConsent: (id: string, body: { kind: ConsentKind; withdrawnOn: string; method: ConsentMethod }) => request<ConsentsView>('POST', `${base(id)}/consents/withdraw`, body),
};

/** Today as YYYY-MM-DD in the browser's time zone (the default date of a form). */
export function today(): string {
  const d = new Date();
  return `${d.getFullYear()}-${String(d.getMonth() + 1).padStart(2, '0')}-${String(d.getDate()).padStart(2, '0')}`;
}
