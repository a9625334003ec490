import { useRef, useState, type FormEvent } from 'react';
import { useTranslation } from 'react-i18next';
import { api } from '../../api/endpoints';
import type { AuditQuery, AuditVerifyResult } from '../../api/wire';
import { errorText, fieldErrors } from '../../app/format';
import { useAsync } from '../../app/use-async';
import { EmptyState, ErrorNotice, Loading } from '../../components/Feedback';
import { SelectField, TextField } from '../../components/Field';
import { PageHeading } from '../../components/PageHeading';
import { announce } from '../../state/announcer';

const PAGE = 50;
const OUTCOMES = ['ok', 'denied', 'failed'] as const;

interface Filters {
  actor: string;
  person: string;
  action: string;
  from: string;
  to: string;
  purpose: string;
  outcome: '' | (typeof OUTCOMES)[number];
}
const EMPTY: Filters = { actor: '', person: '', action: '', from: '', to: '', purpose: '', outcome: '' };

/** `datetime-local` (the browser's local time) → ISO 8601, or undefined. */
const iso = (local: string) => (local && !Number.isNaN(Date.parse(local)) ? new Date(local).toISOString() : undefined);

function toQuery(f: Filters): AuditQuery {
  return {
    actor: f.actor.trim() || undefined,
    person: f.person.trim() || undefined,
    action: f.action.trim() || undefined,
    from: iso(f.from),
    to: iso(f.to),
    purpose: f.purpose.trim() || undefined,
    outcome: f.outcome || undefined,
  };
}

/**
 * The auditor's page: search the audit trail (who, about whom, what, when, why), page through it newest first,
 * verify the hash chain, export the search as CSV. Every search, verify and export is itself audited.
 */
export function AuditPage() {
  const { t, i18n } = useTranslation();
  const [draft, setDraft] = useState<Filters>(EMPTY);
  const [query, setQuery] = useState<AuditQuery>({});
  /** Cursors of the pages before this one (keyset paging: `before` = last id of the newer page). */
  const [cursors, setCursors] = useState<string[]>([]);
  const before = cursors[cursors.length - 1];
  const results = useAsync(async () => {
    const page = await api.auditSearch({ ...query, limit: PAGE, before });
    announce(t('audit.loaded', { count: page.items.length, page: cursors.length + 1 }));
    return page;
  }, [query, before]);
  const errors = results.status === 'error' ? fieldErrors(results.error, t) : {};
  const tableRef = useRef<HTMLTableElement>(null);

  const set = (k: keyof Filters) => (e: { target: { value: string } }) => setDraft((d) => ({ ...d, [k]: e.target.value }));
  const submit = (e: FormEvent) => {
    e.preventDefault();
    setCursors([]);
    setQuery(toQuery(draft));
  };
  const reset = () => {
    setDraft(EMPTY);
    setCursors([]);
    setQuery({});
  };
  const page = (cs: string[]) => {
    setCursors(cs);
    tableRef.current?.focus();
  };

  return (
    <div>
      <PageHeading>{t('audit.title')}</PageHeading>
      <form role="search" aria-label={t('audit.searchLabel')} className="inline-form audit-form" onSubmit={submit} noValidate>
        <TextField label={t('audit.actor')} value={draft.actor} onChange={set('actor')} autoComplete="off" error={errors.actor} />
        <TextField label={t('audit.person')} hint={t('audit.personHint')} value={draft.person} onChange={set('person')} autoComplete="off" spellCheck={false} error={errors.person} />
        <TextField label={t('audit.action')} hint={t('audit.actionHint')} value={draft.action} onChange={set('action')} autoComplete="off" spellCheck={false} error={errors.action} />
        <TextField label={t('audit.from')} type="datetime-local" value={draft.from} onChange={set('from')} error={errors.from} />
        <TextField label={t('audit.to')} type="datetime-local" value={draft.to} onChange={set('to')} error={errors.to} />
        <TextField label={t('audit.purpose')} value={draft.purpose} onChange={set('purpose')} autoComplete="off" error={errors.purpose} />
        <SelectField label={t('audit.outcome')} value={draft.outcome} onChange={set('outcome')}>
          <option value="">{t('audit.anyOutcome')}</option>
          {OUTCOMES.map((o) => <option key={o} value={o}>{t(`audit.outcomes.${o}`)}</option>)}
        </SelectField>
        <button type="submit" className="btn btn--primary">{t('audit.search')}</button>
        <button type="button" className="btn" onClick={reset}>{t('audit.reset')}</button>
      </form>

      <div className="audit-tools">
        <VerifyChain />
        <p>
          <a className="btn" href={api.auditExportHref(query)} download aria-describedby="audit-export-hint">{t('audit.export')}</a>{' '}
          <span id="audit-export-hint" className="muted">{t('audit.exportHint')}</span>
        </p>
      </div>

      {results.status === 'loading' && !results.data && <Loading />}
      {results.status === 'error' && <ErrorNotice message={errorText(t, results.error)} onRetry={results.reload} />}
      {results.data && results.data.items.length === 0 && <EmptyState>{t('audit.empty')}</EmptyState>}
      {results.data && results.data.items.length > 0 && (
        <>
          <div className="table-wrap" aria-busy={results.status === 'loading'}>
            <table className="table" ref={tableRef} tabIndex={-1} data-testid="audit-results">
              <caption>{t('audit.results')} · {t('audit.pageOf', { page: cursors.length + 1 })}</caption>
              <thead>
                <tr>
                  <th scope="col">{t('audit.at')}</th>
                  <th scope="col">{t('audit.colActor')}</th>
                  <th scope="col">{t('audit.colAction')}</th>
                  <th scope="col">{t('audit.subjects')}</th>
                  <th scope="col">{t('audit.colPurpose')}</th>
                  <th scope="col">{t('audit.outcome')}</th>
                  <th scope="col">{t('audit.ip')}</th>
                  <th scope="col">{t('audit.seq')}</th>
                </tr>
              </thead>
              <tbody>
                {results.data.items.map((r) => (
                  <tr key={r.id}>
                    <td>{formatExact(r.at, i18n.language)}</td>
                    <td>{r.actorUsername ?? '—'}</td>
                    <td className="mono">{r.action}</td>
                    <td className="mono audit-subjects">{r.subjects.length ? r.subjects.join(' ') : '—'}</td>
                    <td>{r.purpose ?? '—'}</td>
                    <td>{t(`audit.outcomes.${r.outcome}`, { defaultValue: r.outcome })}</td>
                    <td className="mono">{r.ip ?? '—'}</td>
                    <td className="mono">{r.seq ?? t('audit.unsealed')}</td>
                  </tr>
                ))}
              </tbody>
            </table>
          </div>
          <nav className="pager" aria-label={t('audit.pageOf', { page: cursors.length + 1 })}>
            <button type="button" className="btn btn--small" disabled={cursors.length === 0} onClick={() => page(cursors.slice(0, -1))}>{t('audit.newer')}</button>
            <span>{t('audit.pageOf', { page: cursors.length + 1 })}</span>
            <button type="button" className="btn btn--small" disabled={!results.data.nextCursor} onClick={() => results.data?.nextCursor && page([...cursors, results.data.nextCursor])}>{t('audit.older')}</button>
          </nav>
        </>
      )}
    </div>
  );
}

