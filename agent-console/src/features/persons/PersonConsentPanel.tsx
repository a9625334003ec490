import { useMutation, useQuery, useQueryClient } from '@tanstack/react-query';
import { useEffect, useId, useRef, useState } from 'react';
import { useTranslation } from 'react-i18next';
import { ApiError } from '../../api/http';
import { errorText } from '../../app/format';
import { useUser } from '../../app/routes';
import { ErrorNotice, Loading } from '../../components/Feedback';
import { TextField } from '../../components/Field';
import { announce } from '../../state/announcer';
import { CONSENT_KINDS, CONSENT_METHODS, personStatusApi, today, type ConsentKind, type ConsentMethod, type ConsentsView } from './person-status-api';

/**
 * PIPL consents on the person page: the consent in force for sensitive personal information and for
 * notifying contacts (date, how, by whom), recording a consent or its withdrawal (agents and supervisors),
 * and the whole history. The focus returns to the button the user started from.
 */
export function PersonConsentPanel({ personId }: { personId: string }) {
  const { t } = useTranslation();
  const user = useUser();
  const consents = useQuery({ queryKey: ['persons', personId, 'consents'], queryFn: () => personStatusApi.consents(personId) });
  const mayRecord = user.role === 'agent' || user.role === 'supervisor';
  const c = consents.data;
  return (
    <section className="panel" aria-labelledby="person-consent-title">
      <h2 id="person-consent-title" className="panel__title">{t('consent.heading')}</h2>
      {consents.isPending && <Loading />}
      {consents.isError && <ErrorNotice message={errorText(t, consents.error)} onRetry={() => void consents.refetch()} />}
      {c && (
        <>
          <ul className="consent-list">
            {CONSENT_KINDS.map((kind) => <ConsentItem key={kind} personId={personId} kind={kind} consents={c} mayRecord={mayRecord} />)}
          </ul>
          {c.history.length > 0 && (
            <div className="table-wrap">
              <table className="table table--compact">
                <caption>{t('consent.historyCaption')}</caption>
                <thead>
                  <tr>
                    <th scope="col">{t('consent.colKind')}</th>
                    <th scope="col">{t('consent.colGiven')}</th>
                    <th scope="col">{t('consent.colWithdrawn')}</th>
                  </tr>
                </thead>
                <tbody>
                  {c.history.map((h) => (
                    <tr key={h.id}>
                      <th scope="row">{t(`consent.kind.${h.kind}`)}</th>
                      <td>{t('consent.entry', { date: h.givenOn, method: t(`consent.method.${h.method}`), who: h.recordedBy ?? '—' })}</td>
                      <td>{h.withdrawnOn ? t('consent.entry', { date: h.withdrawnOn, method: h.withdrawalMethod ? t(`consent.method.${h.withdrawalMethod}`) : '', who: h.withdrawnBy ?? '—' }) : '—'}</td>
                    </tr>
                  ))}
                </tbody>
              </table>
            </div>
          )}
        </>
      )}
    </section>
  );
}

function ConsentItem({ personId, kind, consents, mayRecord }: { personId: string; kind: ConsentKind; consents: ConsentsView; mayRecord: boolean }) {
  const { t } = useTranslation();
  const client = useQueryClient();
  const current = consents.current[kind];
  const [open, setOpen] = useState(false);
  const [message, setMessage] = useState<string | null>(null);
  const buttonRef = useRef<HTMLButtonElement>(null);
  const kindText = t(`consent.kind.${kind}`);
  const close = (text?: string) => {
    setOpen(false);
    if (text) {
      setMessage(text);
      announce(text);
    }
    requestAnimationFrame(() => buttonRef.current?.focus());
  };
  return (
    <li>
      <strong>{kindText}</strong>：{current ? t('consent.inForce', { date: current.givenOn, method: t(`consent.method.${current.method}`), who: current.recordedBy ?? '—' }) : t('consent.none')}
      {mayRecord && !open && (
        <div className="button-row">
          <button ref={buttonRef} type="button" className="btn btn--small" aria-label={`${current ? t('consent.withdraw') : t('consent.give')}：${kindText}`} onClick={() => { setMessage(null); setOpen(true); }}>
            {current ? t('consent.withdraw') : t('consent.give')}
          </button>
        </div>
      )}
      {open && (
        <ConsentForm
          withdraw={Boolean(current)}
          kindText={kindText}
          save={async (date, method) => {
            const view = current ? await personStatusApi.withdrawConsent(personId, { kind, withdrawnOn: date, method }) : await personStatusApi.giveConsent(personId, { kind, givenOn: date, method });
            client.setQueryData(['persons', personId, 'consents'], view);
            close(current ? t('consent.withdrawn', { kind: kindText }) : t('consent.given', { kind: kindText }));
          }}
          onCancel={() => close()}
        />
      )}
      {message && <p className="feedback feedback--success" role="status">{message}</p>}
    </li>
  );
}

function ConsentForm({ withdraw, kindText, save, onCancel }: { withdraw: boolean; kindText: string; save: (date: string, method: ConsentMethod) => Promise<void>; onCancel: () => void }) {
  const { t } = useTranslation();
  const [date, setDate] = useState(today());
  const [method, setMethod] = useState<ConsentMethod>('oral');
  const dateRef = useRef<HTMLInputElement>(null);
  const name = useId();
  useEffect(() => dateRef.current?.focus(), []);
  const mutation = useMutation({ mutationFn: () => save(date.trim(), method) });
  const title = `${withdraw ? t('consent.withdraw') : t('consent.give')}：${kindText}`;
  return (
    <form onSubmit={(e) => { e.preventDefault(); if (!mutation.isPending) mutation.mutate(); }} onKeyDown={(e) => e.key === 'Escape' && onCancel()} noValidate aria-label={title}>
      <TextField ref={dateRef} label={t('consent.date')} hint="YYYY-MM-DD" value={date} onChange={(e) => setDate(e.target.value)} inputMode="numeric" maxLength={10} required />
      <fieldset className="radio-group">
        <legend className="field__label">{t('consent.how')}</legend>
        <div className="radio-group__options">
          {CONSENT_METHODS.map((m) => (
            <label key={m} className="radio"><input type="radio" name={name} value={m} checked={method === m} onChange={() => setMethod(m)} /><span>{t(`consent.method.${m}`)}</span></label>
          ))}
        </div>
      </fieldset>
      {mutation.isError && <ErrorNotice message={consentError(t, mutation.error)} />}
      <div className="button-row">
        <button type="submit" className="btn btn--primary" aria-disabled={mutation.isPending || undefined}>{t('consent.save')}</button>
        <button type="button" className="btn" onClick={onCancel}>{t('consent.cancel')}</button>
      </div>
    </form>
  );
}

function consentError(t: ReturnType<typeof useTranslation>['t'], err: unknown): string {
  if (err instanceof ApiError && err.code === 'conflict') {
    const reason = (err.details as { reason?: string } | undefined)?.reason;
    if (reason === 'consent-in-force') return t('consent.inForceAlready');
    if (reason === 'no-consent') return t('consent.nothingToWithdraw');
  }
  return errorText(t, err);
}
