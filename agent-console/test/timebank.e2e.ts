/**
 * The time bank's staff pages in Chromium against a real server, keyboard only: a supervisor opens 时间银行
 * from the navigation, a volunteer's statement (balance, year summary, entries), redeems the last 爱心米 for
 * them in the shop (stock and ledger checked in the database), is refused the 电饭煲 for lack of coins (said in
 * words), cancels the redemption with a refund; signs a second volunteer up to an activity and credits the
 * attendance from the roster; asks for an adjustment and is refused approving it themself, then a second
 * supervisor approves it; approves a public sign-up; allocates a gift beyond what it holds (refused in words)
 * and within it; reads the federation's view and exports it. axe-core finds nothing serious or critical on
 * every page.
 */
import type { Page } from 'playwright-core';
import { api, login, makeDistricts, makeUser, randomMobile, startTestApp, uniq, type RunningApp } from '../../server/test/support/test-app';
import { expectAccessible as expectPageAccessible } from './support/axe';
import { launchBrowser } from './support/browser';
import { ensureConsoleBuilt } from './support/console-build';
import { signIn, until } from './support/console-stack';
import { focused, tabTo as tabToOn } from './support/keyboard';

jest.setTimeout(120_000);

let t: RunningApp;
let browser: Awaited<ReturnType<typeof launchBrowser>>;
let page: Page;
let tree: Awaited<ReturnType<typeof makeDistricts>>;
let makerName: string;
let checkerName: string;
let maker: string;
const v1 = { name: `甲志愿${uniq().slice(0, 3)}`, id: '' };
const v2 = { name: `乙志愿${uniq().slice(0, 3)}`, id: '' };
let riceId: string;
let cookerId: string;
let activityId: string;
let giftId: string;

const hoursAgo = (h: number) => new Date(Date.now() - h * 3600_000).toISOString();

beforeAll(async () => {
  t = await startTestApp({ env: { CONSOLE_DIR: ensureConsoleBuilt(), BACKGROUND_JOBS: 'off' } });
  tree = await makeDistricts(t.ds);
  const a = await makeUser(t.ds, 'supervisor', tree.district, { displayName: '申请班长' });
  const b = await makeUser(t.ds, 'supervisor', tree.district, { displayName: '审核班长' });
  makerName = a.username;
  checkerName = b.username;
  maker = await login(t.baseUrl, a.username);
  for (const v of [v1, v2]) {
    const made = await api(t.baseUrl, 'POST', '/api/timebank/volunteers', maker, { name: v.name, phone: randomMobile(), districtCode: tree.district });
    expect(made.status).toBe(201);
    v.id = made.body.volunteerId;
  }
  // 3 coins for v1: a morning activity attended 09:00–12:00, credited.
  const past = await api(t.baseUrl, 'POST', '/api/timebank/activities', maker, { title: '助残义剪', districtCode: tree.district, location: '社区活动室', startsAt: hoursAgo(30), endsAt: hoursAgo(27), capacity: 10 });
  expect(past.status).toBe(201);
  expect((await api(t.baseUrl, 'POST', `/api/timebank/activities/${past.body.id}/signups`, maker, { volunteerId: v1.id })).status).toBe(201);
  expect((await api(t.baseUrl, 'PUT', `/api/timebank/activities/${past.body.id}/attendance`, maker, { lines: [{ volunteerId: v1.id, attended: true, checkInAt: hoursAgo(30), checkOutAt: hoursAgo(27) }] })).status).toBe(200);
  const credited = await api(t.baseUrl, 'POST', `/api/timebank/activities/${past.body.id}/credit`, maker, {});
  expect(credited.body.credited).toHaveLength(1);
  const rice = await api(t.baseUrl, 'POST', '/api/timebank/shop/items', maker, { kind: 'goods', name: `爱心米${uniq().slice(0, 3)}`, priceUnits: 100, stock: 1 });
  const cooker = await api(t.baseUrl, 'POST', '/api/timebank/shop/items', maker, { kind: 'goods', name: `电饭煲${uniq().slice(0, 3)}`, priceUnits: 10_000, stock: 5 });
  riceId = rice.body.id;
  cookerId = cooker.body.id;
  const next = await api(t.baseUrl, 'POST', '/api/timebank/activities', maker, { title: `陪伴出行${uniq().slice(0, 3)}`, districtCode: tree.district, location: '公园', startsAt: hoursAgo(6), endsAt: hoursAgo(4), capacity: 2 });
  activityId = next.body.id;
  const donor = await api(t.baseUrl, 'POST', '/api/timebank/donors', maker, { kind: 'organisation', name: '爱心企业', districtCode: tree.district });
  const gift = await api(t.baseUrl, 'POST', '/api/timebank/gifts', maker, { donorId: donor.body.id, kind: 'goods', receivedOn: '2026-11-01', items: [{ name: '轮椅坐垫', quantity: 10, unitValueFen: 5000 }] });
  expect(gift.status).toBe(201);
  giftId = gift.body.gift.id;
  browser = await launchBrowser();
  page = browser.context.pages()[0] ?? (await browser.context.newPage());
  page.setDefaultTimeout(10_000);
}, 180_000);
afterAll(async () => {
  await browser?.close();
  await t?.close();
});

