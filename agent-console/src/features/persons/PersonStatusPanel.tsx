import { useMutation, useQuery, useQueryClient } from '@tanstack/react-query';
import { useEffect, useId, useRef, useState, type FormEvent, type RefObject } from 'react';
import { useTranslation } from 'react-i18next';
import { api } from '../../api/endpoints';
import { errorText, formatDateTime } from '../../app/format';
import { href } from '../../app/router';
import { useUser } from '../../app/routes';
import { ErrorNotice, Loading } from '../../components/Feedback';
import { TextField } from '../../components/Field';
import { announce } from '../../state/announcer';
import { personStatusApi, today, type PersonStatusView } from './person-status-api';

type Action = 'death' | 'reactivate' | 'move' | 'merge';

/**
 * A person's status on the person page: active / deceased / merged, the history of hand-overs, deaths and
 * merges, and the controls the role allows (record a death: agents and supervisors; move and merge:
 * supervisors). After an action the focus returns to the panel heading, where the result is announced.
 */
export function PersonStatusPanel({ personId, onChanged }: { personId: string; onChanged?: () => void }) {
  const { t, i18n } = useTranslation();
  const user = useUser();
  const client = useQueryClient();
  const headingRef = useRef<HTMLHeadingElement>(null);
  const [action, setAction] = useState<Action | null>(null);
  const [done, setDone] = useState<string | null>(null);
  const status = useQuery({ queryKey: ['persons', personId, 'status'], queryFn: () => personStatusApi.status(personId) });
  const finished = (text: string, view: PersonStatusView, reload = true) => {
    client.setQueryData(['persons', personId, 'status'], view);
    void client.invalidateQueries({ queryKey: ['persons', personId] });
    setAction(null);
    setDone(text);
    announce(text);
    if (reload) onChanged?.();
    requestAnimationFrame(() => headingRef.current?.focus());
  };
  const cancel = () => {
    const back = action;
    setAction(null);
    requestAnimationFrame(() => document.getElementById(`person-status-${back}`)?.focus());
  };
  const s = status.data;
  const canDeath = (user.role === 'agent' || user.role === 'supervisor') && s?.status === 'active';
  const canSupervise = user.role === 'supervisor' && s?.status === 'active';
  const canReactivate = user.role === 'supervisor' && s?.status === 'deceased';
  return (
    <section className="panel" aria-labelledby="person-status-title">
      <h2 id="person-status-title" ref={headingRef} tabIndex={-1} className="panel__title">{t('personStatus.heading')}</h2>
      {status.isPending && <Loading />}
      {status.isError && <ErrorNotice message={errorText(t, status.error)} onRetry={() => void status.refetch()} />}
      {s && (
        <>
          <p><strong>{t('personStatus.current', { status: t(`personStatus.status.${s.status}`) })}</strong>{s.diedOn && ` · ${t('personStatus.diedOn', { date: s.diedOn })}`}</p>
          {s.status === 'merged' && (
            <p>{t('personStatus.mergedInto')}{s.mergedIntoId && <> · <a href={href(`/persons/${s.mergedIntoId}`)}>{t('personStatus.openSurvivor')}</a></>}</p>
          )}
          {done && <p className="feedback feedback--success" role="status">{done}</p>}
          {action === null && (canDeath || canSupervise || canReactivate) && (
            <div className="button-row">
              {canDeath && <ActionButton action="death" label={t('personStatus.recordDeath')} open={setAction} />}
              {canReactivate && <ActionButton action="reactivate" label={t('personStatus.reactivate')} open={setAction} />}
              {canSupervise && <ActionButton action="move" label={t('personStatus.move')} open={setAction} />}
              {canSupervise && <ActionButton action="merge" label={t('personStatus.merge')} open={setAction} />}
            </div>
          )}
          {action === 'death' && <DeathForm personId={personId} onDone={(v) => finished(t('personStatus.deathRecorded'), v)} onCancel={cancel} />}
          {action === 'reactivate' && <ReactivateForm personId={personId} onDone={(v) => finished(t('personStatus.reactivated', { count: v.events[0]?.movedRows?.devicesRearmed ?? 0 }), v)} onCancel={cancel} />}
          {action === 'move' && <MoveForm personId={personId} onDone={(v, code) => finished(t('personStatus.moved', { code }), v, false)} onCancel={cancel} />}
          {action === 'merge' && <MergeForm personId={personId} onDone={(v, count) => finished(t('personStatus.mergedDone', { count }), v)} onCancel={cancel} />}
          <h3>{t('personStatus.history')}</h3>
          {s.events.length === 0 ? (
            <p>{t('personStatus.historyEmpty')}</p>
          ) : (
            <ul className="status-history">
              {s.events.map((e) => (
                <li key={e.id}>
                  <span>
                    {e.kind === 'moved' && t('personStatus.event.moved', { from: e.fromDistrictCode, to: e.toDistrictCode })}
                    {e.kind === 'deceased' && t('personStatus.event.deceased', { date: e.diedOn, devices: e.movedRows?.devicesDisarmed ?? 0 })}
                    {e.kind === 'reactivated' && t('personStatus.event.reactivated', { date: e.diedOn, devices: e.movedRows?.devicesRearmed ?? 0 })}
                    {(e.kind === 'merged_into' || e.kind === 'merged_from') && (
                      <>
                        {t(`personStatus.event.${e.kind}`, { name: e.otherPerson?.name ?? t('personStatus.event.otherHidden') })}
                        {e.otherPerson && <> · <a href={href(`/persons/${e.otherPerson.id}`)}>{e.otherPerson.name}</a></>}
                      </>
                    )}
                  </span>
                  <br />
                  <small>{t('personStatus.by', { when: formatDateTime(e.at, i18n.language), who: e.actorName ?? '—', note: e.note })}</small>
                </li>
              ))}
            </ul>
          )}
        </>
      )}
    </section>
  );
}

