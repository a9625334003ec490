/**
 * The auditor's page in Chromium against a real server: the auditor lands on it after signing in, searches the
 * trail by actor and person with the keyboard only, pages, verifies the chain (result shown and announced) and
 * downloads the CSV; axe-core finds nothing serious on the way.
 */
import type { Page } from 'playwright-core';
import { makePerson } from '../../server/test/support/factories';
import { api, login, makeDistricts, makeUser, startTestApp, type RunningApp } from '../../server/test/support/test-app';
import { expectAccessible as expectPageAccessible } from './support/axe';
import { launchBrowser } from './support/browser';
import { ensureConsoleBuilt } from './support/console-build';
import { signIn, until } from './support/console-stack';
import { screenshot } from './support/screenshots';

jest.setTimeout(60_000);

let t: RunningApp;
let browser: Awaited<ReturnType<typeof launchBrowser>>;
let page: Page;
let auditor: string;
let agent: string;
let personId: string;

beforeAll(async () => {
  t = await startTestApp({ env: { CONSOLE_DIR: ensureConsoleBuilt() } });
  const tree = await makeDistricts(t.ds);
  auditor = (await makeUser(t.ds, 'auditor', tree.city)).username;
  agent = (await makeUser(t.ds, 'agent', tree.district)).username;
  personId = (await makePerson(t.ds, tree.district)).id;
  const token = await login(t.baseUrl, agent);
  for (const purpose of ['回访核对', '来电核实身份']) expect((await api(t.baseUrl, 'GET', `/api/persons/${personId}?purpose=${encodeURIComponent(purpose)}`, token)).status).toBe(200);
  browser = await launchBrowser();
  page = browser.context.pages()[0] ?? (await browser.context.newPage());
  page.setDefaultTimeout(10_000);
}, 180_000);
afterAll(async () => {
  await browser?.close();
  await t?.close();
});

const expectAccessible = (name: string) => expectPageAccessible(page, name);

const active = () => page.evaluate(`(() => { const e = document.activeElement; return (e.labels && e.labels[0] ? e.labels[0].textContent : '') + '|' + e.tagName + '|' + (e.textContent || '').trim(); })()`) as Promise<string>;

/** Tab forward until the focused element matches (keyboard only), at most 40 presses. */
async function tabTo(match: RegExp): Promise<void> {
  for (let i = 0; i < 40; i++) {
    if (match.test(await active())) return;
    await page.keyboard.press('Tab');
  }
  throw new Error(`focus never reached ${match}: last ${await active()}`);
}

describe('audit page in Chromium', () => {
  it('when the auditor signs in, then the audit log is the landing page and in the navigation', async () => {
    await signIn(page, t.baseUrl, auditor, 'Test@Pass-2026');
    await page.getByRole('heading', { level: 1, name: '审计日志' }).waitFor();
    expect(page.url()).toMatch(/#\/audit$/);
    await page.getByRole('navigation', { name: '主导航' }).getByRole('link', { name: /审计日志/ }).waitFor();
    await page.getByTestId('audit-results').waitFor();
    await expectAccessible('audit page');
  });

  it('when the auditor searches by actor and person with the keyboard, then the matching reads are listed and the result is announced', async () => {
    await tabTo(/^操作人/);
    await page.keyboard.type(agent);
    await page.keyboard.press('Tab');
    await expect(active()).resolves.toMatch(/^服务对象 ID/);
    await page.keyboard.type(personId);
    await page.keyboard.press('Enter');
    const table = page.getByTestId('audit-results');
    const rows = table.locator('tbody tr');
    // The unfiltered first page may hold these rows too: wait for the filtered answer itself.
    await until(async () => ((await page.getByTestId('live-polite').textContent()) ?? '').includes('找到 2 条记录'));
    await until(async () => (await rows.count()) === 2);
    await table.getByText('来电核实身份').waitFor();
    expect(await rows.first().textContent()).toContain('person.read');
    expect(await rows.first().textContent()).toContain(`person:${personId}`);
    await until(async () => ((await page.getByTestId('live-polite').textContent()) ?? '').includes('找到 2 条记录'));
    await until(async () => (await t.ds.query("SELECT 1 FROM audit_log WHERE action = 'audit.search' AND actor_username = $1 AND purpose LIKE $2", [auditor, `%person=${personId}%`])).length > 0);
    await expectAccessible('audit search results');
  });

  it('when the auditor verifies the chain with the keyboard, then the result is shown, announced, and the focus stays on the button', async () => {
    await tabTo(/\|BUTTON\|校验哈希链/);
    await page.keyboard.press('Enter');
    const result = page.getByTestId('audit-verify-result');
    await result.getByText(/哈希链完整/).waitFor({ timeout: 20_000 });
    await until(async () => ((await page.getByTestId('live-polite').textContent()) ?? '').includes('哈希链完整'));
    await expect(active()).resolves.toMatch(/\|BUTTON\|校验哈希链/);
    await screenshot(page, 'audit');
    await expectAccessible('audit verify result');
  });

  it('when the auditor follows the export link, then the CSV of the current search downloads with the session', async () => {
    const link = page.getByRole('link', { name: '导出 CSV' });
    const hrefValue = (await link.getAttribute('href'))!;
    expect(hrefValue).toContain(`person=${personId}`);
    const csv = (await page.evaluate(`fetch(${JSON.stringify(hrefValue)}, { credentials: 'same-origin' }).then(async (r) => r.status + ' ' + await r.text())`)) as string;
    expect(csv.startsWith('200 ')).toBe(true);
    expect(csv).toContain('"回访核对"');
    expect(csv.split('\r\n').filter(Boolean)).toHaveLength(3);
  });
});
