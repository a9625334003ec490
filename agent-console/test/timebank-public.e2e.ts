/**
 * The volunteers' own pages in Chromium against a real server, keyboard only and without a staff sign-in:
 * the public sign-up (`#/join`: missing answers listed with the focus on the list, then sent and stored as a
 * pending sign-up), and the volunteer's one-time link (`#/volunteer/link/<code>`: balance, statement, a goods
 * redemption confirmed in a dialog and stored; the used link refused in words). axe-core finds nothing serious
 * or critical on every page.
 */
import type { Page } from 'playwright-core';
import { makeVolunteer } from '../../server/test/support/timebank-fixtures';
import { api, login, makeDistricts, makeUser, startTestApp, uniq, type RunningApp } from '../../server/test/support/test-app';
import { expectAccessible as expectPageAccessible } from './support/axe';
import { launchBrowser } from './support/browser';
import { ensureConsoleBuilt } from './support/console-build';
import { focused, tabTo as tabToOn } from './support/keyboard';

jest.setTimeout(90_000);

let t: RunningApp;
let browser: Awaited<ReturnType<typeof launchBrowser>>;
let page: Page;
let tree: Awaited<ReturnType<typeof makeDistricts>>;
let staff: string;
const volunteer = { name: `丁志愿${uniq().slice(0, 3)}`, id: '' };
let itemId: string;
let itemName: string;
let linkCode: string;

const hoursAgo = (h: number) => new Date(Date.now() - h * 3600_000).toISOString();

beforeAll(async () => {
  t = await startTestApp({ env: { CONSOLE_DIR: ensureConsoleBuilt(), BACKGROUND_JOBS: 'off', TIMEBANK_SIGNUPS_PER_HOUR: '10000' } }); // the throttle counts per address, shared by every file calling from 127.0.0.1
  tree = await makeDistricts(t.ds);
  staff = await login(t.baseUrl, (await makeUser(t.ds, 'supervisor', tree.district)).username);
  volunteer.id = (await makeVolunteer(t.ds, tree.community, volunteer.name)).id;
  const activity = await api(t.baseUrl, 'POST', '/api/timebank/activities', staff, { title: '助残义诊', districtCode: tree.district, location: '卫生站', startsAt: hoursAgo(8), endsAt: hoursAgo(6), capacity: 5 });
  await api(t.baseUrl, 'POST', `/api/timebank/activities/${activity.body.id}/signups`, staff, { volunteerId: volunteer.id });
  await api(t.baseUrl, 'PUT', `/api/timebank/activities/${activity.body.id}/attendance`, staff, { lines: [{ volunteerId: volunteer.id, attended: true, checkInAt: hoursAgo(8), checkOutAt: hoursAgo(6) }] });
  expect((await api(t.baseUrl, 'POST', `/api/timebank/activities/${activity.body.id}/credit`, staff, {})).body.credited).toHaveLength(1);
  itemName = `爱心毛巾${uniq().slice(0, 3)}`;
  itemId = (await api(t.baseUrl, 'POST', '/api/timebank/shop/items', staff, { kind: 'goods', name: itemName, priceUnits: 50, stock: 3 })).body.id;
  const link = await api(t.baseUrl, 'POST', `/api/timebank/volunteers/${volunteer.id}/portal-link`, staff, {});
  expect(link.status).toBe(201);
  linkCode = link.body.code;
  browser = await launchBrowser({ width: 420, height: 860 });
  page = browser.context.pages()[0] ?? (await browser.context.newPage());
  page.setDefaultTimeout(10_000);
}, 180_000);
afterAll(async () => {
  await browser?.close();
  await t?.close();
});

const expectAccessible = (name: string) => expectPageAccessible(page, name);
const tabTo = (match: RegExp) => tabToOn(page, match);

