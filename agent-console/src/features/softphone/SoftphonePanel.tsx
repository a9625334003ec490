import { useEffect, useState, type FormEvent } from 'react';
import { useTranslation } from 'react-i18next';
import { formatDuration } from '../../app/format';
import { TextField } from '../../components/Field';
import { useStore } from '../../state/store';
import { answer, hangup, sendDtmf, softphone, toggleHold, toggleMute, transfer } from './softphone-store';

const KEYS = ['1', '2', '3', '4', '5', '6', '7', '8', '9', '*', '0', '#'] as const;

/** Seconds since `startedAt`, ticking once a second. */
function useElapsed(startedAt: number | null): number {
  const [now, setNow] = useState(() => Date.now());
  useEffect(() => {
    if (!startedAt) return;
    const timer = window.setInterval(() => setNow(Date.now()), 1000);
    return () => window.clearInterval(timer);
  }, [startedAt]);
  return startedAt ? Math.max(0, Math.round((now - startedAt) / 1000)) : 0;
}

/** The browser softphone: registration state (and why it is not registered), the call with its timer, and the call controls. */
export function SoftphonePanel() {
  const { t } = useTranslation();
  const s = useStore(softphone);
  const elapsed = useElapsed(s.call?.startedAt ?? null);
  const [showKeypad, setShowKeypad] = useState(false);
  const [target, setTarget] = useState('');

  const onTransfer = (e: FormEvent) => {
    e.preventDefault();
    if (/^[0-9*#]{2,20}$/.test(target.trim())) void transfer(target.trim());
  };

  let status: string;
  if (s.phase === 'loading') status = t('softphone.loading');
  else if (s.phase === 'off') status = s.settings && !s.settings.configured && s.settings.reason === 'no_extension' ? t('softphone.noExtension') : t('softphone.notConfigured');
  else if (s.phase === 'registered') status = t('softphone.registered', { ext: s.settings?.configured ? s.settings.extension : '' });
  else if (s.failure) status = t(`softphone.why.${s.failure}`, { url: s.settings?.configured ? s.settings.wssUrl : '' });
  else if (s.phase === 'error') status = t('softphone.failed', { message: s.error ?? '' });
  else status = t(`softphone.${s.phase}`);

  const call = s.call;
  return (
    <section className="panel softphone" aria-labelledby="softphone-title">
      <h2 id="softphone-title" className="panel__title">{t('softphone.title')}</h2>
      <p className={`softphone__status softphone__status--${s.phase}`} role="status" data-testid="softphone-status">
        <span aria-hidden="true">{s.phase === 'registered' ? '● ' : s.phase === 'off' ? 'ⓘ ' : '○ '}</span>
        {status}
      </p>
      {s.error && s.phase !== 'error' && (
        <p className="feedback feedback--error" role="alert">
          <span aria-hidden="true">✖ </span>
          {s.error.startsWith('softphone.') ? t(s.error) : s.error}
        </p>
      )}
      {s.notice && <p className="softphone__notice" role="status">{t(s.notice.key, s.notice.values)}</p>}
      {s.phase !== 'off' && (
        <>
          <div className="softphone__call" aria-live="polite">
            {!call && <p className="muted">{t('softphone.idle')}</p>}
            {call && (
              <p>
                <strong>{call.state === 'ringing' ? t('softphone.incoming') : call.state === 'held' ? t('softphone.onHold') : t('softphone.active')}</strong>
                {call.remote && <> · {call.remote}</>}
                {call.startedAt && (
                  <span className="softphone__timer">
                    {' '}· {t('softphone.timer')} <time>{formatDuration(elapsed)}</time>
                  </span>
                )}
              </p>
            )}
          </div>
          <div className="button-row">
            <button type="button" className="btn btn--go" disabled={call?.state !== 'ringing'} onClick={() => void answer()} aria-keyshortcuts="Alt+A">
              {t('softphone.answer')} <kbd>Alt+A</kbd>
            </button>
            <button type="button" className="btn btn--stop" disabled={!call} onClick={() => void hangup()} aria-keyshortcuts="Alt+H">
              {t('softphone.hangup')} <kbd>Alt+H</kbd>
            </button>
            <button type="button" className="btn" disabled={!call || call.state === 'ringing'} aria-pressed={call?.state === 'held'} onClick={() => void toggleHold()}>
              {call?.state === 'held' ? t('softphone.unhold') : t('softphone.hold')}
            </button>
            <button type="button" className="btn" disabled={!call || call.state === 'ringing'} aria-pressed={call?.muted ?? false} onClick={toggleMute}>
              {call?.muted ? t('softphone.unmute') : t('softphone.mute')}
            </button>
            <button type="button" className="btn" aria-expanded={showKeypad} aria-controls="softphone-keypad" onClick={() => setShowKeypad((v) => !v)}>
              {t('softphone.keypad')}
            </button>
          </div>
          {showKeypad && (
            <div id="softphone-keypad" className="keypad" role="group" aria-label={t('softphone.keypad')}>
              {KEYS.map((k) => (
                <button key={k} type="button" className="btn keypad__key" disabled={call?.state !== 'active'} onClick={() => void sendDtmf(k)}>
                  {k}
                </button>
              ))}
            </div>
          )}
          <form className="inline-form" onSubmit={onTransfer}>
            <TextField label={t('softphone.transferTarget')} value={target} onChange={(e) => setTarget(e.target.value)} inputMode="tel" autoComplete="off" pattern="[0-9*#]{2,20}" />
            <button type="submit" className="btn" disabled={!call || call.state === 'ringing'}>
              {t('softphone.transfer')}
            </button>
          </form>
        </>
      )}
    </section>
  );
}
