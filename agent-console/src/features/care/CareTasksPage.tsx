import { useQuery } from '@tanstack/react-query';
import { useEffect, useRef, useState, type FormEvent } from 'react';
import { useTranslation } from 'react-i18next';
import { api } from '../../api/endpoints';
import { CARE_OUTCOMES, SATISFACTION, SURVEY_OUTCOMES, type CareOutcomeBody, type CareTaskDetail, type CareTaskItem, type Satisfaction } from '../../api/wire';
import { errorText, formatDateTime } from '../../app/format';
import { invalidate } from '../../app/query';
import { href } from '../../app/router';
import { RiskBadge } from '../../components/Badges';
import { EmptyState, ErrorNotice, Loading, SuccessNotice } from '../../components/Feedback';
import { RadioGroup, TextAreaField } from '../../components/Field';
import { PageHeading } from '../../components/PageHeading';
import { announce } from '../../state/announcer';
import { DialButton } from '../calls/DialButton';
import { campaignApi, type Answers } from './campaigns/campaign-api';
import { missingAnswer, QuestionnaireFields } from './campaigns/QuestionnaireFields';

/**
 * 关怀任务: the agent's work list of due and overdue care calls and 回访, highest risk and earliest due first.
 * Claim (the next one, or a row), preview the person, dial with one click (the call is linked to the task) and
 * record the outcome; keyboard only. After saving, the focus returns to 领取下一个 for the next call.
 */
export function CareTasksPage() {
  const { t, i18n } = useTranslation();
  const list = useQuery({ queryKey: ['care', 'tasks'], queryFn: api.careTasks }); // refreshed by care:tasks-changed (realtime/connection.ts)
  const [activeId, setActiveId] = useState<string | null>(null);
  const [busy, setBusy] = useState(false);
  const [error, setError] = useState<string | null>(null);
  const [message, setMessage] = useState<string | null>(null);
  const claimNextRef = useRef<HTMLButtonElement>(null);

  const who = (task: Pick<CareTaskItem, 'person' | 'ticket' | 'kind'>) => task.person?.name ?? (task.ticket ? t('care.surveyOf', { number: task.ticket.number }) : t('care.anonymous'));

  const run = async (action: () => Promise<CareTaskItem | null>) => {
    setBusy(true);
    setError(null);
    setMessage(null);
    try {
      const task = await action();
      if (!task) {
        setMessage(t('care.nothingDue'));
        announce(t('care.nothingDue'));
      } else {
        announce(t('care.claimed', { who: who(task) }));
        setActiveId(task.id);
      }
      invalidate('care');
    } catch (err) {
      setError(errorText(t, err));
    } finally {
      setBusy(false);
    }
  };

  const finished = (text: string) => {
    setActiveId(null);
    setMessage(text);
    announce(text);
    invalidate('care');
    claimNextRef.current?.focus();
  };

  return (
    <div>
      <PageHeading>{t('care.title')}</PageHeading>
      <p>{t('care.intro')}</p>
      <p>
        <button ref={claimNextRef} type="button" className="btn btn--primary" disabled={busy} onClick={() => void run(api.careClaimNext)}>
          {t('care.claimNext')}
        </button>
      </p>
      {error && <ErrorNotice message={error} />}
      {message && <SuccessNotice>{message}</SuccessNotice>}
      {activeId && <CareTaskPanel key={activeId} id={activeId} onFinished={finished} onReleased={() => finished(t('care.released'))} />}
      {list.status === 'pending' && <Loading />}
      {list.status === 'error' && <ErrorNotice message={errorText(t, list.error)} onRetry={() => void list.refetch()} />}
      {list.data && list.data.items.length === 0 && <EmptyState>{t('care.nothingDue')}</EmptyState>}
      {list.data && list.data.items.length > 0 && (
        <div className="table-wrap">
          <table className="table">
            <caption>{t('care.listCaption')} · {t('app.total', { count: list.data.total })}</caption>
            <thead>
              <tr>
                <th scope="col">{t('care.colRisk')}</th>
                <th scope="col">{t('care.colWho')}</th>
                <th scope="col">{t('care.colKind')}</th>
                <th scope="col">{t('care.colDue')}</th>
                <th scope="col">{t('care.colAttempts')}</th>
                <th scope="col">{t('care.colAction')}</th>
              </tr>
            </thead>
            <tbody>
              {list.data.items.map((task) => (
                <tr key={task.id}>
                  <td>{task.riskTier ? <RiskBadge tier={task.riskTier} /> : '—'}</td>
                  <td>{who(task)}</td>
                  <td>{t(`care.kind.${task.kind}`)}{task.ticket && <> · <a href={href(`/tickets/${task.ticket.id}`)}>{task.ticket.number}</a></>}</td>
                  <td>
                    {formatDateTime(task.dueAt, i18n.language)}
                    {task.overdue && <span className="badge badge--overdue"><span aria-hidden="true">⏰ </span>{t('care.overdue')}</span>}
                  </td>
                  <td>{task.attempts}</td>
                  <td>
                    {task.claimedByMe ? (
                      <button type="button" className="btn btn--small" aria-label={t('care.openOf', { who: who(task) })} onClick={() => setActiveId(task.id)}>{t('care.open')}</button>
                    ) : (
                      <button type="button" className="btn btn--small" disabled={busy} aria-label={t('care.claimOf', { who: who(task) })} onClick={() => void run(() => api.careClaim(task.id))}>{t('care.claim')}</button>
                    )}
                  </td>
                </tr>
              ))}
            </tbody>
          </table>
        </div>
      )}
    </div>
  );
}

