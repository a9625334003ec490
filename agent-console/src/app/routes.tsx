import { createContext, lazy, Suspense, useContext, type ReactNode } from 'react';
import { useTranslation } from 'react-i18next';
import { createHashRouter, Navigate, Outlet, useLocation, useParams, useSearchParams, type RouteObject } from 'react-router';
import type { User } from '../api/wire';
import { Loading } from '../components/Feedback';
import { PageHeading } from '../components/PageHeading';
import { AgentsPage } from '../features/agents/AgentsPage';
import { AuditPage } from '../features/audit/AuditPage';
import { CallLogPage } from '../features/calls/CallLogPage';
import { DistrictsPage } from '../features/districts/DistrictsPage';
import { CareTasksPage } from '../features/care/CareTasksPage';
import { CareStatsPage } from '../features/care/stats/CareStatsPage';
import { CampaignsPage } from '../features/care/campaigns/CampaignsPage';
import { ChangePasswordPage } from '../features/login/ChangePasswordPage';
import { TotpEnrolPage } from '../features/login/TotpEnrolPage';
import { StaffEditPage } from '../features/staff/StaffEditPage';
import { StaffListPage } from '../features/staff/StaffListPage';
import { RegisterPage } from '../features/register/RegisterPage';
import { PersonCreatePage } from '../features/persons/PersonCreatePage';
import { PersonPage } from '../features/persons/PersonPage';
import { PersonSearchPage } from '../features/persons/PersonSearchPage';
import { SettingsPage } from '../features/settings/SettingsPage';
import { TicketDetailPage } from '../features/tickets/TicketDetailPage';
import { TicketListPage } from '../features/tickets/TicketListPage';
import { TicketNewPage } from '../features/tickets/TicketNewPage';
import { WorkspacePage } from '../features/workspace/WorkspacePage';
import { Layout, navFor } from './Layout';
import { setNavigator } from './router';

// Dispatch pages load on first use: the board's map library stays out of the initial bundle.
const DispatchBoardPage = lazy(() => import('../features/dispatch/DispatchBoardPage').then((m) => ({ default: m.DispatchBoardPage })));
const PeopleRoutes = lazy(() => import('../features/people/PeopleRoutes').then((m) => ({ default: m.PeopleRoutes })));

/** A lazily loaded page, with the loading state while its code arrives. */
function Later({ children }: { children: ReactNode }) {
  return <Suspense fallback={<Loading />}>{children}</Suspense>;
}

/** The signed-in user, for the pages under the router. */
export const UserContext = createContext<User | null>(null);

/** The signed-in user (only under `Shell`). */
export function useUser(): User {
  const user = useContext(UserContext);
  if (!user) throw new Error('useUser outside the signed-in shell');
  return user;
}

function Frame() {
  const user = useUser();
  const { pathname } = useLocation();
  return (
    <Layout user={user} pathname={pathname}>
      <Outlet />
    </Layout>
  );
}

function Home() {
  const user = useUser();
  const roles = user.roles ?? [user.role];
  const handsOnPhone = roles.includes('agent') || roles.includes('supervisor');
  return <Navigate to={handsOnPhone ? '/workspace' : navFor(roles)[0]!.path} replace />;
}

/** Who may open the people screens (providers, field workers, volunteers). */
const PEOPLE_ROLES: User['role'][] = ['dispatcher', 'supervisor'];

/** A page only some roles see; others go home. */
function Only({ roles, children }: { roles: User['role'][]; children: ReactNode }) {
  const user = useUser();
  return (user.roles ?? [user.role]).some((r) => roles.includes(r)) ? <>{children}</> : <Navigate to="/" replace />;
}

function TicketNewRoute() {
  const [params] = useSearchParams();
  return <TicketNewPage personId={params.get('person') ?? undefined} personName={params.get('name') ?? undefined} />;
}

function TicketRoute() {
  const { id = '' } = useParams();
  return <TicketDetailPage key={id} id={id} />;
}

function PersonsRoute() {
  const [params] = useSearchParams();
  return <PersonSearchPage q={params.get('q') ?? undefined} />;
}

function PersonNewRoute() {
  const [params] = useSearchParams();
  return <PersonCreatePage phone={params.get('phone') ?? undefined} />;
}

function PersonRoute() {
  const { id = '' } = useParams();
  return <PersonPage key={id} id={id} />;
}

function StaffRoute() {
  const { id = '' } = useParams();
  return <StaffEditPage key={id} id={id} />;
}

/** The time bank's staff pages (时间银行): one lazy chunk with its own sub-routes and texts. */
const TimebankSection = lazy(() => import('../features/timebank/staff/TimebankSection'));
export const TIMEBANK_ROLES: User['role'][] = ['supervisor', 'dispatcher'];

function NotFound() {
  const { t } = useTranslation();
  return (
    <>
      <PageHeading>{t('app.notFound')}</PageHeading>
      <p>{t('app.notFoundHint')}</p>
    </>
  );
}

/**
 * The console's pages. Add a feature's pages here; a page a role must not see is wrapped in `Only`
 * (the server refuses it anyway: this only keeps the screen honest).
 */
export const routes: RouteObject[] = [
  {
    element: <Frame />,
    children: [
      { index: true, element: <Home /> },
      { path: 'workspace', element: <WorkspacePage /> },
      { path: 'tickets', element: <TicketListPage /> },
      { path: 'tickets/new', element: <TicketNewRoute /> },
      { path: 'tickets/:id', element: <TicketRoute /> },
      { path: 'persons', element: <PersonsRoute /> },
      { path: 'persons/new', element: <PersonNewRoute /> },
      { path: 'persons/:id', element: <PersonRoute /> },
      { path: 'calls', element: <CallLogPage /> },
      { path: 'agents', element: <AgentsPage /> },
      { path: 'settings', element: <SettingsPage /> },
      { path: 'settings/password', element: <ChangePasswordPage /> },
      { path: 'settings/totp', element: <TotpEnrolPage /> },
      { path: 'staff', element: <Only roles={['security_admin']}><StaffListPage /></Only> },
      { path: 'staff/new', element: <Only roles={['security_admin']}><StaffEditPage /></Only> },
      { path: 'staff/:id', element: <Only roles={['security_admin']}><StaffRoute /></Only> },
      { path: 'audit', element: <Only roles={['auditor']}><AuditPage /></Only> },
      { path: 'register', element: <Only roles={['admin', 'supervisor']}><RegisterPage /></Only> },
      { path: 'districts', element: <Only roles={['admin']}><DistrictsPage /></Only> },
      { path: 'care', element: <Only roles={['agent', 'supervisor']}><CareTasksPage /></Only> },
      { path: 'care/stats', element: <Only roles={['supervisor']}><CareStatsPage /></Only> },
      { path: 'care/campaigns', element: <Only roles={['supervisor']}><CampaignsPage /></Only> },
      { path: 'dispatch', element: <Only roles={['dispatcher', 'supervisor']}><Later><DispatchBoardPage /></Later></Only> },
      { path: 'people/*', element: <Only roles={PEOPLE_ROLES}><Later><PeopleRoutes /></Later></Only> },
      { path: 'timebank/*', element: <Only roles={TIMEBANK_ROLES}><Suspense fallback={<Loading />}><TimebankSection /></Suspense></Only> },
      { path: '*', element: <NotFound /> },
    ],
  },
];

/** The one router of the console (hash history). */
export const router = createHashRouter(routes);
setNavigator((path) => router.navigate(path));
