import { createFieldCrypto, deriveKey, type FieldCrypto } from './field-crypto';

/** Field crypto from the one configured data key: v1 encryption key and lookup-hash key via HKDF. */
export function fieldCryptoFromSecret(secret: string): FieldCrypto {
  return createFieldCrypto({
    keys: { v1: deriveKey(secret, 'field-encryption:v1') },
    currentVersion: 'v1',
    hashKey: deriveKey(secret, 'lookup-hash'),
  });
}
