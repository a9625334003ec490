/**
 * Which browser origins may act with the session cookie: the server's own host (the console it serves) and the
 * configured `CONSOLE_ORIGIN` list. Shared by the CSRF middleware and the socket.io handshake. Pure: no express.
 */
export class OriginPolicy {
  private readonly allowed: Set<string>;

  constructor(consoleOrigins: string | undefined) {
    this.allowed = new Set((consoleOrigins ?? '').split(',').map((o) => o.trim().toLowerCase()).filter(Boolean));
  }

  /**
   * Whether `origin` (an `Origin` header, or the origin of a `Referer`) is the console's own.
   * @param hosts the `Host` (and a trusted forwarded host) of the request itself
   * @example policy.allows('http://127.0.0.1:3000', ['127.0.0.1:3000']) // true
   */
  allows(origin: string | undefined, hosts: ReadonlyArray<string | undefined>): boolean {
    const parsed = parseOrigin(origin);
    if (!parsed) return false;
    if (this.allowed.has(parsed.origin)) return true;
    return hosts.some((h) => typeof h === 'string' && h.toLowerCase() === parsed.host);
  }
}

/** `scheme://host[:port]` of an Origin or Referer value, lower-cased; null for anything else (`null`, garbage). */
export function parseOrigin(value: string | undefined): { origin: string; host: string } | null {
  if (typeof value !== 'string' || value.length > 2048) return null;
  try {
    const url = new URL(value);
    if (url.protocol !== 'http:' && url.protocol !== 'https:') return null;
    return { origin: url.origin.toLowerCase(), host: url.host.toLowerCase() };
  } catch {
    return null;
  }
}
