import { useRef, useState, type FormEvent } from 'react';
import { useTranslation } from 'react-i18next';
import type { TFunction } from 'i18next';
import { ApiError } from '../../api/http';
import { errorText } from '../../app/format';
import { LanguageSwitch } from '../../app/LanguageSwitch';
import { navigate } from '../../app/router';
import { ErrorNotice, SuccessNotice } from '../../components/Feedback';
import { TextField } from '../../components/Field';
import { PageHeading } from '../../components/PageHeading';
import { announce } from '../../state/announcer';
import { changePassword, signOut } from '../../state/session';

const MIN_LENGTH = 12;
type FieldName = 'current' | 'next' | 'confirm';

/** The server's refusal as a field and a translated message (reasons from POST /api/auth/password). */
function refusal(t: TFunction, err: unknown): { field: FieldName | null; message: string } {
  if (err instanceof ApiError && Array.isArray(err.details)) {
    const d = err.details[0] as { path?: string; reason?: string } | undefined;
    if (d?.reason === 'wrong-current') return { field: 'current', message: t('password.wrongCurrent') };
    if (d?.reason === 'too-short') return { field: 'next', message: t('password.tooShort') };
    if (d?.reason === 'is-username') return { field: 'next', message: t('password.isUsername') };
    if (d?.reason === 'common') return { field: 'next', message: t('password.common') };
    if (d?.reason === 'unchanged') return { field: 'next', message: t('password.unchanged') };
  }
  if (err instanceof ApiError && err.status === 429) return { field: null, message: t('password.throttled') };
  return { field: null, message: errorText(t, err) };
}

/**
 * Change one's own password: current + new (twice). `forced` is the whole screen after signing in with a
 * one-time password (nothing else is reachable until it is changed); otherwise a page under settings.
 */
export function ChangePasswordPage({ forced = false }: { forced?: boolean }) {
  const { t } = useTranslation();
  const [values, setValues] = useState<Record<FieldName, string>>({ current: '', next: '', confirm: '' });
  const [errors, setErrors] = useState<Partial<Record<FieldName, string>>>({});
  const [notice, setNotice] = useState<string | null>(null);
  const [done, setDone] = useState(false);
  const [busy, setBusy] = useState(false);
  const refs = { current: useRef<HTMLInputElement>(null), next: useRef<HTMLInputElement>(null), confirm: useRef<HTMLInputElement>(null) };

  const fail = (field: FieldName | null, message: string) => {
    if (field) {
      setErrors({ [field]: message });
      refs[field].current?.focus();
    } else setNotice(message);
  };

  const submit = async (e: FormEvent) => {
    e.preventDefault();
    setErrors({});
    setNotice(null);
    if ([...values.next].length < MIN_LENGTH) return fail('next', t('password.tooShort'));
    if (values.next !== values.confirm) return fail('confirm', t('password.mismatch'));
    setBusy(true);
    try {
      // A forced change opens the console at home, whatever page the previous user of this tab was on.
      await changePassword(values.current, values.next, forced ? () => navigate('/') : undefined);
      announce(t('password.done'));
      if (forced) return;
      setValues({ current: '', next: '', confirm: '' });
      setDone(true);
    } catch (err) {
      const r = refusal(t, err);
      fail(r.field, r.message);
    } finally {
      setBusy(false);
    }
  };

  const set = (field: FieldName) => (e: { target: { value: string } }) => setValues((v) => ({ ...v, [field]: e.target.value }));
  const form = (
    <form onSubmit={(e) => void submit(e)} className="login__form" aria-label={t('password.title')} noValidate>
      {notice && <ErrorNotice message={notice} />}
      {done && <SuccessNotice>{t('password.done')}</SuccessNotice>}
      <TextField ref={refs.current} label={t('password.current')} name="current-password" type="password" autoComplete="current-password" required
        value={values.current} onChange={set('current')} error={errors.current} />
      <TextField ref={refs.next} label={t('password.next')} hint={t('password.nextHint')} name="new-password" type="password" autoComplete="new-password" required
        minLength={MIN_LENGTH} value={values.next} onChange={set('next')} error={errors.next} />
      <TextField ref={refs.confirm} label={t('password.confirm')} name="confirm-password" type="password" autoComplete="new-password" required
        value={values.confirm} onChange={set('confirm')} error={errors.confirm} />
      <button type="submit" className="btn btn--primary btn--wide" disabled={busy || !values.current || !values.next || !values.confirm}>
        {busy ? t('password.submitting') : t('password.submit')}
      </button>
    </form>
  );

  if (!forced) {
    return (
      <div className="narrow">
        <PageHeading>{t('password.title')}</PageHeading>
        <section className="panel">{form}</section>
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
        <PageHeading>{t('password.title')}</PageHeading>
        <p className="notice notice--warn" role="alert"><span aria-hidden="true">⚠ </span>{t('password.forcedIntro')}</p>
        <div className="panel">{form}</div>
        <button type="button" className="btn" onClick={() => void signOut()}>{t('password.signOut')}</button>
      </main>
    </div>
  );
}
