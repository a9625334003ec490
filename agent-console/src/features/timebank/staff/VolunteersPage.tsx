import { keepPreviousData, useQuery } from '@tanstack/react-query';
import { useState, type FormEvent } from 'react';
import { useTranslation } from 'react-i18next';
import type { RegisterVolunteerBody } from '../../../api/timebank-wire';
import { errorText } from '../../../app/format';
import { href, navigate } from '../../../app/router';
import { Dialog } from '../../../components/Dialog';
import { EmptyState, ErrorNotice, Loading } from '../../../components/Feedback';
import { RadioGroup, SelectField, TextField } from '../../../components/Field';
import { PageHeading } from '../../../components/PageHeading';
import { Pager } from '../../../components/Pager';
import { publicApi } from '../public/public-api';
import { timebankApi } from '../timebank-api';
import { Coins, useAction, useDialogFocus, useDistricts, useHasRole } from '../timebank-ui';

const PAGE = 50;

/** 志愿者账户: find a volunteer (name or phone digits), see balances, open the statement, register one. */
export function VolunteersPage() {
  const { t } = useTranslation();
  const [q, setQ] = useState('');
  const [filter, setFilter] = useState('');
  const [page, setPage] = useState(0);
  const [registering, setRegistering] = useState(false);
  const canRegister = useHasRole('dispatcher', 'supervisor');
  const list = useQuery({
    queryKey: ['timebank', 'volunteers', filter, page],
    queryFn: () => timebankApi.volunteers({ q: filter || undefined, limit: PAGE, offset: page * PAGE }),
    placeholderData: keepPreviousData,
  });
  const search = (e: FormEvent) => {
    e.preventDefault();
    setPage(0);
    setFilter(q.trim());
  };
  return (
    <div>
      <PageHeading>{t('timebank.volunteers.title')}</PageHeading>
      <p>{t('timebank.volunteers.intro')}</p>
      {canRegister && <p><button type="button" className="btn btn--primary" onClick={() => setRegistering(true)}>{t('timebank.volunteers.register')}</button></p>}
      <form role="search" aria-label={t('timebank.volunteers.searchLabel')} className="inline-form" onSubmit={search} noValidate>
        <TextField label={t('timebank.volunteers.search')} value={q} onChange={(e) => setQ(e.target.value)} autoComplete="off" />
        <button type="submit" className="btn">{t('timebank.volunteers.searchButton')}</button>
      </form>
      {list.isPending && <Loading />}
      {list.isError && <ErrorNotice message={errorText(t, list.error)} onRetry={() => void list.refetch()} />}
      {list.data && list.data.items.length === 0 && <EmptyState>{t('timebank.volunteers.empty')}</EmptyState>}
      {list.data && list.data.items.length > 0 && (
        <div className="table-wrap" aria-busy={list.isFetching}>
          <table className="table">
            <caption>{t('timebank.volunteers.list')} · {t('app.total', { count: list.data.total })}</caption>
            <thead>
              <tr>
                <th scope="col">{t('timebank.volunteers.name')}</th>
                <th scope="col">{t('timebank.volunteers.phone')}</th>
                <th scope="col">{t('timebank.district')}</th>
                <th scope="col" className="tb-num">{t('timebank.volunteers.balance')}</th>
              </tr>
            </thead>
            <tbody>
              {list.data.items.map((v) => (
                <tr key={v.volunteerId}>
                  <th scope="row"><a href={href(`/timebank/volunteers/${v.volunteerId}`)} aria-label={t('timebank.volunteers.openOf', { name: v.name })}>{v.name}</a></th>
                  <td>{v.phoneMasked ?? '—'}</td>
                  <td>{v.districtCode}</td>
                  <td className="tb-num"><Coins units={v.balanceUnits} /></td>
                </tr>
              ))}
            </tbody>
          </table>
        </div>
      )}
      {list.data && list.data.total > PAGE && <Pager page={page} pages={Math.ceil(list.data.total / PAGE)} onPage={setPage} />}
      <Dialog open={registering} title={t('timebank.volunteers.registerTitle')} onClose={() => setRegistering(false)}>
        {registering && <RegisterVolunteerForm onDone={(id) => { setRegistering(false); void navigate(`/timebank/volunteers/${id}`); }} />}
      </Dialog>
    </div>
  );
}

