import { keepPreviousData, useQuery } from '@tanstack/react-query';
import { useState, type FormEvent } from 'react';
import { useTranslation } from 'react-i18next';
import { dispatchApi, type PeopleKind } from '../../api/dispatch-endpoints';
import type { CandidateView } from '../../api/dispatch-wire';
import { errorText } from '../../app/format';
import { href } from '../../app/router';
import { EmptyState, ErrorNotice, Loading } from '../../components/Feedback';
import { CheckboxField, TextField } from '../../components/Field';
import { PageHeading } from '../../components/PageHeading';
import { CertBadge } from './CertBadge';
import { EXPIRING_DAYS } from './cert-status';

const base = (kind: PeopleKind) => (kind === 'field-workers' ? '/people/workers' : '/people/volunteers');

/**
 * 机构人员 / 志愿者: search by name; "证书即将到期" keeps those with a certificate expiring within 30 days.
 * Each certificate shows its state (✖ expired, ⚠ expiring) in words, not colour alone.
 */
export function CandidateListPage({ kind }: { kind: PeopleKind }) {
  const { t } = useTranslation();
  const [form, setForm] = useState({ q: '', expiring: false });
  const [applied, setApplied] = useState(form);
  const list = useQuery({
    queryKey: ['dispatch', kind, applied],
    queryFn: () => dispatchApi.people(kind, { q: applied.q || undefined, expiringWithinDays: applied.expiring ? EXPIRING_DAYS : undefined, limit: 100 }),
    placeholderData: keepPreviousData,
  });
  const apply = (e: FormEvent) => {
    e.preventDefault();
    setApplied({ ...form, q: form.q.trim() });
  };
  const what = t(kind === 'field-workers' ? 'people.workers' : 'people.volunteers');
  return (
    <>
      <PageHeading>{what}</PageHeading>
      <p><a className="btn btn--primary" href={href(`${base(kind)}/new`)}>{t(kind === 'field-workers' ? 'people.createWorker' : 'people.createVolunteer')}</a></p>
      <form role="search" aria-label={t('people.searchLabel', { what })} className="inline-form" onSubmit={apply} noValidate>
        <TextField label={t('people.search')} hint={t('people.searchHint')} value={form.q} onChange={(e) => setForm({ ...form, q: e.target.value })} autoComplete="off" />
        <CheckboxField label={t('people.expiringOnly', { days: EXPIRING_DAYS })} checked={form.expiring} onChange={(e) => setForm({ ...form, expiring: e.target.checked })} />
        <button type="submit" className="btn">{t('people.apply')}</button>
      </form>
      {list.isPending && <Loading />}
      {list.isError && <ErrorNotice message={errorText(t, list.error)} onRetry={() => void list.refetch()} />}
      {list.data && list.data.items.length === 0 && <EmptyState>{t('people.empty')}</EmptyState>}
      {list.data && list.data.items.length > 0 && (
        <div className="table-wrap" aria-busy={list.isFetching}>
          <table className="table" data-testid="people-table">
            <caption>{t('people.listCaption', { what })} · {t('app.total', { count: list.data.total })}</caption>
            <thead>
              <tr>
                <th scope="col">{t('people.colName')}</th>
                {kind === 'field-workers' && <th scope="col">{t('people.colProvider')}</th>}
                <th scope="col">{t('people.colSkills')}</th>
                <th scope="col">{t('people.colCerts')}</th>
                <th scope="col">{t('people.colArea')}</th>
                <th scope="col">{t('people.colRating')}</th>
                <th scope="col">{t('people.colStatus')}</th>
              </tr>
            </thead>
            <tbody>
              {list.data.items.map((c) => <Row key={c.id} c={c} kind={kind} />)}
            </tbody>
          </table>
        </div>
      )}
    </>
  );
}

function Row({ c, kind }: { c: CandidateView; kind: PeopleKind }) {
  const { t } = useTranslation();
  return (
    <tr data-person-id={c.id}>
      <th scope="row"><a href={href(`${base(kind)}/${c.id}`)}>{c.name}</a><div className="muted mono">{c.phoneMasked}</div></th>
      {kind === 'field-workers' && <td>{c.providerName ?? '—'}</td>}
      <td>{c.skills.map((s) => t(`people.skill.${s}`)).join(t('errors.fieldSeparator')) || '—'}</td>
      <td>
        {c.certifications.length === 0 ? '—' : (
          <ul className="plain-list">
            {c.certifications.map((cert, i) => <li key={i}>{t(`people.cert.${cert.kind}`)} <CertBadge expiresOn={cert.expiresOn} flags={cert} /></li>)}
          </ul>
        )}
      </td>
      <td>{t('people.areaText', { km: c.serviceArea.radiusKm })}</td>
      <td>{c.rating === null ? '—' : `${c.rating.toFixed(1)}（${c.ratingCount}）`}</td>
      <td>{t(`people.statusValue.${c.status}`)}</td>
    </tr>
  );
}
