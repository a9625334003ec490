/**
 * Keeping a person's record right (issue 8) in Chromium against a real server, by keyboard only: an agent
 * edits the profile (the change history shows it), is told when another agent saved first (409, translated,
 * typed values kept, reload and save again), reorders and adds contacts, adds a shared landline after
 * confirming, registers a pendant, switches its mode and retires it (the IVR forgets it). Focus stays where
 * the agent acted; axe-core finds nothing serious or critical on the way.
 */
import { randomInt } from 'node:crypto';
import type { Page } from 'playwright-core';
import { makePerson } from '../../server/test/support/factories';
import { api, login, makeDistricts, makeUser, randomMobile, startTestApp, type RunningApp } from '../../server/test/support/test-app';
import { expectAccessible as expectPageAccessible } from './support/axe';
import { launchBrowser } from './support/browser';
import { ensureConsoleBuilt } from './support/console-build';
import { signIn, until } from './support/console-stack';

jest.setTimeout(60_000);

let t: RunningApp;
let browser: Awaited<ReturnType<typeof launchBrowser>>;
let page: Page;
let agent: string;
let otherAgentToken: string;
let tree: Awaited<ReturnType<typeof makeDistricts>>;
let person: Awaited<ReturnType<typeof makePerson>>;
let lastSim = '';

