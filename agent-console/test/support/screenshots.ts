import fs from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import type { Page } from 'playwright-core';

/**
 * Screenshots of the main screens. With `ANXIN_SCREENSHOTS=1` (`npm run screenshots`) they go to
 * `docs/screenshots/` for the README; otherwise to a temp directory, so a test run leaves the tree clean.
 */
const DIR = process.env.ANXIN_SCREENSHOTS === '1' ? path.resolve(__dirname, '../../../docs/screenshots') : fs.mkdtempSync(path.join(os.tmpdir(), 'anxin-shots-'));

export async function screenshot(page: Page, name: string): Promise<string> {
  fs.mkdirSync(DIR, { recursive: true });
  const file = path.join(DIR, `${name}.png`);
  // Freeze the SOS flashing and the caret, so the picture is stable.
  await page.screenshot({ path: file, animations: 'disabled', caret: 'hide' });
  return file;
}
