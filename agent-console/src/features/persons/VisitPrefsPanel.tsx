import { useMutation, useQuery, useQueryClient } from '@tanstack/react-query';
import { useEffect, useId, useLayoutEffect, useRef, useState, type FormEvent } from 'react';
import { useTranslation } from 'react-i18next';
import { dispatchApi } from '../../api/dispatch-endpoints';
import type { BlockedCandidateView, CandidateView, Gender, VisitPrefsView } from '../../api/dispatch-wire';
import { errorText } from '../../app/format';
import { ErrorNotice, Loading } from '../../components/Feedback';
import { registerDispatchTexts } from '../../i18n/dispatch-texts';
import { announce } from '../../state/announcer';
import { useRole } from './records/use-record-change';

registerDispatchTexts();

interface Draft {
  genderPreference: Gender | null;
  twoPersonVisit: boolean;
  noLoneVolunteer: boolean;
  blocked: BlockedCandidateView[];
  note: string;
}

const draftOf = (v: VisitPrefsView): Draft => ({
  genderPreference: v.genderPreference, twoPersonVisit: v.twoPersonVisit, noLoneVolunteer: v.noLoneVolunteer, blocked: v.blockedCandidates, note: '',
});

/**
 * 上门服务偏好: the visit preferences dispatch's hard filters read (gender of the visiting staff, two-person
 * visits, no lone volunteer, people blocked after a complaint). Everyone who sees the person reads them;
 * dispatchers and supervisors edit them here (blocked people are found through the dispatch people search).
 * After saving, focus moves to the status message; adding or removing a blocked person keeps focus in the
 * search box or on the list's heading.
 */
export default function VisitPrefsPanel({ personId }: { personId: string }) {
  const { t } = useTranslation();
  const role = useRole();
  const canEdit = role === 'dispatcher' || role === 'supervisor';
  const prefs = useQuery({ queryKey: ['persons', personId, 'dispatch-prefs'], queryFn: () => dispatchApi.visitPrefs(personId) });
  return (
    <section className="panel" aria-labelledby="visit-prefs-title">
      <h2 id="visit-prefs-title" className="panel__title">{t('visitPrefs.title')}</h2>
      <p>{t('visitPrefs.intro')}</p>
      {prefs.isPending && <Loading />}
      {prefs.isError && <ErrorNotice message={errorText(t, prefs.error)} onRetry={() => void prefs.refetch()} />}
      {prefs.data && (canEdit ? <VisitPrefsForm personId={personId} prefs={prefs.data} /> : <VisitPrefsFacts prefs={prefs.data} />)}
    </section>
  );
}

function VisitPrefsFacts({ prefs }: { prefs: VisitPrefsView }) {
  const { t } = useTranslation();
  const gender = prefs.genderPreference ? t(prefs.genderPreference === 'female' ? 'visitPrefs.genderFemale' : 'visitPrefs.genderMale') : t('visitPrefs.genderAny');
  return (
    <>
      <dl className="facts">
        <dt>{t('visitPrefs.gender')}</dt><dd>{gender}</dd>
        <dt>{t('visitPrefs.twoPersonVisit')}</dt><dd>{t(prefs.twoPersonVisit ? 'visitPrefs.yes' : 'visitPrefs.no')}</dd>
        <dt>{t('visitPrefs.noLoneVolunteer')}</dt><dd>{t(prefs.noLoneVolunteer ? 'visitPrefs.yes' : 'visitPrefs.no')}</dd>
        <dt>{t('visitPrefs.blocked')}</dt>
        <dd>{prefs.blockedCandidates.length ? prefs.blockedCandidates.map((c) => c.name).join('、') : t('visitPrefs.noneBlocked')}</dd>
      </dl>
      <p className="hint">{t('visitPrefs.readOnly')}</p>
    </>
  );
}

