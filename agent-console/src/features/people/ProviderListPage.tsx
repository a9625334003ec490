import { keepPreviousData, useQuery } from '@tanstack/react-query';
import { useState, type FormEvent } from 'react';
import { useTranslation } from 'react-i18next';
import { dispatchApi } from '../../api/dispatch-endpoints';
import { errorText } from '../../app/format';
import { href } from '../../app/router';
import { EmptyState, ErrorNotice, Loading } from '../../components/Feedback';
import { TextField } from '../../components/Field';
import { PageHeading } from '../../components/PageHeading';

/** 服务机构: search by name or credit code; each row links to its edit page. */
export function ProviderListPage() {
  const { t } = useTranslation();
  const [q, setQ] = useState('');
  const [applied, setApplied] = useState('');
  const list = useQuery({ queryKey: ['dispatch', 'providers', applied], queryFn: () => dispatchApi.providers({ q: applied || undefined, limit: 100 }), placeholderData: keepPreviousData });
  const apply = (e: FormEvent) => {
    e.preventDefault();
    setApplied(q.trim());
  };
  const what = t('people.providers');
  return (
    <>
      <PageHeading>{what}</PageHeading>
      <p>{t('people.intro')}</p>
      <p><a className="btn btn--primary" href={href('/people/providers/new')}>{t('people.createProvider')}</a></p>
      <form role="search" aria-label={t('people.searchLabel', { what })} className="inline-form" onSubmit={apply} noValidate>
        <TextField label={t('people.search')} hint={t('people.searchHint')} value={q} onChange={(e) => setQ(e.target.value)} autoComplete="off" />
        <button type="submit" className="btn">{t('people.apply')}</button>
      </form>
      {list.isPending && <Loading />}
      {list.isError && <ErrorNotice message={errorText(t, list.error)} onRetry={() => void list.refetch()} />}
      {list.data && list.data.items.length === 0 && <EmptyState>{t('people.empty')}</EmptyState>}
      {list.data && list.data.items.length > 0 && (
        <div className="table-wrap" aria-busy={list.isFetching}>
          <table className="table">
            <caption>{t('people.listCaption', { what })} · {t('app.total', { count: list.data.total })}</caption>
            <thead>
              <tr>
                <th scope="col">{t('people.colName')}</th>
                <th scope="col">{t('people.creditCode')}</th>
                <th scope="col">{t('people.contactName')}</th>
                <th scope="col">{t('people.services')}</th>
                <th scope="col">{t('people.workers')}</th>
                <th scope="col">{t('people.colArea')}</th>
                <th scope="col">{t('people.colStatus')}</th>
              </tr>
            </thead>
            <tbody>
              {list.data.items.map((p) => (
                <tr key={p.id}>
                  <th scope="row"><a href={href(`/people/providers/${p.id}`)}>{p.name}</a></th>
                  <td className="mono">{p.creditCode}</td>
                  <td>{p.contactName} <span className="mono">{p.contactPhoneMasked}</span></td>
                  <td>{p.services.map((s) => t(`people.service.${s}`)).join(t('errors.fieldSeparator'))}</td>
                  <td>{p.fieldWorkerCount}</td>
                  <td>{t('people.areaText', { km: p.serviceArea.radiusKm })}</td>
                  <td>{t(`people.statusValue.${p.status}`)}</td>
                </tr>
              ))}
            </tbody>
          </table>
        </div>
      )}
    </>
  );
}