/** The claimed task: preview, one-click dial, outcome (and the 回访 rating). */
function CareTaskPanel({ id, onFinished, onReleased }: { id: string; onFinished: (text: string) => void; onReleased: () => void }) {
  const { t, i18n } = useTranslation();
  const task = useQuery({ queryKey: ['care', 'task', id], queryFn: () => api.careTask(id) });
  const headingRef = useRef<HTMLHeadingElement>(null);
  const loaded = Boolean(task.data);
  useEffect(() => {
    if (loaded) headingRef.current?.focus();
  }, [loaded]);
  if (task.status === 'pending') return <Loading />;
  if (task.status === 'error') return <ErrorNotice message={errorText(t, task.error)} onRetry={() => void task.refetch()} />;
  const d = task.data;
  const name = d.person?.name ?? (d.ticket ? t('care.surveyOf', { number: d.ticket.number }) : t('care.anonymous'));
  return (
    <section className="panel" aria-labelledby="care-task-heading">
      <h2 id="care-task-heading" ref={headingRef} tabIndex={-1}>{t('care.detailTitle', { who: name })}</h2>
      <dl className="facts">
        <dt>{t('care.colKind')}</dt>
        <dd>{t(`care.kind.${d.kind}`)}{d.ticket && <> · <a href={href(`/tickets/${d.ticket.id}`)}>{d.ticket.number}</a></>}</dd>
        {d.personDetail && (
          <>
            <dt>{t('care.colRisk')}</dt>
            <dd>
              <RiskBadge tier={d.personDetail.riskTier as 'high'} />
              {d.personDetail.livingSituation && ` · ${t(`living.${d.personDetail.livingSituation}`)}`}
              {` · ${t(`communication.${d.personDetail.communicationNeed}`)}`}
              {d.personDetail.disabilityCategory && ` · ${t(`disabilityCategory.${d.personDetail.disabilityCategory}`)}`}
              {d.personDetail.disabilityLevel && ` ${t(`disabilityLevel.${d.personDetail.disabilityLevel}`)}`}
            </dd>
          </>
        )}
        {d.channel && (
          <>
            <dt>{t('care.channelLabel')}</dt>
            <dd>{t(`care.channel.${d.channel}`)}</dd>
          </>
        )}
        {d.script && (
          <>
            <dt>{t('care.script')}</dt>
            <dd>{d.script}</dd>
          </>
        )}
        {d.ticketDetail && (
          <>
            <dt>{t('care.order')}</dt>
            <dd>{t(`category.${d.ticketDetail.category}`)} · {d.ticketDetail.summary}</dd>
          </>
        )}
      </dl>
      {d.phones.length > 0 && (
        <>
          <h3>{t('care.phones')}</h3>
          <ul className="plain-list">
            {d.phones.map((p) => (
              <li key={p.id}>
                <span className="mono">{p.masked}</span> ({t(`phoneKind.${p.kind}`)}) <DialButton dial={{ personId: d.person!.id, phoneId: p.id }} place={() => api.careDial(id, { phoneId: p.id })} verb={t('care.dialVerb')} target={`${name} ${p.masked}`} />
              </li>
            ))}
          </ul>
        </>
      )}
      {!d.person && d.ticket && <p><DialButton dial={{ ticketId: d.ticket.id }} place={() => api.careDial(id, {})} verb={t('care.dialVerb')} target={name} /></p>}
      {d.contacts.length > 0 && (
        <>
          <h3>{t('care.contacts')}</h3>
          <ul className="plain-list">
            {d.contacts.map((c) => (
              <li key={c.id}>
                {c.name}（{c.relation}{c.isGuardian ? ` · ${t('care.guardian')}` : ''}） <span className="mono">{c.masked}</span> <DialButton dial={{ contactId: c.id }} place={() => api.careDial(id, { contactId: c.id })} verb={t('care.dialVerb')} target={`${c.name} ${c.masked}`} />
              </li>
            ))}
          </ul>
        </>
      )}
      <h3>{t('care.history')}</h3>
      {d.history.length === 0 ? <p>{t('care.noHistory')}</p> : (
        <ul className="plain-list">
          {d.history.map((h, i) => <li key={i}>{formatDateTime(h.at, i18n.language)} · {t(`care.event.${h.kind}`, { defaultValue: h.kind })}{h.note ? `：${h.note}` : ''}</li>)}
        </ul>
      )}
      <h3>{t('care.openOrders')}</h3>
      {d.openOrders.length === 0 ? <p>{t('care.noOpenOrders')}</p> : (
        <ul className="plain-list">
          {d.openOrders.map((o) => <li key={o.id}><a href={href(`/tickets/${o.id}`)}>{o.number}</a> · {t(`category.${o.category}`)} · {t(`ticketStatus.${o.status}`)}</li>)}
        </ul>
      )}
      <OutcomeForm task={d} onFinished={onFinished} onReleased={onReleased} />
    </section>
  );
}