/** Staff registration of a volunteer: name, mobile, district, gender, skills. */
function RegisterVolunteerForm({ onDone }: { onDone: (volunteerId: string) => void }) {
  const { t } = useTranslation();
  const districts = useDistricts();
  const options = useQuery({ queryKey: ['timebank', 'signup-options'], queryFn: publicApi.signupOptions, staleTime: 5 * 60_000 });
  const [body, setBody] = useState<{ name: string; phone: string; districtCode: string; gender: '' | 'male' | 'female'; skills: string[] }>({ name: '', phone: '', districtCode: '', gender: '', skills: [] });
  const act = useAction();
  const nameRef = useDialogFocus<HTMLInputElement>();
  const labels = { name: t('timebank.volunteers.name'), phone: t('timebank.volunteers.phone'), districtCode: t('timebank.district'), skills: t('timebank.volunteers.skills') };
  const submit = async (e: FormEvent) => {
    e.preventDefault();
    const payload: RegisterVolunteerBody = { name: body.name.trim(), phone: body.phone.trim(), districtCode: body.districtCode, ...(body.gender ? { gender: body.gender } : {}), ...(body.skills.length ? { skills: body.skills } : {}) };
    const made = await act.run(() => timebankApi.registerVolunteer(payload), (v) => t('timebank.volunteers.registered', { name: v.name }), labels);
    if (made) onDone(made.volunteerId);
    else nameRef.current?.focus();
  };
  return (
    <form className="tb-form" onSubmit={(e) => void submit(e)} noValidate>
      {act.notices}
      <TextField ref={nameRef} label={t('timebank.volunteers.name')} required value={body.name} error={act.fields.name} onChange={(e) => setBody({ ...body, name: e.target.value })} />
      <TextField label={t('timebank.volunteers.phone')} required inputMode="tel" value={body.phone} error={act.fields.phone} onChange={(e) => setBody({ ...body, phone: e.target.value })} />
      <SelectField label={t('timebank.district')} required value={body.districtCode} error={act.fields.districtCode} onChange={(e) => setBody({ ...body, districtCode: e.target.value })}>
        <option value="">{t('timebank.join.pickDistrict')}</option>
        {districts.data?.items.map((d) => <option key={d.code} value={d.code}>{d.name}（{d.code}）</option>)}
      </SelectField>
      <RadioGroup legend={t('timebank.volunteers.gender')} name="tb-gender" value={body.gender}
        options={[{ value: 'male', label: t('timebank.volunteers.genderM') }, { value: 'female', label: t('timebank.volunteers.genderF') }]}
        onChange={(g) => setBody({ ...body, gender: g })} />
      {options.data && options.data.skills.length > 0 && (
        <fieldset className="field">
          <legend className="field__label">{t('timebank.volunteers.skills')}</legend>
          <div className="radio-group__options">
            {options.data.skills.map((s) => (
              <label key={s} className="radio">
                <input type="checkbox" checked={body.skills.includes(s)} onChange={(e) => setBody({ ...body, skills: e.target.checked ? [...body.skills, s] : body.skills.filter((x) => x !== s) })} />
                <span>{t(`serviceType.${s}`, { defaultValue: s })}</span>
              </label>
            ))}
          </div>
        </fieldset>
      )}
      <div className="dialog__actions">
        <button type="submit" className="btn btn--primary" disabled={act.busy}>{act.busy ? t('timebank.saving') : t('timebank.save')}</button>
      </div>
    </form>
  );
}
