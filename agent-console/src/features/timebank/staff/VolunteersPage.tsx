import { keepPreviousData, useQuery } from '@tanstack/react-query';
import { useState, type FormEvent } from 'react';
import { useTranslation } from 'react-i18next';
import { errorText } from '../../../app/format';
import { href } from '../../../app/router';
import { EmptyState, ErrorNotice, Loading } from '../../../components/Feedback';
import { TextField } from '../../../components/Field';
import { PageHeading } from '../../../components/PageHeading';
import { Pager } from '../../../components/Pager';
import { timebankApi } from '../timebank-api';
import { Coins, useHasRole } from '../timebank-ui';

const PAGE = 50;

/** 志愿者账户: find a volunteer (name or phone digits), see balances, open the statement; 登记志愿者 opens dispatch's form. */
export function VolunteersPage() {
  const { t } = useTranslation();
  const [q, setQ] = useState('');
  const [filter, setFilter] = useState('');
  const [page, setPage] = useState(0);
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
      {/* Volunteers are registered once, in dispatch's people screens (skills, certificates, service area, PIN). */}
      {canRegister && <p><a className="btn btn--primary" href={href('/people/volunteers/new')}>{t('timebank.volunteers.register')}</a></p>}
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
    </div>
  );
}
