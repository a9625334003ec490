/**
 * Whether the console was opened from a field worker's one-time link, and its token: `/#/f/<token>` (the
 * form the SMS carries) or `/f/<token>`. Kept apart from the field page itself so the console's entry can
 * decide without loading it.
 * @example fieldTokenOf({ pathname: '/', hash: '#/f/abc123' }) // 'abc123'
 */
export function fieldTokenOf(location: { pathname: string; hash: string }): string | null {
  const fromHash = /^#\/f\/([^/?#]*)/.exec(location.hash);
  if (fromHash) return decodeURIComponent(fromHash[1]!);
  const fromPath = /\/f\/([^/?#]*)\/?$/.exec(location.pathname);
  return fromPath ? decodeURIComponent(fromPath[1]!) : null;
}