function OutcomeForm({ task, onFinished, onReleased }: { task: CareTaskDetail; onFinished: (text: string) => void; onReleased: () => void }) {
  const { t } = useTranslation();
  const survey = task.kind === 'survey';
  const [outcome, setOutcome] = useState<string>('');
  const [note, setNote] = useState('');
  const [satisfaction, setSatisfaction] = useState<Satisfaction | ''>('');
  const [resolved, setResolved] = useState<'yes' | 'no' | ''>('');
  const [comment, setComment] = useState('');
  const [problem, setProblem] = useState<string | null>(null);
  const [saving, setSaving] = useState(false);
  const submitRef = useRef<HTMLButtonElement>(null);
  const [answers, setAnswers] = useState<Answers>({});
  const questionnaire = useQuery({ queryKey: ['care', 'questionnaire', task.id], queryFn: () => campaignApi.taskQuestionnaire(task.id), enabled: task.kind === 'campaign', staleTime: Infinity }).data?.questionnaire ?? null;
  const reached = outcome.startsWith('reached');

  const submit = async (e: FormEvent) => {
    e.preventDefault();
    setProblem(null);
    if (!outcome) return setProblem(t('care.pickOutcome'));
    if (survey && outcome === 'reached' && (!satisfaction || !resolved)) return setProblem(t('care.pickRating'));
    if (outcome === 'deceased_moved' && note.trim().length < 2) return setProblem(t('care.noteRequired'));
    const missing = questionnaire && reached ? missingAnswer(questionnaire, answers) : null;
    if (missing) return setProblem(t('campaigns.answerMissing', { label: missing }));
    const body: CareOutcomeBody = survey
      ? { outcome: outcome as (typeof SURVEY_OUTCOMES)[number], ...(outcome === 'reached' ? { satisfaction: satisfaction as Satisfaction, resolved: resolved === 'yes', ...(comment.trim() ? { comment: comment.trim() } : {}) } : {}), ...(note.trim() ? { note: note.trim() } : {}) }
      : { outcome: outcome as (typeof CARE_OUTCOMES)[number], ...(note.trim() ? { note: note.trim() } : {}), ...(questionnaire && reached ? { questionnaireVersion: questionnaire.version, answers } : {}) };
    setSaving(true);
    try {
      await api.careOutcome(task.id, body);
      onFinished(t('care.saved', { outcome: t(`care.outcome.${outcome}`) }));
    } catch (err) {
      setProblem(errorText(t, err));
      submitRef.current?.focus();
    } finally {
      setSaving(false);
    }
  };

  const release = async () => {
    try {
      await api.careRelease(task.id);
      onReleased();
    } catch (err) {
      setProblem(errorText(t, err));
    }
  };

  const outcomes = (survey ? SURVEY_OUTCOMES : CARE_OUTCOMES).map((o) => ({ value: o as string, label: t(`care.outcome.${o}`) }));
  return (
    <form onSubmit={(e) => void submit(e)} aria-labelledby="care-outcome-heading" noValidate>
      <h3 id="care-outcome-heading">{t('care.outcomeTitle')}</h3>
      <RadioGroup legend={t('care.outcomeLegend')} name="care-outcome" value={outcome} options={outcomes} onChange={setOutcome} required />
      {survey && outcome === 'reached' && (
        <>
          <RadioGroup legend={t('care.satisfactionLegend')} name="care-satisfaction" value={satisfaction} options={SATISFACTION.map((s) => ({ value: s, label: t(`satisfaction.${s}`) }))} onChange={setSatisfaction} required />
          <RadioGroup legend={t('care.resolvedLegend')} name="care-resolved" value={resolved} options={[{ value: 'yes' as const, label: t('care.yes') }, { value: 'no' as const, label: t('care.no') }]} onChange={setResolved} required />
          <TextAreaField label={t('care.comment')} value={comment} maxLength={1000} onChange={(e) => setComment(e.target.value)} />
        </>
      )}
      {questionnaire && <QuestionnaireFields questionnaire={questionnaire} answers={answers} onChange={setAnswers} />}
      <TextAreaField label={t('care.note')} value={note} maxLength={1000} onChange={(e) => setNote(e.target.value)} />
      {problem && <ErrorNotice message={problem} />}
      <p className="actions">
        <button ref={submitRef} type="submit" className="btn btn--primary" disabled={saving}>{saving ? t('care.saving') : t('care.submit')}</button>{' '}
        <button type="button" className="btn" onClick={() => void release()}>{t('care.release')}</button>
      </p>
    </form>
  );
}
