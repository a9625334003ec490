import { ApiError, request } from '../../../api/http';
import type { PortalMe, PortalSession, Redemption, ShopItem, SignupBody, SignupOptions, Statement } from '../../../api/timebank-wire';

/** The public sign-up endpoints (no login). */
export const publicApi = {
  signupOptions: () => request<SignupOptions>('GET', '/api/public/volunteer-signup/options'),
  signUp: (body: SignupBody) => request<{ signupId: string; status: 'pending' }>('POST', '/api/public/volunteer-signups', body),
};

const TOKEN_KEY = 'anxin.volunteer.portal';

/**
 * The volunteer's own session (docs/timebank-api.md, "volunteer portal"): a one-time link's code is
 * exchanged for a bearer token, kept for this tab only (sessionStorage), sent on every portal call.
 */
export const portalSession = {
  get: (): string | null => sessionStorage.getItem(TOKEN_KEY),
  set: (token: string): void => sessionStorage.setItem(TOKEN_KEY, token),
  clear: (): void => sessionStorage.removeItem(TOKEN_KEY),
};

function portal<T>(method: 'GET' | 'POST', path: string, body?: unknown): Promise<T> {
  const token = portalSession.get();
  if (!token) return Promise.reject(new ApiError(401, 'timebank/portal-unauthenticated', 'no volunteer session'));
  return request<T>(method, `/api/volunteer-portal${path}`, body, undefined, { authorization: `Bearer ${token}` });
}

/** The volunteer portal: exchange a link, then their own balance, statement and shop. */
export const portalApi = {
  exchange: (code: string) => request<PortalSession>('POST', '/api/volunteer-portal/session', { code }),
  me: () => portal<PortalMe>('GET', '/me'),
  statement: (year?: number) => portal<Statement>('GET', `/statement${year ? `?year=${year}&limit=200` : '?limit=200'}`),
  shop: () => portal<ShopItem[]>('GET', '/shop'),
  redeem: (itemId: string, quantity: number, idempotencyKey: string) => portal<Redemption>('POST', '/redemptions', { itemId, quantity, idempotencyKey }),
  logout: () => portal<void>('POST', '/logout'),
};
