/**
 * Control characters in untrusted text: what every edge rejects (HTTP, socket commands) or strips (free text
 * that must never be refused: an SOS alarm's `detail`, an SMS, AMI caller ids).
 *
 * PostgreSQL cannot store U+0000 in `text` (the write fails with a 500, and in a group-committed batch
 * takes other requests down with it); the other characters below are invisible, break logs, CSV exports
 * and terminals, or are not Unicode text at all. The decisions:
 * - C0 (U+0000–U+001F), DEL (U+007F), C1 (U+0080–U+009F): rejected, except TAB, LF and CR inside
 *   multi-line text (JSON body strings, an SMS body).
 * - U+2028 / U+2029 (line / paragraph separator): line breaks, so treated like LF — allowed where line
 *   breaks are, rejected in the query string, path, keys and one-line values.
 * - Lone surrogates (U+D800–U+DFFF not in a pair): not text (encoders silently turn them into U+FFFD), rejected.
 * - U+FEFF (byte order mark / zero-width no-break space): invisible, rejected (it makes look-alike names).
 */

// With the `u` flag a regex reads code points: a surrogate pair is one character outside U+D800–U+DFFF,
// so `[\uD800-\uDFFF]` matches exactly the lone surrogates.
/** Characters never allowed in one-line text (query values, path segments, keys, caller ids). */
const LINE_BAD = /[\u0000-\u001F\u007F-\u009F\u2028\u2029\uFEFF\uD800-\uDFFF]/u;
/** The same for multi-line text: TAB, LF, CR, U+2028 and U+2029 are allowed. */
const TEXT_BAD = /[\u0000-\u0008\u000B\u000C\u000E-\u001F\u007F-\u009F\uFEFF\uD800-\uDFFF]/u;
const LINE_BAD_G = new RegExp(LINE_BAD.source, 'gu');
const TEXT_BAD_G = new RegExp(TEXT_BAD.source, 'gu');

export type TextKind = 'line' | 'text';

/**
 * Whether `value` holds a character that the edge refuses.
 * @example hasControlCharacters('a\u0000b') // true
 * @example hasControlCharacters('第一行\n第二行', 'text') // false
 */
export function hasControlCharacters(value: string, kind: TextKind = 'line'): boolean {
  return (kind === 'line' ? LINE_BAD : TEXT_BAD).test(value);
}

/**
 * `value` without the refused characters, for free text that is recorded whatever it holds.
 * @example stripControlCharacters('求救\u0000！') // '求救！'
 * @example stripControlCharacters('a\nb', 'text') // 'a\nb'
 */
export function stripControlCharacters(value: string, kind: TextKind = 'line'): string {
  return value.replace(kind === 'line' ? LINE_BAD_G : TEXT_BAD_G, '');
}

/** Where a refused character was found: a JSON-ish path (`body.note`, `query.q`, `params`). */
export interface ControlCharacterHit {
  path: string;
}

/**
 * The first refused character in a parsed JSON value (strings as multi-line text, object keys as one-line
 * text), or null. Iterative, so a deeply nested body cannot overflow the stack.
 * @example findControlCharacters({ note: 'a\u0000' }, 'body') // { path: 'body.note' }
 */
export function findControlCharacters(root: unknown, rootPath: string, kind: TextKind = 'text'): ControlCharacterHit | null {
  const stack: Array<[unknown, string]> = [[root, rootPath]];
  while (stack.length) {
    const [value, path] = stack.pop()!;
    if (typeof value === 'string') {
      if (hasControlCharacters(value, kind)) return { path };
    } else if (Array.isArray(value)) {
      for (let i = value.length - 1; i >= 0; i--) stack.push([value[i], `${path}.${i}`]);
    } else if (value && typeof value === 'object') {
      for (const [key, child] of Object.entries(value)) {
        const childPath = `${path}.${hasControlCharacters(key) ? JSON.stringify(stripControlCharacters(key)) : key}`;
        if (hasControlCharacters(key)) return { path: childPath };
        stack.push([child, childPath]);
      }
    }
  }
  return null;
}
