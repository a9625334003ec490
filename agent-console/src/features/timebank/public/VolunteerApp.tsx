import { QueryClientProvider } from '@tanstack/react-query';
import { useSyncExternalStore } from 'react';
import { useTranslation } from 'react-i18next';
import { LanguageSwitch } from '../../../app/LanguageSwitch';
import { queryClient } from '../../../app/query';
import { LiveRegions } from '../../../components/LiveRegions';
import '../i18n/register';
import '../timebank.css';
import { JoinPage } from './JoinPage';
import { PortalPage } from './PortalPage';

const subscribe = (cb: () => void) => {
  window.addEventListener('hashchange', cb);
  return () => window.removeEventListener('hashchange', cb);
};

/**
 * The volunteers' own pages, outside the staff sign-in (lazy chunk): `#/join` is the public sign-up;
 * `#/volunteer/link/<code>` exchanges a one-time link for a volunteer session; `#/volunteer` is their
 * statement and shop. Large type, one column, zh-CN first with the language switch in the header.
 */
export default function VolunteerApp() {
  const { t } = useTranslation();
  const hash = useSyncExternalStore(subscribe, () => window.location.hash);
  const link = /^#\/volunteer\/link\/([^/?#]+)/.exec(hash)?.[1];
  const page = hash.startsWith('#/join') ? 'join' : 'portal';
  return (
    <QueryClientProvider client={queryClient}>
      <div className="vol">
        <a className="skip-link" href="#main" onClick={(e) => { e.preventDefault(); document.getElementById('main')?.focus(); }}>{t('app.skipToMain')}</a>
        <header className="vol__header">
          <span className="vol__brand"><span aria-hidden="true">安 </span>{page === 'join' ? t('timebank.join.title') : t('timebank.portal.title')}</span>
          <LanguageSwitch />
        </header>
        <main id="main" tabIndex={-1} className="vol__main">
          {page === 'join' ? <JoinPage /> : <PortalPage linkCode={link ? decodeURIComponent(link) : null} />}
        </main>
        <LiveRegions />
      </div>
    </QueryClientProvider>
  );
}
