import { useEffect, useRef, useState, type FormEvent } from 'react';
import { useTranslation } from 'react-i18next';
import { fieldApi } from '../../api/dispatch-endpoints';
import type { FieldAction, FieldActionBody, FieldJobView } from '../../api/dispatch-wire';
import { formatDateTime } from '../../app/format';
import { ErrorNotice, SuccessNotice } from '../../components/Feedback';
import { TextAreaField } from '../../components/Field';
import { announce } from '../../state/announcer';
import { FieldHeading } from './FieldHeading';
import { fieldState } from './field-state';
import { fieldProblem } from './field-problem';
import { currentPosition } from './position';

const DONE_TEXT: Record<FieldAction, string> = { accept: 'field.accepted', decline: 'field.declined', en_route: 'field.enRouteDone', arrived: 'field.arrivedDone', done: 'field.completedDone', cannot_complete: 'field.failedDone' };

/**
 * The job on the worker's phone: service, time and area; the person's needs and the address once the worker
 * holds it; and the actions the server allows now, each a large button. Decline, done and cannot-complete
 * open a short form (done and cannot-complete need text). After each step the result takes the focus.
 */
export function FieldJob({ session, view, onView, onEnded }: { session: string; view: FieldJobView; onView: (v: FieldJobView) => void; onEnded: (text: string, gone: boolean) => void }) {
  const { t, i18n } = useTranslation();
  const [form, setForm] = useState<'decline' | 'done' | 'cannot_complete' | null>(null);
  const [result, setResult] = useState<{ kind: 'ok' | 'error'; text: string } | null>(null);
  const [busy, setBusy] = useState(false);
  const resultRef = useRef<HTMLDivElement>(null);
  useEffect(() => {
    if (result) resultRef.current?.focus();
  }, [result]);
  const when = (iso: string) => formatDateTime(iso, i18n.language);

  const send = async (body: FieldActionBody) => {
    setBusy(true);
    setResult(null);
    try {
      if (body.action === 'arrived' || body.action === 'done') {
        const position = await currentPosition();
        if (position) body = { ...body, position };
      }
      const next = await fieldApi.act(session, body);
      setForm(null);
      onView(next);
      const text = t(DONE_TEXT[body.action]);
      setResult({ kind: 'ok', text });
      announce(text);
    } catch (err) {
      const p = fieldProblem(t, err);
      if (p.kind === 'gone' || p.kind === 'session') return onEnded(p.text, p.kind === 'gone');
      setResult({ kind: 'error', text: p.text });
      announce(p.text, 'assertive');
      fieldApi.job(session).then(onView, () => undefined);
    } finally {
      setBusy(false);
    }
  };

  const state = fieldState(view);
  const service = t(`people.service.${view.service}`);
  const can = (a: FieldAction) => view.actions.includes(a);
  return (
    <>
      <FieldHeading>{t('field.jobHeading', { service })}</FieldHeading>
      <p><span className="field-state" data-testid="field-state">{t(`field.state.${state}`)}</span></p>
      <div ref={resultRef} tabIndex={-1} data-testid="field-result">
        {result?.kind === 'ok' && <SuccessNotice>{result.text}</SuccessNotice>}
        {result?.kind === 'error' && <ErrorNotice message={result.text} />}
      </div>
      <dl className="field-facts">
        <div><dt>{t('field.service')}</dt><dd>{service}</dd></div>
        <div><dt>{t('field.when')}</dt><dd>{when(view.windowStart)} – {when(view.windowEnd)}</dd></div>
        <div><dt>{t('field.area')}</dt><dd>{view.areaText}</dd></div>
        {view.offerStatus === 'open' && <div><dt>{t('field.status')}</dt><dd>{t('field.offerExpires', { time: when(view.expiresAt) })}</dd></div>}
        {view.visit && (
          <>
            <div><dt>{t('field.address')}</dt><dd data-testid="field-address">{view.visit.locationText}</dd></div>
            <div><dt>{t('field.needs')}</dt><dd>{view.visit.needs || t('field.noNeeds')}</dd></div>
          </>
        )}
      </dl>
      {!view.visit && view.offerStatus === 'open' && <p className="muted">{t('field.afterAcceptHint')}</p>}
      {form === null && view.actions.length > 0 && (
        <div className="field-actions">
          {can('accept') && <button type="button" className="btn btn--go" disabled={busy} onClick={() => void send({ action: 'accept' })}>{t('field.accept')}</button>}
          {can('en_route') && <button type="button" className="btn btn--primary" disabled={busy} onClick={() => void send({ action: 'en_route' })}>{t('field.enRoute')}</button>}
          {can('arrived') && <button type="button" className="btn btn--primary" disabled={busy} aria-describedby="arrived-hint" onClick={() => void send({ action: 'arrived' })}>{busy ? t('field.locating') : t('field.arrived')}</button>}
          {can('arrived') && <p id="arrived-hint" className="field__hint">{t('field.arrivedHint')}</p>}
          {can('done') && <button type="button" className="btn btn--go" disabled={busy} onClick={() => setForm('done')}>{t('field.done')}</button>}
          {can('decline') && <button type="button" className="btn" disabled={busy} onClick={() => setForm('decline')}>{t('field.decline')}</button>}
          {can('cannot_complete') && <button type="button" className="btn btn--stop" disabled={busy} onClick={() => setForm('cannot_complete')}>{t('field.cannot')}</button>}
        </div>
      )}
      {form && <TextStep kind={form} busy={busy} onCancel={() => setForm(null)} onSubmit={(text) => void send(form === 'decline' ? { action: 'decline', ...(text ? { note: text } : {}) } : form === 'done' ? { action: 'done', note: text } : { action: 'cannot_complete', reason: text })} />}
      {view.actions.length === 0 && ['completed', 'failed', 'cancelled', 'declined', 'expired', 'withdrawn'].includes(state) && <p>{t('field.finishedTitle')}</p>}
    </>
  );
}

/** The text step of decline (optional), done (notes) and cannot-complete (reason). */
function TextStep({ kind, busy, onCancel, onSubmit }: { kind: 'decline' | 'done' | 'cannot_complete'; busy: boolean; onCancel: () => void; onSubmit: (text: string) => void }) {
  const { t } = useTranslation();
  const [text, setText] = useState('');
  const [error, setError] = useState<string | null>(null);
  const area = useRef<HTMLTextAreaElement>(null);
  useEffect(() => area.current?.focus(), []);
  const label = kind === 'decline' ? t('field.declineReason') : kind === 'done' ? t('field.doneNotes') : t('field.cannotReason');
  const submitText = kind === 'decline' ? t('field.declineConfirm') : kind === 'done' ? t('field.doneSubmit') : t('field.cannotSubmit');
  const submit = (e: FormEvent) => {
    e.preventDefault();
    if (kind !== 'decline' && text.trim().length === 0) {
      setError(kind === 'done' ? t('field.notesRequired') : t('field.reasonRequired'));
      area.current?.focus();
      return;
    }
    onSubmit(text.trim());
  };
  return (
    <form onSubmit={submit} noValidate>
      <TextAreaField ref={area} label={label} required={kind !== 'decline'} error={error} rows={4} maxLength={1000} value={text} onChange={(e) => setText(e.target.value)} />
      <div className="field-actions">
        <button type="submit" className={`btn ${kind === 'cannot_complete' ? 'btn--stop' : 'btn--primary'}`} disabled={busy}>{submitText}</button>
        <button type="button" className="btn" disabled={busy} onClick={onCancel}>{t('field.back')}</button>
      </div>
    </form>
  );
}
