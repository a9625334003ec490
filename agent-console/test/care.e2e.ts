/**
 * The 关怀任务 work list in Chromium against a real server, keyboard only: an agent opens the page from the
 * navigation, claims the most urgent task (高风险 first, overdue), tries the one-click dial (no PBX here: the
 * server's refusal is shown translated), records "no answer" (the task comes back an hour later), then claims
 * the 回访 of an answered order and records 不满意 with a comment (stored on the order). axe-core finds nothing
 * serious or critical on the way.
 */
import type { Page } from 'playwright-core';
import { makePerson } from '../../server/test/support/factories';
import { api, login, makeDistricts, makeUser, startTestApp, TestClock, type RunningApp } from '../../server/test/support/test-app';
import { expectAccessible as expectPageAccessible } from './support/axe';
import { launchBrowser } from './support/browser';
import { ensureConsoleBuilt } from './support/console-build';
import { signIn } from './support/console-stack';

jest.setTimeout(60_000);

let t: RunningApp;
let browser: Awaited<ReturnType<typeof launchBrowser>>;
let page: Page;
let agent: string;
let high: Awaited<ReturnType<typeof makePerson>>;
let surveyed: Awaited<ReturnType<typeof makePerson>>;
let orderId: string;

const ALL_DAY = { windowStart: 0, windowEnd: 1440, quietStart: null, quietEnd: null };

beforeAll(async () => {
  // Yesterday: plans start and an order is answered; then the clock moves to today, when both are due.
  const clock = new TestClock(new Date(Date.now() - 24 * 3600_000));
  t = await startTestApp({ clock, env: { CONSOLE_DIR: ensureConsoleBuilt(), BACKGROUND_JOBS: 'off' } });
  const tree = await makeDistricts(t.ds);
  const supervisor = await login(t.baseUrl, (await makeUser(t.ds, 'supervisor', tree.district)).username);
  const creator = await login(t.baseUrl, (await makeUser(t.ds, 'agent', tree.district)).username);
  agent = (await makeUser(t.ds, 'agent', tree.district, { sipExtension: '8101' })).username;
  high = await makePerson(t.ds, tree.community, { riskTier: 'high', name: `关怀甲${Date.now() % 1000}` });
  surveyed = await makePerson(t.ds, tree.community, { riskTier: 'key', name: `回访乙${Date.now() % 1000}` });
  expect((await api(t.baseUrl, 'PUT', `/api/care/plans/${high.id}`, supervisor, ALL_DAY)).status).toBe(200);
  const later = new Date(Date.now() + 40 * 24 * 3600_000).toISOString().slice(0, 10);
  expect((await api(t.baseUrl, 'PUT', `/api/care/plans/${surveyed.id}`, supervisor, { ...ALL_DAY, startDay: later })).status).toBe(200);
  const order = await api(t.baseUrl, 'POST', '/api/tickets', creator, { category: 'inquiry', personId: surveyed.id, summary: '咨询辅具补贴' });
  orderId = order.body.id;
  expect((await api(t.baseUrl, 'POST', `/api/tickets/${orderId}/transitions`, creator, { action: 'answer' })).status).toBe(200);
  clock.advance(24 * 3600_000);
  await t.app.services.care.plans.generate();
  browser = await launchBrowser();
  page = browser.context.pages()[0] ?? (await browser.context.newPage());
  page.setDefaultTimeout(10_000);
}, 180_000);
afterAll(async () => {
  await browser?.close();
  await t?.close();
});

const expectAccessible = (name: string) => expectPageAccessible(page, name);

const active = () => page.evaluate(`(() => { const e = document.activeElement; const l = e.closest('fieldset') ? e.closest('fieldset').querySelector('legend').textContent + ':' + (e.labels && e.labels[0] ? e.labels[0].textContent : '') : (e.labels && e.labels[0] ? e.labels[0].textContent : ''); return l + '|' + e.tagName + '|' + (e.getAttribute('aria-label') || (e.textContent || '').trim()); })()`) as Promise<string>;

async function tabTo(match: RegExp): Promise<void> {
  for (let i = 0; i < 80; i++) {
    if (match.test(await active())) return;
    await page.keyboard.press('Tab');
  }
  throw new Error(`focus never reached ${match}: last ${await active()}`);
}

