/**
 * The image's layout: `docker/Dockerfile` copies the build's outputs into the runtime stage. Docker cannot
 * run here, so this test does what the image does: builds the server with the build's own tsconfig and
 * the console with its Vite config, copies exactly the paths the Dockerfile's runtime stage copies into an
 * empty directory, starts the server from there and asks for the console.
 */
import { execFileSync, spawn } from 'node:child_process';
import fs from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { ensureConsoleBuilt } from '../../agent-console/test/support/console-build';
import { freeTcpPort } from './pbx/live-asterisk';
import { until } from './support/until';

const ROOT = path.resolve(__dirname, '../..');

jest.setTimeout(180_000);

/** `COPY --from=build /app/<src> ./<dst>` lines of the runtime stage. */
function runtimeCopies(dockerfile: string): { src: string; dst: string }[] {
  return [...dockerfile.matchAll(/^COPY --from=build \/app\/(\S+) \.\/(\S*)$/gm)].map(([, src, dst]) => ({ src: src.replace(/\/$/, ''), dst: dst.replace(/\/$/, '') || '.' }));
}

describe('docker/Dockerfile runtime stage', () => {
  it('when the image is assembled from what the Dockerfile copies, then every copied path exists and the server serves the console', async () => {
    const copies = runtimeCopies(fs.readFileSync(path.join(ROOT, 'docker/Dockerfile'), 'utf8'));
    expect(copies.map((c) => c.src)).toEqual(expect.arrayContaining(['dist', 'node_modules', 'package.json']));

    // The build stage's /app after `npm run build`: the server compiled by tsconfig.build.json, the console
    // built by its Vite config (this run's build, which the browser tests share), the installed packages.
    const buildStage = fs.mkdtempSync(path.join(os.tmpdir(), 'anxin-image-build-'));
    execFileSync(process.execPath, [path.join(ROOT, 'node_modules/typescript/bin/tsc'), '-p', path.join(ROOT, 'tsconfig.build.json'), '--outDir', path.join(buildStage, 'dist')], { cwd: ROOT, stdio: 'inherit' });
    fs.cpSync(ensureConsoleBuilt(), path.join(buildStage, 'agent-console/dist'), { recursive: true });
    fs.symlinkSync(path.join(ROOT, 'node_modules'), path.join(buildStage, 'node_modules'));
    fs.copyFileSync(path.join(ROOT, 'package.json'), path.join(buildStage, 'package.json'));

    const image = fs.mkdtempSync(path.join(os.tmpdir(), 'anxin-image-'));
    for (const { src, dst } of copies) {
      const from = path.join(buildStage, src);
      expect({ path: src, exists: fs.existsSync(from) }).toEqual({ path: src, exists: true });
      const to = path.join(image, dst === '.' ? path.basename(src) : dst);
      fs.mkdirSync(path.dirname(to), { recursive: true });
      if (src === 'node_modules') fs.symlinkSync(fs.realpathSync(from), to);
      else fs.cpSync(from, to, { recursive: true });
    }

    const port = await freeTcpPort();
    const server = spawn(process.execPath, [path.join(image, 'dist/server/src/main.js')], {
      cwd: image,
      env: { ...process.env, NODE_ENV: 'development', PORT: String(port), HOST: '127.0.0.1', DATA_DIR: path.join(image, 'data'), SEED_DEMO: 'never', LOG_LEVEL: 'warn', DATABASE_URL: '', ASTERISK_AMI_URL: '' },
      stdio: ['ignore', 'ignore', 'pipe'],
    });
    let stderr = '';
    server.stderr.on('data', (d: Buffer) => (stderr += d.toString()));
    try {
      await until(async () => (await fetch(`http://127.0.0.1:${port}/api/health`).catch(() => null))?.ok, 60_000, 200).catch(() => {
        throw new Error(`the server from the image layout did not come up: ${stderr.slice(-2000)}`);
      });
      const page = await fetch(`http://127.0.0.1:${port}/`);
      const html = await page.text();
      expect(page.status).toBe(200);
      expect(html).not.toContain('The agent console is not built');
      expect(html).toMatch(/<div id="root">/);
    } finally {
      server.kill('SIGTERM');
      await new Promise((r) => server.once('exit', r));
      fs.rmSync(image, { recursive: true, force: true });
      fs.rmSync(buildStage, { recursive: true, force: true });
    }
  });
});
