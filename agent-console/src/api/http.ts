import type { ApiErrorBody } from './wire';

/** A failed request: the server's error code and message, or `network` when it could not be reached. */
export class ApiError extends Error {
  constructor(
    readonly status: number,
    readonly code: string,
    message: string,
    readonly details?: unknown,
  ) {
    super(message);
    this.name = 'ApiError';
  }
}

let onUnauthenticated: () => void = () => undefined;

/** Called whenever the server says the session is gone (401), so the app can ask to sign in again. */
export function setUnauthenticatedHandler(handler: () => void): void {
  onUnauthenticated = handler;
}

/**
 * JSON request to the server on the same origin. The session rides in the httpOnly cookie set at login,
 * so no token is kept in script-readable storage.
 * @example const me = await request<{ user: User }>('GET', '/api/auth/me');
 */
export async function request<T>(method: 'GET' | 'POST' | 'PUT' | 'DELETE', path: string, body?: unknown, signal?: AbortSignal, headers: Record<string, string> = {}): Promise<T> {
  let res: Response;
  try {
    res = await fetch(path, {
      method,
      credentials: 'same-origin',
      headers: { ...headers, ...(body === undefined ? { accept: 'application/json' } : { accept: 'application/json', 'content-type': 'application/json' }) },
      body: body === undefined ? undefined : JSON.stringify(body),
      signal,
    });
  } catch (err) {
    if ((err as Error).name === 'AbortError') throw err;
    throw new ApiError(0, 'network', (err as Error).message);
  }
  const text = await res.text();
  let json: unknown = null;
  try {
    json = text ? JSON.parse(text) : null;
  } catch {
    json = null;
  }
  if (!res.ok) {
    const error = (json as ApiErrorBody | null)?.error;
    if (res.status === 401 && !path.startsWith('/api/auth/login')) onUnauthenticated();
    throw new ApiError(res.status, error?.code ?? `http/${res.status}`, error?.message ?? res.statusText, error?.details);
  }
  return json as T;
}

/** Query string from defined values only. @example qs({ q: 'x', page: undefined }) // '?q=x' */
export function qs(params: Record<string, string | number | boolean | undefined | null>): string {
  const s = new URLSearchParams();
  for (const [k, v] of Object.entries(params)) if (v !== undefined && v !== null && v !== '') s.set(k, String(v));
  const out = s.toString();
  return out ? `?${out}` : '';
}
