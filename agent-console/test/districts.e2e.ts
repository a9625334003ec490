/**
 * Issue 8 in Chromium against a real server, by keyboard only, with axe-core on the way:
 * - an admin opens 辖区管理, imports a district CSV with bad lines (row errors listed and translated, nothing
 *   written) and a clean one, renames a street, is refused retiring a 区 that still has a person (the reason
 *   translated), and retires an unused one;
 * - a supervisor on a person page records and withdraws a PIPL consent and records a death (a wrong date is
 *   refused with the field named; devices disarmed); the focus stays where the user acted.
 */
import { randomInt } from 'node:crypto';
import type { Page } from 'playwright-core';
import { makePerson } from '../../server/test/support/factories';
import { makeDistricts, makeUser, startTestApp, type RunningApp } from '../../server/test/support/test-app';
import { expectAccessible as expectPageAccessible } from './support/axe';
import { chooseFileBySpace, launchBrowser } from './support/browser';
import { ensureConsoleBuilt } from './support/console-build';
import { signIn } from './support/console-stack';

jest.setTimeout(90_000);

let t: RunningApp;
let tree: Awaited<ReturnType<typeof makeDistricts>>;
const browsers: Awaited<ReturnType<typeof launchBrowser>>[] = [];

beforeAll(async () => {
  t = await startTestApp({ env: { CONSOLE_DIR: ensureConsoleBuilt() } });
  tree = await makeDistricts(t.ds);
}, 180_000);
afterAll(async () => {
  for (const b of browsers) await b.close();
  await t?.close();
});

async function openPage(): Promise<Page> {
  const browser = await launchBrowser();
  browsers.push(browser);
  const page = browser.context.pages()[0] ?? (await browser.context.newPage());
  page.setDefaultTimeout(10_000);
  return page;
}

const expectAccessible = expectPageAccessible;

/** The focused element as `label|TAG|type|text|aria-label`. */
const active = (page: Page) =>
  page.evaluate(`(() => { const e = document.activeElement; return (e.labels && e.labels[0] ? e.labels[0].textContent : '') + '|' + e.tagName + '|' + (e.getAttribute('type') || '') + '|' + (e.textContent || '').trim() + '|' + (e.getAttribute('aria-label') || ''); })()`) as Promise<string>;

/**
 * Tab forward up to `max` stops, then back with Shift+Tab: the tree may hold every district other test files
 * made in the shared database, so the way round the whole page can be far longer than the way back.
 */
async function tabTo(page: Page, match: RegExp, max = 80): Promise<void> {
  for (const [key, stops] of [['Tab', max], ['Shift+Tab', max * 3]] as const) {
    for (let i = 0; i < stops; i++) {
      if (match.test(await active(page))) return;
      await page.keyboard.press(key);
    }
  }
  throw new Error(`focus never reached ${match}: last ${await active(page)}`);
}

const q = (sql: string, params: unknown[]) => t.ds.query(sql, params);

/** A 区 code under the test city that is not taken yet. */
async function freeDistrictCode(taken: string[] = []): Promise<string> {
  for (;;) {
    const code = `${tree.city.slice(0, 4)}${String(randomInt(10, 100))}`;
    if (!taken.includes(code) && (await q('SELECT 1 FROM district WHERE code = $1', [code])).length === 0) return code;
  }
}

