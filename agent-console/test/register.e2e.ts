/**
 * The register page in Chromium against a real server, by keyboard only: a supervisor checks a file with bad
 * rows (errors listed and translated, nothing written), imports a clean file (persons in the database) and
 * exports the district (a real XLSX download); axe-core finds nothing serious on the way.
 */
import { randomInt } from 'node:crypto';
import type { Page } from 'playwright-core';
import { makeCitizenId } from '../../server/src/persons/citizen-id';
import { TEMPLATE_HEADERS } from '../../server/src/register/register-columns';
import { makeDistricts, makeUser, startTestApp, type RunningApp } from '../../server/test/support/test-app';
import { expectAccessible as expectPageAccessible } from './support/axe';
import { chooseFileBySpace, launchBrowser } from './support/browser';
import { ensureConsoleBuilt } from './support/console-build';
import { signIn } from './support/console-stack';

jest.setTimeout(60_000);

let t: RunningApp;
let browser: Awaited<ReturnType<typeof launchBrowser>>;
let page: Page;
let supervisor: string;
let tree: Awaited<ReturnType<typeof makeDistricts>>;

beforeAll(async () => {
  t = await startTestApp({ env: { CONSOLE_DIR: ensureConsoleBuilt() } });
  tree = await makeDistricts(t.ds);
  supervisor = (await makeUser(t.ds, 'supervisor', tree.district)).username;
  browser = await launchBrowser();
  page = browser.context.pages()[0] ?? (await browser.context.newPage());
  page.setDefaultTimeout(10_000);
}, 180_000);
afterAll(async () => {
  await browser?.close();
  await t?.close();
});

const expectAccessible = (name: string) => expectPageAccessible(page, name);

const active = () => page.evaluate(`(() => { const e = document.activeElement; return (e.labels && e.labels[0] ? e.labels[0].textContent : '') + '|' + e.tagName + '|' + (e.getAttribute('type') || '') + '|' + (e.textContent || '').trim(); })()`) as Promise<string>;

async function tabTo(match: RegExp): Promise<void> {
  for (let i = 0; i < 60; i++) {
    if (match.test(await active())) return;
    await page.keyboard.press('Tab');
  }
  throw new Error(`focus never reached ${match}: last ${await active()}`);
}

function line(name: string, over: Record<string, string> = {}): Record<string, string> {
  const birth = `19${randomInt(40, 90)}-0${randomInt(1, 10)}-1${randomInt(0, 10)}`;
  const id = makeCitizenId('330102', birth, randomInt(0, 1000));
  return { 姓名: name, 性别: Number(id[16]) % 2 ? '男' : '女', 公民身份号码: id, 辖区代码: tree.community, 联系电话: `199${String(randomInt(0, 99_999_999)).padStart(8, '0')}`, ...over };
}
const csv = (lines: Record<string, string>[]) => Buffer.from(`\ufeff${TEMPLATE_HEADERS.join(',')}\n${lines.map((l) => TEMPLATE_HEADERS.map((h) => l[h] ?? '').join(',')).join('\n')}\n`);

/** Choose a file by keyboard: Space on the focused file input opens the chooser, which the test answers. */
async function chooseFile(name: string, body: Buffer): Promise<void> {
  await tabTo(/^台账文件\|INPUT\|file/);
  await chooseFileBySpace(page, { name, mimeType: 'text/csv', buffer: body });
}

describe('register page in Chromium', () => {
  it('when the supervisor opens 台账导入导出 from the navigation, then the page and the document title say so and axe finds nothing serious', async () => {
    await signIn(page, t.baseUrl, supervisor, 'Test@Pass-2026');
    await tabTo(/\|A\|\|台账导入导出/);
    await page.keyboard.press('Enter');
    await page.getByRole('heading', { level: 1, name: '台账导入导出' }).waitFor();
    expect(await page.title()).toBe('台账导入导出 — 安心坐席工作台');
    await expectAccessible('register page');
  });

  it('when a file with bad rows is checked, then each error is listed by line with its column and translated problem, focus stays on the button, and nothing is written', async () => {
    const name = `坏行${randomInt(1000, 9999)}`;
    await chooseFile('bad.csv', csv([line(name), line(`${name}b`, { 公民身份号码: '330102195001011234' }), line(`${name}c`, { 辖区代码: '999999999999' })]));
    await tabTo(/\|BUTTON\|submit\|上传并开始/);
    await page.keyboard.press('Enter');
    await page.getByRole('alert').filter({ hasText: '发现 2 处错误，未写入任何数据' }).waitFor();
    const table = page.getByRole('table', { name: /错误明细/ });
    await table.getByRole('row', { name: /3 公民身份号码 身份证号校验失败/ }).waitFor();
    await table.getByRole('row', { name: /4 辖区代码 辖区代码不存在或不在您的管辖范围内/ }).waitFor();
    expect(await active()).toMatch(/上传并开始/);
    expect(Number((await t.ds.query('SELECT count(*)::int AS n FROM person WHERE name LIKE $1', [`${name}%`]))[0].n)).toBe(0);
    await expectAccessible('register page with errors');
  });

  it('when 正式导入 is chosen with the arrow keys and a clean file uploaded, then the persons are written and the result is shown', async () => {
    const name = `好行${randomInt(1000, 9999)}`;
    await chooseFile('good.csv', csv([line(`${name}a`), line(`${name}b`)]));
    await tabTo(/仅检查|INPUT\|radio/);
    await page.keyboard.press('ArrowRight');
    expect(await page.getByRole('radio', { name: '正式导入' }).isChecked()).toBe(true);
    await tabTo(/\|BUTTON\|submit\|上传并开始/);
    await page.keyboard.press('Enter');
    await page.getByRole('status').filter({ hasText: '导入完成：已写入 2 名服务对象' }).waitFor();
    expect(Number((await t.ds.query('SELECT count(*)::int AS n FROM person WHERE name LIKE $1', [`${name}%`]))[0].n)).toBe(2);
    await page.getByRole('table', { name: '最近的导入' }).getByText('good.csv').waitFor();
  });

  it('when the district and a purpose are given, then the export downloads an XLSX and says so', async () => {
    await tabTo(/^辖区/);
    await page.keyboard.press('ArrowDown'); // the first district in scope
    await page.keyboard.press('Tab');
    await page.keyboard.type('年度核查');
    const [file] = await Promise.all([page.waitForEvent('download'), page.keyboard.press('Enter')]);
    expect(file.suggestedFilename()).toMatch(/^register-\d+\.xlsx$/);
    await page.getByRole('status').filter({ hasText: /已导出 register-/ }).waitFor();
    await expectAccessible('register page after export');
  });
});
