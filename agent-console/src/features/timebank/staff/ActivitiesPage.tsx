import { keepPreviousData, useQuery } from '@tanstack/react-query';
import { useState, type FormEvent } from 'react';
import { useTranslation } from 'react-i18next';
import { errorText, formatDateTime } from '../../../app/format';
import { href, navigate } from '../../../app/router';
import { Dialog } from '../../../components/Dialog';
import { EmptyState, ErrorNotice, Loading } from '../../../components/Feedback';
import { SelectField, TextAreaField, TextField } from '../../../components/Field';
import { PageHeading } from '../../../components/PageHeading';
import { Pager } from '../../../components/Pager';
import { timebankApi } from '../timebank-api';
import { useAction, useDialogFocus, useDistricts } from '../timebank-ui';
import { isoFromLocal } from './datetime-local';

const PAGE = 50;

/** 志愿助残活动: the activities (open first), seats taken of the capacity, and 发布活动. */
export function ActivitiesPage() {
  const { t, i18n } = useTranslation();
  const [page, setPage] = useState(0);
  const [creating, setCreating] = useState(false);
  const list = useQuery({ queryKey: ['timebank', 'activities', page], queryFn: () => timebankApi.activities({ limit: PAGE, offset: page * PAGE }), placeholderData: keepPreviousData });
  return (
    <div>
      <PageHeading>{t('timebank.activities.title')}</PageHeading>
      <p>{t('timebank.activities.intro')}</p>
      <p><button type="button" className="btn btn--primary" onClick={() => setCreating(true)}>{t('timebank.activities.create')}</button></p>
      {list.isPending && <Loading />}
      {list.isError && <ErrorNotice message={errorText(t, list.error)} onRetry={() => void list.refetch()} />}
      {list.data && list.data.items.length === 0 && <EmptyState>{t('timebank.activities.empty')}</EmptyState>}
      {list.data && list.data.items.length > 0 && (
        <div className="table-wrap">
          <table className="table">
            <caption>{t('timebank.activities.caption', { count: list.data.total })}</caption>
            <thead>
              <tr>
                <th scope="col">{t('timebank.activities.name')}</th>
                <th scope="col">{t('timebank.activities.startsAt')}</th>
                <th scope="col">{t('timebank.activities.location')}</th>
                <th scope="col">{t('timebank.activities.signedUp')}</th>
                <th scope="col">{t('timebank.status')}</th>
              </tr>
            </thead>
            <tbody>
              {list.data.items.map((a) => (
                <tr key={a.id}>
                  <th scope="row"><a href={href(`/timebank/activities/${a.id}`)}>{a.title}</a></th>
                  <td>{formatDateTime(a.startsAt, i18n.language)} – {formatDateTime(a.endsAt, i18n.language)}</td>
                  <td>{a.location}</td>
                  <td>{t('timebank.activities.seats', { signedUp: a.signedUp, capacity: a.capacity })}{a.signedUp >= a.capacity ? ` · ${t('timebank.activities.full')}` : ''}</td>
                  <td>{t(`timebank.activities.${a.status}`)}</td>
                </tr>
              ))}
            </tbody>
          </table>
        </div>
      )}
      {list.data && list.data.total > PAGE && <Pager page={page} pages={Math.ceil(list.data.total / PAGE)} onPage={setPage} />}
      <Dialog open={creating} title={t('timebank.activities.createTitle')} onClose={() => setCreating(false)}>
        {creating && <ActivityForm onDone={(id) => { setCreating(false); void navigate(`/timebank/activities/${id}`); }} />}
      </Dialog>
    </div>
  );
}

function ActivityForm({ onDone }: { onDone: (id: string) => void }) {
  const { t } = useTranslation();
  const districts = useDistricts();
  const [f, setF] = useState({ title: '', description: '', districtCode: '', location: '', startsAt: '', endsAt: '', capacity: '20' });
  const act = useAction();
  const first = useDialogFocus<HTMLInputElement>();
  const labels = {
    title: t('timebank.activities.name'), description: t('timebank.activities.description'), districtCode: t('timebank.district'), location: t('timebank.activities.location'),
    startsAt: t('timebank.activities.startsAt'), endsAt: t('timebank.activities.endsAt'), capacity: t('timebank.activities.capacity'),
  };
  const submit = async (e: FormEvent) => {
    e.preventDefault();
    const made = await act.run(() => timebankApi.createActivity({
      title: f.title.trim(), ...(f.description.trim() ? { description: f.description.trim() } : {}), districtCode: f.districtCode, location: f.location.trim(),
      startsAt: isoFromLocal(f.startsAt), endsAt: isoFromLocal(f.endsAt), capacity: Number(f.capacity),
    }), (a) => t('timebank.activities.created', { title: a.title }), labels);
    if (made) onDone(made.id);
  };
  const field = (key: keyof typeof f) => ({ value: f[key], error: act.fields[key], onChange: (e: { target: { value: string } }) => setF({ ...f, [key]: e.target.value }) });
  return (
    <form className="tb-form" onSubmit={(e) => void submit(e)} noValidate>
      {act.notices}
      <TextField ref={first} label={labels.title} required {...field('title')} />
      <TextAreaField label={labels.description} rows={3} {...field('description')} />
      <SelectField label={labels.districtCode} required {...field('districtCode')}>
        <option value="">{t('timebank.join.pickDistrict')}</option>
        {districts.data?.items.map((d) => <option key={d.code} value={d.code}>{d.name}（{d.code}）</option>)}
      </SelectField>
      <TextField label={labels.location} required {...field('location')} />
      <TextField label={labels.startsAt} required type="datetime-local" {...field('startsAt')} />
      <TextField label={labels.endsAt} required type="datetime-local" {...field('endsAt')} />
      <TextField label={labels.capacity} required inputMode="numeric" {...field('capacity')} />
      <div className="dialog__actions">
        <button type="submit" className="btn btn--primary" disabled={act.busy}>{act.busy ? t('timebank.saving') : t('timebank.activities.create')}</button>
      </div>
    </form>
  );
}