/** Focus a radio group (Tab), check the focused option (Space) and move to the wanted one with the arrow keys. */
async function pick(legend: string, option: string): Promise<void> {
  await tabTo(new RegExp(`^${legend}`));
  await page.keyboard.press('Space');
  for (let i = 0; i < 10; i++) {
    if ((await active()).startsWith(`${legend.replace('\\', '')}:${option}|`)) break;
    await page.keyboard.press('ArrowDown');
  }
  expect(await page.getByRole('radio', { name: option, exact: true }).isChecked()).toBe(true);
}

describe('care work list in Chromium', () => {
  it('when the agent opens 关怀任务 from the navigation, then due tasks are listed highest risk first, overdue marked, and axe finds nothing serious', async () => {
    await signIn(page, t.baseUrl, agent, 'Test@Pass-2026');
    await tabTo(/\|A\|关怀任务/);
    await page.keyboard.press('Enter');
    await page.getByRole('heading', { level: 1, name: '关怀任务' }).waitFor();
    expect(await page.title()).toBe('关怀任务 — 安心坐席工作台');
    const rows = page.getByRole('table', { name: /到期任务/ }).getByRole('row');
    await rows.nth(2).waitFor();
    expect(await rows.nth(1).textContent()).toContain(high.record.name);
    expect(await rows.nth(1).textContent()).toContain('逾期');
    expect(await rows.nth(2).textContent()).toContain('回访');
    await expectAccessible('care work list');
  });

  it('when 领取下一个 is pressed, then the 高风险 task opens with its preview and focus; the dial refusal is shown translated; no answer saves and focus returns', async () => {
    await tabTo(/\|BUTTON\|领取下一个/);
    await page.keyboard.press('Enter');
    await page.getByRole('heading', { level: 2, name: `任务：${high.record.name}` }).waitFor();
    expect(await active()).toContain(`任务：${high.record.name}`);
    await page.getByText('李监护（女儿 · 监护人）').waitFor();
    await expectAccessible('claimed care task');

    await tabTo(new RegExp(`\\|BUTTON\\|外呼 ${high.record.name}`));
    await page.keyboard.press('Enter');
    await page.getByText('外呼失败：未接入电话系统，无法拨打电话。').first().waitFor();

    await pick('通话结果 \\*', '无人接听');
    await tabTo(/\|BUTTON\|保存结果/);
    await page.keyboard.press('Enter');
    await page.getByRole('status').filter({ hasText: '已保存：无人接听' }).waitFor();
    expect(await active()).toContain('领取下一个');
    const [task] = await t.ds.query(`SELECT status, attempts, due_at, claimed_by_id FROM care_task WHERE person_id = $1 AND kind = 'care'`, [high.id]);
    expect(task).toMatchObject({ status: 'open', attempts: 1, claimed_by_id: null });
    expect(new Date(task.due_at).getTime()).toBeGreaterThan(t.clock.now().getTime() + 50 * 60_000);
    await expectAccessible('care list after an outcome');
  });

  it('when the 回访 is claimed and rated 不满意 with a comment, then the rating and the comment are on the order', async () => {
    await tabTo(/\|BUTTON\|领取下一个/);
    await page.keyboard.press('Enter');
    await page.getByRole('heading', { level: 2, name: `任务：${surveyed.record.name}` }).waitFor();
    await page.getByText('咨询辅具补贴').waitFor();
    await pick('通话结果 \\*', '已接通');
    await pick('满意度 \\*', '不满意');
    await pick('问题是否解决 \\*', '未解决');
    await tabTo(/^意见\|TEXTAREA/);
    await page.keyboard.type('等了很久才有人回复');
    await expectAccessible('回访 form');
    await tabTo(/\|BUTTON\|保存结果/);
    await page.keyboard.press('Enter');
    await page.getByRole('status').filter({ hasText: '已保存：已接通' }).waitFor();
    const [order] = await t.ds.query(`SELECT status, satisfaction FROM ticket WHERE id = $1`, [orderId]);
    expect(order).toEqual({ status: 'callback_done', satisfaction: 'dissatisfied' });
    const notes = (await t.ds.query(`SELECT note FROM ticket_event WHERE ticket_id = $1 AND kind = 'record_callback'`, [orderId])).map((e: { note: string }) => e.note);
    expect(notes[0]).toContain('等了很久才有人回复');
    await page.getByText('目前没有到期的任务。').first().waitFor();
  });
});