function VisitPrefsForm({ personId, prefs }: { personId: string; prefs: VisitPrefsView }) {
  const { t } = useTranslation();
  const ids = useId();
  const client = useQueryClient();
  const [draft, setDraft] = useState<Draft>(() => draftOf(prefs));
  const [status, setStatus] = useState<{ kind: 'ok' | 'error'; text: string } | null>(null);
  const statusRef = useRef<HTMLDivElement>(null);
  const listHeading = useRef<HTMLHeadingElement>(null);
  // A newer stored version (someone saved, or the reload after a conflict) replaces the draft.
  useEffect(() => setDraft(draftOf(prefs)), [prefs.version]);
  // In the same commit as the message appears: no moment where the message shows and the focus is elsewhere.
  useLayoutEffect(() => { if (status) statusRef.current?.focus(); }, [status]);

  const save = useMutation({
    mutationFn: () => dispatchApi.setVisitPrefs(personId, {
      genderPreference: draft.genderPreference, twoPersonVisit: draft.twoPersonVisit, noLoneVolunteer: draft.noLoneVolunteer,
      blockedCandidateIds: draft.blocked.map((c) => c.candidateId), note: draft.note.trim(), version: prefs.version,
    }),
    onSuccess: (saved) => {
      client.setQueryData(['persons', personId, 'dispatch-prefs'], saved);
      void client.invalidateQueries({ queryKey: ['persons', personId, 'changes'] });
      setStatus({ kind: 'ok', text: t('visitPrefs.saved') });
      announce(t('visitPrefs.saved'));
    },
    onError: (cause) => {
      setStatus({ kind: 'error', text: errorText(t, cause, { note: t('visitPrefs.note'), blockedCandidateIds: t('visitPrefs.blocked'), genderPreference: t('visitPrefs.gender') }) });
    },
  });
  const submit = (e: FormEvent) => {
    e.preventDefault();
    setStatus(null);
    save.mutate();
  };
  const remove = (c: BlockedCandidateView) => {
    setDraft((d) => ({ ...d, blocked: d.blocked.filter((b) => b.candidateId !== c.candidateId) }));
    announce(t('visitPrefs.removed', { name: c.name }));
    listHeading.current?.focus();
  };
  const add = (c: CandidateView) => {
    setDraft((d) => (d.blocked.some((b) => b.candidateId === c.id) ? d : { ...d, blocked: [...d.blocked, { candidateId: c.id, kind: c.kind, name: c.name, providerName: c.providerName }] }));
    announce(t('visitPrefs.added', { name: c.name }));
  };
  const kindText = (kind: string) => t(kind === 'volunteer' ? 'visitPrefs.kindVolunteer' : 'visitPrefs.kindProvider');

  return (
    <form onSubmit={submit} noValidate>
      <fieldset className="radio-group">
        <legend className="field__label">{t('visitPrefs.gender')}</legend>
        <div className="radio-group__options">
          {([[null, 'visitPrefs.genderAny'], ['female', 'visitPrefs.genderFemale'], ['male', 'visitPrefs.genderMale']] as const).map(([value, label]) => (
            <label key={label} className="radio">
              <input type="radio" name={`${ids}-gender`} checked={draft.genderPreference === value} onChange={() => setDraft((d) => ({ ...d, genderPreference: value }))} />
              <span>{t(label)}</span>
            </label>
          ))}
        </div>
      </fieldset>
      <label className="radio">
        <input type="checkbox" checked={draft.twoPersonVisit} onChange={(e) => setDraft((d) => ({ ...d, twoPersonVisit: e.target.checked }))} />
        <span>{t('visitPrefs.twoPersonVisit')}</span>
      </label>
      <label className="radio">
        <input type="checkbox" checked={draft.noLoneVolunteer} onChange={(e) => setDraft((d) => ({ ...d, noLoneVolunteer: e.target.checked }))} />
        <span>{t('visitPrefs.noLoneVolunteer')}</span>
      </label>

      <h3 ref={listHeading} tabIndex={-1}>{t('visitPrefs.blocked')}</h3>
      {draft.blocked.length === 0 ? <p>{t('visitPrefs.noneBlocked')}</p> : (
        <ul className="plain-list">
          {draft.blocked.map((c) => (
            <li key={c.candidateId}>
              {c.name}（{kindText(c.kind)}{c.providerName ? ` · ${c.providerName}` : ''}）{' '}
              <button type="button" className="btn btn--small" onClick={() => remove(c)}>{t('visitPrefs.remove', { name: c.name })}</button>
            </li>
          ))}
        </ul>
      )}
      <CandidateSearch blockedIds={draft.blocked.map((c) => c.candidateId)} onPick={add} kindText={kindText} />

      <div className="field">
        <label htmlFor={`${ids}-note`} className="field__label">{t('visitPrefs.note')}</label>
        <input id={`${ids}-note`} type="text" value={draft.note} maxLength={500} aria-describedby={`${ids}-note-hint`} onChange={(e) => setDraft((d) => ({ ...d, note: e.target.value }))} />
        <p id={`${ids}-note-hint`} className="hint">{t('visitPrefs.noteHint')}</p>
      </div>
      <div className="button-row">
        <button type="submit" className="btn btn--primary" disabled={save.isPending}>{t('visitPrefs.save')}</button>
      </div>
      {status && (
        <div ref={statusRef} tabIndex={-1} className={`feedback feedback--${status.kind === 'ok' ? 'success' : 'error'}`} role={status.kind === 'ok' ? 'status' : 'alert'}>
          {status.text}
        </div>
      )}
    </form>
  );
}

