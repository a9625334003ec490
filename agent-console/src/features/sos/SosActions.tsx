import { useEffect, useRef, useState, type FormEvent } from 'react';
import { useTranslation } from 'react-i18next';
import { api } from '../../api/endpoints';
import { ApiError } from '../../api/http';
import { errorText } from '../../app/format';
import { Dialog } from '../../components/Dialog';
import { ErrorNotice } from '../../components/Feedback';
import { TextAreaField } from '../../components/Field';
import { announce } from '../../state/announcer';

type Closing = 'resolve' | 'falseAlarm';

/** Server refusals on the SOS actions, in the console's language. */
function sosErrorText(t: (k: string, o?: Record<string, unknown>) => string, err: unknown): string {
  if (err instanceof ApiError) {
    if (err.code === 'sos/not-found') return t('sosActions.errorGone');
    if (err.code === 'ticket/invalid-transition') return t('sosActions.errorClosed');
    if (err.code === 'auth/forbidden') return t('sosActions.errorForbidden');
    if (err.code === 'validation/invalid') return t('sosActions.reasonTooShort');
  }
  return errorText(t as never, err);
}

/**
 * The SOS actions — acknowledge (while unacknowledged), resolve and false alarm, each closing one with a
 * required reason — for the order page and the SOS banner. Focus returns to the button that opened the
 * reason dialog, or to `fallbackFocus` when that button is gone (the SOS closed).
 */
export function SosActions({ sosId, status, who, onDone, fallbackFocus, onDark }: {
  sosId: string;
  status: 'active' | 'acknowledged';
  /** Whose SOS, for the buttons' accessible names (several may be listed in the banner). */
  who: string;
  onDone: () => void;
  fallbackFocus?: () => HTMLElement | null;
  onDark?: boolean;
}) {
  const { t } = useTranslation();
  const [closing, setClosing] = useState<Closing | null>(null);
  const [note, setNote] = useState('');
  const [error, setError] = useState<string | null>(null);
  const [busy, setBusy] = useState(false);
  const opener = useRef<HTMLButtonElement | null>(null);
  const reasonBox = useRef<HTMLTextAreaElement>(null);
  // The dialog opens on its first control (the close button); the reason is what the user came to type.
  useEffect(() => {
    if (closing) requestAnimationFrame(() => reasonBox.current?.focus());
  }, [closing]);
  const btn = `btn${onDark ? ' btn--on-dark' : ''}`;

  const refocus = () =>
    requestAnimationFrame(() => {
      if (opener.current?.isConnected) opener.current.focus();
      else (fallbackFocus?.() ?? document.getElementById('main'))?.focus();
    });

  const open = (which: Closing, button: HTMLButtonElement) => {
    opener.current = button;
    setClosing(which);
    setNote('');
    setError(null);
  };
  const close = () => {
    setClosing(null);
    refocus();
  };

  const acknowledge = async (button: HTMLButtonElement) => {
    opener.current = button;
    setBusy(true);
    setError(null);
    try {
      await api.acknowledgeSos(sosId);
      announce(t('sosActions.acknowledged', { who }));
      onDone();
    } catch (err) {
      setError(sosErrorText(t, err));
    } finally {
      setBusy(false);
      refocus();
    }
  };

  const submit = async (e: FormEvent) => {
    e.preventDefault();
    if (!closing) return;
    if (note.trim().length < 2) return setError(t('sosActions.reasonTooShort'));
    setBusy(true);
    setError(null);
    try {
      if (closing === 'resolve') await api.resolveSos(sosId, note.trim());
      else await api.falseAlarmSos(sosId, note.trim());
      announce(t(closing === 'resolve' ? 'sosActions.resolved' : 'sosActions.falseAlarmed', { who }));
      setClosing(null);
      onDone();
      refocus();
    } catch (err) {
      setError(sosErrorText(t, err));
    } finally {
      setBusy(false);
    }
  };

  return (
    <div className="sos-actions" role="group" aria-label={t('sosActions.group', { who })}>
      {status === 'active' && (
        <button type="button" className={btn} disabled={busy} onClick={(e) => void acknowledge(e.currentTarget)}>{t('sosActions.acknowledge')}</button>
      )}
      <button type="button" className={btn} disabled={busy} onClick={(e) => open('resolve', e.currentTarget)} aria-haspopup="dialog">{t('sosActions.resolve')}</button>
      <button type="button" className={btn} disabled={busy} onClick={(e) => open('falseAlarm', e.currentTarget)} aria-haspopup="dialog">{t('sosActions.falseAlarm')}</button>
      {error && !closing && <ErrorNotice message={error} />}
      <Dialog open={closing !== null} title={t(closing === 'falseAlarm' ? 'sosActions.falseAlarmTitle' : 'sosActions.resolveTitle', { who })} onClose={close}>
        <form onSubmit={(e) => void submit(e)} noValidate>
          <p>{t(closing === 'falseAlarm' ? 'sosActions.falseAlarmIntro' : 'sosActions.resolveIntro')}</p>
          <TextAreaField label={`${t('sosActions.reason')} *`} rows={3} value={note} onChange={(e) => setNote(e.target.value)} required ref={reasonBox} error={error ?? undefined} />
          <div className="dialog__actions">
            <button type="submit" className="btn btn--primary" disabled={busy}>{t(closing === 'falseAlarm' ? 'sosActions.confirmFalseAlarm' : 'sosActions.confirmResolve')}</button>
            <button type="button" className="btn" onClick={close}>{t('app.cancel')}</button>
          </div>
        </form>
      </Dialog>
    </div>
  );
}
