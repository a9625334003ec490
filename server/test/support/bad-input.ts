/**
 * fast-check arbitraries for hostile input: strings with control characters, lone surrogates, huge numbers,
 * wrong types, arrays where scalars belong, deep objects, long strings, bad UUIDs and broken percent-encoding.
 * Used by bad-input.int.test.ts against every HTTP route and socket command.
 */
import fc from 'fast-check';

/** Field names the API knows (so random bodies often reach the validators, not only the "unknown key" rule). */
export const KNOWN_FIELDS = [
  'q', 'page', 'pageSize', 'limit', 'offset', 'open', 'status', 'from', 'to', 'purpose', 'reason', 'note', 'id',
  'name', 'gender', 'birthDate', 'idNumber', 'certNumber', 'phones', 'contacts', 'districtCode', 'address', 'medicalNotes',
  'category', 'serviceType', 'priority', 'channel', 'summary', 'personId', 'callId', 'ticketId', 'confidential', 'callerRelation',
  'action', 'version', 'satisfaction', 'number', 'state', 'sosId', 'username', 'password', 'type', 'detail', 'battery',
  'occurredAt', 'silent', 'lat', 'lng', 'CallSid', 'From', 'To', 'Digits', 'MessageSid', 'Body', 'node', 'attempt',
  // Staff administration and the second factor.
  'displayName', 'roles', 'sipExtension', 'skills', 'active', 'code',
  // issue 8: districts administration, person status and consent
  'includeRetired', 'diedOn', 'duplicateId', 'kind', 'givenOn', 'withdrawnOn', 'method',
  // care/
  'cadence', 'intervalDays', 'startDay', 'windowStart', 'windowEnd', 'quietStart', 'quietEnd', 'team', 'script', 'outcome', 'resolved', 'comment', 'phoneId', 'contactId', 'dueOnly',
] as const;

const CONTROL = ['\u0000', '\u0001', '\u0007', '\b', '\u001b', '\u001b[2J', '\u007f', '\u0085', '\u009b', '\u2028', '\u2029', '\uFEFF', '\uD800', '\uDFFF', '\r\n', '\t'];

/** One nasty character or short sequence. */
const nastyUnit = fc.oneof(
  { weight: 3, arbitrary: fc.constantFrom(...CONTROL) },
  { weight: 2, arbitrary: fc.string({ unit: 'binary', minLength: 1, maxLength: 1 }) },
  { weight: 1, arbitrary: fc.constantFrom("'", '"', '\\', '%', '%00', '../', '<script>', '${x}', '{{x}}', ';', '--', '报', '🆘', '\u202e') },
  { weight: 2, arbitrary: fc.string({ unit: 'grapheme-ascii', minLength: 1, maxLength: 1 }) },
);

/** Strings: short, with control characters and lone surrogates, long, bad and good UUIDs, dates, numbers as text. */
export const nastyString: fc.Arbitrary<string> = fc.oneof(
  { weight: 4, arbitrary: fc.array(nastyUnit, { maxLength: 12 }).map((a) => a.join('')) },
  { weight: 1, arbitrary: fc.string({ unit: 'binary', maxLength: 40 }) },
  { weight: 1, arbitrary: fc.integer({ min: 201, max: 20_000 }).map((n) => '长'.repeat(n)) },
  { weight: 1, arbitrary: fc.constantFrom('', ' ', '00000000-0000-0000-0000-000000000000', 'not-a-uuid', '123e4567-e89b-12d3-a456-42661417400', 'ffffffff-ffff-ffff-ffff-ffffffffffff\u0000') },
  { weight: 1, arbitrary: fc.uuid() },
  { weight: 1, arbitrary: fc.constantFrom('2026-13-45', '9999-12-31T23:59:59Z', '-1', '1e309', 'NaN', 'true', 'null', '[]', '{}', '0x10', '__proto__', 'constructor') },
);

/** Numbers that break naive code: huge, negative, fractional, unsafe integers. */
export const nastyNumber: fc.Arbitrary<number> = fc.oneof(
  fc.constantFrom(0, -1, 1.5, 2 ** 31, 2 ** 53 + 2, -(2 ** 63), 1e308, -1e308, Number.MAX_VALUE, Number.MIN_VALUE),
  fc.integer(),
  fc.double({ noNaN: true, noDefaultInfinity: true }),
);

/** Any JSON value, biased to wrong types, arrays for scalars and deep nesting. */
export const nastyValue: fc.Arbitrary<unknown> = fc.letrec<{ value: unknown }>((tie) => ({
  value: fc.oneof(
    { depthSize: 'small', withCrossShrink: true },
    { weight: 4, arbitrary: nastyString },
    { weight: 2, arbitrary: nastyNumber },
    { weight: 1, arbitrary: fc.constantFrom(true, false, null) },
    { weight: 1, arbitrary: fc.array(tie('value'), { maxLength: 4 }) },
    { weight: 1, arbitrary: fc.dictionary(fc.oneof(fc.constantFrom(...KNOWN_FIELDS), nastyString), tie('value'), { maxKeys: 4 }) },
  ),
})).value;