function ActionButton({ action, label, open }: { action: Action; label: string; open: (a: Action) => void }) {
  return <button id={`person-status-${action}`} type="button" className="btn" onClick={() => open(action)}>{label}</button>;
}

/** Focus the first field when a form opens; Escape cancels. */
function useOpenForm(onCancel: () => void): { first: RefObject<HTMLInputElement | null>; onKeyDown: (e: React.KeyboardEvent) => void } {
  const first = useRef<HTMLInputElement>(null);
  useEffect(() => first.current?.focus(), []);
  return { first, onKeyDown: (e) => e.key === 'Escape' && onCancel() };
}

function FormButtons({ submit, busy, onCancel }: { submit: string; busy: boolean; onCancel: () => void }) {
  const { t } = useTranslation();
  return (
    <div className="button-row">
      <button type="submit" className="btn btn--primary" aria-disabled={busy || undefined}>{submit}</button>
      <button type="button" className="btn" onClick={onCancel}>{t('personStatus.cancel')}</button>
    </div>
  );
}

function DeathForm({ personId, onDone, onCancel }: { personId: string; onDone: (v: PersonStatusView) => void; onCancel: () => void }) {
  const { t } = useTranslation();
  const { first, onKeyDown } = useOpenForm(onCancel);
  const [diedOn, setDiedOn] = useState(today());
  const [note, setNote] = useState('');
  const save = useMutation({ mutationFn: () => personStatusApi.recordDeath(personId, { diedOn: diedOn.trim(), note: note.trim() }), onSuccess: onDone });
  const submit = (e: FormEvent) => {
    e.preventDefault();
    if (!save.isPending) save.mutate();
  };
  return (
    <form onSubmit={submit} onKeyDown={onKeyDown} noValidate aria-label={t('personStatus.recordDeath')}>
      <TextField ref={first} label={t('personStatus.diedOnLabel')} hint="YYYY-MM-DD" value={diedOn} onChange={(e) => setDiedOn(e.target.value)} inputMode="numeric" maxLength={10} required />
      <TextField label={t('personStatus.note')} hint={t('personStatus.noteHint')} value={note} onChange={(e) => setNote(e.target.value)} maxLength={200} required />
      {save.isError && <ErrorNotice message={errorText(t, save.error)} />}
      <FormButtons submit={t('personStatus.submitDeath')} busy={save.isPending} onCancel={onCancel} />
    </form>
  );
}

function ReactivateForm({ personId, onDone, onCancel }: { personId: string; onDone: (v: PersonStatusView) => void; onCancel: () => void }) {
  const { t } = useTranslation();
  const { first, onKeyDown } = useOpenForm(onCancel);
  const [note, setNote] = useState('');
  const save = useMutation({ mutationFn: () => personStatusApi.reactivate(personId, { note: note.trim() }), onSuccess: onDone });
  return (
    <form onSubmit={(e) => { e.preventDefault(); if (!save.isPending) save.mutate(); }} onKeyDown={onKeyDown} noValidate aria-label={t('personStatus.reactivate')}>
      <TextField ref={first} label={t('personStatus.note')} hint={t('personStatus.reactivateHint')} value={note} onChange={(e) => setNote(e.target.value)} maxLength={200} required />
      {save.isError && <ErrorNotice message={errorText(t, save.error)} />}
      <FormButtons submit={t('personStatus.submitReactivate')} busy={save.isPending} onCancel={onCancel} />
    </form>
  );
}

