import { useMutation, useQuery, useQueryClient } from '@tanstack/react-query';
import { useEffect, useRef, useState, type FormEvent } from 'react';
import { useTranslation } from 'react-i18next';
import type { TFunction } from 'i18next';
import { api } from '../../api/endpoints';
import { ApiError } from '../../api/http';
import { ROLES, type Role, type StaffBody, type StaffView } from '../../api/wire';
import { errorText, fieldErrors } from '../../app/format';
import { navigate } from '../../app/router';
import { ErrorNotice, Loading, SuccessNotice } from '../../components/Feedback';
import { CheckboxField, SelectField, TextField } from '../../components/Field';
import { PageHeading } from '../../components/PageHeading';
import { announce } from '../../state/announcer';

interface Form {
  username: string;
  displayName: string;
  roles: Role[];
  districtCode: string;
  sipExtension: string;
  signLanguage: boolean;
  medical: boolean;
  dialects: string;
}

const EMPTY: Form = { username: '', displayName: '', roles: ['agent'], districtCode: '', sipExtension: '', signLanguage: false, medical: false, dialects: '' };
const SOLE: Role[] = ['security_admin', 'auditor'];

function formOf(u: StaffView): Form {
  return {
    username: u.username,
    displayName: u.displayName,
    roles: u.roles,
    districtCode: u.districtCode,
    sipExtension: u.sipExtension ?? '',
    signLanguage: u.skills.includes('sign_language'),
    medical: u.skills.includes('medical'),
    dialects: u.skills.filter((s) => s.startsWith('dialect:')).map((s) => s.slice('dialect:'.length)).join('，'),
  };
}

function bodyOf(f: Form, creating: boolean): StaffBody {
  const dialects = f.dialects.split(/[,，、\s]+/).map((d) => d.trim()).filter(Boolean).map((d) => `dialect:${d}`);
  const skills = [...(f.signLanguage ? ['sign_language'] : []), ...(f.medical ? ['medical'] : []), ...dialects];
  return { ...(creating ? { username: f.username.trim() } : {}), displayName: f.displayName.trim(), roles: f.roles, districtCode: f.districtCode, sipExtension: f.sipExtension.trim() || null, skills };
}

/** Field errors from a refusal, with the server's reasons translated. */
function refusalOf(t: TFunction, err: unknown): Record<string, string> {
  const out = fieldErrors(err, t);
  if (err instanceof ApiError && Array.isArray(err.details)) {
    for (const d of err.details as { path?: string; reason?: string }[]) {
      if (d.path && d.reason && t(`staff.reason.${d.reason}`, { defaultValue: '' })) out[d.path] = t(`staff.reason.${d.reason}`);
    }
  }
  return out;
}

/**
 * Create a staff user (`id` absent) or edit one: name, roles (security admin and auditor only alone), district
 * scope, SIP extension, skills; and the account actions deactivate / activate, unlock, reset password (the
 * one-time password is shown once), reset the second factor.
 */
