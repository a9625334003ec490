import { useEffect, useState, type FormEvent } from 'react';
import { useTranslation } from 'react-i18next';
import { api, type CreatePersonBody } from '../../api/endpoints';
import { ApiError } from '../../api/http';
import { errorText, fieldErrors } from '../../app/format';
import { registerCommand } from '../../app/hotkeys';
import { href, navigate } from '../../app/router';
import { useAsync } from '../../app/use-async';
import { ErrorNotice } from '../../components/Feedback';
import { CheckboxField, RadioGroup, SelectField, TextAreaField, TextField } from '../../components/Field';
import { PageHeading } from '../../components/PageHeading';
import { choosePerson, liveCalls } from '../../realtime/live-calls';
import { announce } from '../../state/announcer';
import { currentUser } from '../../state/session';

const CATEGORIES = [1, 2, 3, 4, 5, 6, 7] as const;
const LEVELS = [1, 2, 3, 4] as const;

interface Form {
  name: string; gender: 'M' | 'F' | ''; idNumber: string; certNumber: string; category: string; level: string;
  livingSituation: string; riskTier: string; communicationNeed: string; dialect: string; districtCode: string;
  address: string; medicalNotes: string; phone: string; contactName: string; contactRelation: string; contactPhone: string; contactGuardian: boolean;
}

