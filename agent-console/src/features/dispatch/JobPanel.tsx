import { useMutation, useQuery } from '@tanstack/react-query';
import { useEffect, useMemo, useRef, useState } from 'react';
import { useTranslation } from 'react-i18next';
import { dispatchApi } from '../../api/dispatch-endpoints';
import type { JobDetail, JobStatus } from '../../api/dispatch-wire';
import { errorText, formatDateTime } from '../../app/format';
import { invalidate } from '../../app/query';
import { href } from '../../app/router';
import { PriorityBadge } from '../../components/Badges';
import { ErrorNotice, Loading, SuccessNotice } from '../../components/Feedback';
import { announce } from '../../state/announcer';
import { useStore } from '../../state/store';
import { CandidateTables, type CandidateAction } from './CandidateTables';
import { dispatchNotices } from '../../realtime/dispatch-notices';
import { DispatchMap } from './DispatchMap';
import { mapPointsOf, mapTiles } from './map-points';
import { OffersTable } from './OffersTable';
import { SlaCountdown } from './SlaCountdown';

/** Job states in which offers may go out or people be assigned. */
const DISPATCHABLE: readonly JobStatus[] = ['open', 'offering', 'with_dispatcher'];
const WITHDRAWABLE: readonly JobStatus[] = ['offering', 'assigned', 'en_route'];

/**
 * One job on the board: facts, SLA, the dispatch actions, the candidates (ranked with score parts, excluded
 * with reasons), the offers and the map. Opening it moves the focus to its heading; after an action the
 * focus goes to the result message, which says what happened (or the translated refusal).
 */
