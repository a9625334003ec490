import { useEffect, useRef, useState, type FormEvent } from 'react';
import { useTranslation } from 'react-i18next';
import { fieldApi } from '../../api/dispatch-endpoints';
import type { FieldJobView } from '../../api/dispatch-wire';
import { LanguageSwitch } from '../../app/LanguageSwitch';
import { ErrorNotice, Loading } from '../../components/Feedback';
import { LiveRegions } from '../../components/LiveRegions';
import { TextField } from '../../components/Field';
import { announce } from '../../state/announcer';
import './field.css';
import { registerDispatchTexts } from '../../i18n/dispatch-texts';
import { FieldHeading } from './FieldHeading';
import { FieldJob } from './FieldJob';
import { fieldProblem } from './field-problem';

registerDispatchTexts();

type Screen =
  | { kind: 'resuming' }
  | { kind: 'pin'; error: string | null }
  | { kind: 'job'; session: string; view: FieldJobView }
  | { kind: 'gone'; text: string };

const storageKey = (token: string) => `anxin.field.${token}`;

/**
 * The field worker's page, opened from the SMS link `/f/<token>` with the PIN (no account, no install): large
 * type, one column, zh-CN first. The field session is kept in this tab (sessionStorage) so a reload does not
 * ask for the PIN again. A link that no longer works gets a page that says so, never a trace.
 */
export function FieldApp({ token }: { token: string }) {
  const { t } = useTranslation();
  const [screen, setScreen] = useState<Screen>(() => (sessionStorage.getItem(storageKey(token)) ? { kind: 'resuming' } : { kind: 'pin', error: null }));

  useEffect(() => {
    const session = sessionStorage.getItem(storageKey(token));
    if (!session) return;
    fieldApi.job(session).then(
      (view) => setScreen({ kind: 'job', session, view }),
      (err: unknown) => {
        const p = fieldProblem(t, err);
        sessionStorage.removeItem(storageKey(token));
        setScreen(p.kind === 'gone' ? { kind: 'gone', text: p.text } : { kind: 'pin', error: p.kind === 'session' ? null : p.text });
      },
    );
  }, [token]);

  const opened = (session: string, view: FieldJobView) => {
    sessionStorage.setItem(storageKey(token), session);
    setScreen({ kind: 'job', session, view });
  };
  const ended = (text: string, gone: boolean) => {
    sessionStorage.removeItem(storageKey(token));
    setScreen(gone ? { kind: 'gone', text } : { kind: 'pin', error: text });
  };

  return (
    <div className="field-app">
      <header className="field-app__bar">
        <span className="field-app__brand"><span aria-hidden="true">安 </span>{t('field.brand')}</span>
        <LanguageSwitch />
      </header>
      <main id="main" className="field-app__main" tabIndex={-1}>
        {screen.kind === 'resuming' && <Loading label={t('field.loading')} />}
        {screen.kind === 'pin' && <PinForm token={token} initialError={screen.error} onOpened={opened} onGone={(text) => setScreen({ kind: 'gone', text })} />}
        {screen.kind === 'job' && <FieldJob session={screen.session} view={screen.view} onView={(view) => setScreen({ ...screen, view })} onEnded={ended} />}
        {screen.kind === 'gone' && <Gone text={screen.text} />}
      </main>
      <LiveRegions />
    </div>
  );
}

function Gone({ text }: { text: string }) {
  const { t } = useTranslation();
  return (
    <>
      <FieldHeading>{t('field.linkGone')}</FieldHeading>
      <p className="field-gone" data-testid="field-gone">{text}</p>
    </>
  );
}

function PinForm({ token, initialError, onOpened, onGone }: { token: string; initialError: string | null; onOpened: (session: string, view: FieldJobView) => void; onGone: (text: string) => void }) {
  const { t } = useTranslation();
  const [pin, setPin] = useState('');
  const [error, setError] = useState<string | null>(initialError);
  const [problem, setProblem] = useState<{ text: string; retry: boolean } | null>(null);
  const [busy, setBusy] = useState(false);
  const input = useRef<HTMLInputElement>(null);

  const submit = async (e?: FormEvent) => {
    e?.preventDefault();
    setProblem(null);
    if (!/^\d{4,8}$/.test(pin.trim())) {
      setError(t('field.pinEmpty'));
      input.current?.focus();
      return;
    }
    setBusy(true);
    try {
      const opened = await fieldApi.open(token, pin.trim());
      onOpened(opened.session, opened.view);
    } catch (err) {
      const p = fieldProblem(t, err);
      if (p.kind === 'gone') return onGone(p.text);
      setPin('');
      if (p.kind === 'message') setProblem({ text: p.text, retry: p.retry });
      else setError(p.text);
      announce(p.text, 'assertive');
      input.current?.focus();
    } finally {
      setBusy(false);
    }
  };

  return (
    <>
      <FieldHeading>{t('field.pinTitle')}</FieldHeading>
      <p>{t('field.pinIntro')}</p>
      {problem && <ErrorNotice message={problem.text} onRetry={problem.retry ? () => void submit() : undefined} />}
      <form onSubmit={(e) => void submit(e)} noValidate>
        <TextField ref={input} label={t('field.pinLabel')} hint={t('field.pinHint')} error={error} className="field__control pin-input" inputMode="numeric" autoComplete="one-time-code" maxLength={8} required value={pin} onChange={(e) => setPin(e.target.value.replace(/\D/g, ''))} />
        <div className="field-actions">
          <button type="submit" className="btn btn--primary" disabled={busy}>{busy ? t('field.pinChecking') : t('field.pinSubmit')}</button>
        </div>
      </form>
    </>
  );
}
