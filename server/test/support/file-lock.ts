import fs from 'node:fs';
import path from 'node:path';

/**
 * A lock file shared by jest workers (tests share one database). Test files whose background work is
 * global — outbox workers and escalation ticks claim due rows of every test — hold the `outbox-workers`
 * lock for their whole run, so they never claim each other's rows.
 * @example const release = await acquireFileLock('outbox-workers'); … release();
 */
export async function acquireFileLock(name: string, timeoutMs = 120_000): Promise<() => void> {
  const lockPath = path.join(process.env.ANXIN_TEST_LOCK_DIR ?? '/tmp', `anxin-${name}.lock`);
  const deadline = Date.now() + timeoutMs;
  for (;;) {
    try {
      fs.writeFileSync(lockPath, String(process.pid), { flag: 'wx' });
      return () => fs.rmSync(lockPath, { force: true });
    } catch (err) {
      if ((err as NodeJS.ErrnoException).code !== 'EEXIST') throw err;
      const owner = Number(fs.readFileSync(lockPath, 'utf8'));
      if (owner && !alive(owner)) fs.rmSync(lockPath, { force: true }); // left by a killed run
      else if (Date.now() > deadline) throw new Error(`lock ${lockPath} still held after ${timeoutMs} ms`);
      else await new Promise((r) => setTimeout(r, 100));
    }
  }
}

function alive(pid: number): boolean {
  try {
    process.kill(pid, 0);
    return true;
  } catch (err) {
    return (err as NodeJS.ErrnoException).code === 'EPERM';
  }
}
