import { QueryClientProvider } from '@tanstack/react-query';
import { lazy, Suspense, useEffect, useRef, useSyncExternalStore } from 'react';
import { useTranslation } from 'react-i18next';
import { RouterProvider } from 'react-router';
import type { User } from '../api/wire';
import { Dialog } from '../components/Dialog';
import { Loading } from '../components/Feedback';
import { ChangePasswordPage } from '../features/login/ChangePasswordPage';
import { LoginForm, LoginPage } from '../features/login/LoginPage';
import { reportSoftphoneStatus } from '../features/softphone/softphone-report';
import { TotpEnrolPage } from '../features/login/TotpEnrolPage';
import { answer, canAnswer, hangup, startSoftphone, stopSoftphone } from '../features/softphone/softphone-store';
import { connectRealtime, disconnectRealtime } from '../realtime/connection';
import { focusedCall, liveCalls } from '../realtime/live-calls';
import { announce } from '../state/announcer';
import { session } from '../state/session';
import { useStore } from '../state/store';
import { installHotkeys, registerCommand, runWhenHandled, type Command } from './hotkeys';
import { navFor } from './Layout';
import { queryClient } from './query';
import { navigate } from './router';
import { router, UserContext } from './routes';

/** The volunteers' own pages (public sign-up, statement and shop): no staff sign-in, loaded only when opened. */
const VolunteerApp = lazy(() => import('../features/timebank/public/VolunteerApp'));
const PUBLIC_PATHS = /^#\/(join|volunteer)(\/|\?|$)/;
const onHashChange = (cb: () => void) => {
  window.addEventListener('hashchange', cb);
  return () => window.removeEventListener('hashchange', cb);
};

/**
 * The whole console: the volunteers' public pages (`#/join`, `#/volunteer…`, outside the staff sign-in), or
 * sign-in, or the signed-in shell (kept on screen, inert, while re-signing in).
 */
export function App() {
  const isPublic = useSyncExternalStore(onHashChange, () => PUBLIC_PATHS.test(window.location.hash));
  if (isPublic) return <Suspense fallback={<main id="main"><Loading /></main>}><VolunteerApp /></Suspense>;
  return <StaffApp />;
}

function StaffApp() {
  const s = useStore(session);
  const lastUser = useRef<User | null>(null);
  if (s.status === 'signed-in') lastUser.current = s.user;
  if (s.status === 'signed-out' && s.reason !== 'expired') lastUser.current = null;

  if (s.status === 'checking') return <main id="main"><Loading /></main>;
  if (s.status === 'signed-in' && s.mustChangePassword) return <ChangePasswordPage forced />;
  if (s.status === 'signed-in' && s.mustEnrolTotp) return <QueryClientProvider client={queryClient}><TotpEnrolPage forced /></QueryClientProvider>;
  if (s.status === 'signed-in') return <Shell user={s.user} />;
  if (s.reason === 'expired' && lastUser.current) return <Shell user={lastUser.current} expired />;
  return <LoginPage reason={s.reason} />;
}

function Shell({ user, expired = false }: { user: User; expired?: boolean }) {
  const { t } = useTranslation();

  // One realtime connection and one softphone per signed-in user.
  useEffect(() => {
    if (expired) return;
    connectRealtime(user);
    void startSoftphone();
    const stopReports = user.role === 'agent' || user.role === 'supervisor' ? reportSoftphoneStatus() : () => undefined;
    return () => {
      stopReports();
      disconnectRealtime();
      void stopSoftphone();
      queryClient.clear(); // the next user must not see this one's cached records
    };
  }, [user.userId, expired]);

  useEffect(() => installHotkeys(), []);
  useEffect(() => {
    const nav = navFor(user.roles ?? [user.role]);
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
        <UserContext.Provider value={user}>
          <QueryClientProvider client={queryClient}>
            <RouterProvider router={router} />
          </QueryClientProvider>
        </UserContext.Provider>
      </div>
      <Dialog open={expired} title={t('login.title')} onClose={() => undefined} dismissible={false}>
        <p className="notice notice--warn" role="alert">{t('login.expired')}</p>
        <LoginForm />
      </Dialog>
    </>
  );
}