/** A very deep object or array (below JSON parsers' limits, above any sane schema's). */
export const deepValue: fc.Arbitrary<unknown> = fc.integer({ min: 20, max: 2000 }).map((depth) => {
  let v: unknown = 'x\u0000';
  for (let i = 0; i < depth; i++) v = i % 2 ? [v] : { a: v };
  return v;
});

/** A request body: an object with known and random fields, or any other JSON value, or a deep one. */
export const nastyBody: fc.Arbitrary<unknown> = fc.oneof(
  { weight: 5, arbitrary: fc.dictionary(fc.oneof({ weight: 4, arbitrary: fc.constantFrom(...KNOWN_FIELDS) }, { weight: 1, arbitrary: nastyString }), nastyValue, { maxKeys: 8 }) },
  { weight: 2, arbitrary: nastyValue },
  { weight: 1, arbitrary: deepValue },
);

/** Raw text sent as a JSON body: mostly JSON, sometimes broken. */
export const rawBody: fc.Arbitrary<string> = fc.oneof(
  { weight: 6, arbitrary: nastyBody.map((b) => JSON.stringify(b) ?? 'null') },
  { weight: 1, arbitrary: fc.constantFrom('{', '{"a":', '[1,2', '\u0000', '{"a":"\\ud800"}', '{"__proto__":{"x":1}}', 'nul', '') },
);

/**
 * Percent-encode UTF-8 bytes of `s` (lone surrogates become U+FFFD, as a client would send them), or leave
 * broken escapes in on purpose when `raw` is set.
 */
export function percentEncode(s: string): string {
  return [...Buffer.from(s, 'utf8')].map((b) => (/[A-Za-z0-9\-_.~]/.test(String.fromCharCode(b)) ? String.fromCharCode(b) : `%${b.toString(16).toUpperCase().padStart(2, '0')}`)).join('');
}

/** A path segment for a `:param`: a nasty string encoded, a broken escape, a UUID. */
export const nastySegment: fc.Arbitrary<string> = fc.oneof(
  { weight: 4, arbitrary: nastyString.filter((s) => s.length > 0 && s.length < 3000).map(percentEncode) },
  { weight: 1, arbitrary: fc.constantFrom('%ZZ', '%E4%B8', '%', '%00', '%2F', '..', '%2E%2E', 'a%C0%AFb') },
  { weight: 2, arbitrary: fc.uuid() },
);

/** A query string (without `?`): known and random keys, repeated keys (arrays), broken escapes. */
export const nastyQuery: fc.Arbitrary<string> = fc.oneof(
  {
    weight: 5,
    arbitrary: fc
      .array(fc.tuple(fc.oneof({ weight: 4, arbitrary: fc.constantFrom(...KNOWN_FIELDS) }, { weight: 1, arbitrary: nastyString }), fc.oneof(nastyString, nastyNumber.map(String))), { maxLength: 6 })
      .map((pairs) => pairs.map(([k, v]) => `${percentEncode(k)}=${percentEncode(v.slice(0, 300))}`).join('&')),
  },
  { weight: 1, arbitrary: fc.constantFrom('q=%ZZ', 'q=%E4%B8', 'q[a][b][c]=1', 'q=1&q=2&q=3', '%00=%00', 'a'.repeat(5000), '&&&=&=', 'limit=1e400&offset=-0') },
);

/** Plausible text with one control character (or lone surrogate) slipped in: valid by every schema but that. */
export const controlString: fc.Arbitrary<string> = fc
  .tuple(fc.constantFrom('张三', '核对身份信息', '13800138000', '老人独居，需要上门查看', 'answer', 'inquiry', 'break', 'agent'), fc.constantFrom(...CONTROL.filter((c) => !['\t', '\r\n', '\u2028', '\u2029'].includes(c))), fc.nat())
  .map(([text, bad, at]) => {
    const chars = [...text];
    chars.splice(at % (chars.length + 1), 0, bad);
    return chars.join('');
  });

/**
 * A valid example with up to two fields replaced (or added) by hostile values: requests that pass most of a
 * schema and carry the bad part into the service and the database.
 */
export function mutate(example: Record<string, unknown>): fc.Arbitrary<Record<string, unknown>> {
  const keys = Object.keys(example);
  const key = keys.length ? fc.oneof({ weight: 4, arbitrary: fc.constantFrom(...keys) }, { weight: 1, arbitrary: fc.constantFrom(...KNOWN_FIELDS) }) : fc.constantFrom(...KNOWN_FIELDS);
  const value = fc.oneof({ weight: 4, arbitrary: controlString }, { weight: 2, arbitrary: nastyValue });
  return fc.array(fc.tuple(key, value), { minLength: 1, maxLength: 2 }).map((edits) => ({ ...example, ...Object.fromEntries(edits) }));
}
