/**
 * Console paths. The console uses react-router's hash router (`routes.tsx`): the server serves one
 * index.html and needs no rewrites. These helpers let any module link or navigate without holding the router.
 */

type Navigator = (path: string) => Promise<void> | void;
let active: Navigator | null = null;

/** Called once by `routes.tsx` with the router's own navigate. */
export function setNavigator(navigator: Navigator | null): void {
  active = navigator;
}

/** Go to a console path, e.g. `navigate('/tickets/abc')`; the promise settles when the router got there. */
export function navigate(path: string): Promise<void> {
  if (active) return Promise.resolve(active(path));
  window.location.hash = `#${path}`;
  return Promise.resolve();
}

/** An `href` for a console path. @example href('/persons?q=138') // '#/persons?q=138' */
export const href = (path: string): string => `#${path}`;

/** Whether the current path is inside a section, e.g. `/tickets/abc` is inside `/tickets`. */
export function inSection(pathname: string, section: string): boolean {
  return pathname === section || pathname.startsWith(`${section}/`);
}
