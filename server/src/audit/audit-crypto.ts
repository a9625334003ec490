import { createHash, createHmac, timingSafeEqual } from 'node:crypto';
import { deriveKey } from '../shared/field-crypto';

/**
 * The audit trail's keys and hashes. All keys derive from the configured data key (HKDF, each under its own
 * label), which the database never holds: someone who can write the table cannot make a row MAC, a chain hash
 * or a checkpoint signature that verifies.
 *
 * - row MAC: HMAC over every stored field of an entry, made when it is written (`AuditService.record`);
 *   the sealer chains only rows whose MAC verifies.
 * - chain hash: HMAC(prev_hash ‖ seq ‖ fields ‖ row MAC).
 * - checkpoint signature: HMAC over `{seq, hash, at, legacySeq}` written outside the database.
 * - legacy rows (sealed before the key, `seq <= legacySeq` of `audit_chain_boundary`): the old unkeyed
 *   SHA-256 rule, see {@link legacyChainHash}.
 */
export interface AuditKeys {
  readonly rowKey: Buffer;
  readonly chainKey: Buffer;
  readonly checkpointKey: Buffer;
}

/**
 * Derive the three audit keys from the data key.
 * @example const keys = auditKeysFromSecret(config.dataKey);
 */
export function auditKeysFromSecret(secret: string): AuditKeys {
  return {
    rowKey: deriveKey(secret, 'audit-row-mac:v1'),
    chainKey: deriveKey(secret, 'audit-chain:v1'),
    checkpointKey: deriveKey(secret, 'audit-checkpoint:v1'),
  };
}

/** The stored fields of an entry the row MAC and the chain hash cover (values as stored). */
export interface AuditFields {
  at: Date;
  actorId: string | null;
  actorUsername: string | null;
  action: string;
  subjectType: string | null;
  subjectId: string | null;
  subjects: readonly string[];
  purpose: string | null;
  outcome: string;
  ip: string | null;
  nonce: string | null;
}

/** One unambiguous string of the fields (JSON array: no separator can be smuggled in a value). */
function canonical(f: AuditFields): string {
  return JSON.stringify([new Date(f.at).toISOString(), f.actorId, f.actorUsername, f.action, f.subjectType, f.subjectId, [...f.subjects], f.purpose, f.outcome, f.ip, f.nonce]);
}

/** The MAC an entry gets when it is written. */
export function rowMac(keys: AuditKeys, f: AuditFields): string {
  return createHmac('sha256', keys.rowKey).update(`row\u0000${canonical(f)}`, 'utf8').digest('hex');
}

/** Chain hash of a keyed row. */
export function keyedChainHash(keys: AuditKeys, prevHash: string, seq: string, f: AuditFields, mac: string): string {
  return createHmac('sha256', keys.chainKey).update(`chain\u0000${prevHash}\u0000${seq}\u0000${canonical(f)}\u0000${mac}`, 'utf8').digest('hex');
}

/** The pre-key rule (unkeyed SHA-256 over the fields of the time), kept to verify rows up to the boundary. */
export function legacyChainHash(prevHash: string, f: AuditFields): string {
  const body = [prevHash, new Date(f.at).toISOString(), f.actorId ?? '', f.actorUsername ?? '', f.action, f.subjectType ?? '', f.subjectId ?? '', f.purpose ?? '', f.outcome, f.ip ?? ''].join('\u001f');
  return createHash('sha256').update(body).digest('hex');
}

/** HMAC signature of a checkpoint. */
export function checkpointSignature(keys: AuditKeys, c: { seq: string; hash: string; at: string; legacySeq: string }): string {
  return createHmac('sha256', keys.checkpointKey).update(`checkpoint\u0000${JSON.stringify([c.seq, c.hash, c.at, c.legacySeq])}`, 'utf8').digest('hex');
}

/** Constant-time comparison of two hex digests. */
export function sameDigest(a: string | null | undefined, b: string): boolean {
  if (typeof a !== 'string' || a.length !== b.length) return false;
  return timingSafeEqual(Buffer.from(a, 'utf8'), Buffer.from(b, 'utf8'));
}