function MoveForm({ personId, onDone, onCancel }: { personId: string; onDone: (v: PersonStatusView, code: string) => void; onCancel: () => void }) {
  const { t } = useTranslation();
  const { first, onKeyDown } = useOpenForm(onCancel);
  const [districtCode, setDistrictCode] = useState('');
  const [note, setNote] = useState('');
  const save = useMutation({ mutationFn: () => personStatusApi.move(personId, { districtCode: districtCode.trim(), note: note.trim() }), onSuccess: (v) => onDone(v, v.districtCode) });
  return (
    <form onSubmit={(e) => { e.preventDefault(); if (!save.isPending) save.mutate(); }} onKeyDown={onKeyDown} noValidate aria-label={t('personStatus.move')}>
      <TextField ref={first} label={t('personStatus.moveTo')} hint={t('personStatus.moveHint')} value={districtCode} onChange={(e) => setDistrictCode(e.target.value)} inputMode="numeric" maxLength={12} required />
      <TextField label={t('personStatus.note')} value={note} onChange={(e) => setNote(e.target.value)} maxLength={200} required />
      {save.isError && <ErrorNotice message={errorText(t, save.error)} />}
      <FormButtons submit={t('personStatus.submitMove')} busy={save.isPending} onCancel={onCancel} />
    </form>
  );
}

function MergeForm({ personId, onDone, onCancel }: { personId: string; onDone: (v: PersonStatusView, count: number) => void; onCancel: () => void }) {
  const { t } = useTranslation();
  const { first, onKeyDown } = useOpenForm(onCancel);
  const [query, setQuery] = useState('');
  const [searched, setSearched] = useState('');
  const [duplicateId, setDuplicateId] = useState('');
  const [note, setNote] = useState('');
  const radioName = useId();
  const candidates = useQuery({ queryKey: ['persons', 'merge-candidates', searched], queryFn: () => api.searchPersons(searched), enabled: searched.length > 0 });
  const others = (candidates.data?.items ?? []).filter((p) => p.id !== personId);
  const save = useMutation({
    mutationFn: () => personStatusApi.merge(personId, { duplicateId, note: note.trim() }),
    onSuccess: (v) => onDone(v, Object.values(v.events.find((e) => e.kind === 'merged_from')?.movedRows ?? {}).reduce((a, b) => a + b, 0)),
  });
  const search = () => {
    setDuplicateId('');
    setSearched(query.trim());
  };
  return (
    <form onSubmit={(e) => { e.preventDefault(); if (!save.isPending) save.mutate(); }} onKeyDown={onKeyDown} noValidate aria-label={t('personStatus.merge')}>
      <p>{t('personStatus.duplicateHint')}</p>
      <div className="button-row">
        <TextField ref={first} label={t('personStatus.findDuplicate')} hint={t('personStatus.findHint')} value={query} onChange={(e) => setQuery(e.target.value)} maxLength={50} type="search"
          onKeyDown={(e) => { if (e.key === 'Enter') { e.preventDefault(); search(); } }} />
        <button type="button" className="btn" onClick={search}>{t('personStatus.search')}</button>
      </div>
      {candidates.isError && <ErrorNotice message={errorText(t, candidates.error)} />}
      {candidates.isSuccess && (others.length === 0 ? (
        <p role="status">{t('personStatus.noCandidates')}</p>
      ) : (
        <fieldset className="radio-group">
          <legend className="field__label">{t('personStatus.duplicateId')}</legend>
          {others.map((p) => (
            <label key={p.id} className="radio">
              <input type="radio" name={radioName} value={p.id} checked={duplicateId === p.id} onChange={() => setDuplicateId(p.id)} />
              <span>{p.name} · {p.birthYear ?? '—'} · {p.idNumberMasked ?? '—'} · {p.districtCode}</span>
            </label>
          ))}
        </fieldset>
      ))}
      <TextField label={t('personStatus.note')} value={note} onChange={(e) => setNote(e.target.value)} maxLength={200} required />
      {save.isError && <ErrorNotice message={errorText(t, save.error)} />}
      <FormButtons submit={t('personStatus.submitMerge')} busy={save.isPending} onCancel={onCancel} />
    </form>
  );
}
