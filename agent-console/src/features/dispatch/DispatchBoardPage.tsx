import { keepPreviousData, useQuery } from '@tanstack/react-query';
import { useEffect, useState } from 'react';
import { useTranslation } from 'react-i18next';
import { useSearchParams } from 'react-router';
import { dispatchApi } from '../../api/dispatch-endpoints';
import type { JobSummary } from '../../api/dispatch-wire';
import { errorText, formatDateTime } from '../../app/format';
import { href } from '../../app/router';
import { PriorityBadge } from '../../components/Badges';
import { EmptyState, ErrorNotice, Loading } from '../../components/Feedback';
import { SelectField } from '../../components/Field';
import { PageHeading } from '../../components/PageHeading';
import { dispatchNotices } from '../../realtime/dispatch-notices';
import { announce } from '../../state/announcer';
import { useStore } from '../../state/store';
import './dispatch.css';
import { registerDispatchTexts } from '../../i18n/dispatch-texts';
import { JobPanel } from './JobPanel';
import { SlaCountdown } from './SlaCountdown';
import { useNow } from './use-now';

registerDispatchTexts();

type Filter = 'open' | 'all';

/**
 * 派单台: service jobs by urgency and dispatch deadline (the server's order: P0 first, then the deadline), each
 * with a live SLA countdown; choosing one opens its panel (candidates with their score parts, excluded people
 * with the reasons, offers, the map). Socket notices (`job:updated`, `offer:updated`) mark the `dispatch`
 * queries stale, so the board follows offers and field progress without polling.
 */
export function DispatchBoardPage() {
  const { t, i18n } = useTranslation();
  const [params, setParams] = useSearchParams();
  const selected = params.get('job');
  const [filter, setFilter] = useState<Filter>('open');
  const now = useNow(1000);
  const jobs = useQuery({
    queryKey: ['dispatch', 'jobs', filter],
    queryFn: () => dispatchApi.jobs({ ...(filter === 'open' ? { open: true } : {}), limit: 100 }),
    placeholderData: keepPreviousData,
  });
  const choose = (job: JobSummary) => setParams({ job: job.id });
  // Supervisors are told when a job passes its dispatch deadline with nobody assigned (said once).
  const overdue = useStore(dispatchNotices, (n) => n.overdue);
  const overdueText = overdue ? t('dispatch.liveOverdue', { number: overdue.ticketNumber }) : null;
  useEffect(() => {
    if (overdueText) announce(overdueText, 'assertive');
  }, [overdue]);
  const service = (job: JobSummary) => t(`people.service.${job.service}`);

  return (
    <div>
      <PageHeading focusOnMount={!selected}>{t('dispatch.title')}</PageHeading>
      <p>{t('dispatch.intro')}</p>
      {overdueText && overdue && (
        <p className="notice notice--warn" data-testid="sla-overdue"><span aria-hidden="true">⏰ </span>{overdueText} <a href={href(`/dispatch?job=${encodeURIComponent(overdue.jobId)}`)}>{overdue.ticketNumber}</a></p>
      )}
      <div className="board">
        <section className="board__jobs" aria-labelledby="board-jobs-title">
          <h2 id="board-jobs-title" className="visually-hidden">{t('dispatch.jobsCaption')}</h2>
          <div className="inline-form">
            <SelectField label={t('dispatch.filterStatus')} value={filter} onChange={(e) => setFilter(e.target.value as Filter)}>
              <option value="open">{t('dispatch.filterOpen')}</option>
              <option value="all">{t('dispatch.filterAll')}</option>
            </SelectField>
          </div>
          {jobs.isPending && <Loading />}
          {jobs.isError && <ErrorNotice message={errorText(t, jobs.error)} onRetry={() => void jobs.refetch()} />}
          {jobs.data && jobs.data.items.length === 0 && <EmptyState>{t('dispatch.noJobs')}</EmptyState>}
          {jobs.data && jobs.data.items.length > 0 && (
            <div className="table-wrap" aria-busy={jobs.isFetching}>
              <table className="table table--compact" data-testid="job-table">
                <caption>{t('dispatch.jobsCaption')} · {t('app.total', { count: jobs.data.total })}</caption>
                <thead>
                  <tr>
                    <th scope="col">{t('dispatch.colService')}</th>
                    <th scope="col">{t('dispatch.colPriority')}</th>
                    <th scope="col">{t('dispatch.colSla')}</th>
                    <th scope="col">{t('dispatch.colStatus')}</th>
                    <th scope="col">{t('dispatch.colAction')}</th>
                  </tr>
                </thead>
                <tbody>
                  {jobs.data.items.map((job) => (
                    <tr key={job.id} className={job.id === selected ? 'is-selected' : undefined} data-job-id={job.id}>
                      <th scope="row">
                        {service(job)}
                        <div className="muted"><a href={href(`/tickets/${job.ticketId}`)}>{job.ticketNumber}</a> · {job.areaText}</div>
                        <div className="muted">{formatDateTime(job.windowStart, i18n.language)}</div>
                      </th>
                      <td><PriorityBadge priority={job.priority} />{job.lifeOrProperty && <span className="badge badge--sos">{t('dispatch.lifeOrProperty')}</span>}</td>
                      <td><SlaCountdown job={job} now={now} /></td>
                      <td>
                        {t(`dispatch.status.${job.status}`)}
                        {job.openOffers > 0 && <div className="muted">{t('dispatch.openOffers', { count: job.openOffers })}</div>}
                        {job.assignee && <div className="muted">{job.assignee.name}</div>}
                      </td>
                      <td>
                        <button type="button" className="btn btn--small" aria-pressed={job.id === selected} aria-label={t('dispatch.selectJob', { number: job.ticketNumber, service: service(job) })} onClick={() => choose(job)}>
                          {t('dispatch.select')}
                        </button>
                      </td>
                    </tr>
                  ))}
                </tbody>
              </table>
            </div>
          )}
        </section>
        <div className="board__panel">
          {selected ? <JobPanel key={selected} jobId={selected} now={now} /> : <EmptyState>{t('dispatch.pickJob')}</EmptyState>}
        </div>
      </div>
    </div>
  );
}
