import type { AbsenceView, CandidateBody, CandidateView } from '../../api/dispatch-wire';
import { shanghaiToday } from './cert-status';
import type { AreaForm } from './PeopleFields';
import type { AbsenceRow, CertRow, SkillCode, SlotRow } from './people-vocabulary';

/**
 * The field worker / volunteer form and its conversions to and from the wire. Absences travel as instants
 * (`from` inclusive, `to` exclusive); the form shows whole Shanghai days with an inclusive end.
 */
export interface CandidateForm {
  name: string;
  gender: 'female' | 'male' | '';
  phone: string;
  districtCode: string;
  providerId: string;
  skills: SkillCode[];
  certifications: CertRow[];
  weekly: SlotRow[];
  absences: AbsenceRow[];
  crewSize: string;
  maxConcurrentJobs: string;
  area: AreaForm;
  status: CandidateView['status'];
}

export const EMPTY_CANDIDATE: CandidateForm = {
  name: '', gender: '', phone: '', districtCode: '', providerId: '', skills: [], certifications: [], weekly: [], absences: [],
  crewSize: '1', maxConcurrentJobs: '2', area: { lat: '', lng: '', radiusKm: '5' }, status: 'active',
};

const DAY_MS = 24 * 3600_000;

/** @example absenceToRow({ kind: 'leave', from: '2026-12-09T16:00:00.000Z', to: '2026-12-11T16:00:00.000Z' }) // { kind: 'leave', from: '2026-12-10', to: '2026-12-11' } */
export function absenceToRow(a: AbsenceView): AbsenceRow {
  return { kind: a.kind, from: shanghaiToday(Date.parse(a.from)), to: shanghaiToday(Date.parse(a.to) - 1) };
}

/** A form row (whole days, end inclusive) as the instants the server stores. */
export function rowToAbsence(r: AbsenceRow): AbsenceView {
  const start = Date.parse(`${r.from}T00:00:00+08:00`);
  const end = Date.parse(`${r.to}T00:00:00+08:00`) + DAY_MS;
  return { kind: r.kind, from: new Date(start).toISOString(), to: new Date(end).toISOString() };
}

export function formOf(c: CandidateView): CandidateForm {
  return {
    name: c.name,
    gender: c.gender,
    phone: '',
    districtCode: c.districtCode,
    providerId: c.providerId ?? '',
    skills: [...c.skills],
    certifications: c.certifications.map(({ kind, validFrom, expiresOn }) => ({ kind, validFrom, expiresOn })),
    weekly: c.weekly.map((s) => ({ ...s })),
    absences: c.absences.map(absenceToRow),
    crewSize: String(c.crewSize),
    maxConcurrentJobs: String(c.maxConcurrentJobs),
    area: { lat: String(c.serviceArea.centre.lat), lng: String(c.serviceArea.centre.lng), radiusKm: String(c.serviceArea.radiusKm) },
    status: c.status,
  };
}

/** The body for the server; numbers the form could not read are sent as NaN-free nulls and refused locally first. */
export function bodyOf(f: CandidateForm, kind: 'field-workers' | 'volunteers'): Omit<CandidateBody, 'phone'> & { phone?: string } {
  return {
    name: f.name.trim(),
    gender: f.gender as CandidateBody['gender'],
    ...(f.phone.trim() ? { phone: f.phone.trim() } : {}),
    districtCode: f.districtCode,
    skills: f.skills,
    certifications: f.certifications,
    weekly: f.weekly,
    absences: f.absences.map(rowToAbsence),
    crewSize: Number(f.crewSize),
    maxConcurrentJobs: Number(f.maxConcurrentJobs),
    serviceArea: { centre: { lat: Number(f.area.lat), lng: Number(f.area.lng) }, radiusKm: Number(f.area.radiusKm) },
    status: f.status,
    ...(kind === 'field-workers' ? { providerId: f.providerId } : {}),
  };
}
