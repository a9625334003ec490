import { useState, type FormEvent } from 'react';
import { useTranslation } from 'react-i18next';
import { ApiError } from '../../../api/http';
import type { CommunicationNeed, LivingSituation, PersonDetail, RiskTier } from '../../../api/wire';
import { fieldErrors } from '../../../app/format';
import { ErrorNotice } from '../../../components/Feedback';
import { CheckboxField, SelectField, TextAreaField, TextField } from '../../../components/Field';
import { recordsApi, type ProfilePatch } from './records-api';
import { useFocusReturn, useRecordChange } from './use-record-change';

const RISKS: RiskTier[] = ['high', 'key', 'general'];
const LIVING: LivingSituation[] = ['alone', 'empty_nest', 'with_family', 'care_home'];
const COMMUNICATION: CommunicationNeed[] = ['voice', 'sms_only', 'sign_language_video', 'via_guardian'];
const CATEGORIES = [1, 2, 3, 4, 5, 6, 7];
const LEVELS = [1, 2, 3, 4];

interface Form {
  name: string;
  gender: 'M' | 'F';
  birthDate: string;
  idNumber: string;
  certNumber: string;
  disabilityCategory: string;
  disabilityLevel: string;
  subDisabilities: number[];
  livingSituation: string;
  riskTier: RiskTier;
  communicationNeed: CommunicationNeed;
  dialect: string;
  address: string;
  lat: string;
  lng: string;
  medicalNotes: string;
}

function formOf(p: PersonDetail): Form {
  return {
    name: p.name, gender: p.gender, birthDate: '', idNumber: '', certNumber: '',
    disabilityCategory: p.disabilityCategory ? String(p.disabilityCategory) : '', disabilityLevel: p.disabilityLevel ? String(p.disabilityLevel) : '',
    subDisabilities: [...p.subDisabilities], livingSituation: p.livingSituation ?? '', riskTier: p.riskTier, communicationNeed: p.communicationNeed,
    dialect: p.dialect ?? '', address: p.address ?? '', lat: '', lng: '', medicalNotes: '',
  };
}

/**
 * The changed fields only, against what the editor started from (so a concurrent editor's other changes
 * are not overwritten). Masked values (birth date, identifiers, notes, position) change only when typed.
 */
function patchOf(start: Form, f: Form, version: number): ProfilePatch {
  const p: ProfilePatch = { version };
  const num = (s: string) => (s === '' ? null : Number(s));
  if (f.name.trim() !== start.name) p.name = f.name.trim();
  if (f.gender !== start.gender) p.gender = f.gender;
  if (f.birthDate.trim()) p.birthDate = f.birthDate.trim();
  if (f.idNumber.trim()) p.idNumber = f.idNumber.trim();
  if (f.certNumber.trim()) p.certNumber = f.certNumber.trim();
  if (f.disabilityCategory !== start.disabilityCategory) p.disabilityCategory = num(f.disabilityCategory);
  if (f.disabilityLevel !== start.disabilityLevel) p.disabilityLevel = num(f.disabilityLevel);
  if ([...f.subDisabilities].sort().join() !== [...start.subDisabilities].sort().join()) p.subDisabilities = [...f.subDisabilities].sort();
  if (f.livingSituation !== start.livingSituation) p.livingSituation = (f.livingSituation || null) as LivingSituation | null;
  if (f.riskTier !== start.riskTier) p.riskTier = f.riskTier;
  if (f.communicationNeed !== start.communicationNeed) p.communicationNeed = f.communicationNeed;
  if (f.dialect.trim() !== start.dialect) p.dialect = f.dialect.trim() || null;
  if (f.address.trim() !== start.address) p.address = f.address.trim() || null;
  if (f.lat.trim()) p.lat = Number(f.lat);
  if (f.lng.trim()) p.lng = Number(f.lng);
  if (f.medicalNotes.trim()) p.medicalNotes = f.medicalNotes.trim();
  return p;
}

/**
 * 编辑资料: the profile form on the person page. Sends only what changed, with the version read; when
 * another agent saved first the server refuses (409) and the form says so, keeps what was typed and offers
 * to reload the record (then saving again applies these changes on top of the other agent's).
 */