describe('districts page in Chromium (admin)', () => {
  let page: Page;
  let code: string;
  let spare: string;

  beforeAll(async () => {
    page = await openPage();
    code = await freeDistrictCode();
    spare = await freeDistrictCode([code]);
  });

  async function chooseFile(body: string): Promise<void> {
    await tabTo(page, /^辖区 CSV 文件\|INPUT\|file/);
    await chooseFileBySpace(page, { name: 'districts.csv', mimeType: 'text/csv', buffer: Buffer.from(body) });
    await tabTo(page, /\|BUTTON\|submit\|导入\|/);
    await page.keyboard.press('Enter');
  }

  it('when the admin opens 辖区管理 from the navigation, then the page and the document title say so and axe finds nothing serious', async () => {
    await signIn(page, t.baseUrl, (await makeUser(t.ds, 'admin', tree.city)).username, 'Test@Pass-2026');
    await tabTo(page, /\|A\|\|辖区管理/);
    await page.keyboard.press('Enter');
    await page.getByRole('heading', { level: 1, name: '辖区管理' }).waitFor();
    expect(await page.title()).toBe('辖区管理 — 安心坐席工作台');
    await expectAccessible(page, 'districts page');
  });

  it('when a file with bad lines is imported, then each is listed by line with its translated problem, focus stays on the button, and nothing is written', async () => {
    await chooseFile(`代码,名称,上级代码\n${code},新区,${tree.city}\n${code}001001,错层社区,${code}\n${code}009001,孤儿社区,${code}009000\n`);
    await page.getByRole('alert').filter({ hasText: '发现 2 处错误，未写入任何辖区' }).waitFor();
    const table = page.getByRole('table', { name: '辖区导入错误明细' });
    await table.getByRole('row', { name: new RegExp(`3 ${code}001001 代码位数与层级不符`) }).waitFor();
    await table.getByRole('row', { name: new RegExp(`4 ${code}009001 上级代码不存在或已撤销`) }).waitFor();
    expect(await active(page)).toMatch(/\|BUTTON\|submit\|导入/);
    expect(await q('SELECT code FROM district WHERE code LIKE $1', [`${code}%`])).toEqual([]);
    await expectAccessible(page, 'districts page with row errors');
  });

  it('when a clean file is imported, then the districts are written and shown in the tree', async () => {
    await chooseFile(`${code},新区,${tree.city}\n${code}001000,新街道,${code}\n${code}001001,新社区,${code}001000\n${spare},空区,${tree.city}\n`);
    await page.getByRole('status').filter({ hasText: '导入完成：新增 4 个辖区。' }).waitFor();
    expect((await q('SELECT code, level FROM district WHERE code LIKE $1 ORDER BY code', [`${code}%`])).map((r: { level: string }) => r.level)).toEqual(['district', 'street', 'community']);
    await tabTo(page, /^查找辖区\|INPUT\|search/);
    await page.keyboard.type(code);
    await page.getByText('新社区').waitFor();
  });

  it('when a street is renamed by keyboard, then the name changes, the result is said, and focus returns to its rename button', async () => {
    await tabTo(page, /\|改名 新街道$/);
    await page.keyboard.press('Enter');
    expect(await active(page)).toMatch(/^新街道 的新名称\|INPUT/);
    await page.keyboard.press('Control+A');
    await page.keyboard.type('改名街道');
    await page.keyboard.press('Enter');
    await page.getByRole('status').filter({ hasText: '已改名为“改名街道”。' }).waitFor();
    await page.waitForFunction(() => document.activeElement?.getAttribute('aria-label') === '改名 改名街道');
    expect((await q('SELECT name FROM district WHERE code = $1', [`${code}001`]))[0].name).toBe('改名街道');
  });

  it('when a 区 with an active person is retired, then the refusal gives the reason translated and nothing is retired', async () => {
    await makePerson(t.ds, `${code}001001`);
    await tabTo(page, /\|撤销 新区$/);
    await page.keyboard.press('Enter');
    expect(await active(page)).toMatch(/\|BUTTON\|button\|确定撤销/);
    await page.keyboard.press('Enter');
    await page.getByRole('alert').filter({ hasText: '不能撤销：仍有在册服务对象 1 人、未完结工单 0 张、在岗人员 0 人。' }).waitFor();
    expect((await q('SELECT count(*)::int AS n FROM district WHERE code LIKE $1 AND retired_at IS NOT NULL', [`${code}%`]))[0].n).toBe(0);
    await expectAccessible(page, 'districts page with a refusal');
    await page.keyboard.press('Escape');
    await page.waitForFunction(() => document.activeElement?.getAttribute('aria-label') === '撤销 新区');
  });

  it('when an unused 区 is retired, then it is retired (kept) and the tree says so with the focus on its heading', async () => {
    await tabTo(page, /^查找辖区\|INPUT\|search/, 200);
    await page.keyboard.press('Control+A');
    await page.keyboard.type(spare);
    await tabTo(page, /\|撤销 空区$/);
    await page.keyboard.press('Enter');
    await page.keyboard.press('Enter');
    await page.getByRole('status').filter({ hasText: '已撤销“空区”（含下属共 1 个辖区）。' }).waitFor();
    await page.waitForFunction(() => document.activeElement?.id === 'district-tree');
    expect(await q('SELECT code FROM district WHERE code = $1 AND retired_at IS NOT NULL', [spare])).toEqual([{ code: spare }]);
  });
});

