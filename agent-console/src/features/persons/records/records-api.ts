import { request } from '../../../api/http';
import type { CommunicationNeed, LivingSituation, PersonDetail, RiskTier } from '../../../api/wire';

/** `PATCH /api/persons/:id`: only the fields that change; `null` clears one. */
export interface ProfilePatch {
  version: number;
  name?: string;
  gender?: 'M' | 'F';
  birthDate?: string | null;
  idNumber?: string | null;
  certNumber?: string | null;
  disabilityCategory?: number | null;
  disabilityLevel?: number | null;
  subDisabilities?: number[];
  livingSituation?: LivingSituation | null;
  riskTier?: RiskTier;
  communicationNeed?: CommunicationNeed;
  dialect?: string | null;
  address?: string | null;
  lat?: number | null;
  lng?: number | null;
  medicalNotes?: string | null;
}

export interface ContactBody {
  name: string;
  relation: string;
  phone: string;
  isGuardian: boolean;
  notifyOnEmergency: boolean;
}

export const DEVICE_KINDS = ['sos_pendant', 'fall_detector', 'door_sensor', 'smoke_sensor', 'gas_sensor', 'water_sensor', 'health_monitor'] as const;
export const DEVICE_MODES = ['home', 'away', 'sleep'] as const;
export type DeviceMode = (typeof DEVICE_MODES)[number];

export interface DeviceBody {
  kind: (typeof DEVICE_KINDS)[number];
  serial: string;
  model?: string;
  phone?: string;
}

/** One row of the change history, values masked by the server as on the profile. */
export interface PersonChange {
  id: string;
  version: number;
  field: string;
  oldValue: unknown;
  newValue: unknown;
  masked: boolean;
  actorUsername: string | null;
  changedAt: string;
}

export interface IssuedKey {
  deviceId: string;
  serial: string;
  key: string;
  keyHint: string;
  issuedAt: string;
}

const base = (id: string) => `/api/persons/${encodeURIComponent(id)}`;
const part = (s: string) => encodeURIComponent(s);

/** The person-record endpoints (issue 8). Every change answers with the person's record (new `version`). */
export const recordsApi = {
  editProfile: (id: string, patch: ProfilePatch) => request<PersonDetail>('PATCH', base(id), patch),
  changes: (id: string) => request<{ items: PersonChange[] }>('GET', `${base(id)}/changes?limit=100`),
  addContact: (id: string, body: ContactBody) => request<PersonDetail>('POST', `${base(id)}/contacts`, body),
  editContact: (id: string, contactId: string, body: Partial<ContactBody>) => request<PersonDetail>('PATCH', `${base(id)}/contacts/${part(contactId)}`, body),
  removeContact: (id: string, contactId: string) => request<PersonDetail>('DELETE', `${base(id)}/contacts/${part(contactId)}`),
  orderContacts: (id: string, ids: string[]) => request<PersonDetail>('PUT', `${base(id)}/contacts/order`, { ids }),
  addPhone: (id: string, body: { number: string; kind?: 'mobile' | 'landline' | 'sos_device'; confirmShared: boolean }) => request<PersonDetail>('POST', `${base(id)}/phones`, body),
  removePhone: (id: string, phoneId: string) => request<PersonDetail>('DELETE', `${base(id)}/phones/${part(phoneId)}`),
  primaryPhone: (id: string, phoneId: string) => request<PersonDetail>('POST', `${base(id)}/phones/${part(phoneId)}/primary`),
  addDevice: (id: string, body: DeviceBody) => request<PersonDetail>('POST', `${base(id)}/devices`, body),
  editDevice: (id: string, deviceId: string, body: { mode?: DeviceMode; armed?: boolean }) => request<PersonDetail>('PATCH', `${base(id)}/devices/${part(deviceId)}`, body),
  retireDevice: (id: string, deviceId: string) => request<PersonDetail>('POST', `${base(id)}/devices/${part(deviceId)}/retire`),
  issueKey: (deviceId: string) => request<IssuedKey>('POST', `/api/devices/${part(deviceId)}/alarm-key`),
};
