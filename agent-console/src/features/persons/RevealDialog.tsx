import { useRef, useState, type FormEvent } from 'react';
import { useTranslation } from 'react-i18next';
import { api } from '../../api/endpoints';
import { ApiError } from '../../api/http';
import { REVEAL_PURPOSES, type RevealPurpose, type RevealedIdentifiers } from '../../api/wire';
import { errorText } from '../../app/format';
import { Dialog } from '../../components/Dialog';
import { ErrorNotice } from '../../components/Feedback';
import { SelectField, TextField } from '../../components/Field';
import { announce } from '../../state/announcer';

/** The server's refusal in the console's language (its own messages are Chinese). */
function revealErrorText(t: ReturnType<typeof useTranslation>['t'], err: unknown): string {
  if (err instanceof ApiError) {
    if (err.code === 'person/reveal-rate-limited') {
      const seconds = (err.details as { retryAfterSeconds?: number } | undefined)?.retryAfterSeconds ?? 60;
      return t('person.revealLimited', { seconds });
    }
    if (err.status === 403) return t('person.revealForbidden');
    if (err.status === 404) return t('errors.notFound');
    if (err.status === 400) return t('person.revealInvalid');
  }
  return errorText(t, err);
}

/**
 * 查看完整信息: an explicit action with a purpose from the fixed list (free text required for "other"),
 * recorded in the audit log and rate-limited by the server.
 */
export function RevealDialog({ personId, open, onClose, onRevealed }: { personId: string; open: boolean; onClose: () => void; onRevealed: (r: RevealedIdentifiers) => void }) {
  const { t } = useTranslation();
  const [purpose, setPurpose] = useState<RevealPurpose | ''>('');
  const [detail, setDetail] = useState('');
  const [fieldErrors, setFieldErrors] = useState<{ purpose?: string; detail?: string }>({});
  const [error, setError] = useState<string | null>(null);
  const [busy, setBusy] = useState(false);
  const purposeRef = useRef<HTMLSelectElement>(null);
  const detailRef = useRef<HTMLInputElement>(null);
  const submit = async (e: FormEvent) => {
    e.preventDefault();
    if (!purpose) {
      setFieldErrors({ purpose: t('person.revealPurposeRequired') });
      return purposeRef.current?.focus();
    }
    if (purpose === 'other' && detail.trim().length < 4) {
      setFieldErrors({ detail: t('person.revealDetailRequired') });
      return detailRef.current?.focus();
    }
    setFieldErrors({});
    setError(null);
    setBusy(true);
    try {
      onRevealed(await api.reveal(personId, { purpose, ...(detail.trim() ? { detail: detail.trim() } : {}) }));
      announce(t('person.revealed'));
      setPurpose('');
      setDetail('');
      onClose();
    } catch (err) {
      const message = revealErrorText(t, err);
      setError(message);
      announce(message, 'assertive');
    } finally {
      setBusy(false);
    }
  };
  return (
    <Dialog open={open} title={t('person.revealTitle')} onClose={onClose}>
      <form onSubmit={(e) => void submit(e)} noValidate>
        <p>{t('person.revealIntro')}</p>
        <SelectField ref={purposeRef} label={`${t('person.revealPurpose')} *`} value={purpose} onChange={(e) => setPurpose(e.target.value as RevealPurpose | '')} required autoFocus error={fieldErrors.purpose}>
          <option value="">{t('person.revealPurposeChoose')}</option>
          {REVEAL_PURPOSES.map((p) => <option key={p} value={p}>{t(`person.revealPurposes.${p}`)}</option>)}
        </SelectField>
        <TextField ref={detailRef} label={purpose === 'other' ? `${t('person.revealDetail')} *` : t('person.revealDetail')} hint={t('person.revealDetailHint')} value={detail} onChange={(e) => setDetail(e.target.value)} required={purpose === 'other'} maxLength={200} error={fieldErrors.detail} />
        <div className="button-row">
          <button type="submit" className="btn btn--primary" disabled={busy}>{t('person.revealSubmit')}</button>
          <button type="button" className="btn" onClick={onClose}>{t('app.cancel')}</button>
        </div>
        {error && <ErrorNotice message={error} />}
      </form>
    </Dialog>
  );
}
