/**
 * The time bank's ledger pages in Chromium against a real server, keyboard only: a supervisor opens 时间银行
 * from the navigation (its chunk loads only then) and a volunteer's statement (balance, year summary,
 * entries), redeems the last 爱心米 for them in the shop (stock and ledger checked in the database), is refused
 * the 电饭煲 for lack of coins (said in words), cancels the redemption with a refund; asks for an adjustment and
 * is refused approving it themself (said in words), then a second supervisor approves it; reads the
 * federation's view and exports it as CSV. axe-core finds nothing serious or critical on every page.
 */
import type { Page } from 'playwright-core';
import { makePerson } from '../../server/test/support/factories';
import { makeCompletedJob, makeVolunteer } from '../../server/test/support/timebank-fixtures';
import { api, login, makeDistricts, makeUser, startTestApp, uniq, type RunningApp } from '../../server/test/support/test-app';
import { expectAccessible as expectPageAccessible } from './support/axe';
import { launchBrowser } from './support/browser';
import { ensureConsoleBuilt } from './support/console-build';
import { signIn } from './support/console-stack';
import { focused, tabTo as tabToOn } from './support/keyboard';

jest.setTimeout(120_000);

let t: RunningApp;
let browser: Awaited<ReturnType<typeof launchBrowser>>;
let page: Page;
let tree: Awaited<ReturnType<typeof makeDistricts>>;
let makerName: string;
let checkerName: string;
let v1: { id: string; name: string };
let riceId: string;
let cookerId: string;
/** Names with a random suffix: the shop is city-wide, so a reused database holds earlier runs' items too. */
let rice: string;
let cooker: string;

