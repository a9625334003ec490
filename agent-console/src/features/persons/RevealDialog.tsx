import { useState, type FormEvent } from 'react';
import { useTranslation } from 'react-i18next';
import { api } from '../../api/endpoints';
import type { RevealedIdentifiers } from '../../api/wire';
import { errorText } from '../../app/format';
import { Dialog } from '../../components/Dialog';
import { ErrorNotice } from '../../components/Feedback';
import { TextField } from '../../components/Field';
import { announce } from '../../state/announcer';

/** 查看完整证件号: an explicit action with a reason, recorded in the audit log by the server. */
export function RevealDialog({ personId, open, onClose, onRevealed }: { personId: string; open: boolean; onClose: () => void; onRevealed: (r: RevealedIdentifiers) => void }) {
  const { t } = useTranslation();
  const [reason, setReason] = useState('');
  const [fieldError, setFieldError] = useState<string | null>(null);
  const [error, setError] = useState<string | null>(null);
  const [busy, setBusy] = useState(false);
  const submit = async (e: FormEvent) => {
    e.preventDefault();
    if (reason.trim().length < 4) return setFieldError(t('person.revealReason'));
    setFieldError(null);
    setError(null);
    setBusy(true);
    try {
      onRevealed(await api.reveal(personId, reason.trim()));
      announce(t('person.revealed'));
      setReason('');
      onClose();
    } catch (err) {
      setError(errorText(t, err));
    } finally {
      setBusy(false);
    }
  };
  return (
    <Dialog open={open} title={t('person.revealTitle')} onClose={onClose}>
      <form onSubmit={(e) => void submit(e)}>
        <TextField label={`${t('person.revealReason')} *`} value={reason} onChange={(e) => setReason(e.target.value)} required minLength={4} maxLength={200} autoFocus error={fieldError} />
        <div className="button-row">
          <button type="submit" className="btn btn--primary" disabled={busy}>{t('person.revealSubmit')}</button>
          <button type="button" className="btn" onClick={onClose}>{t('app.cancel')}</button>
        </div>
        {error && <ErrorNotice message={error} />}
      </form>
    </Dialog>
  );
}