/** Register a new person (an unknown caller, usually); from a call, the new record is linked back to it. */
export function PersonCreatePage({ phone }: { phone?: string }) {
  const { t } = useTranslation();
  const user = currentUser();
  const districts = useAsync(() => api.districts(), []);
  const [f, setF] = useState<Form>({
    name: '', gender: '', idNumber: '', certNumber: '', category: '', level: '', livingSituation: '', riskTier: 'general', communicationNeed: 'voice',
    dialect: '', districtCode: user.districtCode, address: '', medicalNotes: '', phone: phone ?? '', contactName: '', contactRelation: '', contactPhone: '', contactGuardian: true,
  });
  const [errors, setErrors] = useState<Record<string, string>>({});
  const [error, setError] = useState<string | null>(null);
  const [duplicateId, setDuplicateId] = useState<string | null>(null);
  const [busy, setBusy] = useState(false);
  const set = (patch: Partial<Form>) => setF((x) => ({ ...x, ...patch }));

  const submit = async (e?: FormEvent) => {
    e?.preventDefault();
    if (busy) return;
    const body: CreatePersonBody = {
      name: f.name.trim(), gender: f.gender || undefined, idNumber: f.idNumber.trim() || undefined, certNumber: f.certNumber.trim() || undefined,
      disabilityCategory: f.category ? Number(f.category) : undefined, disabilityLevel: f.level ? Number(f.level) : undefined,
      livingSituation: f.livingSituation || undefined, riskTier: f.riskTier, communicationNeed: f.communicationNeed, dialect: f.dialect.trim() || undefined,
      districtCode: f.districtCode || undefined, address: f.address.trim() || undefined, medicalNotes: f.medicalNotes.trim() || undefined,
      phones: [{ number: f.phone.trim() }],
      contacts: f.contactName.trim() && f.contactPhone.trim() ? [{ name: f.contactName.trim(), relation: f.contactRelation.trim() || t('relation.other'), phone: f.contactPhone.trim(), isGuardian: f.contactGuardian }] : [],
    };
    setBusy(true);
    setError(null);
    setDuplicateId(null);
    try {
      const person = await api.createPerson(body);
      announce(t('personForm.saved', { name: person.name }));
      const call = liveCalls.get().calls.find((c) => c.pop && !c.pop.person && c.pop.fromMasked && person.phones.some((p) => p.masked === c.pop!.fromMasked));
      if (call) {
        choosePerson(call.call.id, person);
        navigate('/workspace');
      } else navigate(`/persons/${person.id}`);
    } catch (err) {
      setErrors(fieldErrors(err, t));
      setError(err instanceof ApiError && err.code === 'person/duplicate' ? t('personForm.duplicate') : errorText(t, err));
      const existing = err instanceof ApiError ? (err.details as { personId?: string } | undefined)?.personId : undefined;
      setDuplicateId(existing ?? null);
    } finally {
      setBusy(false);
    }
  };

  useEffect(() => registerCommand('save', () => void submit()));

  const err = (k: string) => errors[k] ?? null;
  return (
    <div className="narrow">
      <PageHeading>{t('personForm.title')}</PageHeading>
      <p className="muted">{t('personForm.intro')}</p>
      <form className="panel person-form" onSubmit={(e) => void submit(e)} noValidate>
        {error && <ErrorNotice message={error} />}
        {duplicateId && <p><a href={href(`/persons/${duplicateId}`)}>{t('personForm.openExisting')}</a></p>}
        <div className="field-row">
          <TextField label={`${t('person.name')} *`} required value={f.name} onChange={(e) => set({ name: e.target.value })} error={err('name')} autoComplete="off" />
          <TextField label={t('personForm.phone')} required type="tel" inputMode="tel" value={f.phone} onChange={(e) => set({ phone: e.target.value })} error={err('phones.0.number') ?? err('phones')} autoComplete="off" />
        </div>
        <RadioGroup legend={t('person.gender')} name="gender" value={f.gender} error={err('gender')} options={[{ value: 'M', label: t('person.genderM') }, { value: 'F', label: t('person.genderF') }]} onChange={(gender) => set({ gender })} />
        <div className="field-row">
          <TextField label={t('personForm.idNumber')} value={f.idNumber} onChange={(e) => set({ idNumber: e.target.value })} error={err('idNumber')} autoComplete="off" maxLength={18} />
          <TextField label={t('personForm.certNumber')} value={f.certNumber} onChange={(e) => set({ certNumber: e.target.value })} error={err('certNumber')} autoComplete="off" maxLength={20} />
        </div>
        <div className="field-row">
          <SelectField label={t('personForm.category')} value={f.category} onChange={(e) => set({ category: e.target.value })}>
            <option value="">{t('personForm.choose')}</option>
            {CATEGORIES.map((c) => <option key={c} value={c}>{t(`disabilityCategory.${c}`)}</option>)}
          </SelectField>
          <SelectField label={t('personForm.level')} value={f.level} onChange={(e) => set({ level: e.target.value })}>
            <option value="">{t('personForm.choose')}</option>
            {LEVELS.map((l) => <option key={l} value={l}>{t(`disabilityLevel.${l}`)}</option>)}
          </SelectField>
          <SelectField label={t('person.risk')} value={f.riskTier} onChange={(e) => set({ riskTier: e.target.value })}>
            {(['high', 'key', 'general'] as const).map((r) => <option key={r} value={r}>{t(`risk.${r}`)}</option>)}
          </SelectField>
        </div>
        <div className="field-row">
          <SelectField label={t('person.living')} value={f.livingSituation} onChange={(e) => set({ livingSituation: e.target.value })}>
            <option value="">{t('personForm.choose')}</option>
            {(['alone', 'empty_nest', 'with_family', 'care_home'] as const).map((l) => <option key={l} value={l}>{t(`living.${l}`)}</option>)}
          </SelectField>
          <SelectField label={t('person.communication')} value={f.communicationNeed} onChange={(e) => set({ communicationNeed: e.target.value })}>
            {(['voice', 'sms_only', 'sign_language_video', 'via_guardian'] as const).map((c) => <option key={c} value={c}>{t(`communication.${c}`)}</option>)}
          </SelectField>
          <TextField label={t('person.dialect')} value={f.dialect} onChange={(e) => set({ dialect: e.target.value })} maxLength={30} />
        </div>
        <SelectField label={t('person.district')} value={f.districtCode} error={err('districtCode')} onChange={(e) => set({ districtCode: e.target.value })} hint={districts.status === 'error' ? errorText(t, districts.error) : undefined}>
          {(districts.data?.items ?? []).map((d) => <option key={d.code} value={d.code}>{'　'.repeat(['city', 'district', 'street', 'community'].indexOf(d.level))}{d.name}（{d.code}）</option>)}
          {!districts.data && <option value={f.districtCode}>{f.districtCode}</option>}
        </SelectField>
        <TextField label={t('person.address')} value={f.address} onChange={(e) => set({ address: e.target.value })} maxLength={200} />
        <TextAreaField label={t('person.medicalNotes')} rows={2} value={f.medicalNotes} onChange={(e) => set({ medicalNotes: e.target.value })} maxLength={2000} />
        <fieldset className="fieldset">
          <legend>{t('person.contacts')}</legend>
          <div className="field-row">
            <TextField label={t('personForm.contactName')} value={f.contactName} onChange={(e) => set({ contactName: e.target.value })} error={err('contacts.0.name')} />
            <TextField label={t('personForm.contactRelation')} value={f.contactRelation} onChange={(e) => set({ contactRelation: e.target.value })} />
            <TextField label={t('personForm.contactPhone')} type="tel" value={f.contactPhone} onChange={(e) => set({ contactPhone: e.target.value })} error={err('contacts.0.phone')} />
          </div>
          <CheckboxField label={t('personForm.contactGuardian')} checked={f.contactGuardian} onChange={(e) => set({ contactGuardian: e.target.checked })} />
        </fieldset>
        <button type="submit" className="btn btn--primary" disabled={busy} aria-keyshortcuts="Alt+S">{busy ? t('personForm.saving') : t('personForm.submit')} <kbd>Alt+S</kbd></button>
      </form>
    </div>
  );
}
