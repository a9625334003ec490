import { createCipheriv, createDecipheriv, createHmac, hkdfSync, randomBytes } from 'node:crypto';
import { AppError } from './app-error';

/**
 * Field-level encryption for personal data at rest (ID and certificate numbers, medical notes) and a
 * keyed hash for exact-match lookup of the encrypted values.
 *
 * Token format: `<version>:<base64(iv[12] | tag[16] | ciphertext)>`, AES-256-GCM. The version string is
 * also the GCM additional data, so a token cannot be relabelled to another key version.
 */

export interface FieldCryptoOptions {
  /** Key versions such as `v1`, `v2`; each key is 32 bytes. Old versions stay to decrypt old rows. */
  keys: Record<string, Buffer>;
  /** The version new values are encrypted with. */
  currentVersion: string;
  /** Key of the lookup hash (≥ 32 bytes). Changing it means re-hashing every row. */
  hashKey: Buffer;
}

export interface FieldCrypto {
  encrypt(plain: string): string;
  decrypt(token: string): string;
  hash(plain: string): string;
  /** The key version a token was written with, e.g. to find rows to re-encrypt. */
  versionOf(token: string): string;
  readonly currentVersion: string;
}

const IV_BYTES = 12;
const TAG_BYTES = 16;
const VERSION_PATTERN = /^v\d+$/;

function cryptoError(reason: 'malformed' | 'unknown-key-version' | 'tampered' | 'config', message: string): AppError {
  return new AppError('internal', message, { reason });
}

/**
 * The canonical form hashed by {@link FieldCrypto.hash}: NFKC (full-width → ASCII), trimmed, upper-cased.
 * @example canonicalForHash(' 11010519491231002x '); // '11010519491231002X'
 */
export function canonicalForHash(plain: string): string {
  return plain.normalize('NFKC').trim().toUpperCase();
}

/**
 * Build the encrypt / decrypt / hash trio from versioned keys.
 * @throws AppError `internal` (details.reason `config`) for a missing current key, a key that is not
 *   32 bytes or a version that is not `v<number>`.
 * @example
 * const crypto = createFieldCrypto({
 *   keys: { v1: deriveKey(secret, 'field-encryption:v1') },
 *   currentVersion: 'v1',
 *   hashKey: deriveKey(secret, 'lookup-hash'),
 * });
 * const token = crypto.encrypt('11010519491231002X'); // 'v1:…'
 * crypto.decrypt(token); // '11010519491231002X'
 * crypto.hash('11010519491231002x') === crypto.hash('11010519491231002X'); // true
 */
export function createFieldCrypto(options: FieldCryptoOptions): FieldCrypto {
  const keys = new Map<string, Buffer>();
  for (const [version, key] of Object.entries(options.keys)) {
    if (!VERSION_PATTERN.test(version)) throw cryptoError('config', `field crypto: key version "${version}" must look like v1, v2 …`);
    if (!Buffer.isBuffer(key) || key.length !== 32) {
      throw cryptoError('config', `field crypto: key ${version} must be 32 bytes`);
    }
    keys.set(version, Buffer.from(key));
  }
  const current = keys.get(options.currentVersion);
  if (!current) throw cryptoError('config', `field crypto: no key for current version "${options.currentVersion}"`);
  if (!Buffer.isBuffer(options.hashKey) || options.hashKey.length < 32) {
    throw cryptoError('config', 'field crypto: hash key must be at least 32 bytes');
  }
  const hashKey = Buffer.from(options.hashKey);
  const currentVersion = options.currentVersion;

  function split(token: string): { version: string; body: string } {
    const at = typeof token === 'string' ? token.indexOf(':') : -1;
    if (at <= 0) throw cryptoError('malformed', 'field crypto: malformed token (expected "<version>:<base64>")');
    return { version: token.slice(0, at), body: token.slice(at + 1) };
  }

  return {
    currentVersion,
    encrypt(plain: string): string {
      const iv = randomBytes(IV_BYTES);
      const cipher = createCipheriv('aes-256-gcm', current, iv);
      cipher.setAAD(Buffer.from(currentVersion, 'utf8'));
      const ciphertext = Buffer.concat([cipher.update(plain, 'utf8'), cipher.final()]);
      return `${currentVersion}:${Buffer.concat([iv, cipher.getAuthTag(), ciphertext]).toString('base64')}`;
    },
    decrypt(token: string): string {
      const { version, body } = split(token);
      const key = keys.get(version);
      if (!key) throw cryptoError('unknown-key-version', `field crypto: unknown key version "${version}"`);
      if (!/^[A-Za-z0-9+/]*={0,2}$/.test(body)) throw cryptoError('malformed', 'field crypto: token body is not base64');
      const raw = Buffer.from(body, 'base64');
      if (raw.length < IV_BYTES + TAG_BYTES) throw cryptoError('malformed', 'field crypto: token too short');
      const decipher = createDecipheriv('aes-256-gcm', key, raw.subarray(0, IV_BYTES));
      decipher.setAAD(Buffer.from(version, 'utf8'));
      decipher.setAuthTag(raw.subarray(IV_BYTES, IV_BYTES + TAG_BYTES));
      try {
        return Buffer.concat([decipher.update(raw.subarray(IV_BYTES + TAG_BYTES)), decipher.final()]).toString('utf8');
      } catch {
        throw cryptoError('tampered', `field crypto: authentication failed (token altered or wrong ${version} key)`);
      }
    },
    hash(plain: string): string {
      return createHmac('sha256', hashKey).update(canonicalForHash(plain), 'utf8').digest('hex');
    },
    versionOf(token: string): string {
      return split(token).version;
    },
  };
}

const HKDF_SALT = 'anxin/field-crypto';

/**
 * Derive a 32-byte key from the configured secret (HKDF-SHA256). Use distinct labels per purpose and
 * version so one secret yields independent keys.
 * @throws AppError `internal` when the secret is shorter than 16 characters or the label is empty.
 * @example
 * const encV1 = deriveKey(config.dataKey, 'field-encryption:v1');
 * const lookup = deriveKey(config.dataKey, 'lookup-hash');
 */
export function deriveKey(secret: string, label: string): Buffer {
  if (typeof secret !== 'string' || secret.length < 16) {
    throw cryptoError('config', 'field crypto: secret must be at least 16 characters');
  }
  if (!label) throw cryptoError('config', 'field crypto: key label must not be empty');
  return Buffer.from(hkdfSync('sha256', Buffer.from(secret, 'utf8'), Buffer.from(HKDF_SALT, 'utf8'), Buffer.from(label, 'utf8'), 32));
}
