import { useEffect, useRef, useState, type FormEvent } from 'react';
import { useTranslation } from 'react-i18next';
import { api } from '../../api/endpoints';
import type { PersonSummary } from '../../api/wire';
import { errorText } from '../../app/format';
import { registerCommand } from '../../app/hotkeys';
import { href } from '../../app/router';
import { RiskBadge } from '../../components/Badges';
import { EmptyState, ErrorNotice, Loading } from '../../components/Feedback';
import { TextField } from '../../components/Field';
import { choosePerson, type LiveCall } from '../../realtime/live-calls';
import { useDisabilityText } from '../persons/PersonParts';

/**
 * An unknown number: whose contact it is (a guardian calling for someone), a quick search to find the
 * person (Alt+Q focuses it), and "register a person" with the number filled in.
 */
export function UnknownCaller({ live }: { live: LiveCall }) {
  const { t } = useTranslation();
  const disability = useDisabilityText();
  const pop = live.pop!;
  const [q, setQ] = useState('');
  const [state, setState] = useState<{ status: 'idle' } | { status: 'loading' } | { status: 'error'; message: string } | { status: 'done'; items: PersonSummary[] }>({ status: 'idle' });
  const input = useRef<HTMLInputElement>(null);

  useEffect(() => registerCommand('search', () => input.current?.focus()), []);

  const search = async (e?: FormEvent) => {
    e?.preventDefault();
    if (!q.trim()) return;
    setState({ status: 'loading' });
    try {
      setState({ status: 'done', items: (await api.searchPersons(q.trim())).items });
    } catch (err) {
      setState({ status: 'error', message: errorText(t, err) });
    }
  };

  const phone = pop.fromE164 ?? '';
  return (
    <div className="unknown-caller">
      <p>{t('pop.unknownHint')}</p>
      {pop.knownAsContactOf.length > 0 && (
        <>
          <p>{t('pop.knownAsContact')}</p>
          <ul className="plain-list">
            {pop.knownAsContactOf.map((c) => (
              <li key={c.personId}>
                <a href={href(`/persons/${c.personId}`)}>{c.name}</a>（{c.relation}）{' '}
                <button type="button" className="btn btn--small" onClick={() => choosePerson(live.call.id, { id: c.personId, name: c.name } as PersonSummary)} aria-pressed={live.chosenPerson?.id === c.personId}>
                  {t('ticketForm.person')}: {c.name}
                </button>
              </li>
            ))}
          </ul>
        </>
      )}
      <form className="inline-form" onSubmit={(e) => void search(e)} role="search" aria-label={t('persons.searchLabel')}>
        <TextField ref={input} label={t('persons.searchLabel')} value={q} onChange={(e) => setQ(e.target.value)} placeholder={t('persons.searchPlaceholder')} autoComplete="off" id="pop-search" />
        <button type="submit" className="btn">{t('persons.search')}</button>
      </form>
      {state.status === 'loading' && <Loading label={t('persons.searching')} />}
      {state.status === 'error' && <ErrorNotice message={state.message} onRetry={() => void search()} />}
      {state.status === 'done' && state.items.length === 0 && <EmptyState>{t('persons.noResults')}</EmptyState>}
      {state.status === 'done' && state.items.length > 0 && (
        <ul className="card-list" aria-label={t('persons.results')}>
          {state.items.map((p) => (
            <li key={p.id}>
              <strong>{p.name}</strong> <RiskBadge tier={p.riskTier} /> · {disability(p.disabilityCategory, p.disabilityLevel)} · {p.phones.map((n) => n.masked).join('、')}
              <div className="button-row">
                <button type="button" className="btn btn--small" aria-pressed={live.chosenPerson?.id === p.id} onClick={() => choosePerson(live.call.id, live.chosenPerson?.id === p.id ? undefined : p)}>
                  {t('ticketForm.person')}: {p.name}
                </button>
                <a className="btn btn--small btn--ghost" href={href(`/persons/${p.id}`)}>{t('pop.openPerson')}</a>
              </div>
            </li>
          ))}
        </ul>
      )}
      <p>
        <a className="btn" href={href(`/persons/new${phone ? `?phone=${encodeURIComponent(phone)}` : ''}`)}>
          <span aria-hidden="true">＋ </span>
          {t('persons.create')}
        </a>
      </p>
    </div>
  );
}