export function JobPanel({ jobId, now }: { jobId: string; now: number }) {
  const { t, i18n } = useTranslation();
  const job = useQuery({ queryKey: ['dispatch', 'job', jobId], queryFn: () => dispatchApi.job(jobId) });
  const dispatchable = job.data ? DISPATCHABLE.includes(job.data.status) : false;
  const candidates = useQuery({ queryKey: ['dispatch', 'candidates', jobId], queryFn: () => dispatchApi.candidates(jobId, 10), enabled: dispatchable || Boolean(job.data?.assignee) });
  const [result, setResult] = useState<{ kind: 'ok' | 'error'; text: string } | null>(null);
  const headingRef = useRef<HTMLHeadingElement>(null);
  const resultRef = useRef<HTMLDivElement>(null);
  const loaded = Boolean(job.data);
  useEffect(() => {
    if (loaded) headingRef.current?.focus();
  }, [loaded]);
  useEffect(() => {
    if (result) resultRef.current?.focus();
  }, [result]);

  // Live notices for this job (offers answered, timed out): said once to screen-reader users too.
  const notice = useStore(dispatchNotices, (n) => (n.last?.jobId === jobId ? n.last : null));
  const number = job.data?.ticketNumber ?? '';
  useEffect(() => {
    if (!notice) return;
    const o = notice.offer;
    const key = o.status === 'accepted' ? 'liveAccepted' : o.status === 'declined' ? 'liveDeclined' : o.status === 'timed_out' ? 'liveExpired' : null;
    if (key) announce(t(`dispatch.${key}`, { name: o.candidateName, number }));
  }, [notice?.seq]);

  const act = useMutation({
    mutationFn: async (a: CandidateAction | { type: 'cascade' } | { type: 'withdraw-all' }): Promise<{ detail: JobDetail; text: string }> => {
      switch (a.type) {
        case 'offer':
          return { detail: await dispatchApi.offer(jobId, { candidateIds: [a.candidateId] }), text: t('dispatch.offerSent', { name: a.name }) };
        case 'assign':
          return { detail: await dispatchApi.assign(jobId, { candidateId: a.candidateId }), text: t('dispatch.assigned', { name: a.name }) };
        case 'withdraw':
          return { detail: await dispatchApi.withdraw(jobId, { offerId: a.offerId }), text: t('dispatch.withdrawn') };
        case 'call': {
          const placed = await dispatchApi.voiceOffer(jobId, { candidateId: a.candidateId });
          return { detail: placed.job, text: t('dispatch.calling', { name: a.name, number: placed.call.toMasked, extension: placed.call.agentExtension }) };
        }
        case 'voice-answer':
          return { detail: await dispatchApi.voiceAnswer(jobId, { offerId: a.offerId, answer: a.answer }), text: t(a.answer === 'accepted' ? 'dispatch.phoneAcceptedDone' : 'dispatch.phoneDeclinedDone', { name: a.name }) };
        case 'cascade':
          return { detail: await dispatchApi.offer(jobId, {}), text: t('dispatch.reoffered') };
        case 'withdraw-all':
          return { detail: await dispatchApi.withdraw(jobId, {}), text: t('dispatch.withdrawn') };
      }
    },
    onSuccess: ({ text }) => {
      setResult({ kind: 'ok', text });
      announce(text);
      invalidate('dispatch');
    },
    onError: (err) => {
      setResult({ kind: 'error', text: errorText(t, err) });
      invalidate('dispatch');
    },
  });

  const points = useMemo(() => (job.data ? mapPointsOf(t, job.data, candidates.data ?? null) : []), [job.data, candidates.data, t]);

  if (job.isPending) return <Loading />;
  if (job.isError) return <ErrorNotice message={errorText(t, job.error)} onRetry={() => void job.refetch()} />;
  const d = job.data;
  const service = t(`people.service.${d.service}`);
  const offersOpen = d.offers.some((o) => o.status === 'open');
  return (
    <section className="panel" aria-labelledby="job-panel-title" data-testid="job-panel">
      <h2 id="job-panel-title" ref={headingRef} tabIndex={-1} className="panel__title">{t('dispatch.jobTitle', { service, number: d.ticketNumber })}</h2>
      <dl className="facts">
        <div><dt>{t('dispatch.colStatus')}</dt><dd data-testid="job-status">{t(`dispatch.status.${d.status}`)}</dd></div>
        <div><dt>{t('dispatch.colPriority')}</dt><dd><PriorityBadge priority={d.priority} /></dd></div>
        <div><dt>{t('dispatch.colSla')}</dt><dd><SlaCountdown job={d} now={now} /> <span className="muted">{formatDateTime(d.dispatchDueAt, i18n.language)}</span></dd></div>
        <div><dt>{t('dispatch.window')}</dt><dd>{formatDateTime(d.windowStart, i18n.language)} – {formatDateTime(d.windowEnd, i18n.language)}</dd></div>
        <div><dt>{t('dispatch.colOrder')}</dt><dd><a href={href(`/tickets/${d.ticketId}`)}>{d.ticketNumber}</a></dd></div>
        <div><dt>{t('dispatch.person')}</dt><dd>{d.personName ?? '—'}</dd></div>
        <div className="facts__wide"><dt>{t('dispatch.location')}</dt><dd>{d.locationText}（{d.areaText}）</dd></div>
        {d.needs && <div className="facts__wide"><dt>{t('dispatch.needs')}</dt><dd>{d.needs}</dd></div>}
        {(d.requirements.twoPersonVisit || d.requirements.genderPreference) && (
          <div className="facts__wide"><dt>{t('dispatch.requirements')}</dt><dd>{[d.requirements.twoPersonVisit ? t('dispatch.twoPerson') : null, d.requirements.genderPreference ? t(`people.${d.requirements.genderPreference === 'female' ? 'genderFemale' : 'genderMale'}`) : null].filter(Boolean).join(t('errors.fieldSeparator'))}</dd></div>
        )}
        <div><dt>{t('dispatch.assignee')}</dt><dd data-testid="job-assignee">{d.assignee ? `${d.assignee.name}${d.assignee.providerName ? `（${d.assignee.providerName}）` : ''}` : t('dispatch.noAssignee')}</dd></div>
        {d.returnCause && d.status === 'with_dispatcher' && <div className="facts__wide"><dt>{t('dispatch.colStatus')}</dt><dd>{t('dispatch.returned', { reason: t(`dispatch.returnCause.${d.returnCause}`) })}</dd></div>}
        {(d.enRouteAt || d.checkInAt || d.checkOutAt) && (
          <div className="facts__wide">
            <dt>{t('dispatch.progress')}</dt>
            <dd>{[d.enRouteAt && `${t('dispatch.enRouteAt')} ${formatDateTime(d.enRouteAt, i18n.language)}`, d.checkInAt && `${t('dispatch.checkInAt')} ${formatDateTime(d.checkInAt, i18n.language)}`, d.checkOutAt && `${t('dispatch.checkOutAt')} ${formatDateTime(d.checkOutAt, i18n.language)}`].filter(Boolean).join(' · ')}</dd>
          </div>
        )}
        {d.outcomeNotes && <div className="facts__wide"><dt>{t('dispatch.outcomeNotes')}</dt><dd>{d.outcomeNotes}</dd></div>}
        {d.failureReason && <div className="facts__wide"><dt>{t('dispatch.failureReason')}</dt><dd>{d.failureReason}</dd></div>}
      </dl>
      <div ref={resultRef} tabIndex={-1} data-testid="job-result">
        {result?.kind === 'ok' && <SuccessNotice>{result.text}</SuccessNotice>}
        {result?.kind === 'error' && <ErrorNotice message={result.text} />}
      </div>
      {(dispatchable || WITHDRAWABLE.includes(d.status)) && (
        <div className="button-row" role="group" aria-label={t('dispatch.jobActions')}>
          {dispatchable && <button type="button" className="btn btn--primary" disabled={act.isPending} onClick={() => act.mutate({ type: 'cascade' })}>{d.status === 'open' ? t('dispatch.startCascade') : t('dispatch.reoffer')}</button>}
          {WITHDRAWABLE.includes(d.status) && (offersOpen || d.assignee) && <button type="button" className="btn btn--stop" disabled={act.isPending} onClick={() => act.mutate({ type: 'withdraw-all' })}>{t('dispatch.withdrawAll')}</button>}
        </div>
      )}
      {dispatchable && <p className="muted">{t('dispatch.parallelHint', { count: d.parallel, seconds: d.offerTimeoutSeconds })} {t('dispatch.reofferHint')}</p>}
      {candidates.isError && <ErrorNotice message={errorText(t, candidates.error)} onRetry={() => void candidates.refetch()} />}
      {candidates.data && <DispatchMap points={points} tiles={mapTiles()} caption={t('dispatch.map.caption')} />}
      {candidates.isPending && candidates.fetchStatus !== 'idle' && <Loading />}
      {candidates.data && <CandidateTables list={candidates.data} job={d} busy={act.isPending || !dispatchable} onAction={(a) => act.mutate(a)} />}
      <OffersTable job={d} busy={act.isPending} onAction={(a) => act.mutate(a)} />
    </section>
  );
}
