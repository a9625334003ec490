import { qs, request } from './http';
import type {
  AssignBody, CandidateBody, CandidateList, CandidateStatus, CandidateView, CreatedCandidate, FieldActionBody, FieldJobView, FieldSession, JobDetail, JobStatus, JobSummary,
  OfferBody, Page, ProviderBody, ProviderView, VisitPrefsBody, VisitPrefsView, VoiceAnswerBody, VoiceOfferBody, VoiceOfferResult, WithdrawBody,
} from './dispatch-wire';

const id = (value: string) => encodeURIComponent(value);

export interface JobQuery {
  status?: JobStatus;
  open?: boolean;
  limit?: number;
  offset?: number;
}

export interface PeopleQuery {
  q?: string;
  status?: CandidateStatus;
  providerId?: string;
  expiringWithinDays?: number;
  limit?: number;
  offset?: number;
}

/** Dispatch endpoints (docs/dispatch-api.md): the board, offers, and the people who take jobs. */
export const dispatchApi = {
  jobs: (q: JobQuery) => request<Page<JobSummary>>('GET', `/api/dispatch/jobs${qs({ ...q })}`),
  job: (jobId: string) => request<JobDetail>('GET', `/api/dispatch/jobs/${id(jobId)}`),
  candidates: (jobId: string, limit = 10) => request<CandidateList>('GET', `/api/dispatch/jobs/${id(jobId)}/candidates${qs({ limit })}`),
  offer: (jobId: string, body: OfferBody) => request<JobDetail>('POST', `/api/dispatch/jobs/${id(jobId)}/offers`, body),
  assign: (jobId: string, body: AssignBody) => request<JobDetail>('POST', `/api/dispatch/jobs/${id(jobId)}/assign`, body),
  withdraw: (jobId: string, body: WithdrawBody) => request<JobDetail>('POST', `/api/dispatch/jobs/${id(jobId)}/withdraw`, body),
  /** 电话联系: ring the dispatcher's extension, then the candidate (voice offer). */
  voiceOffer: (jobId: string, body: VoiceOfferBody) => request<VoiceOfferResult>('POST', `/api/dispatch/jobs/${id(jobId)}/voice-offers`, body),
  voiceAnswer: (jobId: string, body: VoiceAnswerBody) => request<JobDetail>('POST', `/api/dispatch/jobs/${id(jobId)}/voice-answers`, body),

  providers: (q: PeopleQuery) => request<Page<ProviderView>>('GET', `/api/dispatch/providers${qs({ ...q })}`),
  provider: (providerId: string) => request<ProviderView>('GET', `/api/dispatch/providers/${id(providerId)}`),
  createProvider: (body: ProviderBody) => request<ProviderView>('POST', '/api/dispatch/providers', body),
  updateProvider: (providerId: string, body: Partial<ProviderBody> & { version: number }) => request<ProviderView>('PATCH', `/api/dispatch/providers/${id(providerId)}`, body),

  /** `kind`: `field-workers` or `volunteers` (the same shapes; field workers belong to a provider). */
  people: (kind: PeopleKind, q: PeopleQuery) => request<Page<CandidateView>>('GET', `/api/dispatch/${kind}${qs({ ...q })}`),
  person: (kind: PeopleKind, personId: string) => request<CandidateView>('GET', `/api/dispatch/${kind}/${id(personId)}`),
  createPerson: (kind: PeopleKind, body: CandidateBody) => request<CreatedCandidate>('POST', `/api/dispatch/${kind}`, body),
  updatePerson: (kind: PeopleKind, personId: string, body: Partial<CandidateBody> & { version: number }) => request<CandidateView>('PATCH', `/api/dispatch/${kind}/${id(personId)}`, body),
  resetPin: (kind: PeopleKind, personId: string) => request<{ pin: string }>('POST', `/api/dispatch/${kind}/${id(personId)}/pin`),

  /** A served person's visit preferences (上门服务偏好): read by those who see persons, set by dispatchers and supervisors. */
  visitPrefs: (personId: string) => request<VisitPrefsView>('GET', `/api/persons/${id(personId)}/dispatch-prefs`),
  setVisitPrefs: (personId: string, body: VisitPrefsBody) => request<VisitPrefsView>('PUT', `/api/persons/${id(personId)}/dispatch-prefs`, body),
};

export type PeopleKind = 'field-workers' | 'volunteers';

/** The field page's endpoints: no staff account; the field session rides in a header. */
export const fieldApi = {
  open: (token: string, pin: string) => request<FieldSession>('POST', '/api/field/open', { token, pin }),
  job: (session: string) => request<FieldJobView>('GET', '/api/field/job', undefined, undefined, { 'x-field-session': session }),
  act: (session: string, body: FieldActionBody) => request<FieldJobView>('POST', '/api/field/job/actions', body, undefined, { 'x-field-session': session }),
};
