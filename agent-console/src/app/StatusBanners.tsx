import { useEffect, useState } from 'react';
import { useTranslation } from 'react-i18next';
import { connection } from '../realtime/connection';
import { session } from '../state/session';
import { useStore } from '../state/store';

function useOnline(): boolean {
  const [online, setOnline] = useState(() => navigator.onLine);
  useEffect(() => {
    const up = () => setOnline(true);
    const down = () => setOnline(false);
    window.addEventListener('online', up);
    window.addEventListener('offline', down);
    return () => {
      window.removeEventListener('online', up);
      window.removeEventListener('offline', down);
    };
  }, []);
  return online;
}

/** The time now, refreshed every `everyMs`. */
function useNow(everyMs: number): number {
  const [now, setNow] = useState(() => Date.now());
  useEffect(() => {
    const timer = window.setInterval(() => setNow(Date.now()), everyMs);
    return () => window.clearInterval(timer);
  }, [everyMs]);
  return now;
}

/**
 * What is wrong right now, in words: network offline, live connection lost, phone system down, session about
 * to expire. Each is text with an icon (never colour alone), and alerts are announced once when they appear.
 */
export function StatusBanners() {
  const { t } = useTranslation();
  const online = useOnline();
  const socket = useStore(connection, (c) => c.socket);
  const telephony = useStore(connection, (c) => c.telephony);
  const telephonySince = useStore(connection, (c) => c.telephonySince);
  const expiresAt = useStore(session, (s) => (s.status === 'signed-in' ? s.expiresAt : null));
  const now = useNow(telephony === 'down' ? 15_000 : 30_000);
  const minutes = expiresAt ? Math.floor((new Date(expiresAt).getTime() - now) / 60_000) : null;
  const downMinutes = telephonySince ? Math.max(0, Math.floor((now - new Date(telephonySince).getTime()) / 60_000)) : null;
  return (
    <div className="status-banners" data-testid="status-banners">
      {!online && <p className="banner banner--error" role="alert"><span aria-hidden="true">⚠ </span>{t('status.offline')}</p>}
      {online && socket === 'down' && <p className="banner banner--error" role="alert"><span aria-hidden="true">⚠ </span>{t('status.socketDown')}</p>}
      {telephony === 'down' && <p className="banner banner--error" role="alert" data-testid="telephony-banner"><span aria-hidden="true">☎✖ </span>{t('status.telephonyDown')}{downMinutes !== null && <> {t('status.telephonyDownSince', { minutes: downMinutes, time: new Date(telephonySince!).toLocaleTimeString() })}</>}</p>}
      {telephony === 'connecting' && <p className="banner banner--warn" role="status"><span aria-hidden="true">☎… </span>{t('status.telephonyConnecting')}</p>}
      {minutes !== null && minutes >= 0 && minutes <= 10 && <p className="banner banner--warn" role="status"><span aria-hidden="true">⚠ </span>{t('status.sessionExpiring', { minutes })}</p>}
    </div>
  );
}