beforeAll(async () => {
  t = await startTestApp({ env: { CONSOLE_DIR: ensureConsoleBuilt() } });
  tree = await makeDistricts(t.ds);
  agent = (await makeUser(t.ds, 'agent', tree.district)).username;
  otherAgentToken = await login(t.baseUrl, (await makeUser(t.ds, 'agent', tree.district)).username);
  person = await makePerson(t.ds, tree.community);
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

async function tabTo(match: RegExp, max = 200, key: 'Tab' | 'Shift+Tab' = 'Tab'): Promise<void> {
  for (let i = 0; i < max; i++) {
    if (match.test(await active())) return;
    await page.keyboard.press(key);
  }
  throw new Error(`focus never reached ${match}: last ${await active()}`);
}

const announced = (text: string | RegExp) => page.getByTestId('live-polite').filter({ hasText: text }).waitFor();
const row = async <T,>(sql: string, params: unknown[]): Promise<T> => ((await t.ds.query(sql, params)) as T[])[0]!;

describe('person records in Chromium, by keyboard', () => {
  it('when an agent opens a person, then contacts, devices, phones and the change history are there, the title is set and axe finds nothing serious', async () => {
    await signIn(page, t.baseUrl, agent, 'Test@Pass-2026');
    await page.getByRole('navigation').first().waitFor();
    await page.goto(`${t.baseUrl}/#/persons/${person.id}`);
    await page.getByRole('heading', { level: 1, name: new RegExp(person.record.name) }).waitFor();
    expect(await page.title()).toMatch(new RegExp(`^${person.record.name}`));
    for (const name of ['监护人与紧急联系人', '设备', '电话号码', '修改记录']) await page.getByRole('heading', { level: 2, name }).waitFor();
    await page.getByText('暂无修改记录').waitFor();
    await expectAccessible('person page');
  });

  it('when the agent changes the risk tier in the profile form, then it is saved, focus returns to 编辑资料 and the history shows the change', async () => {
    await tabTo(/\|BUTTON\|button\|编辑资料$/);
    await page.keyboard.press('Enter');
    await page.getByRole('heading', { level: 3, name: '编辑资料' }).waitFor();
    expect(await active()).toMatch(/^姓名\|INPUT/);
    await expectAccessible('profile form');
    await tabTo(/^风险等级\|SELECT/);
    await page.keyboard.press('ArrowDown'); // 高风险 → 重点
    await tabTo(/\|BUTTON\|submit\|保存修改/);
    await page.keyboard.press('Enter');
    await announced('资料已保存。');
    await until(async () => /编辑资料$/.test(await active()));
    expect(await row('SELECT risk_tier, version FROM person WHERE id = $1', [person.id])).toEqual({ risk_tier: 'key', version: 2 });
    const history = page.getByRole('table', { name: '修改记录' });
    await history.getByRole('row', { name: /风险等级 高风险 重点/ }).waitFor();
  });

  it('when another agent saves first, then the save is refused with a translated message, focus stays on the button, and after a reload the typed change is saved on top', async () => {
    await tabTo(/\|BUTTON\|button\|编辑资料$/);
    await page.keyboard.press('Enter');
    await tabTo(/^方言\|INPUT/);
    await page.keyboard.type('温州话');
    const other = await api(t.baseUrl, 'PATCH', `/api/persons/${person.id}`, otherAgentToken, { version: 2, address: '他人修改的地址 9 号' });
    expect(other.status).toBe(200);
    await tabTo(/\|BUTTON\|submit\|保存修改/);
    await page.keyboard.press('Enter');
    await page.getByRole('alert').filter({ hasText: '该记录刚被其他坐席修改过，您的修改未保存' }).waitFor();
    expect(await active()).toMatch(/保存修改/);
    expect(await row('SELECT dialect FROM person WHERE id = $1', [person.id])).toEqual({ dialect: null });
    await expectAccessible('profile form with a version conflict');
    await page.keyboard.press('Tab');
    expect(await active()).toMatch(/重新加载记录/);
    await page.keyboard.press('Enter');
    await page.getByText('他人修改的地址 9 号').first().waitFor();
    await tabTo(/\|BUTTON\|submit\|保存修改/);
    await page.keyboard.press('Enter');
    await until(async () => (await row<{ version: number }>('SELECT version FROM person WHERE id = $1', [person.id])).version === 4);
    expect(await row('SELECT dialect, address, version FROM person WHERE id = $1', [person.id])).toEqual({ dialect: '温州话', address: '他人修改的地址 9 号', version: 4 });
    await until(async () => /编辑资料$/.test(await active()));
  });

  it('when the agent adds a contact and moves it up, then the stored emergency order follows and focus stays on the button pressed', async () => {
    await tabTo(/\|BUTTON\|button\|添加联系人$/);
    await page.keyboard.press('Enter');
    expect(await active()).toMatch(/^联系人姓名\|INPUT/);
    await page.keyboard.type('王邻居');
    await page.keyboard.press('Tab');
    await page.keyboard.type('邻居');
    await page.keyboard.press('Tab');
    const phone = randomMobile();
    await page.keyboard.type(phone.slice(3));
    await tabTo(/\|BUTTON\|submit\|保存$/);
    await page.keyboard.press('Enter');
    await announced('已添加联系人 王邻居。');
    await until(async () => /添加联系人$/.test(await active()));
    await page.getByRole('button', { name: '上移 王邻居' }).waitFor(); // the record reloaded with the new contact
    await tabTo(/\|BUTTON\|button\|上移 王邻居$/, 30, 'Shift+Tab'); // the new contact is last, just above 添加联系人
    await page.keyboard.press('Enter');
    await announced('王邻居 已移到第 1 位。');
    expect(await active()).toMatch(/上移 王邻居/);
    const order: { name: string }[] = await t.ds.query('SELECT name FROM contact WHERE person_id = $1 ORDER BY priority', [person.id]);
    expect(order.map((o) => o.name)).toEqual(['王邻居', '李监护']);
  });

  it("when the agent adds a landline that is another person's, then confirmation is asked with focus on it, and once confirmed both own the number", async () => {
    const neighbour = await makePerson(t.ds, tree.community);
    const landline = `+8657187${String(randomInt(100000, 999999))}`;
    await t.ds.query(`INSERT INTO phone_number (e164, kind, person_id) VALUES ($1, 'landline', $2)`, [landline, neighbour.id]);
    await tabTo(/^新号码\|INPUT/);
    await page.keyboard.type(`0571-${landline.slice(-8)}`);
    await tabTo(/\|BUTTON\|submit\|添加号码/);
    await page.keyboard.press('Enter');
    await page.getByRole('alert').filter({ hasText: '该号码已登记在其他服务对象名下' }).waitFor();
    await until(async () => /确认这是家庭共用电话/.test(await active()));
    await expectAccessible('shared number confirmation');
    await page.keyboard.press('Space');
    await tabTo(/\|BUTTON\|submit\|添加号码/, 10);
    await page.keyboard.press('Enter');
    await announced('号码已添加。');
    const owners: { person_id: string }[] = await t.ds.query('SELECT person_id FROM phone_number WHERE e164 = $1', [landline]);
    expect(owners.map((o) => o.person_id).sort()).toEqual([person.id, neighbour.id].sort());
  });

  it('when the agent registers a calling pendant, switches it to 外出 and retires it, then the IVR knows it and then forgets it', async () => {
    const serial = `PD-${randomInt(1e6, 1e7)}`;
    const sim = randomMobile().slice(3);
    await tabTo(/^序列号\|INPUT/);
    await page.keyboard.type(serial);
    await page.keyboard.press('Tab');
    await page.keyboard.type('AX-2');
    await page.keyboard.press('Tab');
    await page.keyboard.type(sim);
    await tabTo(/\|BUTTON\|submit\|登记设备/, 10);
    await page.keyboard.press('Enter');
    await announced(`设备 ${serial} 已登记。`);
    expect(await (await fetch(`${t.baseUrl}/ivr/lookup?number=${sim}`)).text()).toBe(`sos:${serial}`);

    await tabTo(new RegExp(`^一键呼救器 ${serial} 的模式\\|SELECT`));
    await page.keyboard.press('ArrowDown'); // 在家 → 外出
    await page.keyboard.press('Tab');
    expect(await active()).toMatch(/切换模式/);
    await page.keyboard.press('Enter');
    await announced(`一键呼救器 ${serial} 已切换为外出。`);
    expect(await active()).toMatch(/切换模式/);
    expect(await row('SELECT mode FROM device WHERE serial = $1', [serial])).toEqual({ mode: 'away' });

    await tabTo(new RegExp(`\\|BUTTON\\|button\\|停用 一键呼救器 ${serial}$`), 10);
    await page.keyboard.press('Enter');
    expect(await active()).toMatch(/确认停用/);
    await page.keyboard.press('Enter');
    await announced(/已停用，不再作为 SOS 设备/);
    await until(async () => /\|H2\|\|设备$/.test(await active()));
    expect(await row('SELECT retired_at IS NOT NULL AS retired FROM device WHERE serial = $1', [serial])).toEqual({ retired: true });
    expect(await (await fetch(`${t.baseUrl}/ivr/lookup?number=${sim}`)).text()).toBe('unknown');
    await page.getByRole('table', { name: '修改记录' }).getByRole('row', { name: new RegExp(`设备 .*${serial}.*已停用`) }).waitFor();
    await expectAccessible('person page after device changes');
    lastSim = sim;
  });

  it('when the agent reveals the record for a purpose, then the change history shows the hidden values in full too', async () => {
    const history = page.getByRole('table', { name: '修改记录' });
    const masked = `${lastSim.slice(0, 3)}****${lastSim.slice(-4)}`;
    await history.getByRole('row', { name: new RegExp(`设备 .*${masked.replace(/\*/g, '\\*')}`) }).first().waitFor();
    await tabTo(/\|BUTTON\|button\|查看完整信息$/);
    await page.keyboard.press('Enter');
    await page.getByRole('dialog', { name: /查看完整信息/ }).waitFor();
    await tabTo(/^查看目的/, 10);
    await page.keyboard.press('ArrowDown'); // the purpose select has focus: 紧急联系
    expect(await page.getByRole('dialog').getByLabel(/查看目的/).inputValue()).toBe('emergency_contact');
    await tabTo(/\|BUTTON\|submit\|确认查看/, 10);
    await page.keyboard.press('Enter');
    const full = `${lastSim.slice(0, 3)} ${lastSim.slice(3, 7)} ${lastSim.slice(7)}`;
    await history.getByRole('row', { name: new RegExp(`设备 .*${full}`) }).first().waitFor();
    expect(await t.ds.query(`SELECT count(*)::int AS n FROM audit_log WHERE action = 'person.reveal' AND subject_id = $1 AND outcome = 'ok'`, [person.id])).toEqual([{ n: 1 }]);
    await expectAccessible('person page revealed');
  });
});
