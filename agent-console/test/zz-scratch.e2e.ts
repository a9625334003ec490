import { makeDistricts, makeUser, startTestApp, type RunningApp } from '../../server/test/support/test-app';
import { axeViolations } from './support/axe';
import { launchBrowser } from './support/browser';
import { ensureConsoleBuilt } from './support/console-build';
import { signIn } from './support/console-stack';
jest.setTimeout(120_000);
let t: RunningApp;
it('smoke', async () => {
  t = await startTestApp({ env: { CONSOLE_DIR: ensureConsoleBuilt(), BACKGROUND_JOBS: 'off' } });
  const tree = await makeDistricts(t.ds);
  const sup = await makeUser(t.ds, 'supervisor', tree.district);
  const b = await launchBrowser();
  const page = b.context.pages()[0]!;
  const errors: string[] = [];
  page.on('pageerror', (e) => errors.push(String(e)));
  page.on('console', (m) => { if (m.type() === 'error') errors.push(m.text()); });
  await page.goto(`${t.baseUrl}/#/join`);
  await page.waitForTimeout(1500);
  console.log('JOIN', (await page.locator('body').innerText()).slice(0, 600), await axeViolations(page));
  await page.goto(`${t.baseUrl}/#/volunteer`);
  await page.waitForTimeout(800);
  console.log('PORTAL', (await page.locator('body').innerText()).slice(0, 300), await axeViolations(page));
  await signIn(page, t.baseUrl, sup.username, 'Test@Pass-2026');
  await page.waitForTimeout(1000);
  for (const p of ['', '/signups', '/activities', '/shop', '/approvals', '/donations', '/report', '/volunteers/x']) {
    await page.goto(`${t.baseUrl}/#/timebank${p}`);
    await page.waitForTimeout(1200);
    console.log('PAGE', p, (await page.locator('main').innerText()).slice(0, 400), await axeViolations(page));
  }
  console.log('ERRORS', errors);
  await b.close();
  await t.close();
});
