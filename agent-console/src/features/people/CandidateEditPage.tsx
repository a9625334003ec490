import { useMutation, useQuery, useQueryClient } from '@tanstack/react-query';
import { useEffect, useRef, useState, type FormEvent } from 'react';
import { useTranslation } from 'react-i18next';
import { dispatchApi, type PeopleKind } from '../../api/dispatch-endpoints';
import type { CandidateBody } from '../../api/dispatch-wire';
import { api } from '../../api/endpoints';
import { errorText } from '../../app/format';
import { href, navigate } from '../../app/router';
import { ErrorNotice, Loading, SuccessNotice } from '../../components/Feedback';
import { RadioGroup, SelectField, TextField } from '../../components/Field';
import { PageHeading } from '../../components/PageHeading';
import { announce } from '../../state/announcer';
import { AvailabilityEditor } from './AvailabilityEditor';
import { CertificationsEditor } from './CertificationsEditor';
import { CodeChecklist, ServiceAreaFields } from './PeopleFields';
import { bodyOf, EMPTY_CANDIDATE, formOf, type CandidateForm } from './people-form';
import { localProblems, refusalFields } from './people-errors';
import { SKILL_CODES } from './people-vocabulary';

const PIN_KEY = 'anxin.people.created';
const base = (kind: PeopleKind) => (kind === 'field-workers' ? '/people/workers' : '/people/volunteers');

/**
 * Create or edit a field worker (of a provider) or a volunteer: name, gender, phone (only ever shown masked),
 * district, skills, certificates with expiry, weekly availability and leave, service area, crew size and load.
 * A new person's field-page code (PIN) is shown once, on their page; 重新生成验证码 makes a new one.
 */