export function ProfileEditor({ person, onSaved, onReload }: { person: PersonDetail; onSaved: (p: PersonDetail) => void; onReload: () => void }) {
  const { t } = useTranslation();
  const [open, setOpen] = useState(false);
  const [start, setStart] = useState<Form>(() => formOf(person));
  const [form, setForm] = useState<Form>(start);
  const back = useFocusReturn<HTMLButtonElement>();
  const change = useRecordChange(person.id, onSaved);
  const set = <K extends keyof Form>(k: K, v: Form[K]) => setForm((f) => ({ ...f, [k]: v }));
  const errors = change.error ? fieldErrors(change.error.cause, t) : {};
  const conflict = change.error?.cause instanceof ApiError && change.error.cause.code === 'person/version-conflict';

  const begin = () => {
    const f = formOf(person);
    setStart(f);
    setForm(f);
    change.clearError();
    setOpen(true);
  };
  const close = () => {
    back.request();
    setOpen(false);
    change.clearError();
  };
  const submit = async (e: FormEvent) => {
    e.preventDefault();
    if (change.busy) return;
    const patch = patchOf(start, form, person.version ?? 1);
    if (Object.keys(patch).length === 1) return close();
    if (await change.run(() => recordsApi.editProfile(person.id, patch), t('records.profile.saved'))) close();
  };

  if (!open) {
    return (
      <div className="button-row">
        <button ref={back.ref} type="button" className="btn" onClick={begin}>{t('records.profile.edit')}</button>
      </div>
    );
  }
  const keep = t('records.profile.keepHint');
  return (
    <form className="record-form" onSubmit={(e) => void submit(e)} noValidate aria-labelledby="profile-edit-title">
      <h3 id="profile-edit-title">{t('records.profile.title')}</h3>
      <TextField label={t('person.name')} value={form.name} onChange={(e) => set('name', e.target.value)} maxLength={50} error={errors.name} autoFocus />
      <SelectField label={t('person.gender')} value={form.gender} onChange={(e) => set('gender', e.target.value as 'M' | 'F')} error={errors.gender}>
        <option value="M">{t('person.genderM')}</option>
        <option value="F">{t('person.genderF')}</option>
      </SelectField>
      <TextField label={t('person.birthDate')} hint={`${keep} ${t('records.profile.dateHint')}`} value={form.birthDate} onChange={(e) => set('birthDate', e.target.value)} maxLength={10} error={errors.birthDate} />
      <TextField label={t('person.idNumber')} hint={`${keep} ${t('records.profile.current', { value: person.idNumberMasked ?? '—' })}`} value={form.idNumber} onChange={(e) => set('idNumber', e.target.value)} maxLength={30} error={errors.idNumber} autoComplete="off" />
      <TextField label={t('person.certNumber')} hint={`${keep} ${t('records.profile.current', { value: person.certNumberMasked ?? '—' })}`} value={form.certNumber} onChange={(e) => set('certNumber', e.target.value)} maxLength={30} error={errors.certNumber} autoComplete="off" />
      <SelectField label={t('records.profile.category')} value={form.disabilityCategory} onChange={(e) => set('disabilityCategory', e.target.value)} error={errors.disabilityCategory}>
        <option value="">{t('records.none')}</option>
        {CATEGORIES.map((c) => <option key={c} value={c}>{t(`disabilityCategory.${c}`)}</option>)}
      </SelectField>
      <SelectField label={t('records.profile.level')} value={form.disabilityLevel} onChange={(e) => set('disabilityLevel', e.target.value)} error={errors.disabilityLevel}>
        <option value="">{t('records.none')}</option>
        {LEVELS.map((l) => <option key={l} value={l}>{t(`disabilityLevel.${l}`)}</option>)}
      </SelectField>
      <fieldset className="field">
        <legend className="field__label">{t('person.subDisabilities')}</legend>
        {CATEGORIES.map((c) => (
          <CheckboxField key={c} label={t(`disabilityCategory.${c}`)} checked={form.subDisabilities.includes(c)} onChange={(e) => set('subDisabilities', e.target.checked ? [...form.subDisabilities, c] : form.subDisabilities.filter((x) => x !== c))} />
        ))}
      </fieldset>
      <SelectField label={t('person.living')} value={form.livingSituation} onChange={(e) => set('livingSituation', e.target.value)} error={errors.livingSituation}>
        <option value="">{t('records.none')}</option>
        {LIVING.map((l) => <option key={l} value={l}>{t(`living.${l}`)}</option>)}
      </SelectField>
      <SelectField label={t('person.risk')} value={form.riskTier} onChange={(e) => set('riskTier', e.target.value as RiskTier)} error={errors.riskTier}>
        {RISKS.map((r) => <option key={r} value={r}>{t(`risk.${r}`)}</option>)}
      </SelectField>
      <SelectField label={t('person.communication')} value={form.communicationNeed} onChange={(e) => set('communicationNeed', e.target.value as CommunicationNeed)} error={errors.communicationNeed}>
        {COMMUNICATION.map((c) => <option key={c} value={c}>{t(`communication.${c}`)}</option>)}
      </SelectField>
      <TextField label={t('person.dialect')} value={form.dialect} onChange={(e) => set('dialect', e.target.value)} maxLength={30} error={errors.dialect} />
      <TextField label={t('person.address')} value={form.address} onChange={(e) => set('address', e.target.value)} maxLength={200} error={errors.address} />
      <TextField label={t('records.profile.lat')} hint={keep} inputMode="decimal" value={form.lat} onChange={(e) => set('lat', e.target.value)} maxLength={12} error={errors.lat} />
      <TextField label={t('records.profile.lng')} hint={keep} inputMode="decimal" value={form.lng} onChange={(e) => set('lng', e.target.value)} maxLength={12} error={errors.lng} />
      <TextAreaField label={t('person.medicalNotes')} hint={t('records.profile.notesHint')} value={form.medicalNotes} onChange={(e) => set('medicalNotes', e.target.value)} maxLength={2000} rows={3} error={errors.medicalNotes} />
      {change.error && <ErrorNotice message={conflict ? `${change.error.message} ${t('records.profile.conflictKept')}` : change.error.message} />}
      <div className="button-row">
        <button type="submit" className="btn btn--primary" aria-disabled={change.busy || undefined}>{t('records.profile.save')}</button>
        {conflict && <button type="button" className="btn" onClick={() => { change.clearError(); onReload(); }}>{t('records.profile.reload')}</button>}
        <button type="button" className="btn" onClick={close}>{t('app.cancel')}</button>
      </div>
    </form>
  );
}
