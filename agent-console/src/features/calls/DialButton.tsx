import { useState } from 'react';
import { useTranslation } from 'react-i18next';
import { api } from '../../api/endpoints';
import type { DialAccepted, DialTarget } from '../../api/wire';
import { errorText } from '../../app/format';
import { setDialing } from '../../realtime/live-calls';
import { announce } from '../../state/announcer';

/**
 * 一键外呼: asks the server to ring the agent's extension and then dial `dial` — a person's phone, a contact, a
 * logged call or a work order's caller, by id, so the browser never holds the number. The call is linked to
 * the person and the work order. Failures (no PBX, PBX down, no extension) are said plainly next to the button.
 */
export function DialButton({ dial: targetOf, target, verb, place }: {
  dial: DialTarget;
  /** Place the call another way (e.g. from a care task, which links the call to the task); default click-to-call. */
  place?: () => Promise<DialAccepted>;
  /** Who is called, for the accessible name (a name or a masked number). */
  target: string;
  /** Visible text (default 外呼); the accessible name starts with it (WCAG 2.5.3 label in name). */
  verb?: string;
}) {
  const { t } = useTranslation();
  const [busy, setBusy] = useState(false);
  const [error, setError] = useState<string | null>(null);
  const dial = async () => {
    setBusy(true);
    setError(null);
    try {
      const accepted = await (place ? place() : api.clickToCall(targetOf));
      setDialing({ ...accepted, at: Date.now() });
      announce(t('dial.started', { to: accepted.toMasked, ext: accepted.agentExtension }));
    } catch (err) {
      const message = t('dial.failed', { message: errorText(t, err) });
      setError(message);
      announce(message, 'assertive');
    } finally {
      setBusy(false);
    }
  };
  return (
    <span className="dial">
      <button type="button" className="btn btn--small btn--call" onClick={() => void dial()} disabled={busy} aria-label={`${verb ?? t('person.call')} ${target}`}>
        <span aria-hidden="true">☎ </span>
        {verb ?? t('person.call')}
      </button>
      {error && <span className="dial__error field__error">{error}</span>}
    </span>
  );
}