export function StaffEditPage({ id }: { id?: string }) {
  const { t } = useTranslation();
  const qc = useQueryClient();
  const creating = !id;
  const user = useQuery({ queryKey: ['staff', 'one', id], queryFn: () => api.staff(id!), enabled: !creating });
  const districts = useQuery({ queryKey: ['districts'], queryFn: api.districts });
  const [form, setForm] = useState<Form>(EMPTY);
  const [errors, setErrors] = useState<Record<string, string>>({});
  const [result, setResult] = useState<{ kind: 'ok' | 'error'; text: string; oneTimePassword?: string } | null>(null);
  const resultRef = useRef<HTMLDivElement>(null);
  const firstRef = useRef<HTMLInputElement>(null);

  useEffect(() => {
    if (user.data) setForm(formOf(user.data));
  }, [user.data]);
  const loaded = creating || user.data !== undefined;
  useEffect(() => {
    if (result && loaded) resultRef.current?.focus();
  }, [result, loaded]);

  const done = (text: string, oneTimePassword?: string) => {
    setResult({ kind: 'ok', text, oneTimePassword });
    announce(text);
    void qc.invalidateQueries({ queryKey: ['staff'] });
  };
  const failed = (err: unknown) => {
    setErrors(refusalOf(t, err));
    setResult({ kind: 'error', text: errorText(t, err, { roles: t('staff.roles'), districtCode: t('staff.district'), sipExtension: t('staff.extension'), username: t('staff.username'), displayName: t('staff.displayName'), skills: t('staff.skills') }) });
  };

  const save = useMutation({
    mutationFn: (body: StaffBody) => api.updateStaff(id!, body),
    onSuccess: () => done(t('staff.saved')),
    onError: failed,
  });
  // A created user's one-time password is shown once, on their page (kept in this tab only until then).
  const create = useMutation({
    mutationFn: (body: StaffBody) => api.createStaff(body),
    onSuccess: async (saved) => {
      sessionStorage.setItem('anxin.staff.created', JSON.stringify({ id: saved.id, oneTimePassword: saved.oneTimePassword }));
      void qc.invalidateQueries({ queryKey: ['staff'] });
      await navigate(`/staff/${saved.id}`);
    },
    onError: failed,
  });
  useEffect(() => {
    const stored = sessionStorage.getItem('anxin.staff.created');
    if (!id || !stored) return;
    const parsed = JSON.parse(stored) as { id: string; oneTimePassword: string };
    if (parsed.id !== id) return;
    sessionStorage.removeItem('anxin.staff.created');
    setResult({ kind: 'ok', text: t('staff.created'), oneTimePassword: parsed.oneTimePassword });
    announce(t('staff.created'));
  }, [id, t]);

  const action = useMutation({
    mutationFn: async (a: 'deactivate' | 'activate' | 'unlock' | 'reset-totp' | 'reset-password') => (a === 'reset-password' ? api.resetStaffPassword(id!) : api.staffAction(id!, a).then(() => null)),
    onSuccess: (res, a) => done(t(`staff.done.${a}`), res?.oneTimePassword),
    onError: failed,
  });

  const submit = (e: FormEvent) => {
    e.preventDefault();
    setErrors({});
    setResult(null);
    const local: Record<string, string> = {};
    if (!form.roles.length) local.roles = t('staff.reason.no-role');
    else if (form.roles.length > 1 && form.roles.some((r) => SOLE.includes(r))) local.roles = t('staff.reason.sole-role');
    if (!form.districtCode) local.districtCode = t('staff.reason.unknown-district');
    if (Object.keys(local).length) {
      setErrors(local);
      setResult({ kind: 'error', text: t('staff.fixErrors') });
      return;
    }
    const body = bodyOf(form, creating);
    if (creating) create.mutate(body);
    else save.mutate(body);
  };

  const toggleRole = (r: Role, on: boolean) => setForm((f) => ({ ...f, roles: on ? [...f.roles, r] : f.roles.filter((x) => x !== r) }));

  if (!creating && user.isPending) return <Loading />;
  if (!creating && user.isError) return <ErrorNotice message={errorText(t, user.error)} onRetry={() => void user.refetch()} />;
  const busy = save.isPending || create.isPending || action.isPending;
  const u = user.data;

  return (
    <div className="narrow">
      <PageHeading focusOnMount={result === null}>{creating ? t('staff.createTitle') : t('staff.editTitle', { name: u?.displayName ?? '' })}</PageHeading>
      <div ref={resultRef} tabIndex={-1} data-testid="staff-result">
        {result?.kind === 'error' && <ErrorNotice message={result.text} />}
        {result?.kind === 'ok' && (
          <SuccessNotice>
            {result.text}
            {result.oneTimePassword && (
              <> {t('staff.oneTimePassword')} <code data-testid="one-time-password">{result.oneTimePassword}</code></>
            )}
          </SuccessNotice>
        )}
      </div>
      {u && (
        <p className="muted">
          {u.active ? t('staff.active') : t('staff.inactive')} · {u.totpEnrolled ? t('staff.totpOn') : t('staff.totpOff')} · {t('staff.failedLogins', { count: u.failedLogins })}
        </p>
      )}
      <form className="panel" onSubmit={submit} noValidate aria-label={creating ? t('staff.createTitle') : t('staff.editLabel')}>
        {creating && <TextField ref={firstRef} label={t('staff.username')} hint={t('staff.usernameHint')} required autoComplete="off" value={form.username} onChange={(e) => setForm({ ...form, username: e.target.value })} error={errors.username} />}
        <TextField label={t('staff.displayName')} required autoComplete="off" value={form.displayName} onChange={(e) => setForm({ ...form, displayName: e.target.value })} error={errors.displayName} />
        <fieldset className="field" aria-describedby={errors.roles ? 'staff-roles-error' : 'staff-roles-hint'} aria-invalid={errors.roles ? true : undefined}>
          <legend className="field__label">{t('staff.roles')} *</legend>
          <span id="staff-roles-hint" className="field__hint">{t('staff.rolesHint')}</span>
          {errors.roles && <span id="staff-roles-error" className="field__error"><span aria-hidden="true">✖ </span>{errors.roles}</span>}
          {ROLES.map((r) => <CheckboxField key={r} label={t(`roles.${r}`)} checked={form.roles.includes(r)} onChange={(e) => toggleRole(r, e.target.checked)} />)}
        </fieldset>
        <SelectField label={t('staff.district')} required value={form.districtCode} onChange={(e) => setForm({ ...form, districtCode: e.target.value })} error={errors.districtCode}>
          <option value="">{t('staff.chooseDistrict')}</option>
          {districts.data?.items.map((d) => <option key={d.code} value={d.code}>{d.name}（{d.code}）</option>)}
        </SelectField>
        <TextField label={t('staff.extension')} hint={t('staff.extensionHint')} inputMode="numeric" autoComplete="off" value={form.sipExtension} onChange={(e) => setForm({ ...form, sipExtension: e.target.value })} error={errors.sipExtension} />
        <fieldset className="field">
          <legend className="field__label">{t('staff.skills')}</legend>
          <CheckboxField label={t('staff.skill.sign_language')} checked={form.signLanguage} onChange={(e) => setForm({ ...form, signLanguage: e.target.checked })} />
          <CheckboxField label={t('staff.skill.medical')} checked={form.medical} onChange={(e) => setForm({ ...form, medical: e.target.checked })} />
          <TextField label={t('staff.dialects')} hint={t('staff.dialectsHint')} autoComplete="off" value={form.dialects} onChange={(e) => setForm({ ...form, dialects: e.target.value })} error={errors.skills} />
        </fieldset>
        <button type="submit" className="btn btn--primary" disabled={busy}>{creating ? t('staff.createSubmit') : t('staff.save')}</button>
      </form>
      {u && (
        <section className="panel" aria-labelledby="staff-actions">
          <h2 id="staff-actions">{t('staff.actions')}</h2>
          <div className="button-row">
            {u.active
              ? <button type="button" className="btn btn--danger" disabled={busy} onClick={() => action.mutate('deactivate')}>{t('staff.deactivate')}</button>
              : <button type="button" className="btn" disabled={busy} onClick={() => action.mutate('activate')}>{t('staff.activate')}</button>}
            <button type="button" className="btn" disabled={busy} onClick={() => action.mutate('unlock')}>{t('staff.unlock')}</button>
            <button type="button" className="btn" disabled={busy} onClick={() => action.mutate('reset-password')}>{t('staff.resetPassword')}</button>
            <button type="button" className="btn" disabled={busy || !u.totpEnrolled} onClick={() => action.mutate('reset-totp')}>{t('staff.resetTotp')}</button>
          </div>
        </section>
      )}
    </div>
  );
}
