import { useEffect, useRef, useState, type FormEvent } from 'react';
import { useTranslation } from 'react-i18next';
import { PRESENCE_STATES, type PresenceState } from '../../api/wire';
import { registerCommand } from '../../app/hotkeys';
import { SelectField, TextField } from '../../components/Field';
import { connection } from '../../realtime/connection';
import { announce } from '../../state/announcer';
import { useStore } from '../../state/store';
import { softphone, softphoneDown } from '../softphone/softphone-store';
import { setPresence } from './presence';

const ICON: Record<PresenceState, string> = { available: '●', break: '❚❚', wrap_up: '✎', offline: '○' };

/**
 * Agent status: available / break / wrap-up / offline, applied with an explicit button (so arrowing through
 * the list never changes the queue by accident). Alt+P focuses it. Says whether the PBX queue follows.
 * Available with a softphone that is not registered reads 空闲但电话未注册 (the server pauses the agent in the
 * queue meanwhile), with one button to go on break.
 */
export function PresenceControl() {
  const { t } = useTranslation();
  const presence = useStore(connection, (c) => c.presence);
  const socketUp = useStore(connection, (c) => c.socket === 'up');
  // The list offers the next state to take: an agent who is offline (or not known yet) is offered 'available'.
  const [choice, setChoice] = useState<PresenceState>(presence && presence.state !== 'offline' ? presence.state : 'available');
  const [reason, setReason] = useState('');
  const [busy, setBusy] = useState(false);
  const [error, setError] = useState<string | null>(null);
  const select = useRef<HTMLSelectElement>(null);
  const phoneDown = useStore(softphone, softphoneDown);

  useEffect(() => registerCommand('presence', () => select.current?.focus()), []);

  const change = async (state: PresenceState, why?: string): Promise<boolean> => {
    if (busy) return false;
    setBusy(true);
    setError(null);
    try {
      const view = await setPresence(state, why);
      announce(t('presence.changed', { state: t(`presence.${view.state}`) }));
      return true;
    } catch (err) {
      const code = (err as { code?: string }).code;
      const text = (err as Error).message === 'offline' ? t('status.socketDown') : code ? t(`errors.codes.${code}`, { defaultValue: (err as Error).message }) : (err as Error).message;
      const message = t('presence.failed', { message: text });
      setError(message);
      announce(message, 'assertive');
      return false;
    } finally {
      setBusy(false);
    }
  };
  const apply = async (e: FormEvent) => {
    e.preventDefault();
    await change(choice, choice === 'break' ? reason : undefined);
  };
  // The break button goes away once on break: the focus moves to the status list, not to the page.
  const takeBreak = async () => {
    if (!(await change('break', t('presence.noPhoneBreakReason')))) return;
    setChoice('break');
    select.current?.focus();
  };

  const current = presence?.state ?? 'offline';
  const sync = presence?.queue;
  const availableNoPhone = current === 'available' && phoneDown;
  return (
    <section className="panel presence" aria-labelledby="presence-title">
      <h2 id="presence-title" className="panel__title">{t('presence.label')}</h2>
      <p className={`presence__current presence__current--${availableNoPhone ? 'no-phone' : current}`} data-testid="presence-current">
        <span aria-hidden="true">{availableNoPhone ? '⚠' : ICON[current]} </span>
        <strong>{availableNoPhone ? t('presence.availableNoPhone') : t(`presence.${current}`)}</strong>
        {presence?.reason && ` · ${presence.reason}`}
      </p>
      {sync === 'pending' && <p className="muted">{t('presence.pending')}</p>}
      {sync === 'not_configured' && <p className="muted">{t('presence.notConfigured')}</p>}
      {sync === 'no_extension' && <p className="muted">{t('presence.noExtension')}</p>}
      <form className="inline-form" onSubmit={(e) => void apply(e)}>
        <SelectField ref={select} label={`${t('presence.label')} (Alt+P)`} value={choice} onChange={(e) => setChoice(e.target.value as PresenceState)}>
          {PRESENCE_STATES.map((s) => <option key={s} value={s}>{t(`presence.${s}`)}</option>)}
        </SelectField>
        {choice === 'break' && <TextField label={t('presence.reasonLabel')} placeholder={t('presence.reasonPlaceholder')} value={reason} maxLength={60} onChange={(e) => setReason(e.target.value)} />}
        {/* Not disabled while busy: a disabled button drops the keyboard focus to the page. */}
        <button type="submit" className="btn btn--primary" aria-disabled={busy || undefined} disabled={!socketUp}>{t('presence.set')}</button>
      </form>
      {/* After the form: the next Tab from 切换 reaches the break button. */}
      {availableNoPhone && (
        <div className="presence__no-phone" data-testid="presence-no-phone">
          <p>{t('presence.noPhoneHint')}</p>
          <button type="button" className="btn" aria-disabled={busy || undefined} disabled={!socketUp} onClick={() => void takeBreak()}>{t('presence.noPhoneBreak')}</button>
        </div>
      )}
      {error && <p className="feedback feedback--error" role="alert"><span aria-hidden="true">✖ </span>{error}</p>}
    </section>
  );
}
