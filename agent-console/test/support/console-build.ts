/**
 * One build of the console per test run, shared by every browser test file: built into a directory of this
 * run (never over a developer's `agent-console/dist`), under a lock so parallel jest workers build once.
 */
import { execFileSync } from 'node:child_process';
import fs from 'node:fs';
import path from 'node:path';

const ROOT = path.resolve(__dirname, '../../..');

export function ensureConsoleBuilt(): string {
  const runDir = process.env.ANXIN_TEST_LOCK_DIR ?? fs.mkdtempSync(path.join(require('node:os').tmpdir(), 'anxin-console-'));
  const outDir = path.join(runDir, 'console-dist');
  const marker = path.join(runDir, 'console-built');
  const lock = path.join(runDir, 'console-build.lock');
  const deadline = Date.now() + 120_000;
  for (;;) {
    if (fs.existsSync(marker)) return outDir;
    try {
      fs.writeFileSync(lock, String(process.pid), { flag: 'wx' });
      break;
    } catch {
      if (Date.now() > deadline) throw new Error('console build lock still held after 120 s');
      Atomics.wait(new Int32Array(new SharedArrayBuffer(4)), 0, 0, 200);
    }
  }
  try {
    if (!fs.existsSync(marker)) {
      execFileSync(process.execPath, [path.join(ROOT, 'node_modules/vite/bin/vite.js'), 'build', '--config', path.join(ROOT, 'agent-console/vite.config.mts'), '--outDir', outDir, '--emptyOutDir', '--logLevel', 'warn'], {
        cwd: ROOT,
        stdio: ['ignore', 'ignore', 'inherit'],
        env: { ...process.env, VITE_CONFIG_NATIVE_IGNORE_WARNING: 'true' },
      });
      fs.writeFileSync(marker, new Date().toISOString());
    }
  } finally {
    fs.rmSync(lock, { force: true });
  }
  return outDir;
}
