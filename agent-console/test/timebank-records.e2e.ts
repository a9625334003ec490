/**
 * The time bank's records in Chromium against a real server, keyboard only: a supervisor finds a volunteer
 * in the list and opens their account; signs a second volunteer up to an activity and credits the attendance
 * from the roster (coins and roster stored); approves a public sign-up (it becomes a volunteer); allocates a
 * gift beyond what it holds (refused in words, the remaining unchanged) and within it. axe-core finds nothing
 * serious or critical on every page.
 */
import type { Page } from 'playwright-core';
import { makeVolunteer } from '../../server/test/support/timebank-fixtures';
import { api, login, makeDistricts, makeUser, startTestApp, uniq, type RunningApp } from '../../server/test/support/test-app';
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
let maker: string;
const v1 = { name: `甲志愿${uniq().slice(0, 3)}`, id: '' };
const v2 = { name: `乙志愿${uniq().slice(0, 3)}`, id: '' };
let activityId: string;
let giftId: string;

const hoursAgo = (h: number) => new Date(Date.now() - h * 3600_000).toISOString();

beforeAll(async () => {
  t = await startTestApp({ env: { CONSOLE_DIR: ensureConsoleBuilt(), BACKGROUND_JOBS: 'off', TIMEBANK_SIGNUPS_PER_HOUR: '10000' } }); // the throttle counts per address, shared by every file calling from 127.0.0.1
  tree = await makeDistricts(t.ds);
  const a = await makeUser(t.ds, 'supervisor', tree.district, { displayName: '申请班长' });
  makerName = a.username;
  maker = await login(t.baseUrl, a.username);
  for (const v of [v1, v2]) v.id = (await makeVolunteer(t.ds, tree.community, v.name)).id;
  // 3 coins for v1: a morning activity attended 09:00–12:00, credited.
  const past = await api(t.baseUrl, 'POST', '/api/timebank/activities', maker, { title: '助残义剪', districtCode: tree.district, location: '社区活动室', startsAt: hoursAgo(30), endsAt: hoursAgo(27), capacity: 10 });
  expect(past.status).toBe(201);
  expect((await api(t.baseUrl, 'POST', `/api/timebank/activities/${past.body.id}/signups`, maker, { volunteerId: v1.id })).status).toBe(201);
  expect((await api(t.baseUrl, 'PUT', `/api/timebank/activities/${past.body.id}/attendance`, maker, { lines: [{ volunteerId: v1.id, attended: true, checkInAt: hoursAgo(30), checkOutAt: hoursAgo(27) }] })).status).toBe(200);
  const credited = await api(t.baseUrl, 'POST', `/api/timebank/activities/${past.body.id}/credit`, maker, {});
  expect(credited.body.credited).toHaveLength(1);
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

describe('time bank records in Chromium', () => {
  it('when the supervisor finds a volunteer in the list by keyboard, then their account opens', async () => {
    await signIn(page, t.baseUrl, makerName, 'Test@Pass-2026');
    await page.getByRole('navigation', { name: '主导航' }).waitFor();
    await tabTo(/\|A\|时间银行/);
    await page.keyboard.press('Enter');
    await page.getByRole('heading', { level: 1, name: '志愿者账户' }).waitFor();
    await tabTo(/^姓名或手机尾号\|INPUT/);
    await page.keyboard.type(v1.name);
    await page.keyboard.press('Enter');
    await page.getByRole('table', { name: /志愿者/ }).getByText(v1.name).waitFor();
    await expectAccessible('volunteer accounts');
    await tabTo(new RegExp(`\\|A\\|查看 ${v1.name} 的账户`));
    await page.keyboard.press('Enter');
    await page.getByRole('heading', { level: 1, name: `${v1.name} 的时间币账户` }).waitFor();
    expect(await page.getByTestId('tb-balance').textContent()).toContain('3 币');
    await page.getByRole('heading', { level: 2, name: '服务记录' }).waitFor();
    await expectAccessible('volunteer account with profile');
  });

  it('when a volunteer is signed up and ticked as attended on the roster by keyboard, then crediting stores the coins for the time attended', async () => {
    await page.goto(`${t.baseUrl}/#/timebank/activities/${activityId}`);
    await page.getByRole('heading', { level: 1, name: /陪伴出行/ }).waitFor();
    await tabTo(/^志愿者姓名或手机尾号\|INPUT/);
    await page.keyboard.type(v2.name);
    await page.keyboard.press('Enter');
    await page.getByRole('radio', { name: new RegExp(v2.name) }).waitFor();
    await tabTo(new RegExp(`^志愿者:${v2.name}（`));
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
    await page.getByRole('dialog', { name: '通过 丙报名 的报名' }).waitFor();
    await expectAccessible('approve sign-up dialog');
    // Submitted empty: the missing gender and centre are named, nothing is created.
    await tabTo(/\|BUTTON\|通过并建立账户/);
    await page.keyboard.press('Enter');
    await page.getByRole('dialog').getByText('请选择性别').first().waitFor();
    expect((await t.ds.query(`SELECT status FROM volunteer_signup WHERE id = $1`, [sent.body.signupId]))[0].status).toBe('pending');
    expect(await page.evaluate('document.activeElement.textContent')).toContain('请选择性别');
    await tabTo(/^性别.*:女\|INPUT/);
    await page.keyboard.press('Space');
    await tabTo(/^中心纬度.*\|INPUT/);
    await page.keyboard.type('31.23');
    await page.keyboard.press('Tab');
    await page.keyboard.type('121.47');
    await tabTo(/\|BUTTON\|通过并建立账户/);
    await page.keyboard.press('Enter');
    await page.getByRole('status').filter({ hasText: '已通过 丙报名 的报名' }).waitFor();
    const [row] = await t.ds.query(`SELECT status, volunteer_id FROM volunteer_signup WHERE id = $1`, [sent.body.signupId]);
    expect(row.status).toBe('approved');
    const [volunteer] = await t.ds.query(`SELECT gender, centre_lat, centre_lng, radius_km, district_code FROM volunteer WHERE id = $1`, [row.volunteer_id]);
    expect(volunteer).toMatchObject({ gender: 'female', district_code: tree.street });
    expect([Number(volunteer.centre_lat), Number(volunteer.centre_lng), Number(volunteer.radius_km)]).toEqual([31.23, 121.47, 3]);
  });

  it('when more than a gift holds is allocated, then the refusal is said in words and the remaining stays; within it, the remaining drops', async () => {
    await page.goto(`${t.baseUrl}/#/timebank/donations/gifts/${giftId}`);
    await page.getByRole('heading', { level: 1, name: /爱心企业 的捐赠/ }).waitFor();
    expect(await page.getByTestId('tb-gift-remaining').textContent()).toContain('剩余 10 件');
    await expectAccessible('gift');
    await tabTo(/^去向 \*:服务对象\|INPUT/);
    await page.keyboard.press('ArrowDown'); // 志愿活动
    await tabTo(/^志愿活动\|SELECT/);
    // Other files' activities share the list: step to this file's own by keyboard.
    const activities = page.getByRole('combobox', { name: /^志愿活动/ });
    const count = await activities.locator('option').count();
    for (let i = 0; i < count && (await activities.inputValue()) !== activityId; i++) await page.keyboard.press('ArrowDown');
    expect(await activities.inputValue()).toBe(activityId);
    await tabTo(/^数量\|INPUT/);
    await page.keyboard.type('11');
    await page.keyboard.press('Enter');
    await page.getByRole('alert').filter({ hasText: '超出该笔捐赠的剩余数量或金额。' }).waitFor();
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
});