beforeAll(async () => {
  t = await startTestApp({ env: { CONSOLE_DIR: ensureConsoleBuilt(), BACKGROUND_JOBS: 'off' } });
  tree = await makeDistricts(t.ds);
  const a = await makeUser(t.ds, 'supervisor', tree.district, { displayName: '申请班长' });
  const b = await makeUser(t.ds, 'supervisor', tree.district, { displayName: '审核班长' });
  makerName = a.username;
  checkerName = b.username;
  const maker = await login(t.baseUrl, a.username);
  // 3 coins for v1: a completed 3-hour job, confirmed by the recipient.
  v1 = await makeVolunteer(t.ds, tree.community, `甲志愿${uniq().slice(0, 3)}`);
  const { jobId } = await makeCompletedJob(t.ds, tree.community, v1.id, 180, a.id, { checkIn: new Date(Date.now() - 26 * 3600_000) });
  expect((await api(t.baseUrl, 'POST', `/api/timebank/jobs/${jobId}/confirm`, maker, { by: 'recipient' })).body).toMatchObject({ status: 'credited', units: 300 });
  rice = `爱心米${uniq().slice(0, 3)}`;
  cooker = `电饭煲${uniq().slice(0, 3)}`;
  const riceItem = await api(t.baseUrl, 'POST', '/api/timebank/shop/items', maker, { kind: 'goods', name: rice, priceUnits: 100, stock: 1 });
  const cookerItem = await api(t.baseUrl, 'POST', '/api/timebank/shop/items', maker, { kind: 'goods', name: cooker, priceUnits: 10_000, stock: 5 });
  expect([riceItem.status, cookerItem.status]).toEqual([201, 201]);
  riceId = riceItem.body.id;
  cookerId = cookerItem.body.id;
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
/** The focused element once it matches: a dialog focuses its field a frame after it opens (slow on a busy machine). */
async function focusReaches(match: RegExp): Promise<string> {
  for (let i = 0; i < 40 && !match.test(await focused(page)); i++) await page.waitForTimeout(50);
  return focused(page);
}
const entriesOf = (volunteerId: string) => t.ds.query(`SELECT kind, units FROM time_coin_entry WHERE account_id = $1 ORDER BY seq`, [`volunteer:${volunteerId}`]) as Promise<{ kind: string; units: number }[]>;

describe('time bank ledger pages in Chromium', () => {
  it('when the supervisor opens 时间银行 (a lazy chunk) and a volunteer account, then the balance, the year summary and the entries show, and axe finds nothing serious', async () => {
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
    await expectAccessible('volunteer accounts');
    await page.goto(`${t.baseUrl}/#/timebank/volunteers/${v1.id}`);
    await page.getByRole('heading', { level: 1, name: `${v1.name} 的时间币账户` }).waitFor();
    expect(await page.getByTestId('tb-balance').textContent()).toContain('3 币');
    await page.getByRole('table', { name: /流水/ }).getByText('服务获得').waitFor();
    await page.getByText('获得').first().waitFor();
    await expectAccessible('volunteer statement');
  });

  it('when staff transfer coins to the volunteer’s mother by keyboard, then more than the balance is refused in words, then one pair records the relation and the note, and the focus is on the result', async () => {
    const mother = await makePerson(t.ds, tree.community);
    await tabTo(/\|BUTTON\|转赠给亲属/);
    await page.keyboard.press('Enter');
    await page.getByRole('dialog').getByRole('heading', { name: '把时间币转赠给直系亲属' }).waitFor();
    expect(await focusReaches(/^转赠币数/)).toMatch(/^转赠币数/);
    await page.keyboard.type('5');
    await tabTo(/^服务对象姓名或电话/);
    await page.keyboard.type(mother.record.name);
    await page.keyboard.press('Enter');
    await tabTo(new RegExp(`^接收的亲属:${mother.record.name}`));
    await page.keyboard.press('Space');
    await tabTo(/^与志愿者的关系/);
    await page.keyboard.press('ArrowDown');
    await page.keyboard.press('ArrowDown');
    await tabTo(/^说明/);
    await page.keyboard.type('母亲需要上门护理服务');
    await expectAccessible('transfer dialog');
    await tabTo(/\|BUTTON\|确认转赠/);
    await page.keyboard.press('Enter');
    await page.getByRole('dialog').getByRole('alert').filter({ hasText: '时间币余额不足。' }).waitFor();
    await tabTo(/^转赠币数/, { back: true });
    await page.keyboard.press('Control+A');
    await page.keyboard.type('0.5');
    await tabTo(/\|BUTTON\|确认转赠/);
    await page.keyboard.press('Enter');
    await page.getByRole('status').filter({ hasText: `已转赠 0.5 币给 ${mother.record.name}（父母）。` }).waitFor();
    expect(await page.evaluate('document.activeElement.className')).toContain('error-summary-host');
    const legs = await t.ds.query(`SELECT account_id, units, reference, note FROM time_coin_entry WHERE kind = 'transfer' AND account_id IN ($1, $2) ORDER BY leg DESC`, [`volunteer:${v1.id}`, `person:${mother.id}`]);
    expect(legs).toEqual([
      { account_id: `volunteer:${v1.id}`, units: -50, reference: 'relation:父母', note: '母亲需要上门护理服务' },
      { account_id: `person:${mother.id}`, units: 50, reference: 'relation:父母', note: '母亲需要上门护理服务' },
    ]);
    await page.getByRole('table', { name: /流水/ }).getByText('关系：父母 · 母亲需要上门护理服务').waitFor();
    // Back to 3 coins for the redemptions below (a supervisor's adjustment would need a second person).
    const { jobId } = await makeCompletedJob(t.ds, tree.community, v1.id, 30, (await t.ds.query(`SELECT id FROM staff_user WHERE username = $1`, [makerName]))[0].id, { checkIn: new Date(Date.now() - 25 * 3600_000) });
    expect((await api(t.baseUrl, 'POST', `/api/timebank/jobs/${jobId}/confirm`, await login(t.baseUrl, makerName), { by: 'recipient' })).body).toMatchObject({ status: 'credited', units: 50 });
    await page.reload();
    await page.getByRole('heading', { level: 1, name: `${v1.name} 的时间币账户` }).waitFor();
  });

  it('when the last 爱心米 is redeemed for the volunteer by keyboard, then the stock is 0, the coins moved to the shop, and the focus is on the result', async () => {
    await tabTo(/\|A\|为其兑换/);
    await page.keyboard.press('Enter');
    await page.getByRole('heading', { level: 1, name: '积分商城' }).waitFor();
    await expectAccessible('shop');
    await tabTo(new RegExp(`\\|BUTTON\\|为志愿者兑换「${rice}」`));
    await page.keyboard.press('Enter');
    await page.getByRole('dialog').getByText(`${v1.name}，余额 3 币`).waitFor();
    await tabTo(/\|BUTTON\|兑换$/);
    await expectAccessible('redeem dialog');
    await page.keyboard.press('Enter');
    await page.getByRole('status').filter({ hasText: `已为 ${v1.name} 兑换「${rice}」` }).waitFor();
    expect(await page.evaluate('document.activeElement.className')).toContain('error-summary-host');
    const [item] = await t.ds.query(`SELECT stock FROM shop_item WHERE id = $1`, [riceId]);
    expect(item.stock).toBe(0);
    const [redemption] = await t.ds.query(`SELECT status, units, quantity FROM shop_redemption WHERE volunteer_id = $1 AND item_id = $2`, [v1.id, riceId]);
    expect(redemption).toMatchObject({ status: 'placed', units: 100, quantity: 1 });
    expect((await entriesOf(v1.id)).map((e) => [e.kind, Number(e.units)])).toEqual([['earn', 300], ['transfer', -50], ['earn', 50], ['redeem_goods', -100]]);
  });

  it('when the 电饭煲 costs more than the balance, then the refusal is said in words and nothing is stored', async () => {
    await tabTo(new RegExp(`\\|BUTTON\\|为志愿者兑换「${cooker}」`));
    await page.keyboard.press('Enter');
    await tabTo(/\|BUTTON\|兑换$/);
    await page.keyboard.press('Enter');
    await page.getByRole('dialog').getByRole('alert').filter({ hasText: '时间币余额不足。' }).waitFor();
    await page.keyboard.press('Escape');
    const rows = await t.ds.query(`SELECT 1 FROM shop_redemption WHERE item_id = $1`, [cookerId]);
    expect(rows).toHaveLength(0);
  });

  it('when the redemption is cancelled with a reason, then the coins come back by a refund pair and the stock returns', async () => {
    await tabTo(new RegExp(`\\|BUTTON\\|取消 .* 兑换的「${rice}」并退币`));
    await page.keyboard.press('Enter');
    expect(await focusReaches(/^取消原因/)).toMatch(/^取消原因/);
    await page.keyboard.type('志愿者改选其他物品');
    await tabTo(/\|BUTTON\|取消并退币/);
    await page.keyboard.press('Enter');
    await page.getByRole('status').filter({ hasText: `已取消兑换「${rice}」，1 币已退回。` }).waitFor();
    const [item] = await t.ds.query(`SELECT stock FROM shop_item WHERE id = $1`, [riceId]);
    expect(item.stock).toBe(1);
    const [redemption] = await t.ds.query(`SELECT status, cancel_reason FROM shop_redemption WHERE item_id = $1`, [riceId]);
    expect(redemption).toEqual({ status: 'cancelled', cancel_reason: '志愿者改选其他物品' });
    expect((await entriesOf(v1.id)).map((e) => [e.kind, Number(e.units)])).toEqual([['earn', 300], ['transfer', -50], ['earn', 50], ['redeem_goods', -100], ['refund', 100]]);
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
    await page.getByRole('alert').filter({ hasText: '申请人不能审批自己的申请' }).waitFor();
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
    expect(text).toContain('测试社区');
  });
});
