import { useEffect, useRef, useState, type FormEvent } from 'react';
import { ApiError } from '../../api/http';
import { useTranslation } from 'react-i18next';
import { errorText } from '../../app/format';
import { ErrorNotice } from '../../components/Feedback';
import { TextField } from '../../components/Field';
import { LanguageSwitch } from '../../app/LanguageSwitch';
import { signIn, type SessionState } from '../../state/session';
import { unlockAudio } from '../sos/alarm-sound';

/**
 * The sign-in form (the sign-in page and the re-sign-in dialog after a session expiry). When the account has a
 * second factor the server answers `auth/totp-required` and the form asks for the code (TOTP or recovery code)
 * as a second step, with the focus on the code field.
 */
export function LoginForm({ autoFocus = true }: { autoFocus?: boolean }) {
  const { t } = useTranslation();
  const [username, setUsername] = useState('');
  const [password, setPassword] = useState('');
  const [error, setError] = useState<string | null>(null);
  const [busy, setBusy] = useState(false);
  const passwordRef = useRef<HTMLInputElement>(null);
  const [needCode, setNeedCode] = useState(false);
  const [code, setCode] = useState('');
  const codeRef = useRef<HTMLInputElement>(null);
  useEffect(() => {
    if (needCode) codeRef.current?.focus();
  }, [needCode]);

  const submit = async (e: FormEvent) => {
    e.preventDefault();
    unlockAudio();
    setBusy(true);
    setError(null);
    try {
      await signIn(username.trim(), password, needCode ? code.trim() : undefined);
    } catch (err) {
      if (err instanceof ApiError && err.code === 'auth/totp-required') {
        setNeedCode(true);
        return;
      }
      const badCode = needCode && err instanceof ApiError && Array.isArray(err.details) && (err.details[0] as { reason?: string } | undefined)?.reason === 'invalid-code';
      if (badCode) {
        setError(t('totp.invalidCode'));
        setCode('');
        codeRef.current?.focus();
        return;
      }
      setError(t('login.failed', { message: errorText(t, err) }));
      setPassword('');
      setNeedCode(false);
      setCode('');
      passwordRef.current?.focus();
    } finally {
      setBusy(false);
    }
  };

  return (
    <form onSubmit={(e) => void submit(e)} className="login__form" aria-label={t('login.title')}>
      {error && <ErrorNotice message={error} />}
      <TextField label={t('login.username')} name="username" autoComplete="username" required value={username} onChange={(e) => setUsername(e.target.value)} autoFocus={autoFocus} />
      <TextField ref={passwordRef} label={t('login.password')} name="password" type="password" autoComplete="current-password" required value={password} onChange={(e) => setPassword(e.target.value)} />
      {needCode && (
        <TextField ref={codeRef} label={t('totp.code')} hint={t('totp.codeHint')} name="one-time-code" autoComplete="one-time-code" inputMode="text" required
          value={code} onChange={(e) => setCode(e.target.value)} maxLength={11} />
      )}
      <button type="submit" className="btn btn--primary btn--wide" disabled={busy || !username || !password || (needCode && !code.trim())}>{busy ? t('login.submitting') : t('login.submit')}</button>
      <p className="muted">{t('login.demoHint')}</p>
    </form>
  );
}

/** The sign-in page. */
export function LoginPage({ reason }: { reason: Extract<SessionState, { status: 'signed-out' }>['reason'] }) {
  const { t } = useTranslation();
  return (
    <div className="login">
      <header className="login__header">
        <span className="brand"><span className="brand__mark" aria-hidden="true">安</span>{t('app.name')}</span>
        <LanguageSwitch />
      </header>
      <main id="main" className="login__main" tabIndex={-1}>
        <h1>{t('login.title')}</h1>
        {reason === 'expired' && <p className="notice notice--warn" role="alert"><span aria-hidden="true">⚠ </span>{t('login.expired')}</p>}
        {reason === 'logged-out' && <p className="notice" role="status">{t('login.loggedOut')}</p>}
        <div className="panel">
          <LoginForm />
        </div>
      </main>
    </div>
  );
}
