import { canonicalForHash, createFieldCrypto, deriveKey } from './field-crypto';

const SECRET = 'anxin-test-data-key-0123456789abcdef';
const k1 = deriveKey(SECRET, 'field-encryption:v1');
const k2 = deriveKey(SECRET, 'field-encryption:v2');
const hashKey = deriveKey(SECRET, 'lookup-hash');

function reason(fn: () => unknown): unknown {
  try {
    fn();
  } catch (e) {
    return (e as { details?: { reason?: string } }).details?.reason;
  }
  return 'no error';
}

describe('createFieldCrypto', () => {
  const crypto = createFieldCrypto({ keys: { v1: k1 }, currentVersion: 'v1', hashKey });

  it.each([
    ['11010519491231002X'],
    ['11010519491231002X42'],
    ['高血压，长期服用降压药；对青霉素过敏'],
    [''],
    ['x'.repeat(10_000)],
  ])('when %j is encrypted, then it decrypts to itself', (plain) => {
    const token = crypto.encrypt(plain);
    expect(token).toMatch(/^v1:[A-Za-z0-9+/]+=*$/);
    expect(token).not.toContain(plain || '\u0000');
    expect(crypto.decrypt(token)).toBe(plain);
  });

  it('when the same value is encrypted twice, then the tokens differ (random IV)', () => {
    expect(crypto.encrypt('same')).not.toBe(crypto.encrypt('same'));
  });

  it('when the key is rotated, then old tokens still decrypt and new ones use the new version', () => {
    const old = crypto.encrypt('11010519491231002X');
    const rotated = createFieldCrypto({ keys: { v1: k1, v2: k2 }, currentVersion: 'v2', hashKey });
    const fresh = rotated.encrypt('11010519491231002X');
    expect(rotated.versionOf(fresh)).toBe('v2');
    expect(rotated.decrypt(old)).toBe('11010519491231002X');
    expect(rotated.decrypt(fresh)).toBe('11010519491231002X');
    expect(reason(() => crypto.decrypt(fresh))).toBe('unknown-key-version');
  });

  it.each([
    ['a flipped ciphertext byte', (t: string) => flip(t, -1)],
    ['a flipped tag byte', (t: string) => flip(t, 14)],
    ['a flipped iv byte', (t: string) => flip(t, 0)],
    ['a relabelled version', (t: string) => t.replace(/^v1:/, 'v2:')],
  ])('when a token has %s, then decrypt refuses it', (_what, tamper) => {
    const rotated = createFieldCrypto({ keys: { v1: k1, v2: k2 }, currentVersion: 'v1', hashKey });
    const token = rotated.encrypt('11010519491231002X');
    expect(reason(() => rotated.decrypt(tamper(token)))).toBe('tampered');
  });

  it.each([
    ['no separator', 'abc', 'malformed'],
    ['an empty version', ':AAAA', 'malformed'],
    ['a body that is not base64', 'v1:***', 'malformed'],
    ['a body too short', 'v1:AAAA', 'malformed'],
    ['an unknown version', 'v9:AAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAA', 'unknown-key-version'],
  ])('when a token has %s, then decrypt fails as %s', (_what, token, why) => {
    expect(reason(() => crypto.decrypt(token))).toBe(why);
  });

  it('when hashing, then the value is canonical, keyed and stable', () => {
    const h = crypto.hash('11010519491231002X');
    expect(h).toMatch(/^[0-9a-f]{64}$/);
    expect(crypto.hash(' 11010519491231002x ')).toBe(h);
    expect(crypto.hash('１１０１０５１９４９１２３１００２Ｘ')).toBe(h); // full-width input
    expect(crypto.hash('11010519491231002X42')).not.toBe(h);
    const other = createFieldCrypto({ keys: { v1: k1 }, currentVersion: 'v1', hashKey: deriveKey(SECRET, 'other') });
    expect(other.hash('11010519491231002X')).not.toBe(h);
    // the encryption key plays no part in the hash
    expect(createFieldCrypto({ keys: { v1: k2 }, currentVersion: 'v1', hashKey }).hash('11010519491231002X')).toBe(h);
    // pinned (computed outside this module with node:crypto HKDF + HMAC): a change orphans every stored hash
    expect(h).toBe('367c111b9675b29addbd99fb66684d90f9b9a01486db287a1a279bc0780a121a');
  });

  it.each([
    ['no key for the current version', { keys: { v1: k1 }, currentVersion: 'v2', hashKey }],
    ['a short key', { keys: { v1: Buffer.alloc(16) }, currentVersion: 'v1', hashKey }],
    ['a bad version name', { keys: { 'v:1': k1 }, currentVersion: 'v:1', hashKey }],
    ['a short hash key', { keys: { v1: k1 }, currentVersion: 'v1', hashKey: Buffer.alloc(8) }],
  ])('when configured with %s, then it throws', (_what, options) => {
    expect(reason(() => createFieldCrypto(options))).toBe('config');
  });
});

describe('deriveKey', () => {
  it('when derived twice with the same label, then the key is the same 32 bytes; other labels differ', () => {
    expect(deriveKey(SECRET, 'a')).toEqual(deriveKey(SECRET, 'a'));
    expect(deriveKey(SECRET, 'a')).toHaveLength(32);
    expect(deriveKey(SECRET, 'a').equals(deriveKey(SECRET, 'b'))).toBe(false);
    expect(deriveKey(SECRET, 'a').equals(deriveKey(`${SECRET}!`, 'a'))).toBe(false);
  });

  it('when the secret is short or the label empty, then it throws', () => {
    expect(reason(() => deriveKey('short', 'a'))).toBe('config');
    expect(reason(() => deriveKey(SECRET, ''))).toBe('config');
  });
});

describe('canonicalForHash', () => {
  it.each([
    [' abc ', 'ABC'],
    ['１２３ｘ', '123X'],
  ])('when given %j, then it is %j', (raw, canonical) => {
    expect(canonicalForHash(raw)).toBe(canonical);
  });
});

function flip(token: string, index: number): string {
  const [version, body] = token.split(':') as [string, string];
  const raw = Buffer.from(body, 'base64');
  const i = index < 0 ? raw.length + index : index;
  raw[i] = raw[i]! ^ 0x01;
  return `${version}:${raw.toString('base64')}`;
}
