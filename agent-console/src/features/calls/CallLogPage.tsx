import { useMemo, useState } from 'react';
import { useTranslation } from 'react-i18next';
import { api } from '../../api/endpoints';
import { errorText, formatDateTime, formatPhone } from '../../app/format';
import { href } from '../../app/router';
import { useAsync } from '../../app/use-async';
import { EmptyState, ErrorNotice, Loading } from '../../components/Feedback';
import { CheckboxField } from '../../components/Field';
import { PageHeading } from '../../components/PageHeading';
import { callEndNotes } from './call-end';
import { DialButton } from './DialButton';
import { Pager } from '../../components/Pager';

const PAGE = 50;

/** The call log; "missed calls only" is the callback work list (未接来电回拨). */
export function CallLogPage() {
  const { t, i18n } = useTranslation();
  const [missed, setMissed] = useState(false);
  const [page, setPage] = useState(0);
  const query = useMemo(() => ({ needsFollowUp: missed || undefined, limit: PAGE, offset: page * PAGE }), [missed, page]);
  const calls = useAsync(() => api.calls(query), [query]);
  const pages = calls.data ? Math.max(1, Math.ceil(calls.data.total / PAGE)) : 1;
  return (
    <div>
      <PageHeading>{t('calls.title')}</PageHeading>
      <CheckboxField label={t('calls.filterMissed')} checked={missed} onChange={(e) => { setMissed(e.target.checked); setPage(0); }} />
      {calls.status === 'loading' && !calls.data && <Loading />}
      {calls.status === 'error' && <ErrorNotice message={errorText(t, calls.error)} onRetry={calls.reload} />}
      {calls.data && calls.data.items.length === 0 && <EmptyState>{t('calls.empty')}</EmptyState>}
      {calls.data && calls.data.items.length > 0 && (
        <>
          <div className="table-wrap" aria-busy={calls.status === 'loading'}>
            <table className="table">
              <caption>{t('calls.title')} · {t('app.total', { count: calls.data.total })}</caption>
              <thead>
                <tr>
                  <th scope="col">{t('calls.offeredAt')}</th>
                  <th scope="col">{t('calls.direction')}</th>
                  <th scope="col">{t('calls.from')}</th>
                  <th scope="col">{t('calls.to')}</th>
                  <th scope="col">{t('calls.status')}</th>
                  <th scope="col">{t('calls.wait')} / {t('calls.talk')}</th>
                  <th scope="col">{t('calls.agent')}</th>
                  <th scope="col"><span className="visually-hidden">{t('calls.callBack')}</span></th>
                </tr>
              </thead>
              <tbody>
                {calls.data.items.map((c) => {
                  const other = c.direction === 'inbound' ? (c.fromMasked ?? c.fromE164) : (c.toMasked ?? c.toE164);
                  const from = c.fromE164 ? formatPhone(c.fromE164) : (c.fromMasked ?? '—');
                  return (
                    <tr key={c.id}>
                      <td>{formatDateTime(c.offeredAt ?? c.createdAt, i18n.language)}</td>
                      <td>{c.direction === 'inbound' ? t('calls.inbound') : t('calls.outbound')}{c.isSos && <span className="badge badge--sos">{t('calls.sos')}</span>}</td>
                      <td className="mono">{c.personId ? <a href={href(`/persons/${c.personId}`)}>{from}</a> : from}</td>
                      <td className="mono">{c.toE164 ? formatPhone(c.toE164) : (c.toMasked ?? '—')}</td>
                      <td>
                        {t(`callStatus.${c.status}`)}
                        {c.endReason && ` · ${t(`endReason.${c.endReason}`, { defaultValue: c.endReason })}`}
                        {callEndNotes(t, c, i18n.language).map((note) => ` · ${note}`)}
                        {c.needsFollowUp && <span className="badge badge--overdue"><span aria-hidden="true">↩ </span>{t('calls.followUp')}</span>}
                      </td>
                      <td>{c.waitSeconds !== null ? t('calls.seconds', { s: c.waitSeconds }) : '—'} / {c.talkSeconds !== null ? t('calls.seconds', { s: c.talkSeconds }) : '—'}</td>
                      <td>{c.agentExtension ?? '—'}</td>
                      <td>{other && <DialButton dial={{ callId: c.id }} verb={t('calls.callBack')} target={other} />}</td>
                    </tr>
                  );
                })}
              </tbody>
            </table>
          </div>
          <Pager page={page} pages={pages} onPage={setPage} />
        </>
      )}
    </div>
  );
}
