import { randomBytes, scrypt, timingSafeEqual, type ScryptOptions } from 'node:crypto';
import { availableParallelism } from 'node:os';
import { Worker } from 'node:worker_threads';
import { ConcurrencyGate } from '../shared/concurrency-gate';

/**
 * Password hashes, computed off the event loop so 200 concurrent logins do not stall the alarm API.
 *
 * New hashes are scrypt (`scrypt$<log2 N>$<r>$<p>$<salt>$<key>`, base64url), run by `crypto.scrypt` on libuv's
 * thread pool behind a small concurrency gate (the pool has 4 threads by default and is shared with file and
 * DNS work, and the event loop needs a core of its own, so at most {@link SCRYPT_CONCURRENCY} hashes run at
 * once; the rest wait in FIFO order). Hashes
 * written before (bcrypt, `$2a$/$2b$`) are still verified, in a worker thread (bcryptjs is plain JavaScript
 * and would otherwise run on the event loop); callers rehash them to scrypt after a successful login.
 */
const LOG_N = 15;
const R = 8;
const P = 1;
const KEY_LENGTH = 32;
/** N=2^15, r=8 needs 32 MiB; Node's default maxmem is exactly 32 MiB, which scrypt refuses. */
const MAXMEM = 64 * 1024 * 1024;
/**
 * Hashes at once: all cores but one (at most 2), so a burst of logins always leaves a core to the event loop
 * (alarms, sockets). On a 2-core machine that is 1 (~115 ms per hash → ~9 logins/s per node).
 */
export const SCRYPT_CONCURRENCY = Math.max(1, Math.min(2, availableParallelism() - 1));

const gate = new ConcurrencyGate(SCRYPT_CONCURRENCY);

function scryptKey(plain: string, salt: Buffer, logN: number, r: number, p: number): Promise<Buffer> {
  const options: ScryptOptions = { N: 2 ** logN, r, p, maxmem: MAXMEM };
  return gate.run(() => new Promise<Buffer>((resolve, reject) => scrypt(plain.normalize('NFC'), salt, KEY_LENGTH, options, (err, key) => (err ? reject(err) : resolve(key)))));
}

/**
 * Hash a password with scrypt (off the event loop).
 * @example await hashPassword('Anxin@2026'); // 'scrypt$15$8$1$…$…'
 */
export async function hashPassword(plain: string): Promise<string> {
  const salt = randomBytes(16);
  const key = await scryptKey(plain, salt, LOG_N, R, P);
  return ['scrypt', LOG_N, R, P, salt.toString('base64url'), key.toString('base64url')].join('$');
}

/** Whether a stored hash should be replaced by a fresh scrypt hash (bcrypt, or weaker parameters). */
export function needsRehash(stored: string): boolean {
  const parts = stored.split('$');
  return !(parts[0] === 'scrypt' && Number(parts[1]) >= LOG_N && Number(parts[2]) >= R);
}

/**
 * Check a password against a stored hash (scrypt or bcrypt); false for any malformed hash.
 * @example await verifyPassword(input, user.passwordHash)
 */
export async function verifyPassword(plain: string, stored: string): Promise<boolean> {
  if (stored.startsWith('scrypt$')) {
    const [, logN, r, p, salt, key] = stored.split('$');
    const n = Number(logN);
    const expected = Buffer.from(key ?? '', 'base64url');
    if (!Number.isInteger(n) || n < 10 || n > 20 || expected.length !== KEY_LENGTH || !salt) return false;
    const actual = await scryptKey(plain, Buffer.from(salt, 'base64url'), n, Number(r), Number(p));
    return timingSafeEqual(actual, expected);
  }
  if (/^\$2[aby]\$\d\d\$/.test(stored)) return bcryptWorker().compare(plain, stored);
  return false;
}

let dummy: Promise<string> | null = null;

/**
 * Spend the same time as a real check (unknown or inactive user), so timing does not tell which usernames exist.
 */
export async function verifyDummy(plain: string): Promise<void> {
  dummy ??= hashPassword('anxin-dummy-password');
  await verifyPassword(plain, await dummy);
}

/** One lazily started worker for bcrypt checks of old hashes; it does not keep the process alive. */
class BcryptWorker {
  private worker: Worker | null = null;
  private seq = 0;
  private readonly pending = new Map<number, { resolve: (ok: boolean) => void; reject: (err: Error) => void }>();

  compare(plain: string, hash: string): Promise<boolean> {
    const worker = this.start();
    const id = ++this.seq;
    return new Promise<boolean>((resolve, reject) => {
      this.pending.set(id, { resolve, reject });
      worker.ref();
      worker.postMessage({ id, plain, hash });
    });
  }

  private start(): Worker {
    if (this.worker) return this.worker;
    const source = `
      const { parentPort } = require('node:worker_threads');
      const bcrypt = require(${JSON.stringify(require.resolve('bcryptjs'))});
      parentPort.on('message', ({ id, plain, hash }) => {
        let ok = false;
        try { ok = bcrypt.compareSync(plain, hash); } catch { ok = false; }
        parentPort.postMessage({ id, ok });
      });`;
    const worker = new Worker(source, { eval: true });
    worker.unref();
    worker.on('message', ({ id, ok }: { id: number; ok: boolean }) => {
      this.pending.get(id)?.resolve(ok);
      this.pending.delete(id);
      if (this.pending.size === 0) worker.unref();
    });
    worker.on('error', (err) => this.fail(err));
    worker.on('exit', () => this.fail(new Error('bcrypt worker exited')));
    this.worker = worker;
    return worker;
  }

  private fail(err: Error): void {
    this.worker = null;
    for (const p of this.pending.values()) p.reject(err);
    this.pending.clear();
  }
}

let bcryptSingleton: BcryptWorker | null = null;
const bcryptWorker = (): BcryptWorker => (bcryptSingleton ??= new BcryptWorker());