describe('public volunteer sign-up in Chromium', () => {
  const phone = `138${String(Date.now()).slice(-8)}`;

  it('when the page opens without a login, then the form is in Chinese with large type, and axe finds nothing serious', async () => {
    await page.goto(`${t.baseUrl}/#/join`);
    await page.getByRole('heading', { level: 1, name: '报名成为志愿者' }).waitFor();
    expect(await page.title()).toBe('报名成为志愿者 — 安心坐席工作台');
    expect(await page.getByRole('heading', { level: 1 }).evaluate((h) => parseFloat(getComputedStyle(h).fontSize))).toBeGreaterThanOrEqual(28);
    await page.getByRole('combobox', { name: '所在街道' }).locator(`option[value="${tree.street}"]`).waitFor({ state: 'attached' }); // other files' streets share the name
    await expectAccessible('public sign-up');
  });

  it('when it is sent empty, then the missing answers are listed with the focus on the list; filled in by keyboard, it is stored as pending', async () => {
    await tabTo(/\|BUTTON\|提交报名/);
    await page.keyboard.press('Enter');
    await page.getByRole('alert').filter({ hasText: '请修正以下问题后再提交' }).waitFor();
    expect(await page.evaluate('document.activeElement.className')).toContain('error-summary-host');
    await expectAccessible('public sign-up with errors');
    await tabTo(/\|A\|您的姓名/);
    await page.keyboard.press('Enter');
    await expect(focused(page)).resolves.toMatch(/^您的姓名\|INPUT/);
    await page.keyboard.type('戊报名');
    await page.keyboard.press('Tab');
    await page.keyboard.type(phone);
    await page.keyboard.press('Tab');
    await expect(focused(page)).resolves.toMatch(/^所在街道\|SELECT/);
    const options = await page.getByRole('combobox', { name: '所在街道' }).locator('option').count();
    for (let i = 0; i < options && (await page.getByRole('combobox', { name: '所在街道' }).inputValue()) !== tree.street; i++) await page.keyboard.press('ArrowDown');
    await tabTo(/^我同意/);
    await page.keyboard.press('Space');
    await tabTo(/\|BUTTON\|提交报名/);
    await page.keyboard.press('Enter');
    await page.getByRole('heading', { level: 1, name: '报名成为志愿者' }).waitFor();
    await page.getByRole('status').filter({ hasText: '报名已提交，谢谢您！' }).waitFor();
    await expect(focused(page)).resolves.toMatch(/\|H1\|报名成为志愿者/);
    const rows = await t.ds.query(`SELECT name, district_code, status FROM volunteer_signup WHERE phone_e164 = $1`, [`+86${phone}`]);
    expect(rows).toEqual([{ name: '戊报名', district_code: tree.street, status: 'pending' }]);
    await expectAccessible('public sign-up sent');
  });
});

describe('the volunteer\'s own statement and shop in Chromium', () => {
  it('when the one-time link is opened, then the balance and the statement show and the code leaves the address', async () => {
    await page.goto(`${t.baseUrl}/v/${linkCode}`); // the link as sent: redirected to the page's hash route
    await page.getByRole('heading', { level: 1, name: `${volunteer.name}，您好` }).waitFor();
    expect(await page.getByTestId('portal-balance').textContent()).toContain('2 币');
    expect(page.url()).toMatch(/#\/volunteer$/);
    await page.getByRole('table', { name: /流水/ }).getByText('服务获得').waitFor();
    await expectAccessible('volunteer portal');
  });

  it('when goods are redeemed by keyboard and confirmed, then the balance drops, the result takes the focus, and the redemption is stored', async () => {
    await tabTo(new RegExp(`\\|BUTTON\\|兑换「${itemName}」（0.5 币）`));
    await page.keyboard.press('Enter');
    await page.getByRole('dialog', { name: '确认兑换' }).waitFor();
    await expect(focused(page)).resolves.toMatch(/\|BUTTON\|确认兑换/);
    await expectAccessible('volunteer redeem dialog');
    await page.keyboard.press('Enter');
    await page.getByRole('status').filter({ hasText: `兑换成功：「${itemName}」，用了 0.5 币。` }).waitFor();
    expect(await page.evaluate('document.activeElement.className')).toContain('error-summary-host');
    await page.getByTestId('portal-balance').filter({ hasText: '1.5 币' }).waitFor();
    const [row] = await t.ds.query(`SELECT status, units, placed_by FROM shop_redemption WHERE volunteer_id = $1 AND item_id = $2`, [volunteer.id, itemId]);
    expect(row).toEqual({ status: 'placed', units: 50, placed_by: null });
    const [stock] = await t.ds.query(`SELECT stock FROM shop_item WHERE id = $1`, [itemId]);
    expect(stock.stock).toBe(2);
  });

  it('when the used link is opened again in a new tab, then it is refused in words', async () => {
    const other = await browser.context.newPage();
    try {
      await other.goto(`${t.baseUrl}/#/volunteer/link/${linkCode}`);
      await other.getByRole('alert').filter({ hasText: '这个链接已经用过或已过期' }).waitFor();
    } finally {
      await other.close();
    }
  });
});