/** The "verify chain" button and its result, announced; the focus stays on the button. */
function VerifyChain() {
  const { t } = useTranslation();
  const [busy, setBusy] = useState(false);
  const [result, setResult] = useState<AuditVerifyResult | null>(null);
  const [error, setError] = useState<string | null>(null);
  const run = async () => {
    if (busy) return;
    setBusy(true);
    setError(null);
    try {
      const r = await api.auditVerify();
      setResult(r);
      announce(describe(t, r), r.ok ? 'polite' : 'assertive');
    } catch (err) {
      const message = errorText(t, err);
      setError(message);
      announce(message, 'assertive');
    } finally {
      setBusy(false);
    }
  };
  return (
    <div className="audit-verify">
      <button type="button" className="btn btn--primary" onClick={() => void run()} aria-disabled={busy || undefined} aria-describedby={result || error ? 'audit-verify-result' : undefined}>
        {busy ? t('audit.verifying') : t('audit.verify')}
      </button>
      {result && (
        <p id="audit-verify-result" data-testid="audit-verify-result" className={result.ok ? 'feedback feedback--success' : 'feedback feedback--error'}>
          <span aria-hidden="true" className="feedback__icon">{result.ok ? '✔' : '✖'}</span>
          <span>{describe(t, result)}</span>
        </p>
      )}
      {error && <ErrorNotice message={error} />}
    </div>
  );
}

function describe(t: ReturnType<typeof useTranslation>['t'], r: AuditVerifyResult): string {
  const forged = r.unsealedForged > 0 ? ` ${t('audit.verifyForged', { count: r.unsealedForged, ids: (r.forgedIds ?? []).join(', ') })}` : '';
  if (r.ok) return t('audit.verifyOk', { rows: r.checkedRows, checkpoints: r.checkpointsChecked });
  if (r.reason === 'forged-unsealed') return forged.trim();
  return `${t('audit.verifyBroken', { reason: t(`audit.reasons.${r.reason ?? 'hash-mismatch'}`, { defaultValue: r.reason ?? '' }), seq: r.firstBrokenSeq ?? '—', rows: r.checkedRows })}${forged}`;
}

/** Date and time to the second, Asia/Shanghai: an audit needs the seconds. */
function formatExact(isoTime: string, language: string): string {
  return new Intl.DateTimeFormat(language, { timeZone: 'Asia/Shanghai', year: 'numeric', month: '2-digit', day: '2-digit', hour: '2-digit', minute: '2-digit', second: '2-digit', hour12: false }).format(new Date(isoTime));
}
