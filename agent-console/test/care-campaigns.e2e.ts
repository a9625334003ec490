/**
 * 关怀活动 in Chromium against a real server, keyboard only: a supervisor opens the page from the navigation,
 * narrows the cohort (the live count follows), writes a one-question questionnaire, saves the draft and
 * launches it (the focus stays on the row's action); then an agent claims the generated campaign task, answers
 * the questionnaire beside the call and saves it with the outcome (stored with questionnaire version 1).
 * axe-core finds nothing serious or critical on the way.
 */
import type { Page } from 'playwright-core';
import { makePerson } from '../../server/test/support/factories';
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
let agent: string;
let high: Awaited<ReturnType<typeof makePerson>>;

beforeAll(async () => {
  t = await startTestApp({ env: { CONSOLE_DIR: ensureConsoleBuilt(), BACKGROUND_JOBS: 'off' } });
  const tree = await makeDistricts(t.ds);
  supervisor = (await makeUser(t.ds, 'supervisor', tree.district)).username;
  agent = (await makeUser(t.ds, 'agent', tree.district, { sipExtension: '8102' })).username;
  high = await makePerson(t.ds, tree.community, { riskTier: 'high', name: `活动甲${Date.now() % 1000}` });
  await makePerson(t.ds, tree.community, { riskTier: 'general', name: `活动乙${Date.now() % 1000}` });
  // An all-day window, so the campaign task is due whenever the test runs.
  await t.ds.query(`INSERT INTO care_plan (person_id, district_code, cadence, anchor_day, next_due_day, window_start, window_end, channel) VALUES ($1, $2, 'weekly', '2099-01-01', NULL, 0, 1440, 'voice')`, [high.id, tree.community]);
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
  for (let i = 0; i < 120; i++) {
    if (match.test(await active())) return;
    await page.keyboard.press('Tab');
  }
  throw new Error(`focus never reached ${match}: last ${await active()}`);
}

async function pick(legend: string, option: string): Promise<void> {
  await tabTo(new RegExp(`^${legend}`));
  await page.keyboard.press('Space');
  for (let i = 0; i < 10; i++) {
    if ((await active()).startsWith(`${legend.replace(/\\/g, '')}:${option}|`)) break;
    await page.keyboard.press('ArrowDown');
  }
  expect(await page.getByRole('radio', { name: option, exact: true }).isChecked()).toBe(true);
}

describe('care campaigns in Chromium', () => {
  it('when a supervisor narrows the cohort, writes a question and launches, then the live count follows and the campaign is active', async () => {
    await signIn(page, t.baseUrl, supervisor, 'Test@Pass-2026');
    await tabTo(/\|A\|关怀活动/);
    await page.keyboard.press('Enter');
    await page.getByRole('heading', { level: 1, name: '关怀活动' }).waitFor();
    expect(await page.title()).toBe('关怀活动 — 安心坐席工作台');
    await page.getByRole('status').filter({ hasText: '符合条件：2 人' }).waitFor();
    await expectAccessible('campaigns page');

    await tabTo(/^活动名称/);
    await page.keyboard.type('独居高风险春季关怀');
    await tabTo(/^风险等级:高风险\|INPUT/);
    await page.keyboard.press('Space');
    await page.getByRole('status').filter({ hasText: '符合条件：1 人' }).waitFor();
    expect(await page.getByText(/示例（已脱敏）：活\*+（高风险）/).count()).toBe(1);
    await tabTo(/^第 1 题:第 1 题 题目/);
    await page.keyboard.type('最近身体怎么样');
    await tabTo(/^第 1 题:第 1 题 选项/);
    await page.keyboard.type('很好，一般，不好');
    await expectAccessible('campaign form filled');
    await tabTo(/\|BUTTON\|保存为草稿/);
    await page.keyboard.press('Enter');
    await page.locator('#main').getByText('已创建活动「独居高风险春季关怀」（草稿），可在列表中启动。').waitFor();
    await page.waitForFunction(() => /启动活动/.test(document.activeElement?.getAttribute('aria-label') ?? ''));
    await page.keyboard.press('Enter');
    await page.locator('#main').getByText('活动「独居高风险春季关怀」：进行中').waitFor();
    await page.waitForFunction(() => /暂停活动/.test(document.activeElement?.getAttribute('aria-label') ?? ''));
    const [c] = await t.ds.query(`SELECT c.status, c.filters, q.questions FROM campaign c JOIN campaign_questionnaire q ON q.campaign_id = c.id WHERE c.name = '独居高风险春季关怀'`);
    expect(c).toEqual({ status: 'active', filters: { riskTiers: ['high'] }, questions: [{ id: 'q1', type: 'single', label: '最近身体怎么样', required: true, options: ['很好', '一般', '不好'] }] });
    await expectAccessible('campaign launched');
  });

  it('when the agent claims the campaign task, then the questionnaire is beside the call and its answer is saved with the outcome and version', async () => {
    expect(await t.app.services.care.campaigns.generate()).toBe(1);
    await browser.context.clearCookies();
    await page.close(); // a fresh page: the console starts signed out
    page = await browser.context.newPage();
    page.setDefaultTimeout(10_000);
    await signIn(page, t.baseUrl, agent, 'Test@Pass-2026');
    await tabTo(/\|A\|关怀任务/);
    await page.keyboard.press('Enter');
    await page.getByRole('heading', { level: 1, name: '关怀任务' }).waitFor();
    await tabTo(/\|BUTTON\|领取下一个/);
    await page.keyboard.press('Enter');
    await page.getByRole('heading', { level: 2, name: `任务：${high.record.name}` }).waitFor();
    await page.locator('#main').getByText('问卷：独居高风险春季关怀（第 1 版）').waitFor();
    await pick('通话结果 \\*', '已接通，情况良好');
    await tabTo(/\|BUTTON\|保存结果/);
    await page.keyboard.press('Enter');
    await page.locator('#main').getByText('请回答问卷：最近身体怎么样').waitFor();
    await pick('最近身体怎么样 \\*', '一般');
    await expectAccessible('questionnaire in the work list');
    await tabTo(/\|BUTTON\|保存结果/);
    await page.keyboard.press('Enter');
    await page.getByRole('status').filter({ hasText: '已保存：已接通，情况良好' }).waitFor();
    const [task] = await t.ds.query(`SELECT t.status, t.answers, q.version FROM care_task t JOIN campaign_questionnaire q ON q.id = t.questionnaire_id WHERE t.person_id = $1 AND t.kind = 'campaign'`, [high.id]);
    expect(task).toEqual({ status: 'done', answers: { q1: '一般' }, version: 1 });
  });
});
