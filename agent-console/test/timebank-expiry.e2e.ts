/**
 * Coin expiry on the federation's view in Chromium, keyboard only: with `TIMEBANK_EXPIRY_MONTHS` set, a supervisor
 * finds 时间币过期 under the report, runs it now, hears how many accounts and coins expired, keeps the focus on
 * the button, and the volunteer's coins credited more than a year ago moved to the expired account. axe-core
 * finds nothing serious or critical.
 */
import type { Page } from 'playwright-core';
import { makeCompletedJob, makeVolunteer } from '../../server/test/support/timebank-fixtures';
import { api, login, makeDistricts, makeUser, startTestApp, TestClock, uniq, type RunningApp } from '../../server/test/support/test-app';
import { expectAccessible } from './support/axe';
import { launchBrowser } from './support/browser';
import { ensureConsoleBuilt } from './support/console-build';
import { signIn } from './support/console-stack';
import { focused, tabTo } from './support/keyboard';

jest.setTimeout(120_000);

const DAY = 24 * 3_600_000;
let t: RunningApp;
let browser: Awaited<ReturnType<typeof launchBrowser>>;
let page: Page;
let supervisor: string;
let v: { id: string; name: string };

beforeAll(async () => {
  t = await startTestApp({ clock: new TestClock(new Date(Date.now() - 400 * DAY)), env: { CONSOLE_DIR: ensureConsoleBuilt(), BACKGROUND_JOBS: 'off', TIMEBANK_EXPIRY_MONTHS: '12' } });
  const tree = await makeDistricts(t.ds);
  const s = await makeUser(t.ds, 'supervisor', tree.district);
  supervisor = s.username;
  v = await makeVolunteer(t.ds, tree.community, `过期志愿${uniq().slice(0, 3)}`);
  const { jobId } = await makeCompletedJob(t.ds, tree.community, v.id, 180, s.id, { checkIn: new Date(Date.now() - 401 * DAY) });
  expect((await api(t.baseUrl, 'POST', `/api/timebank/jobs/${jobId}/confirm`, await login(t.baseUrl, s.username), { by: 'recipient' })).body).toMatchObject({ status: 'credited', units: 300 });
  t.clock.advance(400 * DAY); // back to the browser's time (session cookies expire by it), 400 days after the credit
  browser = await launchBrowser();
  page = browser.context.pages()[0] ?? (await browser.context.newPage());
  page.setDefaultTimeout(10_000);
}, 180_000);
afterAll(async () => {
  await browser?.close();
  await t?.close();
});

it('when the supervisor runs expiry now by keyboard, then the coins older than the setting expire, the result is said and the focus stays on the button', async () => {
  await signIn(page, t.baseUrl, supervisor, 'Test@Pass-2026');
  await page.getByRole('navigation', { name: '主导航' }).waitFor();
  await page.goto(`${t.baseUrl}/#/timebank/report`);
  await page.getByRole('heading', { level: 2, name: '时间币过期' }).waitFor();
  await page.getByText('时间币在记入 12 个月后过期').waitFor();
  await expectAccessible(page, 'federation view with expiry');
  await tabTo(page, /\|BUTTON\|立即处理过期/);
  await page.keyboard.press('Enter');
  await page.getByRole('status').filter({ hasText: '过期处理完成：1 个账户，共 3 币过期。' }).waitFor();
  await expect(focused(page)).resolves.toMatch(/\|BUTTON\|立即处理过期/);
  const legs = await t.ds.query(`SELECT account_id, units FROM time_coin_entry WHERE kind = 'expire' AND (account_id = $1 OR counterparty_account_id = $1) ORDER BY leg DESC`, [`volunteer:${v.id}`]);
  expect(legs).toEqual([
    { account_id: `volunteer:${v.id}`, units: -300 },
    { account_id: 'system:expired', units: 300 },
  ]);
});
