import { qs, request } from './http';
import type {
  CallRow, CreateTicketBody, DialAccepted, District, Health, LoginResponse, PersonDetail, PersonSummary, RevealedIdentifiers,
  Satisfaction, SoftphoneSettings, Ticket, TicketAction, TicketCategory, TicketDetail, TicketPriority, TicketStatus, User, PresenceView,
} from './wire';

/** Every server endpoint the console uses, typed. */
export const api = {
  login: (username: string, password: string) => request<LoginResponse>('POST', '/api/auth/login', { username, password }),
  logout: () => request<void>('POST', '/api/auth/logout'),
  me: () => request<{ user: User; mustChangePassword: boolean }>('GET', '/api/auth/me'),
  changePassword: (currentPassword: string, newPassword: string) => request<void>('POST', '/api/auth/password', { currentPassword, newPassword }),
  health: () => request<Health>('GET', '/api/health'),

  searchPersons: (q: string, signal?: AbortSignal) => request<{ items: PersonSummary[]; total: number }>('GET', `/api/persons${qs({ q, limit: 20 })}`, undefined, signal),
  personsByPhone: (phone: string) => request<{ items: PersonSummary[]; total: number }>('GET', `/api/persons${qs({ phone, limit: 10 })}`),
  person: (id: string, purpose?: string) => request<PersonDetail>('GET', `/api/persons/${encodeURIComponent(id)}${qs({ purpose })}`),
  reveal: (id: string, reason: string) => request<RevealedIdentifiers>('POST', `/api/persons/${encodeURIComponent(id)}/reveal`, { reason }),
  createPerson: (body: CreatePersonBody) => request<PersonDetail>('POST', '/api/persons', body),
  districts: () => request<{ items: District[] }>('GET', '/api/districts'),

  tickets: (q: TicketQuery) => request<{ items: Ticket[]; total: number }>('GET', `/api/tickets${qs({ ...q })}`),
  ticket: (id: string) => request<TicketDetail>('GET', `/api/tickets/${encodeURIComponent(id)}`),
  createTicket: (body: CreateTicketBody) => request<Ticket>('POST', '/api/tickets', body),
  transition: (id: string, body: { action: TicketAction; note?: string; satisfaction?: Satisfaction; version?: number }) =>
    request<Ticket>('POST', `/api/tickets/${encodeURIComponent(id)}/transitions`, body),
  addNote: (id: string, note: string) => request<{ ok: true }>('POST', `/api/tickets/${encodeURIComponent(id)}/notes`, { note }),

  calls: (q: { needsFollowUp?: boolean; personId?: string; limit?: number; offset?: number }) => request<{ items: CallRow[]; total: number }>('GET', `/api/calls${qs({ ...q })}`),
  clickToCall: (body: { number: string; personId?: string; ticketId?: string }) => request<DialAccepted>('POST', '/api/calls/click-to-call', body),

  softphoneSettings: () => request<SoftphoneSettings>('GET', '/api/softphone/settings'),
  agentPresence: () => request<{ items: PresenceView[] }>('GET', '/api/agents/presence'),
};

export interface TicketQuery {
  status?: TicketStatus;
  category?: TicketCategory;
  priority?: TicketPriority;
  personId?: string;
  open?: boolean;
  limit?: number;
  offset?: number;
}

export interface CreatePersonBody {
  name: string;
  gender?: 'M' | 'F';
  birthDate?: string;
  idNumber?: string;
  certNumber?: string;
  disabilityCategory?: number;
  disabilityLevel?: number;
  livingSituation?: string;
  riskTier?: string;
  communicationNeed?: string;
  dialect?: string;
  districtCode?: string;
  address?: string;
  medicalNotes?: string;
  phones: { number: string }[];
  contacts?: { name: string; relation: string; phone: string; isGuardian: boolean }[];
}
