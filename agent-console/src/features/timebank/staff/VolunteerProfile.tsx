import { useQuery } from '@tanstack/react-query';
import { useState, type FormEvent } from 'react';
import { useTranslation } from 'react-i18next';
import type { ServiceHistoryItem } from '../../../api/timebank-wire';
import { errorText } from '../../../app/format';
import { EmptyState, ErrorNotice, Loading } from '../../../components/Feedback';
import { TextField } from '../../../components/Field';
import { timebankApi } from '../timebank-api';
import { formatCoins } from '../timebank-format';
import { Coins, useAction, useHasRole } from '../timebank-ui';

/** A volunteer's certifications (expired ones marked in words), training records and service history. */
export function VolunteerProfile({ volunteerId }: { volunteerId: string }) {
  const { t } = useTranslation();
  const profile = useQuery({ queryKey: ['timebank', 'volunteer', volunteerId], queryFn: () => timebankApi.volunteer(volunteerId) });
  if (profile.isPending) return <Loading />;
  if (profile.isError) return <ErrorNotice message={errorText(t, profile.error)} onRetry={() => void profile.refetch()} />;
  const p = profile.data;
  return (
    <>
      <section aria-labelledby="tb-certs-heading">
        <h2 id="tb-certs-heading">{t('timebank.statement.certifications')}</h2>
        {p.certifications.length === 0 ? <p>{t('app.none')}</p> : (
          <ul className="plain-list">
            {p.certifications.map((c) => (
              <li key={`${c.name}:${c.number ?? ''}`}>
                {c.name}{c.number ? `（${c.number}）` : ''} ·{' '}
                {c.expired ? <span className="badge badge--overdue"><span aria-hidden="true">⚠ </span>{t('timebank.statement.certExpired')}</span>
                  : c.expiresOn ? t('timebank.statement.certValid', { day: c.expiresOn }) : t('timebank.statement.certNoExpiry')}
              </li>
            ))}
          </ul>
        )}
      </section>
      <ServiceHistoryPanel volunteerId={volunteerId} />
      <TrainingsPanel volunteerId={volunteerId} trainings={p.trainings} />
    </>
  );
}

function ServiceHistoryPanel({ volunteerId }: { volunteerId: string }) {
  const { t, i18n } = useTranslation();
  const history = useQuery({ queryKey: ['timebank', 'history', volunteerId], queryFn: () => timebankApi.serviceHistory(volunteerId) });
  const act = useAction();
  const confirm = (item: ServiceHistoryItem) =>
    void act.run(() => timebankApi.confirmJob(item.refId), (r) =>
      r.status === 'credited' ? t('timebank.statement.jobCredited', { coins: formatCoins(r.units, i18n.language) })
        : r.status === 'already-credited' ? t('timebank.statement.jobAlready')
          : t('timebank.statement.jobRefused', { reason: t(`errors.codes.${r.code ?? ''}`, { defaultValue: r.code ?? '' }) }));
  return (
    <section aria-labelledby="tb-history-heading">
      <h2 id="tb-history-heading">{t('timebank.statement.history')}</h2>
      {act.notices}
      {history.isPending && <Loading />}
      {history.isError && <ErrorNotice message={errorText(t, history.error)} onRetry={() => void history.refetch()} />}
      {history.data && history.data.items.length === 0 && <EmptyState>{t('timebank.statement.historyEmpty')}</EmptyState>}
      {history.data && history.data.items.length > 0 && (
        <div className="table-wrap">
          <table className="table">
            <caption>{t('timebank.statement.historyCaption', { minutes: history.data.totalMinutes, coins: formatCoins(history.data.totalUnits, i18n.language) })}</caption>
            <thead>
              <tr>
                <th scope="col">{t('timebank.statement.when')}</th>
                <th scope="col">{t('timebank.statement.source')}</th>
                <th scope="col" className="tb-num">{t('timebank.statement.minutes')}</th>
                <th scope="col" className="tb-num">{t('timebank.statement.credited')}</th>
                <th scope="col">{t('timebank.actions')}</th>
              </tr>
            </thead>
            <tbody>
              {history.data.items.map((item) => (
                <tr key={`${item.kind}:${item.refId}`}>
                  <td>{item.day}</td>
                  <th scope="row">{t(`timebank.statement.${item.kind}`)} · {item.title}</th>
                  <td className="tb-num">{item.minutes}</td>
                  <td className="tb-num">{item.units === null ? t('timebank.statement.notCredited') : <Coins units={item.units} />}</td>
                  <td>
                    {item.kind === 'job' && item.units === null && (
                      <button type="button" className="btn btn--small" disabled={act.busy} aria-label={t('timebank.statement.confirmJobOf', { what: item.title })} onClick={() => confirm(item)}>
                        {t('timebank.statement.confirmJob')}
                      </button>
                    )}
                  </td>
                </tr>
              ))}
            </tbody>
          </table>
        </div>
      )}
    </section>
  );
}

function TrainingsPanel({ volunteerId, trainings }: { volunteerId: string; trainings: { id: string; course: string; hours: number; completedOn: string; organiser: string | null }[] }) {
  const { t } = useTranslation();
  const canAdd = useHasRole('dispatcher', 'supervisor');
  const [form, setForm] = useState({ course: '', hours: '', completedOn: '', organiser: '' });
  const act = useAction();
  const labels = { course: t('timebank.statement.course'), hours: t('timebank.statement.hours'), completedOn: t('timebank.statement.completedOn'), organiser: t('timebank.statement.organiser') };
  const submit = async (e: FormEvent) => {
    e.preventDefault();
    const done = await act.run(() => timebankApi.addTraining(volunteerId, {
      course: form.course.trim(), hours: Number(form.hours), completedOn: form.completedOn, ...(form.organiser.trim() ? { organiser: form.organiser.trim() } : {}),
    }), () => t('timebank.statement.trainingAdded'), labels);
    if (done) setForm({ course: '', hours: '', completedOn: '', organiser: '' });
  };
  return (
    <section aria-labelledby="tb-training-heading">
      <h2 id="tb-training-heading">{t('timebank.statement.trainings')}</h2>
      {trainings.length === 0 ? <p>{t('timebank.statement.trainingsEmpty')}</p> : (
        <ul className="plain-list">
          {trainings.map((tr) => <li key={tr.id}>{tr.completedOn} · {tr.course} · {tr.hours} {t('timebank.statement.hours')}{tr.organiser ? ` · ${tr.organiser}` : ''}</li>)}
        </ul>
      )}
      {canAdd && (
        <form className="inline-form" aria-label={t('timebank.statement.addTraining')} onSubmit={(e) => void submit(e)} noValidate>
          <TextField label={labels.course} required value={form.course} error={act.fields.course} onChange={(e) => setForm({ ...form, course: e.target.value })} />
          <TextField label={labels.hours} required inputMode="decimal" value={form.hours} error={act.fields.hours} onChange={(e) => setForm({ ...form, hours: e.target.value })} />
          <TextField label={labels.completedOn} required type="date" value={form.completedOn} error={act.fields.completedOn} onChange={(e) => setForm({ ...form, completedOn: e.target.value })} />
          <TextField label={labels.organiser} value={form.organiser} error={act.fields.organiser} onChange={(e) => setForm({ ...form, organiser: e.target.value })} />
          <button type="submit" className="btn" disabled={act.busy}>{t('timebank.statement.addTraining')}</button>
        </form>
      )}
      {act.notices}
    </section>
  );
}
