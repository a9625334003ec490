import { useEffect, useRef, useState, type FormEvent } from 'react';
import { useTranslation } from 'react-i18next';
import { api } from '../../api/endpoints';
import { errorText } from '../../app/format';
import { registerCommand } from '../../app/hotkeys';
import { href, navigate } from '../../app/router';
import { useAsync } from '../../app/use-async';
import { RiskBadge } from '../../components/Badges';
import { EmptyState, ErrorNotice, Loading } from '../../components/Feedback';
import { TextField } from '../../components/Field';
import { PageHeading } from '../../components/PageHeading';
import { useDisabilityText } from './PersonParts';

/** Find a person by phone (any format), name, ID or certificate number. Alt+Q focuses the box. */
export function PersonSearchPage({ q }: { q?: string }) {
  const { t } = useTranslation();
  const disability = useDisabilityText();
  const [text, setText] = useState(q ?? '');
  const input = useRef<HTMLInputElement>(null);
  const results = useAsync(() => (q ? api.searchPersons(q) : Promise.resolve(null)), [q]);

  useEffect(() => registerCommand('search', () => input.current?.focus()), []);
  useEffect(() => setText(q ?? ''), [q]);

  const submit = (e: FormEvent) => {
    e.preventDefault();
    if (text.trim()) navigate(`/persons?q=${encodeURIComponent(text.trim())}`);
  };

  return (
    <div>
      <PageHeading>{t('persons.title')}</PageHeading>
      <form role="search" className="inline-form search-form" onSubmit={submit} aria-label={t('persons.searchLabel')}>
        <TextField ref={input} label={`${t('persons.searchLabel')} (Alt+Q)`} type="search" value={text} onChange={(e) => setText(e.target.value)} placeholder={t('persons.searchPlaceholder')} autoComplete="off" />
        <button type="submit" className="btn btn--primary">{t('persons.search')}</button>
        <a className="btn" href={href('/persons/new')}><span aria-hidden="true">＋ </span>{t('persons.create')}</a>
      </form>
      {!q && <EmptyState>{t('persons.startHint')}</EmptyState>}
      {q && results.status === 'loading' && <Loading label={t('persons.searching')} />}
      {results.status === 'error' && <ErrorNotice message={errorText(t, results.error)} onRetry={results.reload} />}
      {q && results.status === 'ready' && results.data && (
        results.data.items.length === 0 ? <EmptyState>{t('persons.noResults')}</EmptyState> : (
          <section aria-labelledby="results-title">
            <h2 id="results-title">{t('persons.results')} <span className="muted">({t('app.total', { count: results.data.total })})</span></h2>
            <ul className="card-list card-list--grid">
              {results.data.items.map((p) => (
                <li key={p.id}>
                  <a href={href(`/persons/${p.id}`)} className="card-list__title">{p.name}</a> <RiskBadge tier={p.riskTier} />
                  <br />
                  {disability(p.disabilityCategory, p.disabilityLevel)} · {p.birthYear !== null ? t('person.birthYearValue', { year: p.birthYear, age: new Date().getFullYear() - p.birthYear }) : ''} · {p.phones.map((n) => n.masked).join('、')}
                  <br />
                  <span className="muted">{p.address}</span>
                </li>
              ))}
            </ul>
          </section>
        )
      )}
    </div>
  );
}
