import { useMutation, useQuery, useQueryClient } from '@tanstack/react-query';
import { useEffect, useRef, useState, type FormEvent } from 'react';
import { useTranslation } from 'react-i18next';
import { dispatchApi } from '../../api/dispatch-endpoints';
import type { ProviderBody, ProviderView } from '../../api/dispatch-wire';
import { api } from '../../api/endpoints';
import { errorText } from '../../app/format';
import { href, navigate } from '../../app/router';
import { ErrorNotice, Loading, SuccessNotice } from '../../components/Feedback';
import { SelectField, TextField } from '../../components/Field';
import { PageHeading } from '../../components/PageHeading';
import { announce } from '../../state/announcer';
import { CodeChecklist, ServiceAreaFields, type AreaForm } from './PeopleFields';
import { localProblems, refusalFields } from './people-errors';
import { SERVICE_CODES, type ServiceCode } from './people-vocabulary';

interface Form {
  name: string;
  creditCode: string;
  contactName: string;
  contactPhone: string;
  districtCode: string;
  services: ServiceCode[];
  area: AreaForm;
  status: ProviderView['status'];
}

const EMPTY: Form = { name: '', creditCode: '', contactName: '', contactPhone: '', districtCode: '', services: [], area: { lat: '', lng: '', radiusKm: '10' }, status: 'active' };

function formOf(p: ProviderView): Form {
  return { name: p.name, creditCode: p.creditCode, contactName: p.contactName, contactPhone: '', districtCode: p.districtCode, services: [...p.services], area: { lat: String(p.serviceArea.centre.lat), lng: String(p.serviceArea.centre.lng), radiusKm: String(p.serviceArea.radiusKm) }, status: p.status };
}

function bodyOf(f: Form): Omit<ProviderBody, 'contactPhone'> & { contactPhone?: string } {
  return {
    name: f.name.trim(), creditCode: f.creditCode.trim().toUpperCase(), contactName: f.contactName.trim(), ...(f.contactPhone.trim() ? { contactPhone: f.contactPhone.trim() } : {}),
    districtCode: f.districtCode, services: f.services, serviceArea: { centre: { lat: Number(f.area.lat), lng: Number(f.area.lng) }, radiusKm: Number(f.area.radiusKm) }, status: f.status,
  };
}

