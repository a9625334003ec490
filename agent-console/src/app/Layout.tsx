import type { ReactNode } from 'react';
import { useTranslation } from 'react-i18next';
import type { Role, User } from '../api/wire';
import { LiveRegions } from '../components/LiveRegions';
import { SosBanner } from '../features/sos/SosBanner';
import { connection } from '../realtime/connection';
import { liveCalls } from '../realtime/live-calls';
import { signOut } from '../state/session';
import { useStore } from '../state/store';
import { HotkeyHelp } from './HotkeyHelp';
import { LanguageSwitch } from './LanguageSwitch';
import { href, inSection } from './router';
import { StatusBanners } from './StatusBanners';

export interface NavItem {
  path: string;
  label: string;
}

const ALL: Record<string, NavItem> = {
  workspace: { path: '/workspace', label: 'nav.workspace' },
  tickets: { path: '/tickets', label: 'nav.tickets' },
  persons: { path: '/persons', label: 'nav.persons' },
  calls: { path: '/calls', label: 'nav.calls' },
  agents: { path: '/agents', label: 'nav.agents' },
  settings: { path: '/settings', label: 'nav.settings' },
  audit: { path: '/audit', label: 'nav.audit' },
  register: { path: '/register', label: 'nav.register' },
  staff: { path: '/staff', label: 'nav.staff' },
  districts: { path: '/districts', label: 'nav.districts' },
  care: { path: '/care', label: 'nav.care' },
  careStats: { path: '/care/stats', label: 'careStats.nav' },
  campaigns: { path: '/care/campaigns', label: 'nav.campaigns' },
  dispatch: { path: '/dispatch', label: 'nav.dispatch' },
  people: { path: '/people', label: 'nav.people' },
  timebank: { path: '/timebank', label: 'nav.timebank' },
};

/** Navigation by role: agents live in the workspace, supervisors also watch the agents, dispatchers the orders. */
export function navFor(held: Role | readonly Role[]): NavItem[] {
  const keys: Record<Role, string[]> = {
    agent: ['workspace', 'care', 'tickets', 'persons', 'calls', 'settings'],
    supervisor: ['workspace', 'care', 'campaigns', 'careStats', 'agents', 'tickets', 'persons', 'calls', 'register', 'dispatch', 'people', 'timebank', 'settings'],
    dispatcher: ['tickets', 'dispatch', 'people', 'persons', 'calls', 'timebank', 'settings'],
    security_admin: ['staff', 'settings'],
    admin: ['tickets', 'persons', 'calls', 'agents', 'register', 'districts', 'settings'],
    auditor: ['audit', 'settings'],
  };
  // Several roles: the union of their items, in the order of the first role's items, then the others'.
  const roles = typeof held === 'string' ? [held] : held;
  const merged = [...new Set(roles.flatMap((r) => keys[r]))];
  const settingsLast = [...merged.filter((k) => k !== 'settings'), 'settings'];
  return settingsLast.map((k) => ALL[k]!);
}

function focusById(id: string) {
  return (e: React.MouseEvent) => {
    e.preventDefault();
    document.getElementById(id)?.focus();
  };
}

/**
 * The page frame: skip links, banner (who, language, shortcuts, sign-out), navigation, status and SOS alerts,
 * the main region, and the live regions.
 */
export function Layout({ user, pathname, children }: { user: User; pathname: string; children: ReactNode }) {
  const { t } = useTranslation();
  const telephony = useStore(connection, (c) => c.telephony);
  const hasPop = useStore(liveCalls, (s) => s.calls.length > 0);
  const items = navFor(user.roles ?? [user.role]);
  return (
    <div className="shell">
      <a className="skip-link" href="#main" onClick={focusById('main')}>{t('app.skipToMain')}</a>
      {hasPop && pathname === '/workspace' && <a className="skip-link" href="#pop" onClick={focusById('pop')}>{t('app.skipToPop')}</a>}
      <header className="topbar">
        <a className="brand" href={href('/')}><span className="brand__mark" aria-hidden="true">安</span>{t('app.name')}</a>
        <div className="topbar__meta">
          <span className={`chip chip--tel-${telephony}`} data-testid="telephony-chip">
            <span aria-hidden="true">☎ </span>
            {t(`status.chip.${telephony}`)}
          </span>
          <span className="topbar__user">
            {t('app.signedInAs', { name: user.displayName, role: t(`roles.${user.role}`) })} · {user.sipExtension ? t('app.extension', { ext: user.sipExtension }) : t('app.noExtension')}
          </span>
          <HotkeyHelp />
          <LanguageSwitch />
          <button type="button" className="btn btn--ghost btn--small" onClick={() => void signOut()}>{t('app.logout')}</button>
        </div>
      </header>
      <nav className="mainnav" aria-label={t('app.mainNav')}>
        <ul>
          {items.map((item, i) => (
            <li key={item.path}>
              <a href={href(item.path)} aria-current={inSection(pathname, item.path) ? 'page' : undefined} aria-keyshortcuts={i < 5 ? `Alt+${i + 1}` : undefined}>
                {t(item.label)}
                {i < 5 && <span className="mainnav__key" aria-hidden="true">Alt+{i + 1}</span>}
              </a>
            </li>
          ))}
        </ul>
      </nav>
      <StatusBanners />
      <SosBanner />
      <main id="main" tabIndex={-1} className="main">
        {children}
      </main>
      <LiveRegions />
    </div>
  );
}
