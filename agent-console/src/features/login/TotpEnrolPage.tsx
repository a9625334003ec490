import { useMutation, useQuery } from '@tanstack/react-query';
import { useEffect, useRef, useState, type FormEvent } from 'react';
import { useTranslation } from 'react-i18next';
import { api } from '../../api/endpoints';
import { ApiError } from '../../api/http';
import { errorText } from '../../app/format';
import { LanguageSwitch } from '../../app/LanguageSwitch';
import { navigate } from '../../app/router';
import { ErrorNotice, SuccessNotice } from '../../components/Feedback';
import { TextField } from '../../components/Field';
import { PageHeading } from '../../components/PageHeading';
import { announce } from '../../state/announcer';
import { signOut, totpEnrolled } from '../../state/session';

/** The secret in groups of four, easier to type into an app by hand. */
const grouped = (secret: string) => secret.replace(/(.{4})/g, '$1 ').trim();

/**
 * Enrol a TOTP second factor: show the secret as a QR code and as text, confirm with a code from the app, then
 * show the ten recovery codes once. `forced`: the whole screen after signing in (admin, security admin and
 * auditor must enrol before anything else); otherwise a page under settings.
 */
export function TotpEnrolPage({ forced = false }: { forced?: boolean }) {
  const { t } = useTranslation();
  const [code, setCode] = useState('');
  const [codeError, setCodeError] = useState<string | null>(null);
  const codeRef = useRef<HTMLInputElement>(null);
  const codesRef = useRef<HTMLHeadingElement>(null);
  const start = useMutation({ mutationFn: api.totpStart });
  // Under settings: someone already enrolled sees the state, not a new secret (a security admin resets a lost one).
  const me = useQuery({ queryKey: ['me', 'totp'], queryFn: api.me, enabled: !forced });
  const enrolled = !forced && me.data?.totpEnrolled === true;
  // Enrolling: confirm the new secret; already enrolled: replace the recovery codes. Both prove a current code.
  const confirm = useMutation({ mutationFn: (c: string) => (enrolled ? api.totpRecoveryCodes(c) : api.totpConfirm(c)) });

  useEffect(() => {
    if (start.data) codeRef.current?.focus();
  }, [start.data]);
  useEffect(() => {
    if (confirm.data) {
      codesRef.current?.focus();
      announce(enrolled ? t('totp.regenerated') : t('totp.enrolled'));
    }
  }, [confirm.data, t]);

  const submit = (e: FormEvent) => {
    e.preventDefault();
    setCodeError(null);
    if (!/^\d{6}$/.test(code.trim())) {
      setCodeError(t('totp.codeFormat'));
      codeRef.current?.focus();
      return;
    }
    confirm.mutate(code.trim(), {
      onError: (err) => {
        const invalid = err instanceof ApiError && Array.isArray(err.details) && (err.details[0] as { reason?: string } | undefined)?.reason === 'invalid-code';
        setCodeError(invalid ? t('totp.invalidCode') : errorText(t, err));
        setCode('');
        codeRef.current?.focus();
      },
    });
  };

  const finish = async () => {
    if (forced) {
      await navigate('/');
      totpEnrolled();
    }
  };

  const codeForm = (label: string, submitText: string) => (
    <form onSubmit={submit} className="login__form" aria-label={label} noValidate>
      <TextField ref={codeRef} label={t('totp.code')} hint={t('totp.confirmHint')} name="one-time-code" autoComplete="one-time-code" inputMode="numeric" required maxLength={6}
        value={code} onChange={(e) => setCode(e.target.value)} error={codeError} />
      <button type="submit" className="btn btn--primary btn--wide" disabled={confirm.isPending}>{confirm.isPending ? t('totp.confirming') : submitText}</button>
    </form>
  );

  const body = enrolled && !confirm.data ? (
    <section className="panel">
      <SuccessNotice>{t('totp.alreadyEnrolled', { count: me.data!.recoveryCodesLeft })}</SuccessNotice>
      <p>{t('totp.regenerateIntro')}</p>
      {codeForm(t('totp.regenerate'), t('totp.regenerate'))}
    </section>
  ) : confirm.data ? (
    <section className="panel" aria-labelledby="totp-codes">
      <h2 id="totp-codes" ref={codesRef} tabIndex={-1}>{t('totp.recoveryTitle')}</h2>
      <SuccessNotice>{enrolled ? t('totp.regenerated') : t('totp.enrolled')}</SuccessNotice>
      <p>{t('totp.recoveryIntro')}</p>
      <ol className="recovery-codes" data-testid="recovery-codes">
        {confirm.data.recoveryCodes.map((c) => <li key={c}><code>{c}</code></li>)}
      </ol>
      {forced && <button type="button" className="btn btn--primary" onClick={() => void finish()}>{t('totp.continue')}</button>}
    </section>
  ) : (
    <section className="panel">
      <p>{t('totp.intro')}</p>
      {start.error && <ErrorNotice message={errorText(t, start.error)} />}
      {!start.data ? (
        <button type="button" className="btn btn--primary" disabled={start.isPending} onClick={() => start.mutate()}>{t('totp.start')}</button>
      ) : (
        <>
          <img src={start.data.qrDataUrl} alt={t('totp.qrAlt')} width={200} height={200} className="totp-qr" />
          <p>
            {t('totp.secretLabel')} <code data-testid="totp-secret">{grouped(start.data.secret)}</code>
          </p>
          {codeForm(t('totp.confirmLabel'), t('totp.confirm'))}
        </>
      )}
    </section>
  );

  if (!forced) {
    return (
      <div className="narrow">
        <PageHeading>{t('totp.title')}</PageHeading>
        {body}
      </div>
    );
  }
  return (
    <div className="login">
      <header className="login__header">
        <span className="brand"><span className="brand__mark" aria-hidden="true">安</span>{t('app.name')}</span>
        <LanguageSwitch />
      </header>
      <main id="main" className="login__main" tabIndex={-1}>
        <PageHeading>{t('totp.title')}</PageHeading>
        {!confirm.data && <p className="notice notice--warn" role="alert"><span aria-hidden="true">⚠ </span>{t('totp.forcedIntro')}</p>}
        {body}
        <button type="button" className="btn" onClick={() => void signOut()}>{t('password.signOut')}</button>
      </main>
    </div>
  );
}
