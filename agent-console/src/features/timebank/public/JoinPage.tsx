import { useQuery } from '@tanstack/react-query';
import { useEffect, useRef, useState, type FormEvent } from 'react';
import { useTranslation } from 'react-i18next';
import { errorText, fieldErrors } from '../../../app/format';
import { ErrorNotice, Loading } from '../../../components/Feedback';
import { CheckboxField, SelectField, TextAreaField, TextField } from '../../../components/Field';
import { PageHeading } from '../../../components/PageHeading';
import { announce } from '../../../state/announcer';
import { publicApi } from './public-api';

type Field = 'name' | 'phone' | 'districtCode' | 'consent';

/** Focus the control of a field named in the error summary. */
function focusField(field: string): void {
  const el = document.getElementById(`join-${field}`) ?? document.querySelector<HTMLElement>(`#join-${field}-box input`);
  el?.focus();
}
const EMPTY = { name: '', phone: '', districtCode: '', skills: [] as string[], availability: '', note: '', consent: false };

/**
 * 报名成为志愿者 (public, no login): name, mobile, street, the help one can give, when, a note, and consent.
 * Missing or wrong answers are listed at the top (each a link to its field) and the focus goes there; the
 * server's refusals (e.g. too many sign-ups from this address) are said in words. After sending, the thanks
 * takes the focus.
 */
export function JoinPage() {
  const { t } = useTranslation();
  const options = useQuery({ queryKey: ['timebank', 'signup-options'], queryFn: publicApi.signupOptions, staleTime: 5 * 60_000 });
  const [f, setF] = useState(EMPTY);
  const [errors, setErrors] = useState<Partial<Record<Field, string>>>({});
  const [serverError, setServerError] = useState<string | null>(null);
  const [busy, setBusy] = useState(false);
  const [done, setDone] = useState(false);
  const summaryRef = useRef<HTMLDivElement>(null);
  const doneRef = useRef<HTMLHeadingElement>(null);
  useEffect(() => {
    if (done) doneRef.current?.focus();
  }, [done]);

  const labels: Record<Field, string> = { name: t('timebank.join.name'), phone: t('timebank.join.phone'), districtCode: t('timebank.join.district'), consent: t('timebank.join.consent') };
  const check = (): Partial<Record<Field, string>> => {
    const out: Partial<Record<Field, string>> = {};
    if (f.name.trim().length < 2) out.name = t('timebank.join.required');
    if (!/^1[3-9]\d{9}$/.test(f.phone.replace(/[\s-]/g, '').replace(/^(\+86|0086)/, ''))) out.phone = t('timebank.join.phoneInvalid');
    if (!f.districtCode) out.districtCode = t('timebank.join.pickDistrict');
    if (!f.consent) out.consent = t('timebank.join.consentRequired');
    return out;
  };
  const submit = async (e: FormEvent) => {
    e.preventDefault();
    setServerError(null);
    const found = check();
    setErrors(found);
    if (Object.keys(found).length) {
      requestAnimationFrame(() => summaryRef.current?.focus());
      return;
    }
    setBusy(true);
    try {
      await publicApi.signUp({
        name: f.name.trim(), phone: f.phone.replace(/[\s-]/g, ''), districtCode: f.districtCode, consent: true,
        ...(f.skills.length ? { skills: f.skills } : {}), ...(f.availability.trim() ? { availability: f.availability.trim() } : {}), ...(f.note.trim() ? { note: f.note.trim() } : {}),
      });
      announce(t('timebank.join.done'));
      setDone(true);
    } catch (err) {
      const text = errorText(t, err, { ...labels, availability: t('timebank.join.availability'), note: t('timebank.join.note'), skills: t('timebank.join.skills') });
      setServerError(text);
      setErrors(fieldErrors(err, t) as Partial<Record<Field, string>>);
      requestAnimationFrame(() => summaryRef.current?.focus());
    } finally {
      setBusy(false);
    }
  };

  if (done) {
    return (
      <>
        <h1 ref={doneRef} tabIndex={-1} className="page-heading">{t('timebank.join.title')}</h1>
        <p className="feedback feedback--success" role="status"><span aria-hidden="true" className="feedback__icon">✔</span><span>{t('timebank.join.done')}</span></p>
        <p><button type="button" className="btn" onClick={() => { setF(EMPTY); setDone(false); }}>{t('timebank.join.again')}</button></p>
      </>
    );
  }
  const list = Object.entries(errors) as [Field, string][];
  return (
    <>
      <PageHeading>{t('timebank.join.title')}</PageHeading>
      <p>{t('timebank.join.lead')}</p>
      <div ref={summaryRef} tabIndex={-1} className="error-summary-host">
        {list.length > 0 && (
          <div className="error-summary" role="alert">
            <p><strong>{t('timebank.join.fixErrors')}</strong></p>
            <ul>
              {list.map(([field, text]) => (
                <li key={field}><a href="#/join" onClick={(ev) => { ev.preventDefault(); focusField(field); }}>{labels[field] ?? field}：{text}</a></li>
              ))}
            </ul>
          </div>
        )}
        {serverError && <ErrorNotice message={serverError} />}
      </div>
      {options.isPending && <Loading />}
      {options.isError && <ErrorNotice message={errorText(t, options.error)} onRetry={() => void options.refetch()} />}
      <form className="tb-form" onSubmit={(e) => void submit(e)} noValidate aria-label={t('timebank.join.title')}>
        <TextField id="join-name" label={labels.name} required autoComplete="name" value={f.name} error={errors.name} onChange={(e) => setF({ ...f, name: e.target.value })} />
        <TextField id="join-phone" label={labels.phone} required type="tel" inputMode="tel" autoComplete="tel" hint={t('timebank.join.phoneHint')} value={f.phone} error={errors.phone} onChange={(e) => setF({ ...f, phone: e.target.value })} />
        <SelectField id="join-districtCode" label={labels.districtCode} required value={f.districtCode} error={errors.districtCode} onChange={(e) => setF({ ...f, districtCode: e.target.value })}>
          <option value="">{t('timebank.join.pickDistrict')}</option>
          {options.data?.districts.map((d) => <option key={d.code} value={d.code}>{d.name}</option>)}
        </SelectField>
        {options.data && options.data.skills.length > 0 && (
          <fieldset className="field">
            <legend className="field__label">{t('timebank.join.skills')}</legend>
            <div className="radio-group__options">
              {options.data.skills.map((s) => (
                <label key={s} className="radio">
                  <input type="checkbox" checked={f.skills.includes(s)} onChange={(e) => setF({ ...f, skills: e.target.checked ? [...f.skills, s] : f.skills.filter((x) => x !== s) })} />
                  <span>{t(`serviceType.${s}`, { defaultValue: s })}</span>
                </label>
              ))}
            </div>
          </fieldset>
        )}
        <TextField label={t('timebank.join.availability')} hint={t('timebank.join.availabilityHint')} value={f.availability} onChange={(e) => setF({ ...f, availability: e.target.value })} />
        <TextAreaField label={t('timebank.join.note')} rows={3} value={f.note} onChange={(e) => setF({ ...f, note: e.target.value })} />
        <div id="join-consent-box"><CheckboxField label={labels.consent} checked={f.consent} aria-invalid={errors.consent ? true : undefined} onChange={(e) => setF({ ...f, consent: e.target.checked })} /></div>
        <p><button type="submit" className="btn btn--primary" disabled={busy}>{busy ? t('timebank.join.submitting') : t('timebank.join.submit')}</button></p>
      </form>
    </>
  );
}