/** Find field workers and volunteers by name (the dispatch people search) to block one. */
function CandidateSearch({ blockedIds, onPick, kindText }: { blockedIds: string[]; onPick: (c: CandidateView) => void; kindText: (kind: string) => string }) {
  const { t } = useTranslation();
  const ids = useId();
  const input = useRef<HTMLInputElement>(null);
  const [text, setText] = useState('');
  const [q, setQ] = useState('');
  const found = useQuery({
    queryKey: ['dispatch', 'people-search', q],
    enabled: q.length > 0,
    queryFn: async () => {
      const [workers, volunteers] = await Promise.all([dispatchApi.people('field-workers', { q, limit: 10 }), dispatchApi.people('volunteers', { q, limit: 10 })]);
      return [...workers.items, ...volunteers.items];
    },
  });
  const search = () => setQ(text.trim());
  return (
    <div className="field">
      <label htmlFor={`${ids}-q`} className="field__label">{t('visitPrefs.search')}</label>
      <div className="button-row">
        <input
          ref={input} id={`${ids}-q`} type="search" value={text} maxLength={50} aria-describedby={`${ids}-q-hint`}
          onChange={(e) => setText(e.target.value)}
          onKeyDown={(e) => { if (e.key === 'Enter') { e.preventDefault(); search(); } }}
        />
        <button type="button" className="btn" onClick={search}>{t('visitPrefs.searchButton')}</button>
      </div>
      <p id={`${ids}-q-hint`} className="hint">{t('visitPrefs.searchHint')}</p>
      {found.isError && <ErrorNotice message={errorText(t, found.error)} />}
      {found.data && (
        <>
          <h4>{t('visitPrefs.results')}</h4>
          {found.data.length === 0 ? <p>{t('visitPrefs.noResults')}</p> : (
            <ul className="plain-list">
              {found.data.map((c) => (
                <li key={c.id}>
                  {c.name}（{kindText(c.kind)}{c.providerName ? ` · ${c.providerName}` : ''}）{' '}
                  {blockedIds.includes(c.id) ? <span>{t('visitPrefs.alreadyBlocked')}</span> : (
                    <button type="button" className="btn btn--small" onClick={() => { onPick(c); input.current?.focus(); }}>{t('visitPrefs.block', { name: c.name })}</button>
                  )}
                </li>
              ))}
            </ul>
          )}
        </>
      )}
    </div>
  );
}
