import { keepPreviousData, useQuery } from '@tanstack/react-query';
import { useState, type FormEvent } from 'react';
import { useTranslation } from 'react-i18next';
import { api } from '../../api/endpoints';
import { ROLES } from '../../api/wire';
import { errorText } from '../../app/format';
import { href } from '../../app/router';
import { EmptyState, ErrorNotice, Loading } from '../../components/Feedback';
import { SelectField, TextField } from '../../components/Field';
import { PageHeading } from '../../components/PageHeading';

interface Filters {
  q: string;
  role: string;
  active: '' | 'true' | 'false';
}

/** The security admin's staff list: search by name, username or extension, filter by role and status. */
export function StaffListPage() {
  const { t } = useTranslation();
  const [form, setForm] = useState<Filters>({ q: '', role: '', active: '' });
  const [filters, setFilters] = useState<Filters>(form);
  const list = useQuery({
    queryKey: ['staff', 'list', filters],
    queryFn: () => api.staffList({ q: filters.q.trim() || undefined, role: filters.role || undefined, active: filters.active || undefined, limit: 200 }),
    placeholderData: keepPreviousData,
  });
  const apply = (e: FormEvent) => {
    e.preventDefault();
    setFilters(form);
  };

  return (
    <div>
      <PageHeading>{t('staff.title')}</PageHeading>
      <p><a className="btn btn--primary" href={href('/staff/new')}>{t('staff.create')}</a></p>
      <form role="search" aria-label={t('staff.searchLabel')} className="inline-form" onSubmit={apply} noValidate>
        <TextField label={t('staff.search')} value={form.q} onChange={(e) => setForm({ ...form, q: e.target.value })} autoComplete="off" />
        <SelectField label={t('staff.role')} value={form.role} onChange={(e) => setForm({ ...form, role: e.target.value })}>
          <option value="">{t('staff.any')}</option>
          {ROLES.map((r) => <option key={r} value={r}>{t(`roles.${r}`)}</option>)}
        </SelectField>
        <SelectField label={t('staff.status')} value={form.active} onChange={(e) => setForm({ ...form, active: e.target.value as Filters['active'] })}>
          <option value="">{t('staff.any')}</option>
          <option value="true">{t('staff.active')}</option>
          <option value="false">{t('staff.inactive')}</option>
        </SelectField>
        <button type="submit" className="btn">{t('staff.apply')}</button>
      </form>
      {list.isPending && <Loading />}
      {list.isError && <ErrorNotice message={errorText(t, list.error)} onRetry={() => void list.refetch()} />}
      {list.data && list.data.items.length === 0 && <EmptyState>{t('staff.empty')}</EmptyState>}
      {list.data && list.data.items.length > 0 && (
        <div className="table-wrap" aria-busy={list.isFetching}>
          <table className="table">
            <caption>{t('staff.list')} · {t('app.total', { count: list.data.total })}</caption>
            <thead>
              <tr>
                <th scope="col">{t('staff.username')}</th>
                <th scope="col">{t('staff.displayName')}</th>
                <th scope="col">{t('staff.roles')}</th>
                <th scope="col">{t('staff.district')}</th>
                <th scope="col">{t('staff.extension')}</th>
                <th scope="col">{t('staff.status')}</th>
                <th scope="col">{t('staff.totp')}</th>
              </tr>
            </thead>
            <tbody>
              {list.data.items.map((u) => (
                <tr key={u.id}>
                  <th scope="row"><a href={href(`/staff/${u.id}`)}>{u.username}</a></th>
                  <td>{u.displayName}</td>
                  <td>{u.roles.map((r) => t(`roles.${r}`)).join(t('errors.fieldSeparator'))}</td>
                  <td>{u.districtCode}</td>
                  <td>{u.sipExtension ?? '—'}</td>
                  <td>{u.active ? t('staff.active') : t('staff.inactive')}{u.mustChangePassword ? ` · ${t('staff.mustChange')}` : ''}</td>
                  <td>{u.totpEnrolled ? t('staff.totpOn') : t('staff.totpOff')}</td>
                </tr>
              ))}
            </tbody>
          </table>
        </div>
      )}
    </div>
  );
}
