import { api } from '../api/endpoints';
import { ApiError, setUnauthenticatedHandler } from '../api/http';
import type { User } from '../api/wire';
import { createStore } from './store';

export type SessionState =
  | { status: 'checking' }
  | { status: 'signed-out'; reason: 'none' | 'expired' | 'logged-out' }
  | { status: 'signed-in'; user: User; expiresAt: string | null; mustChangePassword: boolean; mustEnrolTotp: boolean };

/** Who is signed in. The token itself lives in the httpOnly session cookie. */
export const session = createStore<SessionState>({ status: 'checking' });

const EXPIRES_KEY = 'anxin.console.expiresAt';

setUnauthenticatedHandler(() => {
  if (session.get().status === 'signed-in') session.set({ status: 'signed-out', reason: 'expired' });
});

/** On start: resume the cookie session if it is still valid. */
export async function restoreSession(): Promise<void> {
  try {
    const { user, mustChangePassword, mustEnrolTotp } = await api.me();
    session.set({ status: 'signed-in', user, expiresAt: sessionStorage.getItem(EXPIRES_KEY), mustChangePassword: mustChangePassword === true, mustEnrolTotp: mustEnrolTotp === true });
  } catch (err) {
    session.set({ status: 'signed-out', reason: 'none' });
    if (!(err instanceof ApiError)) throw err;
  }
}

/** Sign in; `code` is the TOTP or recovery code when the server asked for it (`auth/totp-required`). */
export async function signIn(username: string, password: string, code?: string): Promise<User> {
  const res = await api.login(username, password, code);
  sessionStorage.setItem(EXPIRES_KEY, res.expiresAt);
  session.set({ status: 'signed-in', user: res.user, expiresAt: res.expiresAt, mustChangePassword: res.mustChangePassword === true, mustEnrolTotp: res.mustEnrolTotp === true });
  return res.user;
}

/** The second factor is in force now (a forced enrolment opens the console). */
export function totpEnrolled(): void {
  const s = session.get();
  if (s.status === 'signed-in') session.set({ ...s, mustEnrolTotp: false });
}

/** Change one's own password; clears the must-change state (the server ends the user's other sessions). */
/**
 * Change one's own password. `beforeConsole` runs after the server accepted it and before a forced change
 * opens the console (so the console's router is already where it should start).
 */
export async function changePassword(currentPassword: string, newPassword: string, beforeConsole?: () => Promise<void>): Promise<void> {
  await api.changePassword(currentPassword, newPassword);
  await beforeConsole?.();
  const s = session.get();
  if (s.status === 'signed-in') session.set({ ...s, mustChangePassword: false });
}

export async function signOut(): Promise<void> {
  try {
    await api.logout();
  } catch {
    /* the session may already be gone: signing out locally is what matters */
  }
  sessionStorage.removeItem(EXPIRES_KEY);
  session.set({ status: 'signed-out', reason: 'logged-out' });
}

/** The signed-in user; throws outside a signed-in tree (a programming error). */
export function currentUser(): User {
  const s = session.get();
  if (s.status !== 'signed-in') throw new Error('not signed in');
  return s.user;
}
