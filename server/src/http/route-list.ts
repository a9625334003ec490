import type { Express } from 'express';

/** One HTTP endpoint: upper-case method and the full path pattern (`/api/tickets/:id`). */
export interface RouteInfo {
  method: string;
  path: string;
}

interface LayerLike {
  rawPath?: unknown;
  route?: { path: unknown; methods: Record<string, boolean> };
  handle?: { stack?: LayerLike[] };
}

/**
 * Every endpoint the express app serves, read from its router stack (routes of mounted routers included),
 * sorted and without duplicates. Tests use it so that a new route cannot go unnoticed.
 * @example listRoutes(app) // [{ method: 'GET', path: '/api/health' }, …]
 */
export function listRoutes(app: Express): RouteInfo[] {
  const out = new Map<string, RouteInfo>();
  const join = (prefix: string, path: string) => (path === '/' ? prefix || '/' : `${prefix === '/' ? '' : prefix}${path}`);
  const walk = (stack: LayerLike[], prefix: string) => {
    for (const layer of stack) {
      if (layer.route) {
        const paths = Array.isArray(layer.route.path) ? layer.route.path : [layer.route.path];
        for (const method of Object.keys(layer.route.methods).filter((m) => m !== '_all')) {
          for (const p of paths) {
            const info = { method: method.toUpperCase(), path: join(prefix, String(p)) };
            out.set(`${info.method} ${info.path}`, info);
          }
        }
      } else if (layer.handle?.stack) {
        walk(layer.handle.stack, join(prefix, typeof layer.rawPath === 'string' ? layer.rawPath : '/'));
      }
    }
  };
  walk((app as unknown as { router: { stack: LayerLike[] } }).router.stack, '');
  return [...out.values()].sort((a, b) => a.path.localeCompare(b.path) || a.method.localeCompare(b.method));
}
