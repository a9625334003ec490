import { useTranslation } from 'react-i18next';
import { Navigate, useLocation, useParams, useRoutes } from 'react-router';
import type { Role } from '../../../api/wire';
import { href, inSection } from '../../../app/router';
import { useUser } from '../../../app/routes';
import '../i18n/register';
import '../timebank.css';
import { useHasRole } from '../timebank-ui';
import { ActivitiesPage } from './ActivitiesPage';
import { ActivityPage } from './ActivityPage';
import { ApprovalsPage } from './ApprovalsPage';
import { DonationsPage } from './DonationsPage';
import { GiftPage } from './GiftPage';
import { LiabilityReportPage } from './LiabilityReportPage';
import { ShopPage } from './ShopPage';
import { SignupsPage } from './SignupsPage';
import { StatementPage } from './StatementPage';
import { VolunteersPage } from './VolunteersPage';

/** The time bank's pages and who sees them (the server checks the same: docs/timebank-api.md). */
const TABS: { key: string; path: string; roles: Role[] }[] = [
  { key: 'volunteers', path: '/timebank', roles: ['dispatcher', 'supervisor'] },
  { key: 'signups', path: '/timebank/signups', roles: ['dispatcher', 'supervisor'] },
  { key: 'activities', path: '/timebank/activities', roles: ['dispatcher', 'supervisor'] },
  { key: 'shop', path: '/timebank/shop', roles: ['dispatcher', 'supervisor'] },
  { key: 'approvals', path: '/timebank/approvals', roles: ['dispatcher', 'supervisor'] },
  { key: 'donations', path: '/timebank/donations', roles: ['supervisor'] },
  { key: 'report', path: '/timebank/report', roles: ['supervisor'] },
];

function StatementRoute() {
  const { id = '' } = useParams();
  return <StatementPage key={id} volunteerId={id} />;
}

function ActivityRoute() {
  const { id = '' } = useParams();
  return <ActivityPage key={id} activityId={id} />;
}

function GiftRoute() {
  const { id = '' } = useParams();
  return <GiftPage key={id} giftId={id} />;
}

/** A page only a supervisor may use; others go back to the time bank's first page. */
function SupervisorOnly({ children }: { children: React.ReactNode }) {
  return useHasRole('supervisor') ? <>{children}</> : <Navigate to="/timebank" replace />;
}

/**
 * 时间银行: the staff's volunteer accounts, sign-ups, activities, shop, corrections, donations and the
 * federation's view. A lazy chunk (with its texts) under `/timebank/*`, with its own section navigation.
 */
export default function TimebankSection() {
  const { t } = useTranslation();
  const { pathname } = useLocation();
  const user = useUser();
  const held = user.roles ?? [user.role];
  const tabs = TABS.filter((tab) => tab.roles.some((r) => held.includes(r)));
  const page = useRoutes([
    { index: true, element: <VolunteersPage /> },
    { path: 'volunteers/:id', element: <StatementRoute /> },
    { path: 'signups', element: <SignupsPage /> },
    { path: 'activities', element: <ActivitiesPage /> },
    { path: 'activities/:id', element: <ActivityRoute /> },
    { path: 'shop', element: <ShopPage /> },
    { path: 'approvals', element: <ApprovalsPage /> },
    { path: 'donations', element: <SupervisorOnly><DonationsPage /></SupervisorOnly> },
    { path: 'donations/gifts/:id', element: <SupervisorOnly><GiftRoute /></SupervisorOnly> },
    { path: 'report', element: <SupervisorOnly><LiabilityReportPage /></SupervisorOnly> },
    { path: '*', element: <Navigate to="/timebank" replace /> },
  ]);
  const current = (path: string) => (path === '/timebank' ? pathname === '/timebank' || inSection(pathname, '/timebank/volunteers') : inSection(pathname, path));
  return (
    <div className="tb">
      <nav className="tb-tabs" aria-label={t('timebank.sectionNav')}>
        <ul>
          {tabs.map((tab) => (
            <li key={tab.key}>
              <a href={href(tab.path)} aria-current={current(tab.path) ? 'page' : undefined}>{t(`timebank.tabs.${tab.key}`)}</a>
            </li>
          ))}
        </ul>
      </nav>
      {page}
    </div>
  );
}
