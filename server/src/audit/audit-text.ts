/**
 * What an audit entry may store: every text field is made safe before the row is built, so one caller's bad
 * input (a NUL byte in `?purpose`, a 10 kB string) can neither fail the INSERT it shares with other entries
 * nor smuggle line breaks into an export.
 */

/** C0 and C1 control characters, DEL, and lone UTF-16 surrogates (PostgreSQL's UTF-8 refuses them). */
// eslint-disable-next-line no-control-regex
const UNSAFE = /[\u0000-\u001f\u007f-\u009f]|[\ud800-\udbff](?![\udc00-\udfff])|(?<![\ud800-\udbff])[\udc00-\udfff]/g;

/**
 * Escape control characters (as `\u0000`) and cut to `max` characters (code points, as PostgreSQL's varchar
 * counts them).
 * @example safeText('a\u0000b', 200); // 'a\\u0000b'
 */
export function safeText(value: string, max: number): string {
  const escaped = value.replace(UNSAFE, (c) => `\\u${c.charCodeAt(0).toString(16).padStart(4, '0')}`);
  const chars = Array.from(escaped);
  return chars.length > max ? chars.slice(0, max).join('') : escaped;
}

/** {@link safeText} for optional fields: null stays null. */
export function safeOptional(value: string | null | undefined, max: number): string | null {
  return value === null || value === undefined ? null : safeText(String(value), max);
}

const UUID = /^[0-9a-f]{8}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{12}$/i;

/** An actor id as the `uuid` column takes it, or null. */
export function safeUuid(value: string | null | undefined): string | null {
  return typeof value === 'string' && UUID.test(value) ? value.toLowerCase() : null;
}

/** Column sizes of `audit_log` (see the Spine and AuditSubjects migrations). */
export const AUDIT_LIMITS = { actorUsername: 64, action: 40, subjectType: 20, subjectId: 64, purpose: 200, subject: 80, subjects: 5000, ip: 64 } as const;
