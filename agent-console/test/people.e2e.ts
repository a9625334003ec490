/**
 * The people screens in Chromium against a real server, keyboard only: a dispatcher opens 服务人员, moves to
 * 志愿者, tries to save an empty form (the marked fields are named, translated), then adds a volunteer with a
 * skill, a first-aid certificate that expires in ten days, a weekly slot and a service area. The one-time
 * field-page code is shown once; the stored row has what was typed; the list flags the certificate as expiring
 * (⚠ text, not colour alone) and its filter keeps the volunteer. axe finds nothing serious on every page.
 */
import type { Page } from 'playwright-core';
import { login, makeDistricts, makeUser, startTestApp, type RunningApp } from '../../server/test/support/test-app';
import { expectAccessible as expectPageAccessible } from './support/axe';
import { launchBrowser } from './support/browser';
import { ensureConsoleBuilt } from './support/console-build';
import { signIn } from './support/console-stack';
import { makeVolunteer } from './support/dispatch-fixtures';

jest.setTimeout(90_000);

let t: RunningApp;
let browser: Awaited<ReturnType<typeof launchBrowser>>;
let page: Page;
let dispatcher: string;
let districtCode: string;
const NAME = `孙志愿${Date.now() % 1000}`;
const inDays = (n: number) => new Date(Date.now() + 8 * 3600_000 + n * 24 * 3600_000).toISOString().slice(0, 10);

beforeAll(async () => {
  t = await startTestApp({ env: { CONSOLE_DIR: ensureConsoleBuilt(), BACKGROUND_JOBS: 'off' } });
  const tree = await makeDistricts(t.ds);
  districtCode = tree.district;
  dispatcher = (await makeUser(t.ds, 'dispatcher', tree.district)).username;
  // Someone already on the list, with a certificate valid for years (not flagged).
  await makeVolunteer(t.baseUrl, await login(t.baseUrl, dispatcher), tree.district, { name: '周长期' });
  browser = await launchBrowser();
  page = browser.context.pages()[0] ?? (await browser.context.newPage());
  page.setDefaultTimeout(10_000);
}, 180_000);
afterAll(async () => {
  await browser?.close();
  await t?.close();
});

const expectAccessible = (name: string) => expectPageAccessible(page, name);
const active = () => page.evaluate(`(() => { const e = document.activeElement; const l = e.closest('fieldset') && e.type === 'radio' ? e.closest('fieldset').querySelector('legend').textContent + ':' + (e.labels && e.labels[0] ? e.labels[0].textContent : '') : (e.labels && e.labels[0] ? e.labels[0].textContent : ''); return l + '|' + e.tagName + '|' + (e.getAttribute('aria-label') || (e.textContent || '').trim()); })()`) as Promise<string>;

async function tabTo(match: RegExp, max = 150): Promise<void> {
  for (let i = 0; i < max; i++) {
    if (match.test(await active())) return;
    await page.keyboard.press('Tab');
  }
  throw new Error(`focus never reached ${match}: last ${await active()}`);
}

async function typeInto(label: RegExp, text: string): Promise<void> {
  await tabTo(label);
  await page.keyboard.type(text);
}