describe('person status and consent in Chromium (supervisor)', () => {
  let page: Page;
  let person: Awaited<ReturnType<typeof makePerson>>;
  let supervisorId: string;

  beforeAll(async () => {
    page = await openPage();
    person = await makePerson(t.ds, tree.community);
    const supervisor = await makeUser(t.ds, 'supervisor', tree.district);
    supervisorId = supervisor.id;
    await signIn(page, t.baseUrl, supervisor.username, 'Test@Pass-2026');
    await page.getByRole('navigation').waitFor();
    await page.goto(`${t.baseUrl}/#/persons/${person.id}`);
    await page.getByRole('heading', { level: 1, name: new RegExp(person.record.name) }).waitFor();
    await page.getByRole('heading', { level: 2, name: '个人信息同意（PIPL）' }).waitFor();
  });

  it('when a consent is recorded by keyboard, then it is stored with how and by whom, said, and the focus moves to its withdraw button', async () => {
    await tabTo(page, /\|登记同意：敏感个人信息（残疾、健康、位置）$/);
    await page.keyboard.press('Enter');
    expect(await active(page)).toMatch(/^日期\|INPUT/);
    await page.keyboard.press('Tab');
    await page.keyboard.press('ArrowRight');
    expect(await page.getByRole('radio', { name: '书面' }).isChecked()).toBe(true);
    await tabTo(page, /\|BUTTON\|submit\|保存/);
    await page.keyboard.press('Enter');
    await page.getByRole('status').filter({ hasText: '已登记“敏感个人信息（残疾、健康、位置）”的同意。' }).waitFor();
    await page.waitForFunction(() => document.activeElement?.getAttribute('aria-label') === '登记撤回：敏感个人信息（残疾、健康、位置）');
    expect(await q('SELECT method, recorded_by_id FROM person_consent WHERE person_id = $1', [person.id])).toEqual([{ method: 'written', recorded_by_id: supervisorId }]);
    await expectAccessible(page, 'person page after a consent');
  });

  it('when the consent is withdrawn, then the withdrawal is kept in the history', async () => {
    await page.keyboard.press('Enter');
    await tabTo(page, /\|BUTTON\|submit\|保存/);
    await page.keyboard.press('Enter');
    await page.getByRole('status').filter({ hasText: '已登记“敏感个人信息（残疾、健康、位置）”的撤回。' }).waitFor();
    await page.getByRole('table', { name: '同意与撤回的全部记录' }).getByRole('row', { name: /敏感个人信息.*书面.*口头/ }).waitFor();
    expect((await q('SELECT withdrawal_method FROM person_consent WHERE person_id = $1 AND withdrawn_at IS NOT NULL', [person.id]))[0].withdrawal_method).toBe('oral');
  });

  it('when a death is recorded with a future date, then the field is named in the translated error; with a right date, the status changes and the devices are disarmed', async () => {
    await tabTo(page, /\|BUTTON\|button\|登记死亡\|/, 200);
    await page.keyboard.press('Enter');
    expect(await active(page)).toMatch(/^死亡日期/);
    await page.keyboard.press('Control+A');
    await page.keyboard.type('2999-01-01');
    await page.keyboard.press('Tab');
    await page.keyboard.type('家属来电告知');
    await page.keyboard.press('Enter');
    await page.getByRole('alert').filter({ hasText: '填写的内容不正确，请检查后重试。请检查：死亡日期' }).waitFor();
    expect(await active(page)).toMatch(/^说明/);
    await page.keyboard.press('Shift+Tab');
    await page.keyboard.press('Control+A');
    await page.keyboard.type('2026-11-30');
    await page.keyboard.press('Enter');
    await page.getByRole('status').filter({ hasText: '已登记死亡，设备已撤防。' }).waitFor();
    await page.waitForFunction(() => document.activeElement?.id === 'person-status-title');
    await page.getByText('当前状态：已故').waitFor();
    expect(await q('SELECT p.status, p.died_on::text AS died_on, d.armed FROM person p JOIN device d ON d.person_id = p.id WHERE p.id = $1', [person.id])).toEqual([{ status: 'deceased', died_on: '2026-11-30', armed: false }]);
    await expectAccessible(page, 'person page after a death');
  });

  it('when the supervisor corrects the death, then the record is active again and its device re-armed', async () => {
    await tabTo(page, /\|BUTTON\|button\|更正死亡登记\|/);
    await page.keyboard.press('Enter');
    expect(await active(page)).toMatch(/^说明/);
    await page.keyboard.type('核实本人仍健在');
    await page.keyboard.press('Enter');
    await page.getByRole('status').filter({ hasText: '已恢复在册，1 台设备已重新布防。' }).waitFor();
    expect(await q('SELECT p.status, d.armed FROM person p JOIN device d ON d.person_id = p.id WHERE p.id = $1', [person.id])).toEqual([{ status: 'active', armed: true }]);
  });

  it('when a duplicate record is found by name and merged by keyboard, then its phones, contacts and devices move to this record and both show the merge', async () => {
    const name = `合并${randomInt(1000, 9999)}`;
    const survivor = await makePerson(t.ds, tree.community, { name });
    const duplicate = await makePerson(t.ds, tree.street, { name });
    await page.goto(`${t.baseUrl}/#/persons/${survivor.id}`);
    await page.getByRole('heading', { level: 1, name: new RegExp(name) }).waitFor();
    await page.getByRole('button', { name: '合并重复记录' }).waitFor();
    await tabTo(page, /\|BUTTON\|button\|合并重复记录\|/, 200);
    await page.keyboard.press('Enter');
    expect(await active(page)).toMatch(/^查找重复记录\|INPUT/);
    await page.keyboard.type(name);
    await page.keyboard.press('Enter');
    await page.getByRole('radio', { name: new RegExp(tree.street) }).waitFor();
    await tabTo(page, /\|INPUT\|radio\|/);
    await page.keyboard.press('Space');
    await page.keyboard.press('Tab');
    await page.keyboard.type('同一人两次登记');
    await page.keyboard.press('Enter');
    await page.getByRole('status').filter({ hasText: '已合并：移入 3 条关联记录。' }).waitFor();
    await page.waitForFunction(() => document.activeElement?.id === 'person-status-title');
    expect(await q('SELECT status, merged_into_id FROM person WHERE id = $1', [duplicate.id])).toEqual([{ status: 'merged', merged_into_id: survivor.id }]);
    expect((await q('SELECT count(*)::int AS n FROM phone_number WHERE person_id = $1', [survivor.id]))[0].n).toBe(2);
    await page.getByText(`已并入 ${name} 的记录`).waitFor();
    await expectAccessible(page, 'person page after a merge');
  });
});
