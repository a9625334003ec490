import { useQuery } from '@tanstack/react-query';
import { useRef, useState, type FormEvent } from 'react';
import { useTranslation } from 'react-i18next';
import { errorText, formatDateTime } from '../../../app/format';
import { invalidate } from '../../../app/query';
import { useUser } from '../../../app/routes';
import { EmptyState, ErrorNotice, Loading, SuccessNotice } from '../../../components/Feedback';
import { TextField } from '../../../components/Field';
import { PageHeading } from '../../../components/PageHeading';
import { announce } from '../../../state/announcer';
import { campaignApi, type Campaign } from './campaign-api';
import { CampaignForm } from './CampaignForm';
import { draftOf, questionsOf, QuestionsEditor, type DraftQuestion } from './QuestionsEditor';

/**
 * 关怀活动 (supervisors): the campaigns of the supervisor's districts with launch / pause / resume, the
 * questionnaire editor (each save is a new version), a new campaign with its live cohort count, and the heat
 * warning for a district. Keyboard only; after an action the focus stays on the row's next action.
 */
export function CampaignsPage() {
  const { t } = useTranslation();
  const user = useUser();
  const list = useQuery({ queryKey: ['campaigns'], queryFn: campaignApi.list });
  const [message, setMessage] = useState<string | null>(null);
  const [error, setError] = useState<string | null>(null);
  const [editing, setEditing] = useState<Campaign | null>(null);

  const say = (text: string) => {
    setMessage(text);
    announce(text);
  };
  const act = async (c: Campaign, action: 'launch' | 'pause' | 'resume') => {
    setError(null);
    setMessage(null);
    try {
      const next = await campaignApi.act(c.id, action);
      say(t('campaigns.done', { name: next.name, status: t(`campaigns.status.${next.status}`) }));
      invalidate('campaigns');
      requestAnimationFrame(() => document.getElementById(`campaign-action-${c.id}`)?.focus());
    } catch (err) {
      setError(errorText(t, err));
    }
  };

  return (
    <div>
      <PageHeading>{t('campaigns.title')}</PageHeading>
      <p>{t('campaigns.intro')}</p>
      {error && <ErrorNotice message={error} />}
      {message && <SuccessNotice>{message}</SuccessNotice>}
      {list.status === 'pending' && <Loading />}
      {list.status === 'error' && <ErrorNotice message={errorText(t, list.error)} onRetry={() => void list.refetch()} />}
      {list.data && list.data.items.length === 0 && <EmptyState>{t('campaigns.empty')}</EmptyState>}
      {list.data && list.data.items.length > 0 && (
        <div className="table-wrap">
          <table className="table">
            <caption>{t('campaigns.listCaption')}</caption>
            <thead>
              <tr>
                <th scope="col">{t('campaigns.colName')}</th>
                <th scope="col">{t('campaigns.colStatus')}</th>
                <th scope="col">{t('campaigns.colSchedule')}</th>
                <th scope="col">{t('campaigns.colNext')}</th>
                <th scope="col">{t('campaigns.colQuestionnaire')}</th>
                <th scope="col">{t('campaigns.colTasks')}</th>
                <th scope="col">{t('campaigns.colAction')}</th>
              </tr>
            </thead>
            <tbody>
              {list.data.items.map((c) => {
                const action = c.status === 'draft' ? 'launch' : c.status === 'active' ? 'pause' : c.status === 'paused' ? 'resume' : null;
                return (
                  <tr key={c.id}>
                    <td>{c.name}</td>
                    <td>{t(`campaigns.status.${c.status}`)}</td>
                    <td>{t(`campaigns.repeat.${c.repeat}`)} · {c.startDay} – {c.endDay}</td>
                    <td>{c.nextRunDay ?? '—'}</td>
                    <td>{c.questionnaireVersion}</td>
                    <td>{c.tasks.open} / {c.tasks.done}</td>
                    <td>
                      {action && <button id={`campaign-action-${c.id}`} type="button" className="btn btn--small" aria-label={t('campaigns.actionOf', { action: t(`campaigns.${action}`), name: c.name })} onClick={() => void act(c, action)}>{t(`campaigns.${action}`)}</button>}{' '}
                      {c.status !== 'ended' && <button id={`campaign-edit-${c.id}`} type="button" className="btn btn--small" aria-label={`${t('campaigns.editQuestions')}：${c.name}`} onClick={() => setEditing(c)}>{t('campaigns.editQuestions')}</button>}
                    </td>
                  </tr>
                );
              })}
            </tbody>
          </table>
        </div>
      )}
      {editing && <EditQuestions key={editing.id} campaign={editing} onDone={(text) => { const id = editing.id; setEditing(null); if (text) say(text); invalidate('campaigns'); requestAnimationFrame(() => document.getElementById(`campaign-edit-${id}`)?.focus()); }} />}
      <CampaignForm defaultDistrict={user.districtCode} onCreated={(c) => { say(t('campaigns.created', { name: c.name })); invalidate('campaigns'); requestAnimationFrame(() => document.getElementById(`campaign-action-${c.id}`)?.focus()); }} />
      <HeatWarning defaultDistrict={user.districtCode} />
    </div>
  );
}

