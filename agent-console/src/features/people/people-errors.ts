import type { TFunction } from 'i18next';
import { fieldErrors } from '../../app/format';
import { slotProblem } from './AvailabilityEditor';
import { numberIn } from './PeopleFields';
import type { AreaForm } from './PeopleFields';
import type { AbsenceRow, CertRow, SlotRow } from './people-vocabulary';

/** A server refusal's fields, keyed as the forms name them (`serviceArea.centre.lat` → `lat`), translated. */
export function refusalFields(t: TFunction, err: unknown): Record<string, string> {
  const out: Record<string, string> = {};
  for (const [path, text] of Object.entries(fieldErrors(err, t))) {
    const key = path === 'serviceArea.centre.lat' ? 'lat' : path === 'serviceArea.centre.lng' ? 'lng' : path === 'serviceArea.radiusKm' ? 'radiusKm' : path.startsWith('serviceArea') ? 'lat' : path === 'contactPhone' ? 'phone' : path;
    out[key] ??= text;
  }
  return out;
}

/** A real calendar date written `YYYY-MM-DD`. */
export function isDate(text: string): boolean {
  if (!/^\d{4}-\d{2}-\d{2}$/.test(text)) return false;
  const d = new Date(`${text}T00:00:00Z`);
  return !Number.isNaN(d.getTime()) && d.toISOString().slice(0, 10) === text;
}

/** Checks the browser can make before asking the server: required fields, numbers, times, date ranges. */
export function localProblems(t: TFunction, f: { area: AreaForm; certifications?: CertRow[]; weekly?: SlotRow[]; absences?: AbsenceRow[] }, required: Record<string, string>): Record<string, string> {
  const out: Record<string, string> = {};
  const need = t('people.reason.required');
  const badNumber = t('people.reason.bad-number');
  for (const [key, value] of Object.entries(required)) if (!value.trim()) out[key] = need;
  if (numberIn(f.area.lat, -90, 90) === null) out.lat = badNumber;
  if (numberIn(f.area.lng, -180, 180) === null) out.lng = badNumber;
  if (numberIn(f.area.radiusKm, 0.1, 200) === null) out.radiusKm = badNumber;
  const badDate = t('people.reason.bad-date');
  f.certifications?.forEach((c, i) => {
    if (!isDate(c.validFrom)) out[`certifications.${i}.validFrom`] = c.validFrom ? badDate : need;
    if (!isDate(c.expiresOn)) out[`certifications.${i}.expiresOn`] = c.expiresOn ? badDate : need;
    else if (isDate(c.validFrom) && c.expiresOn < c.validFrom) out[`certifications.${i}.expiresOn`] = t('people.reason.bad-range');
  });
  f.weekly?.forEach((s, i) => {
    if (slotProblem(s)) out[`weekly.${i}.to`] = t('people.reason.bad-time');
  });
  f.absences?.forEach((a, i) => {
    if (!isDate(a.from)) out[`absences.${i}.from`] = a.from ? badDate : need;
    if (!isDate(a.to)) out[`absences.${i}.to`] = a.to ? badDate : need;
    else if (isDate(a.from) && a.to < a.from) out[`absences.${i}.to`] = t('people.reason.bad-range');
  });
  return out;
}