const expectAccessible = (name: string) => expectPageAccessible(page, name);
const tabTo = (match: RegExp, opts?: { back?: boolean }) => tabToOn(page, match, opts);
const entriesOf = (volunteerId: string) => t.ds.query(`SELECT kind, units FROM time_coin_entry WHERE account_id = $1 ORDER BY seq`, [`volunteer:${volunteerId}`]) as Promise<{ kind: string; units: number }[]>;

describe('time bank staff pages in Chromium', () => {
  it('when the supervisor opens 时间银行 and a volunteer, then the balance, the year summary and the entries show, and axe finds nothing serious', async () => {
    await signIn(page, t.baseUrl, makerName, 'Test@Pass-2026');
    await page.getByRole('navigation', { name: '主导航' }).waitFor();
    // The time bank is a lazy chunk: not loaded with the console, fetched when opened.
    const chunks = () => page.evaluate(`performance.getEntriesByType('resource').map((e) => e.name).filter((n) => /TimebankSection-/.test(n)).length`) as Promise<number>;
    expect(await chunks()).toBe(0);
    await tabTo(/\|A\|时间银行/);
    await page.keyboard.press('Enter');
    await page.getByRole('heading', { level: 1, name: '志愿者账户' }).waitFor();
    expect(await chunks()).toBe(1);
    expect(await page.title()).toBe('志愿者账户 — 安心坐席工作台');
    await page.getByRole('table', { name: /志愿者/ }).waitFor();
    await expectAccessible('volunteer accounts');
    await tabTo(new RegExp(`\\|A\\|查看 ${v1.name} 的账户`));
    await page.keyboard.press('Enter');
    await page.getByRole('heading', { level: 1, name: `${v1.name} 的时间币账户` }).waitFor();
    expect(await page.getByTestId('tb-balance').textContent()).toContain('3 币');
    await page.getByRole('table', { name: /流水/ }).getByText('服务获得').waitFor();
    await page.getByText('获得').first().waitFor();
    await expectAccessible('volunteer statement');
  });

  it('when the last 爱心米 is redeemed for the volunteer by keyboard, then the stock is 0, the coins moved to the shop, and the focus is on the result', async () => {
    await tabTo(/\|A\|为其兑换/);
    await page.keyboard.press('Enter');
    await page.getByRole('heading', { level: 1, name: '积分商城' }).waitFor();
    await expectAccessible('shop');
    await tabTo(/\|BUTTON\|为志愿者兑换「爱心米/);
    await page.keyboard.press('Enter');
    await page.getByRole('dialog').getByText(`${v1.name}（`).waitFor();
    await tabTo(/\|BUTTON\|兑换$/);
    await expectAccessible('redeem dialog');
    await page.keyboard.press('Enter');
    await page.getByRole('status').filter({ hasText: `已为 ${v1.name} 兑换「爱心米` }).waitFor();
    expect(await page.evaluate('document.activeElement.className')).toContain('error-summary-host');
    const [item] = await t.ds.query(`SELECT stock FROM shop_item WHERE id = $1`, [riceId]);
    expect(item.stock).toBe(0);
    const [redemption] = await t.ds.query(`SELECT status, units, quantity FROM shop_redemption WHERE volunteer_id = $1 AND item_id = $2`, [v1.id, riceId]);
    expect(redemption).toMatchObject({ status: 'placed', units: 100, quantity: 1 });
    expect((await entriesOf(v1.id)).map((e) => [e.kind, Number(e.units)])).toEqual([['earn', 300], ['redeem_goods', -100]]);
  });

  it('when the 电饭煲 costs more than the balance, then the refusal is said in words and nothing is stored', async () => {
    await tabTo(/\|BUTTON\|为志愿者兑换「电饭煲/);
    await page.keyboard.press('Enter');
    await tabTo(/\|BUTTON\|兑换$/);
    await page.keyboard.press('Enter');
    await page.getByRole('dialog').getByRole('alert').filter({ hasText: '时间币余额不足。' }).waitFor();
    await page.keyboard.press('Escape');
    const rows = await t.ds.query(`SELECT 1 FROM shop_redemption WHERE item_id = $1`, [cookerId]);
    expect(rows).toHaveLength(0);
  });

  it('when the redemption is cancelled with a reason, then the coins come back by a refund pair and the stock returns', async () => {
    await tabTo(/\|BUTTON\|取消 .* 兑换的「爱心米.*」并退币/);
    await page.keyboard.press('Enter');
    await expect(focused(page)).resolves.toMatch(/^取消原因/);
    await page.keyboard.type('志愿者改选其他物品');
    await tabTo(/\|BUTTON\|取消并退币/);
    await page.keyboard.press('Enter');
    await page.getByRole('status').filter({ hasText: /已取消兑换「爱心米.*」，1 币已退回。/ }).waitFor();
    const [item] = await t.ds.query(`SELECT stock FROM shop_item WHERE id = $1`, [riceId]);
    expect(item.stock).toBe(1);
    const [redemption] = await t.ds.query(`SELECT status, cancel_reason FROM shop_redemption WHERE item_id = $1`, [riceId]);
    expect(redemption).toEqual({ status: 'cancelled', cancel_reason: '志愿者改选其他物品' });
    expect((await entriesOf(v1.id)).map((e) => [e.kind, Number(e.units)])).toEqual([['earn', 300], ['redeem_goods', -100], ['refund', 100]]);
  });

  it('when a volunteer is signed up and ticked as attended on the roster by keyboard, then crediting stores the coins for the time attended', async () => {
    await page.goto(`${t.baseUrl}/#/timebank/activities/${activityId}`);
    await page.getByRole('heading', { level: 1, name: /陪伴出行/ }).waitFor();
    await tabTo(/^志愿者姓名或手机尾号\|INPUT/);
    await page.keyboard.type(v2.name);
    await page.keyboard.press('Enter');
    await page.getByRole('radio', { name: new RegExp(v2.name) }).waitFor();
    await tabTo(new RegExp(`\\|INPUT\\|`));
    await page.keyboard.press('Space');
    await tabTo(/\|BUTTON\|报名$/);
    await page.keyboard.press('Enter');
    await page.getByRole('status').filter({ hasText: `${v2.name} 已报名。` }).waitFor();
    await page.getByRole('checkbox', { name: `${v2.name} 到场` }).waitFor();
    await expectAccessible('activity roster');
    await tabTo(new RegExp(`\\|INPUT\\|${v2.name} 到场`));
    await page.keyboard.press('Space');
    expect(await page.getByLabel(`${v2.name} 签到时间`).inputValue()).not.toBe('');
    await tabTo(/\|BUTTON\|确认签到并记币/);
    await page.keyboard.press('Enter');
    await page.getByRole('status').filter({ hasText: '已为 1 人记币。' }).waitFor();
    const [signup] = await t.ds.query(`SELECT attended, credited_units FROM timebank_activity_signup WHERE activity_id = $1 AND volunteer_id = $2`, [activityId, v2.id]);
    expect(signup).toEqual({ attended: true, credited_units: 200 });
    expect((await entriesOf(v2.id)).map((e) => [e.kind, Number(e.units)])).toEqual([['earn', 200]]);
    await expectAccessible('activity credited');
  });

  it('when the maker tries to approve their own adjustment, then it is refused in words; a second supervisor approves it and the coins are stored', async () => {
    await page.goto(`${t.baseUrl}/#/timebank/approvals?volunteer=${v1.id}`);
    await page.getByRole('heading', { level: 1, name: '调整与冲正' }).waitFor();
    await page.getByText(`志愿者：${v1.name}`).waitFor();
    await tabTo(/^调整币数/);
    await page.keyboard.type('2');
    await page.keyboard.press('Tab');
    await page.keyboard.type('补记上月敬老院服务');
    await tabTo(/\|BUTTON\|提出申请/);
    await page.keyboard.press('Enter');
    await page.getByRole('status').filter({ hasText: '申请已提交' }).waitFor();
    await page.getByText('本人申请，须由他人审核').waitFor();
    await expectAccessible('approvals');
    await tabTo(/\|BUTTON\|批准：调整/);
    await page.keyboard.press('Enter');
    await page.getByRole('alert').filter({ hasText: '申请人不能审核自己的申请' }).waitFor();
    const [pending] = await t.ds.query(`SELECT status FROM timebank_approval WHERE volunteer_id = $1`, [v1.id]);
    expect(pending.status).toBe('pending');

    await page.getByRole('button', { name: '退出登录' }).click();
    await signIn(page, t.baseUrl, checkerName, 'Test@Pass-2026');
    await page.goto(`${t.baseUrl}/#/timebank/approvals`);
    await page.getByRole('heading', { level: 1, name: '调整与冲正' }).waitFor();
    await tabTo(/\|BUTTON\|批准：调整/);
    await page.keyboard.press('Enter');
    await page.getByRole('status').filter({ hasText: '已批准' }).waitFor();
    const [approved] = await t.ds.query(`SELECT status, result_transaction_id FROM timebank_approval WHERE volunteer_id = $1`, [v1.id]);
    expect(approved.status).toBe('approved');
    expect((await entriesOf(v1.id)).at(-1)).toMatchObject({ kind: 'adjustment' });
    expect(Number((await entriesOf(v1.id)).at(-1)!.units)).toBe(200);
  });

  it('when a public sign-up is approved, then it becomes a volunteer', async () => {
    const phone = `139${String(Date.now()).slice(-8)}`;
    const sent = await api(t.baseUrl, 'POST', '/api/public/volunteer-signups', undefined, { name: '丙报名', phone, districtCode: tree.street, consent: true });
    expect(sent.status).toBe(202);
    await page.goto(`${t.baseUrl}/#/timebank/signups`);
    await page.getByRole('heading', { level: 1, name: '志愿者报名审核' }).waitFor();
    await page.getByRole('table').getByText('丙报名').waitFor();
    await expectAccessible('sign-ups');
    await tabTo(/\|BUTTON\|通过 丙报名 的报名/);
    await page.keyboard.press('Enter');
    await page.getByRole('status').filter({ hasText: '已通过 丙报名 的报名' }).waitFor();
    const [row] = await t.ds.query(`SELECT status, volunteer_id FROM volunteer_signup WHERE id = $1`, [sent.body.signupId]);
    expect(row.status).toBe('approved');
    expect(row.volunteer_id).toBeTruthy();
  });

  it('when more than a gift holds is allocated, then the refusal is said in words and the remaining stays; within it, the remaining drops', async () => {
    await page.goto(`${t.baseUrl}/#/timebank/donations/gifts/${giftId}`);
    await page.getByRole('heading', { level: 1, name: /爱心企业 的捐赠/ }).waitFor();
    expect(await page.getByTestId('tb-gift-remaining').textContent()).toContain('剩余 10 件');
    await expectAccessible('gift');
    await tabTo(/^去向 \*:服务对象\|INPUT/);
    await page.keyboard.press('ArrowDown'); // 志愿活动
    await tabTo(/^志愿活动\|SELECT/);
    await page.keyboard.press('ArrowDown');
    await tabTo(/^数量\|INPUT/);
    await page.keyboard.type('11');
    await page.keyboard.press('Enter');
    await page.getByRole('alert').filter({ hasText: '超出这笔捐赠的剩余数量或金额，不能分配。' }).waitFor();
    expect(await page.getByTestId('tb-gift-remaining').textContent()).toContain('剩余 10 件');
    await page.keyboard.press('Backspace');
    await page.keyboard.press('Backspace');
    await page.keyboard.type('4');
    await page.keyboard.press('Enter');
    await page.getByRole('status').filter({ hasText: '已分配。' }).waitFor();
    await until(async () => (await page.getByTestId('tb-gift-remaining').textContent())?.includes('剩余 6 件'));
    const rows = await t.ds.query(`SELECT destination_kind, quantity FROM donation_allocation WHERE gift_id = $1`, [giftId]);
    expect(rows).toEqual([{ destination_kind: 'activity', quantity: 4 }]);
    await page.goto(`${t.baseUrl}/#/timebank/donations`);
    await page.getByRole('heading', { level: 1, name: '捐赠管理' }).waitFor();
    await page.getByRole('table', { name: /捐赠去向/ }).waitFor();
    await expectAccessible('donations');
  });

  it('when the federation view is opened and exported, then the outstanding coins match the ledger and the CSV holds the rows', async () => {
    await page.goto(`${t.baseUrl}/#/timebank/report`);
    await page.getByRole('heading', { level: 1, name: '联合会时间币汇总' }).waitFor();
    await page.getByRole('table', { name: /按辖区和月份/ }).waitFor();
    await expectAccessible('federation view');
    const download = page.waitForEvent('download');
    await tabTo(/\|BUTTON\|导出 CSV/);
    await page.keyboard.press('Enter');
    const file = await download;
    const text = await (await file.createReadStream()).toArray().then((chunks) => Buffer.concat(chunks).toString('utf8'));
    expect(text).toMatch(/^\ufeff?月份,辖区,发放,兑换,过期,转赠净额,负债变动\r\n/);
    expect(text).toContain('测试区');
  });
});
