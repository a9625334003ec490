/**
 * 关怀统计 in Chromium against a real server, keyboard only: a district supervisor opens the page from the
 * navigation, asks for March 2026 (the fixture of known answers), reads the tables (the charts' accessible
 * alternative), sees an out-of-scope district refused in Chinese, and finds the CSV export link; axe-core finds
 * nothing serious or critical.
 */
import type { Page } from 'playwright-core';
import { seedCareStats } from '../../server/test/support/care-stats-fixture';
import { makeDistricts, makeUser, startTestApp, type RunningApp } from '../../server/test/support/test-app';
import { expectAccessible as expectPageAccessible } from './support/axe';
import { launchBrowser } from './support/browser';
import { ensureConsoleBuilt } from './support/console-build';
import { signIn } from './support/console-stack';

jest.setTimeout(60_000);

let t: RunningApp;
let browser: Awaited<ReturnType<typeof launchBrowser>>;
let page: Page;
let supervisor: string;
let tree: Awaited<ReturnType<typeof makeDistricts>>;

beforeAll(async () => {
  t = await startTestApp({ env: { CONSOLE_DIR: ensureConsoleBuilt(), BACKGROUND_JOBS: 'off' } });
  tree = await makeDistricts(t.ds);
  const user = await makeUser(t.ds, 'supervisor', tree.district);
  supervisor = user.username;
  await seedCareStats(t.ds, tree, user.id);
  browser = await launchBrowser();
  page = browser.context.pages()[0] ?? (await browser.context.newPage());
  page.setDefaultTimeout(10_000);
}, 180_000);
afterAll(async () => {
  await browser?.close();
  await t?.close();
});

const expectAccessible = (name: string) => expectPageAccessible(page, name);
const active = () => page.evaluate(`(() => { const e = document.activeElement; return (e.labels && e.labels[0] ? e.labels[0].textContent : '') + '|' + e.tagName + '|' + (e.getAttribute('aria-label') || (e.textContent || '').trim()); })()`) as Promise<string>;

async function tabTo(match: RegExp): Promise<void> {
  for (let i = 0; i < 80; i++) {
    if (match.test(await active())) return;
    await page.keyboard.press('Tab');
  }
  throw new Error(`focus never reached ${match}: last ${await active()}`);
}

async function typeInto(label: RegExp, value: string): Promise<void> {
  await tabTo(label);
  await page.keyboard.press('Control+A');
  await page.keyboard.type(value);
}

describe('care figures in Chromium', () => {
  it('when the supervisor opens 关怀统计 and asks for March 2026, then the tables show the known figures and focus stays in the form', async () => {
    await signIn(page, t.baseUrl, supervisor, 'Test@Pass-2026');
    await tabTo(/\|A\|关怀统计/);
    await page.keyboard.press('Enter');
    await page.getByRole('heading', { level: 1, name: '关怀统计' }).waitFor();
    expect(await page.title()).toBe('关怀统计 — 安心坐席工作台');
    await typeInto(/^月份/, '2026-03');
    await page.keyboard.press('Enter');
    const progress = page.getByRole('table', { name: '关怀电话进度（2026-03）' });
    await progress.waitFor();
    expect(await active()).toMatch(/^月份/);
    const total = progress.getByRole('row', { name: /^合计/ });
    expect((await total.getByRole('cell').allTextContents())).toEqual(['8', '4', '1', '2', '1']);
    const visits = page.getByRole('table', { name: /探访率/ }).getByRole('row', { name: /^测试街道/ });
    expect(await visits.getByRole('cell').allTextContents()).toEqual(['40% (2/5)', '100% (1/1)', '0% (0/1)', '42.9% (3/7)']);
    const surveys = page.getByRole('table', { name: '回访（2026-03）' }).getByRole('row', { name: /^合计/ });
    expect(await surveys.getByRole('cell').allTextContents()).toEqual(['6', '3', '50%', '5', '4', '80%', '1']);
    await page.getByRole('img', { name: '关怀电话进度图' }).waitFor();
    await expectAccessible('care figures');
  });

  it('when a district outside the scope is asked for, then the refusal is shown in Chinese; the export link carries the filter', async () => {
    await typeInto(/^区划代码/, tree.otherDistrict);
    await page.keyboard.press('Enter');
    await page.getByText('找不到该辖区，或不在您的管辖范围内。').waitFor();
    await expectAccessible('care figures refused');
    await typeInto(/^区划代码/, '');
    await page.keyboard.press('Enter');
    await page.getByRole('table', { name: '关怀电话进度（2026-03）' }).waitFor();
    await tabTo(/\|A\|导出 CSV/);
    expect(await page.getByRole('link', { name: '导出 CSV' }).getAttribute('href')).toBe('/api/care/stats/export.csv?month=2026-03');
  });
});