/** Create or edit a provider (服务机构): name, unified social credit code, contact, services offered, service area. */
export function ProviderEditPage({ id }: { id?: string }) {
  const { t } = useTranslation();
  const qc = useQueryClient();
  const creating = !id;
  const provider = useQuery({ queryKey: ['dispatch', 'providers', 'one', id], queryFn: () => dispatchApi.provider(id!), enabled: !creating });
  const districts = useQuery({ queryKey: ['districts'], queryFn: api.districts });
  const [form, setForm] = useState<Form>(EMPTY);
  const [errors, setErrors] = useState<Record<string, string>>({});
  const [result, setResult] = useState<{ kind: 'ok' | 'error'; text: string } | null>(null);
  const resultRef = useRef<HTMLDivElement>(null);
  useEffect(() => {
    if (provider.data) setForm(formOf(provider.data));
  }, [provider.data]);
  const loaded = creating || provider.data !== undefined;
  useEffect(() => {
    if (result && loaded) resultRef.current?.focus();
  }, [result, loaded]);

  const save = useMutation({
    mutationFn: (body: ReturnType<typeof bodyOf>) => (creating ? dispatchApi.createProvider(body as ProviderBody) : dispatchApi.updateProvider(id!, { ...body, version: provider.data!.version })),
    onSuccess: async (saved) => {
      void qc.invalidateQueries({ queryKey: ['dispatch', 'providers'] });
      if (creating) return void (await navigate(`/people/providers/${saved.id}`));
      setResult({ kind: 'ok', text: t('people.saved') });
      announce(t('people.saved'));
    },
    onError: (err) => {
      setErrors(refusalFields(t, err));
      setResult({ kind: 'error', text: errorText(t, err, { name: t('people.name'), creditCode: t('people.creditCode'), contactName: t('people.contactName'), contactPhone: t('people.phone'), districtCode: t('people.district'), services: t('people.services'), serviceArea: t('people.area') }) });
    },
  });

  const submit = (e: FormEvent) => {
    e.preventDefault();
    setResult(null);
    const local = localProblems(t, form, { name: form.name, creditCode: form.creditCode, contactName: form.contactName, districtCode: form.districtCode, ...(creating ? { phone: form.contactPhone } : {}) });
    if (form.creditCode.trim() && !/^[0-9A-HJ-NPQRTUWXY]{18}$/.test(form.creditCode.trim().toUpperCase())) local.creditCode = t('people.creditCodeHint');
    if (form.services.length === 0) local.services = t('people.reason.required');
    setErrors(local);
    if (Object.keys(local).length) return setResult({ kind: 'error', text: t('people.fixErrors') });
    save.mutate(bodyOf(form));
  };

  if (!creating && provider.isPending) return <Loading />;
  if (!creating && provider.isError) return <ErrorNotice message={errorText(t, provider.error)} onRetry={() => void provider.refetch()} />;
  const title = creating ? t('people.createProvider') : t('people.editProvider', { name: provider.data?.name ?? '' });
  const set = (patch: Partial<Form>) => setForm((f) => ({ ...f, ...patch }));
  return (
    <div className="narrow">
      <p><a href={href('/people/providers')}>← {t('people.back')}</a></p>
      <PageHeading focusOnMount={result === null}>{title}</PageHeading>
      <div ref={resultRef} tabIndex={-1} data-testid="people-result">
        {result?.kind === 'error' && <ErrorNotice message={result.text} />}
        {result?.kind === 'ok' && <SuccessNotice>{result.text}</SuccessNotice>}
      </div>
      <form className="panel" onSubmit={submit} noValidate aria-label={title}>
        <TextField label={t('people.name')} required autoComplete="off" value={form.name} onChange={(e) => set({ name: e.target.value })} error={errors.name} />
        <TextField label={t('people.creditCode')} hint={t('people.creditCodeHint')} required autoComplete="off" className="field__control mono" value={form.creditCode} onChange={(e) => set({ creditCode: e.target.value })} error={errors.creditCode} />
        <div className="field-row">
          <TextField label={t('people.contactName')} required autoComplete="off" value={form.contactName} onChange={(e) => set({ contactName: e.target.value })} error={errors.contactName} />
          <TextField label={t('people.phone')} hint={creating ? t('people.phoneHint') : t('people.phoneMasked', { masked: provider.data?.contactPhoneMasked ?? '' })} required={creating} inputMode="tel" autoComplete="off" value={form.contactPhone} onChange={(e) => set({ contactPhone: e.target.value })} error={errors.phone} />
        </div>
        <SelectField label={t('people.district')} required value={form.districtCode} onChange={(e) => set({ districtCode: e.target.value })} error={errors.districtCode}>
          <option value="">{t('people.chooseDistrict')}</option>
          {districts.data?.items.map((d) => <option key={d.code} value={d.code}>{d.name}（{d.code}）</option>)}
        </SelectField>
        <CodeChecklist legend={t('people.services')} codes={SERVICE_CODES} value={form.services} onChange={(services) => set({ services })} label={(s) => t(`people.service.${s}`)} error={errors.services} />
        <ServiceAreaFields value={form.area} onChange={(area) => set({ area })} errors={errors} />
        <SelectField label={t('people.status')} value={form.status} onChange={(e) => set({ status: e.target.value as Form['status'] })}>
          {(['active', 'suspended', 'inactive'] as const).map((s) => <option key={s} value={s}>{t(`people.statusValue.${s}`)}</option>)}
        </SelectField>
        <button type="submit" className="btn btn--primary" disabled={save.isPending}>{save.isPending ? t('people.saving') : creating ? t('people.create') : t('people.save')}</button>
      </form>
    </div>
  );
}
