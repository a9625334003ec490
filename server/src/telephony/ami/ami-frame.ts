/**
 * AMI frames as text and as the objects `asterisk-manager` delivers. Pure, no I/O.
 *
 * An AMI frame is `Key: value` lines ending with an empty line (`\r\n\r\n`). `asterisk-manager` turns it into
 * an object whose keys are trimmed and lower-cased; a repeated key becomes an array; `Variable` and
 * `ChanVariable` lines become a sub-object (`Variable: A=1` → `{ variable: { A: '1' } }`, and VarSet's
 * `Variable: QUEUE_PRIO` → `{ variable: { QUEUE_PRIO: '' } }`). {@link parseAmiFrame} follows the same rules so
 * that unit tests, the replay server and the live adapter all see identical objects.
 */

/** One value of a parsed AMI frame. */
export type AmiValue = string | string[] | Record<string, string>;

/** A parsed AMI frame (event, response or action) with lower-cased keys. */
export type AmiMessage = Readonly<Record<string, AmiValue | undefined>>;

/**
 * Parse one frame's text (with or without its trailing blank line) the way `asterisk-manager` does.
 *
 * @example parseAmiFrame('Event: Hangup\r\nCause: 16\r\n\r\n') // → { event: 'Hangup', cause: '16' }
 */
export function parseAmiFrame(raw: string): Record<string, AmiValue> {
  const item: Record<string, AmiValue> = {};
  for (const line of raw.split(/\r?\n/)) {
    if (!line.length) continue;
    const parts = line.split(': ');
    const key = (parts.shift() ?? '').trim().toLowerCase();
    const value = parts.join(': ');
    if (key === 'variable' || key === 'chanvariable') {
      const current = item[key];
      const vars: Record<string, string> = typeof current === 'object' && !Array.isArray(current) ? current : {};
      const [name, ...rest] = value.split('=');
      vars[name ?? ''] = rest.join('=');
      item[key] = vars;
    } else if (key in item) {
      const current = item[key];
      item[key] = Array.isArray(current) ? [...current, value] : [String(current), value];
    } else {
      item[key] = value;
    }
  }
  return item;
}

/**
 * Split a TCP byte stream into complete frames; returns the frames and the unfinished rest.
 *
 * @example splitAmiFrames('Action: Ping\r\n\r\nAction: Lo') // → { frames: ['Action: Ping\r\n\r\n'], rest: 'Action: Lo' }
 */
export function splitAmiFrames(buffer: string): { frames: string[]; rest: string } {
  const frames: string[] = [];
  let start = 0;
  for (;;) {
    const end = buffer.indexOf('\r\n\r\n', start);
    if (end < 0) break;
    frames.push(buffer.slice(start, end + 4));
    start = end + 4;
  }
  return { frames, rest: buffer.slice(start) };
}

/** The first value of a key, as a string (arrays give their first element; sub-objects give undefined). */
export function amiString(message: AmiMessage, key: string): string | undefined {
  const value = message[key];
  if (typeof value === 'string') return value;
  if (Array.isArray(value)) return value[0];
  return undefined;
}

/**
 * The `ActionID` header of a frame's raw text, or undefined.
 *
 * @example rawActionId('Response: Success\r\nActionID: a1\r\n\r\n') // → 'a1'
 */
export function rawActionId(raw: string): string | undefined {
  const match = /(?:^|\n)ActionID: ([^\r\n]*)/i.exec(raw);
  return match?.[1];
}

/**
 * Replace the `ActionID` header of a frame's raw text, leaving every other byte untouched.
 *
 * @example withActionId('Response: Success\r\nActionID: a1\r\n\r\n', '17') // → 'Response: Success\r\nActionID: 17\r\n\r\n'
 */
export function withActionId(raw: string, actionId: string): string {
  return raw.replace(/(^|\n)(ActionID: )[^\r\n]*/i, (_m, lead: string, key: string) => `${lead}${key}${actionId}`);
}