export function CandidateEditPage({ kind, id }: { kind: PeopleKind; id?: string }) {
  const { t } = useTranslation();
  const qc = useQueryClient();
  const creating = !id;
  const person = useQuery({ queryKey: ['dispatch', kind, 'one', id], queryFn: () => dispatchApi.person(kind, id!), enabled: !creating });
  const districts = useQuery({ queryKey: ['districts'], queryFn: api.districts });
  const providers = useQuery({ queryKey: ['dispatch', 'providers', 'all'], queryFn: () => dispatchApi.providers({ limit: 200 }), enabled: kind === 'field-workers' });
  const [form, setForm] = useState<CandidateForm>(EMPTY_CANDIDATE);
  const [errors, setErrors] = useState<Record<string, string>>({});
  const [result, setResult] = useState<{ kind: 'ok' | 'error'; text: string; pin?: string } | null>(null);
  const resultRef = useRef<HTMLDivElement>(null);
  useEffect(() => {
    if (person.data) setForm(formOf(person.data));
  }, [person.data]);
  const loaded = creating || person.data !== undefined;
  useEffect(() => {
    if (result && loaded) resultRef.current?.focus();
  }, [result, loaded]);
  useEffect(() => {
    const stored = sessionStorage.getItem(PIN_KEY);
    if (!id || !stored) return;
    const parsed = JSON.parse(stored) as { id: string; pin: string };
    if (parsed.id !== id) return;
    sessionStorage.removeItem(PIN_KEY);
    setResult({ kind: 'ok', text: t('people.created'), pin: parsed.pin });
  }, [id, t]);

  const failed = (err: unknown) => {
    setErrors(refusalFields(t, err));
    setResult({ kind: 'error', text: errorText(t, err, { name: t('people.personName'), phone: t('people.phone'), districtCode: t('people.district'), providerId: t('people.provider'), skills: t('people.skills'), certifications: t('people.certs'), weekly: t('people.availability'), absences: t('people.absences'), serviceArea: t('people.area'), crewSize: t('people.crewSize'), maxConcurrentJobs: t('people.maxJobs') }) });
  };
  const save = useMutation({
    mutationFn: async (body: ReturnType<typeof bodyOf>) => {
      if (creating) return { created: await dispatchApi.createPerson(kind, body as CandidateBody) };
      return { saved: await dispatchApi.updatePerson(kind, id!, { ...body, version: person.data!.version }) };
    },
    onSuccess: async (res) => {
      void qc.invalidateQueries({ queryKey: ['dispatch', kind] });
      if ('created' in res && res.created) {
        sessionStorage.setItem(PIN_KEY, JSON.stringify({ id: res.created.candidate.id, pin: res.created.pin }));
        await navigate(`${base(kind)}/${res.created.candidate.id}`);
        return;
      }
      setResult({ kind: 'ok', text: t('people.saved') });
      announce(t('people.saved'));
    },
    onError: failed,
  });
  const resetPin = useMutation({
    mutationFn: () => dispatchApi.resetPin(kind, id!),
    onSuccess: ({ pin }) => setResult({ kind: 'ok', text: t('people.pinReset'), pin }),
    onError: failed,
  });

  const submit = (e: FormEvent) => {
    e.preventDefault();
    setResult(null);
    const required: Record<string, string> = { name: form.name, gender: form.gender, districtCode: form.districtCode, ...(creating ? { phone: form.phone } : {}), ...(kind === 'field-workers' ? { providerId: form.providerId } : {}) };
    const local = localProblems(t, form, required);
    if (!/^\d+$/.test(form.crewSize) || Number(form.crewSize) < 1) local.crewSize = t('people.reason.bad-number');
    if (!/^\d+$/.test(form.maxConcurrentJobs) || Number(form.maxConcurrentJobs) < 1) local.maxConcurrentJobs = t('people.reason.bad-number');
    setErrors(local);
    if (Object.keys(local).length) return setResult({ kind: 'error', text: t('people.fixErrors') });
    save.mutate(bodyOf(form, kind));
  };

  if (!creating && person.isPending) return <Loading />;
  if (!creating && person.isError) return <ErrorNotice message={errorText(t, person.error)} onRetry={() => void person.refetch()} />;
  const title = creating ? t(kind === 'field-workers' ? 'people.createWorker' : 'people.createVolunteer') : t(kind === 'field-workers' ? 'people.editWorker' : 'people.editVolunteer', { name: person.data?.name ?? '' });
  const set = (patch: Partial<CandidateForm>) => setForm((f) => ({ ...f, ...patch }));
  return (
    <div className="narrow">
      <p><a href={href(base(kind))}>← {t('people.back')}</a></p>
      <PageHeading focusOnMount={result === null}>{title}</PageHeading>
      <div ref={resultRef} tabIndex={-1} data-testid="people-result">
        {result?.kind === 'error' && <ErrorNotice message={result.text} />}
        {result?.kind === 'ok' && <SuccessNotice>{result.text}{result.pin && <> {t('people.pinOnce')} <code className="pin-once" data-testid="one-time-pin">{result.pin}</code></>}</SuccessNotice>}
      </div>
      <form className="panel" onSubmit={submit} noValidate aria-label={title}>
        <TextField label={t('people.personName')} required autoComplete="off" value={form.name} onChange={(e) => set({ name: e.target.value })} error={errors.name} />
        <RadioGroup legend={t('people.gender')} name="gender" required value={form.gender} options={[{ value: 'female' as const, label: t('people.genderFemale') }, { value: 'male' as const, label: t('people.genderMale') }]} onChange={(gender) => set({ gender })} error={errors.gender} />
        <TextField label={t('people.phone')} hint={creating ? t('people.phoneHint') : t('people.phoneMasked', { masked: person.data?.phoneMasked ?? '' })} required={creating} inputMode="tel" autoComplete="off" value={form.phone} onChange={(e) => set({ phone: e.target.value })} error={errors.phone} />
        {kind === 'field-workers' && (
          <SelectField label={t('people.provider')} required value={form.providerId} onChange={(e) => set({ providerId: e.target.value })} error={errors.providerId}>
            <option value="">{t('people.chooseProvider')}</option>
            {providers.data?.items.map((p) => <option key={p.id} value={p.id}>{p.name}</option>)}
          </SelectField>
        )}
        <SelectField label={t('people.district')} required value={form.districtCode} onChange={(e) => set({ districtCode: e.target.value })} error={errors.districtCode}>
          <option value="">{t('people.chooseDistrict')}</option>
          {districts.data?.items.map((d) => <option key={d.code} value={d.code}>{d.name}（{d.code}）</option>)}
        </SelectField>
        <CodeChecklist legend={t('people.skills')} codes={SKILL_CODES} value={form.skills} onChange={(skills) => set({ skills })} label={(s) => t(`people.skill.${s}`)} error={errors.skills} />
        <CertificationsEditor value={form.certifications} onChange={(certifications) => set({ certifications })} errors={errors} />
        <AvailabilityEditor slots={form.weekly} absences={form.absences} onSlots={(weekly) => set({ weekly })} onAbsences={(absences) => set({ absences })} errors={errors} />
        <ServiceAreaFields value={form.area} onChange={(area) => set({ area })} errors={errors} />
        <div className="field-row">
          <TextField label={t('people.crewSize')} inputMode="numeric" value={form.crewSize} onChange={(e) => set({ crewSize: e.target.value })} error={errors.crewSize} />
          <TextField label={t('people.maxJobs')} inputMode="numeric" value={form.maxConcurrentJobs} onChange={(e) => set({ maxConcurrentJobs: e.target.value })} error={errors.maxConcurrentJobs} />
          <SelectField label={t('people.status')} value={form.status} onChange={(e) => set({ status: e.target.value as CandidateForm['status'] })}>
            {(['active', 'suspended', 'inactive'] as const).map((s) => <option key={s} value={s}>{t(`people.statusValue.${s}`)}</option>)}
          </SelectField>
        </div>
        <button type="submit" className="btn btn--primary" disabled={save.isPending}>{save.isPending ? t('people.saving') : creating ? t('people.create') : t('people.save')}</button>
      </form>
      {!creating && (
        <section className="panel" aria-labelledby="people-account">
          <h2 id="people-account">{t('people.accountActions')}</h2>
          <button type="button" className="btn" disabled={resetPin.isPending} onClick={() => resetPin.mutate()}>{t('people.resetPin')}</button>
        </section>
      )}
    </div>
  );
}
