/**
 * Debian's Chromium driven by playwright-core (no browser download): headless, sandbox off (containers),
 * a fresh profile per launch, zh-CN locale, Asia/Shanghai time.
 */
import fs from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { chromium, type BrowserContext, type Page } from 'playwright-core';

export const CHROMIUM = process.env.CHROMIUM_PATH ?? '/usr/bin/chromium';

/** `extraArgs`: more Chromium flags (e.g. fake media devices for a softphone test). */
export async function launchBrowser(viewport = { width: 1440, height: 900 }, extraArgs: string[] = []): Promise<{ context: BrowserContext; close(): Promise<void> }> {
  if (!fs.existsSync(CHROMIUM)) throw new Error(`${CHROMIUM} not found: install Debian's chromium (apt-get install -y chromium fonts-noto-cjk), as .ci/run does`);
  const profile = fs.mkdtempSync(path.join(os.tmpdir(), 'anxin-chromium-'));
  const context = await chromium.launchPersistentContext(profile, {
    executablePath: CHROMIUM,
    headless: true,
    args: ['--headless', '--no-sandbox', '--disable-gpu', '--disable-background-networking', '--disable-component-update', '--disable-sync', '--autoplay-policy=no-user-gesture-required', ...extraArgs],
    viewport,
    locale: 'zh-CN',
    timezoneId: 'Asia/Shanghai',
  });
  return {
    context,
    async close() {
      await context.close();
      fs.rmSync(profile, { recursive: true, force: true });
    },
  };
}

/**
 * Answer the file chooser that Space opens on the focused file input, by keyboard as a user would. Playwright
 * turns on chooser interception when the wait starts; a key press that wins that race opens no chooser, so a
 * second press is tried once before giving up.
 */
export async function chooseFileBySpace(page: Page, file: { name: string; mimeType: string; buffer: Buffer }): Promise<void> {
  for (let attempt = 1; ; attempt++) {
    const chooser = page.waitForEvent('filechooser', { timeout: 5_000 });
    await page.keyboard.press('Space');
    try {
      await (await chooser).setFiles(file);
      return;
    } catch (err) {
      if (attempt === 2) throw err;
    }
  }
}