function EditQuestions({ campaign, onDone }: { campaign: Campaign; onDone: (message: string | null) => void }) {
  const { t } = useTranslation();
  const [drafts, setDrafts] = useState<DraftQuestion[]>(campaign.questions.map(draftOf));
  const [problem, setProblem] = useState<string | null>(null);
  const headingRef = useRef<HTMLHeadingElement>(null);
  const submit = async (e: FormEvent) => {
    e.preventDefault();
    const questions = questionsOf(drafts);
    if (!questions) return setProblem(t('campaigns.needQuestion'));
    try {
      const saved = await campaignApi.update(campaign.id, { version: campaign.version, questions });
      onDone(t('campaigns.questionsSaved', { version: saved.questionnaireVersion }));
    } catch (err) {
      setProblem(errorText(t, err));
    }
  };
  return (
    <form className="panel" aria-labelledby="campaign-edit-heading" onSubmit={(e) => void submit(e)} noValidate>
      <h2 id="campaign-edit-heading" ref={(el) => { headingRef.current = el; el?.focus(); }} tabIndex={-1}>{t('campaigns.editQuestions')}：{campaign.name}</h2>
      <QuestionsEditor drafts={drafts} onChange={setDrafts} />
      {problem && <ErrorNotice message={problem} />}
      <p className="actions">
        <button type="submit" className="btn btn--primary">{t('campaigns.saveQuestions')}</button>{' '}
        <button type="button" className="btn" onClick={() => onDone(null)}>{t('campaigns.cancel')}</button>
      </p>
    </form>
  );
}

function HeatWarning({ defaultDistrict }: { defaultDistrict: string }) {
  const { t, i18n } = useTranslation();
  const warnings = useQuery({ queryKey: ['campaigns', 'heat'], queryFn: campaignApi.heatWarnings });
  const [district, setDistrict] = useState(defaultDistrict);
  const [note, setNote] = useState('');
  const [problem, setProblem] = useState<string | null>(null);
  const [done, setDone] = useState<string | null>(null);
  const submitRef = useRef<HTMLButtonElement>(null);
  const submit = async (e: FormEvent) => {
    e.preventDefault();
    setProblem(null);
    setDone(null);
    try {
      const w = await campaignApi.raiseHeat(district.trim(), note.trim());
      const text = t('campaigns.heatRaised', { count: w.tasks });
      setDone(text);
      announce(text);
      setNote('');
      invalidate('campaigns');
    } catch (err) {
      setProblem(errorText(t, err));
    }
    submitRef.current?.focus();
  };
  return (
    <form className="panel" aria-labelledby="heat-heading" onSubmit={(e) => void submit(e)} noValidate>
      <h2 id="heat-heading">{t('campaigns.heatTitle')}</h2>
      <p>{t('campaigns.heatIntro')}</p>
      <TextField label={t('campaigns.district')} value={district} inputMode="numeric" maxLength={12} required onChange={(e) => setDistrict(e.target.value)} />
      <TextField label={t('campaigns.heatNote')} value={note} maxLength={500} required onChange={(e) => setNote(e.target.value)} />
      {problem && <ErrorNotice message={problem} />}
      {done && <SuccessNotice>{done}</SuccessNotice>}
      <p className="actions"><button ref={submitRef} type="submit" className="btn btn--primary">{t('campaigns.heatRaise')}</button></p>
      {warnings.data && warnings.data.items.length > 0 && (
        <ul className="plain-list" aria-label={t('campaigns.heatCaption')}>
          {warnings.data.items.map((w) => <li key={w.id}>{formatDateTime(w.raisedAt, i18n.language)} · {w.districtCode} · {w.note} · {w.tasks}</li>)}
        </ul>
      )}
    </form>
  );
}
