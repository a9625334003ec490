import fs from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { lockDataDir } from './embedded-postgres';

describe('data directory lock', () => {
  const dir = () => fs.mkdtempSync(path.join(os.tmpdir(), 'anxin-lock-'));

  it('when another live process holds the lock, then opening fails naming it', () => {
    const d = dir();
    fs.writeFileSync(path.join(d, 'anxin.lock'), String(process.ppid));
    expect(() => lockDataDir(d)).toThrow(`in use by process ${process.ppid}`);
  });

  it('when the holder died (kill -9), then the stale lock is taken over', () => {
    const d = dir();
    fs.writeFileSync(path.join(d, 'anxin.lock'), '2147483646');
    const unlock = lockDataDir(d);
    expect(fs.readFileSync(path.join(d, 'anxin.lock'), 'utf8')).toBe(String(process.pid));
    unlock();
    expect(fs.existsSync(path.join(d, 'anxin.lock'))).toBe(false);
  });
});