describe('people screens in Chromium', () => {
  it('when the dispatcher opens 服务人员 and the 志愿者 tab, then the lists show and axe finds nothing serious', async () => {
    await signIn(page, t.baseUrl, dispatcher, 'Test@Pass-2026');
    await page.getByRole('heading', { level: 1, name: '工单' }).waitFor();
    await tabTo(/\|A\|服务人员/);
    await page.keyboard.press('Enter');
    await page.getByRole('heading', { level: 1, name: '服务机构' }).waitFor();
    await expectAccessible('providers list');
    await tabTo(/\|A\|志愿者$/);
    await page.keyboard.press('Enter');
    await page.getByRole('heading', { level: 1, name: '志愿者' }).waitFor();
    await page.getByTestId('people-table').getByText('周长期').waitFor();
    await expectAccessible('volunteers list');
  });

  it('when an empty form is saved, then the fields to fix are marked and the focus is on the message', async () => {
    await tabTo(/\|A\|新增志愿者/);
    await page.keyboard.press('Enter');
    await page.getByRole('heading', { level: 1, name: '新增志愿者' }).waitFor();
    await tabTo(/\|BUTTON\|新增$/);
    await page.keyboard.press('Enter');
    await page.getByTestId('people-result').getByText('请先改正标出的项目。').waitFor();
    expect(await active()).toContain('|DIV|');
    expect(await page.locator('.field__error').count()).toBeGreaterThanOrEqual(4);
    await expectAccessible('volunteer form with errors');
  });

  it('when a volunteer is added with a certificate expiring in ten days, then it is stored, the PIN shows once and the list flags the certificate', async () => {
    await typeInto(/^姓名\|INPUT/, NAME);
    await tabTo(/^性别 \*:女\|INPUT/);
    await page.keyboard.press('Space');
    await typeInto(/^联系电话\|INPUT/, '13912345678');
    await tabTo(/^所属区域\|SELECT/);
    for (let i = 0; i < 200 && (await page.evaluate('document.activeElement.value')) !== districtCode; i++) await page.keyboard.press('ArrowDown');
    expect(await page.evaluate('document.activeElement.value')).toBe(districtCode);
    await tabTo(/^陪同行走\|INPUT/);
    await page.keyboard.press('Space');
    await tabTo(/\|BUTTON\|添加证书/);
    await page.keyboard.press('Enter');
    expect(await active()).toMatch(/^证书类型\|SELECT/);
    await tabTo(/^到期日期\|INPUT/);
    await page.keyboard.type(inDays(10));
    await tabTo(/\|BUTTON\|添加时段/);
    await page.keyboard.press('Enter');
    expect(await active()).toMatch(/^星期\|SELECT/);
    await typeInto(/^中心纬度\|INPUT/, '31.2155');
    await typeInto(/^中心经度\|INPUT/, '121.5447');
    await tabTo(/^半径（公里）\|INPUT/);
    await page.keyboard.press('ControlOrMeta+KeyA');
    await page.keyboard.type('8');
    await expectAccessible('volunteer form filled');
    await tabTo(/\|BUTTON\|新增$/);
    await page.keyboard.press('Enter');
    await page.getByRole('heading', { level: 1, name: `编辑志愿者：${NAME}` }).waitFor();
    const pin = await page.getByTestId('one-time-pin').textContent();
    expect(pin).toMatch(/^\d{4,8}$/);
    expect(await active()).toContain('|DIV|');
    const [row] = await t.ds.query(`SELECT name, skills, certifications, weekly, radius_km, centre_lat FROM volunteer WHERE name = $1`, [NAME]);
    expect(row.skills).toEqual(['mobility_assist']);
    expect(row.certifications).toEqual([expect.objectContaining({ kind: 'first_aid', expiresOn: inDays(10) })]);
    expect(row.weekly).toEqual([{ weekday: 1, from: '08:00', to: '18:00' }]);
    expect(Number(row.radius_km)).toBe(8);
    expect(Number(row.centre_lat)).toBeCloseTo(31.2155, 4);
    await page.reload();
    await page.getByRole('heading', { level: 1, name: `编辑志愿者：${NAME}` }).waitFor();
    expect(await page.getByTestId('one-time-pin').count()).toBe(0);
    await expectAccessible('volunteer edit page');

    await page.goto(`${t.baseUrl}/#/people/volunteers`);
    await page.getByRole('heading', { level: 1, name: '志愿者' }).waitFor();
    const mine = page.getByTestId('people-table').locator('tr', { hasText: NAME });
    expect(await mine.locator('[data-cert-status]').getAttribute('data-cert-status')).toBe('expiring');
    expect(await mine.textContent()).toContain('天内到期');
    await tabTo(/^只看 30 天内到期或已过期的证书\|INPUT/);
    await page.keyboard.press('Space');
    await tabTo(/\|BUTTON\|查询/);
    await page.keyboard.press('Enter');
    await page.getByTestId('people-table').locator('tr', { hasText: '周长期' }).waitFor({ state: 'detached' });
    await page.getByTestId('people-table').locator('tr', { hasText: NAME }).waitFor();
    await expectAccessible('volunteers expiring');
  });
});
