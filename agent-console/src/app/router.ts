import { useSyncExternalStore } from 'react';

/** The console's pages. Hash routing: the server serves one index.html and needs no rewrites. */
export type Route =
  | { name: 'home' }
  | { name: 'workspace' }
  | { name: 'tickets' }
  | { name: 'ticket-new'; personId?: string; personName?: string }
  | { name: 'ticket'; id: string }
  | { name: 'persons'; q?: string }
  | { name: 'person-new'; phone?: string }
  | { name: 'person'; id: string }
  | { name: 'calls' }
  | { name: 'agents' }
  | { name: 'settings' }
  | { name: 'audit' }
  | { name: 'password' }
  | { name: 'not-found' };

/** Parse `#/tickets/123` into a route. @example parseRoute('#/persons?q=138') // { name: 'persons', q: '138' } */
export function parseRoute(hash: string): Route {
  const [path, query = ''] = hash.replace(/^#/, '').split('?');
  const params = new URLSearchParams(query);
  const parts = (path ?? '').split('/').filter(Boolean).map(decodeURIComponent);
  const [head, id] = parts;
  if (parts.length === 0) return { name: 'home' };
  if (parts.length === 1) {
    switch (head) {
      case 'workspace':
      case 'tickets':
      case 'calls':
      case 'agents':
      case 'settings':
      case 'audit':
        return { name: head };
      case 'persons':
        return { name: 'persons', q: params.get('q') ?? undefined };
    }
  }
  if (parts.length === 2 && head === 'settings' && id === 'password') return { name: 'password' };
  if (parts.length === 2 && head === 'tickets') return id === 'new' ? { name: 'ticket-new', personId: params.get('person') ?? undefined, personName: params.get('name') ?? undefined } : { name: 'ticket', id: id! };
  if (parts.length === 2 && head === 'persons') return id === 'new' ? { name: 'person-new', phone: params.get('phone') ?? undefined } : { name: 'person', id: id! };
  return { name: 'not-found' };
}

function subscribe(listener: () => void): () => void {
  window.addEventListener('hashchange', listener);
  return () => window.removeEventListener('hashchange', listener);
}

/** The current route; re-renders on navigation. */
export function useRoute(): Route {
  const hash = useSyncExternalStore(subscribe, () => window.location.hash);
  return parseRoute(hash);
}

/** Go to a console path, e.g. `navigate('/tickets/abc')`. */
export function navigate(path: string): void {
  window.location.hash = `#${path}`;
}

/** An `href` for a console path. */
export const href = (path: string): string => `#${path}`;
