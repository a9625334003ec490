import { useEffect, useRef } from 'react';
import { useTranslation } from 'react-i18next';
import type { User } from '../api/wire';
import { Dialog } from '../components/Dialog';
import { Loading } from '../components/Feedback';
import { PageHeading } from '../components/PageHeading';
import { AgentsPage } from '../features/agents/AgentsPage';
import { AuditPage } from '../features/audit/AuditPage';
import { CallLogPage } from '../features/calls/CallLogPage';
import { ChangePasswordPage } from '../features/login/ChangePasswordPage';
import { LoginForm, LoginPage } from '../features/login/LoginPage';
import { PersonCreatePage } from '../features/persons/PersonCreatePage';
import { PersonPage } from '../features/persons/PersonPage';
import { PersonSearchPage } from '../features/persons/PersonSearchPage';
import { SettingsPage } from '../features/settings/SettingsPage';
import { answer, canAnswer, hangup, startSoftphone, stopSoftphone } from '../features/softphone/softphone-store';
import { TicketDetailPage } from '../features/tickets/TicketDetailPage';
import { TicketListPage } from '../features/tickets/TicketListPage';
import { TicketNewPage } from '../features/tickets/TicketNewPage';
import { WorkspacePage } from '../features/workspace/WorkspacePage';
import { connectRealtime, disconnectRealtime } from '../realtime/connection';
import { focusedCall, liveCalls } from '../realtime/live-calls';
import { announce } from '../state/announcer';
import { session } from '../state/session';
import { useStore } from '../state/store';
import { installHotkeys, registerCommand, runWhenHandled, type Command } from './hotkeys';
import { Layout, navFor } from './Layout';
import { navigate, useRoute, type Route } from './router';

/** The whole console: sign-in, or the signed-in shell (kept on screen, inert, while re-signing in). */
export function App() {
  const s = useStore(session);
  const lastUser = useRef<User | null>(null);
  if (s.status === 'signed-in') lastUser.current = s.user;
  if (s.status === 'signed-out' && s.reason !== 'expired') lastUser.current = null;

  if (s.status === 'checking') return <main id="main"><Loading /></main>;
  if (s.status === 'signed-in' && s.mustChangePassword) return <ChangePasswordPage forced />;
  if (s.status === 'signed-in') return <Shell user={s.user} />;
  if (s.reason === 'expired' && lastUser.current) return <Shell user={lastUser.current} expired />;
  return <LoginPage reason={s.reason} />;
}

function Shell({ user, expired = false }: { user: User; expired?: boolean }) {
  const { t } = useTranslation();
  const route = useRoute();

  // One realtime connection and one softphone per signed-in user.
  useEffect(() => {
    if (expired) return;
    connectRealtime(user);
    void startSoftphone();
    return () => {
      disconnectRealtime();
      void stopSoftphone();
    };
  }, [user.userId, expired]);

  useEffect(() => installHotkeys(), []);
  useEffect(() => {
    const nav = navFor(user.role);
    const offs = [1, 2, 3, 4, 5].map((n) => registerCommand(`nav${n}` as Command, () => nav[n - 1] && navigate(nav[n - 1]!.path), { fallback: true }));
    offs.push(
      registerCommand('answer', () => {
        if (canAnswer()) return void answer();
        if (liveCalls.get().calls.some((c) => c.call.status === 'ringing')) announce(t('softphone.answerNoSoftphone'), 'assertive');
      }, { fallback: true }),
      registerCommand('hangup', () => void hangup(), { fallback: true }),
      registerCommand('newOrder', () => {
        if (focusedCall(liveCalls.get()) && (user.role === 'agent' || user.role === 'supervisor')) {
          navigate('/workspace');
          runWhenHandled('newOrder');
        } else navigate('/tickets/new');
      }, { fallback: true }),
      registerCommand('search', () => {
        navigate('/persons');
        runWhenHandled('search');
      }, { fallback: true }),
    );
    return () => offs.forEach((off) => off());
  }, [user.role, t]);

  return (
    <>
      <div inert={expired || undefined}>
        <Layout user={user} route={route}>
          <Page route={route} user={user} />
        </Layout>
      </div>
      <Dialog open={expired} title={t('login.title')} onClose={() => undefined} dismissible={false}>
        <p className="notice notice--warn" role="alert">{t('login.expired')}</p>
        <LoginForm />
      </Dialog>
    </>
  );
}

function Page({ route, user }: { route: Route; user: User }) {
  const { t } = useTranslation();
  const handsOnPhone = user.role === 'agent' || user.role === 'supervisor';
  switch (route.name) {
    case 'home':
      return <Redirect to={handsOnPhone ? '/workspace' : navFor(user.role)[0]!.path} />;
    case 'workspace':
      return <WorkspacePage />;
    case 'tickets':
      return <TicketListPage />;
    case 'ticket-new':
      return <TicketNewPage personId={route.personId} personName={route.personName} />;
    case 'ticket':
      return <TicketDetailPage key={route.id} id={route.id} />;
    case 'persons':
      return <PersonSearchPage q={route.q} />;
    case 'person-new':
      return <PersonCreatePage phone={route.phone} />;
    case 'person':
      return <PersonPage key={route.id} id={route.id} />;
    case 'calls':
      return <CallLogPage />;
    case 'agents':
      return <AgentsPage />;
    case 'settings':
      return <SettingsPage />;
    case 'audit':
      return user.role === 'auditor' ? <AuditPage /> : <Redirect to="/" />;
    case 'password':
      return <ChangePasswordPage />;
    case 'not-found':
      return (
        <>
          <PageHeading>{t('app.notFound')}</PageHeading>
          <p>{t('app.notFoundHint')}</p>
        </>
      );
  }
}

function Redirect({ to }: { to: string }) {
  useEffect(() => navigate(to), [to]);
  return null;
}
