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
export async function request<T>(method: 'GET' | 'POST' | 'PUT' | 'PATCH' | 'DELETE', path: string, body?: unknown, signal?: AbortSignal, headers: Record<string, string> = {}): Promise<T> {
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
  return readResponse<T>(res, path);
}

/**
 * Upload a file as the request body (not JSON), e.g. a register spreadsheet; answers like {@link request}.
 * @example await sendFile<Job>('/api/register/imports?mode=dry-run', file, 'text/csv');
 */
export async function sendFile<T>(path: string, file: Blob, contentType: string): Promise<T> {
  let res: Response;
  try {
    res = await fetch(path, { method: 'POST', credentials: 'same-origin', headers: { accept: 'application/json', 'content-type': contentType }, body: file });
  } catch (err) {
    throw new ApiError(0, 'network', (err as Error).message);
  }
  return readResponse<T>(res, path);
}

/**
 * Fetch a download (a same-origin GET with the session cookie) as a Blob, so that a refusal shows as a
 * translated error instead of replacing the page.
 */
export async function download(path: string): Promise<Blob> {
  let res: Response;
  try {
    res = await fetch(path, { credentials: 'same-origin' });
  } catch (err) {
    throw new ApiError(0, 'network', (err as Error).message);
  }
  if (!res.ok) await readResponse(res, path);
  return res.blob();
}

async function readResponse<T>(res: Response, path: string): Promise<T> {
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
