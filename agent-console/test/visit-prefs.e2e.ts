/**
 * A person's 上门服务偏好 in Chromium against a real server, by keyboard only: a dispatcher opens the person,
 * picks 女, ticks 需两人同行上门, finds a volunteer by name and blocks them, removes nobody, gives a reason and
 * saves: focus lands on the status message and the stored row holds the preferences. Saving again without a
 * reason is refused with the server's reason translated. axe-core finds nothing serious or critical.
 */
import type { Page } from 'playwright-core';
import { makePerson } from '../../server/test/support/factories';
import { volunteerNear } from '../../server/test/support/dispatch-fixtures';
import { login, makeDistricts, makeUser, startTestApp, type RunningApp } from '../../server/test/support/test-app';
import { expectAccessible } from './support/axe';
import { launchBrowser } from './support/browser';
import { ensureConsoleBuilt } from './support/console-build';
import { signIn } from './support/console-stack';
import { focused, tabTo } from './support/keyboard';

jest.setTimeout(60_000);

let t: RunningApp;
let browser: Awaited<ReturnType<typeof launchBrowser>>;
let page: Page;
let dispatcher: string;
let person: Awaited<ReturnType<typeof makePerson>>;
let volunteer: { id: string; phone: string };
const home = { lat: 31.2304, lng: 121.4737 };

beforeAll(async () => {
  t = await startTestApp({ env: { CONSOLE_DIR: ensureConsoleBuilt() } });
  const tree = await makeDistricts(t.ds);
  dispatcher = (await makeUser(t.ds, 'dispatcher', tree.district)).username;
  person = await makePerson(t.ds, tree.community, { lat: home.lat, lng: home.lng });
  const world = { tree, dispatcherToken: await login(t.baseUrl, dispatcher), agentToken: '', personId: person.id, home };
  volunteer = await volunteerNear(t, world, 0.5, ['shopping']);
  browser = await launchBrowser();
  page = browser.context.pages()[0] ?? (await browser.context.newPage());
  page.setDefaultTimeout(10_000);
}, 180_000);
afterAll(async () => {
  await browser?.close();
  await t?.close();
});

const volunteerName = () => `志愿者${volunteer.phone.slice(-4)}`;

describe('visit preferences in Chromium, by keyboard', () => {
  it('when a dispatcher opens a person, then the 上门服务偏好 section shows no preferences and axe finds nothing serious', async () => {
    await signIn(page, t.baseUrl, dispatcher, 'Test@Pass-2026');
    await page.getByRole('navigation').first().waitFor();
    await page.goto(`${t.baseUrl}/#/persons/${person.id}`);
    await page.getByRole('heading', { level: 2, name: '上门服务偏好' }).waitFor();
    await page.getByText('没有屏蔽任何人员。').waitFor();
    await expectAccessible(page, 'visit preferences');
  });

  it('when the dispatcher sets 女, two people and blocks a volunteer found by name, then saving focuses the status and stores the row', async () => {
    await tabTo(page, /^服务人员性别:不限\|INPUT/);
    await page.keyboard.press('ArrowRight'); // 不限 → 女
    expect(await focused(page)).toMatch(/^服务人员性别:女\|INPUT/);
    await tabTo(page, /^需两人同行上门\|INPUT/);
    await page.keyboard.press('Space');
    await tabTo(page, /^查找服务人员或志愿者\|INPUT/);
    await page.keyboard.type(volunteerName());
    await page.keyboard.press('Enter');
    await page.getByRole('heading', { level: 4, name: '查找结果' }).waitFor();
    await tabTo(page, new RegExp(`\\|BUTTON\\|屏蔽 ${volunteerName()}$`));
    await page.keyboard.press('Enter');
    expect(await focused(page)).toMatch(/^查找服务人员或志愿者\|INPUT/);
    await page.getByRole('button', { name: `移除 ${volunteerName()}` }).waitFor();
    await expectAccessible(page, 'visit preferences with a search');
    await tabTo(page, /^修改原因\|INPUT/);
    await page.keyboard.type('曾投诉该志愿者，本人要求女性');
    await tabTo(page, /\|BUTTON\|保存偏好$/);
    await page.keyboard.press('Enter');
    await page.getByRole('status').filter({ hasText: '上门服务偏好已保存。' }).waitFor();
    expect(await focused(page)).toMatch(/\|DIV\|上门服务偏好已保存。/);
    const [row] = await t.ds.query('SELECT gender_preference, two_person_visit, no_lone_volunteer, blocked_candidate_ids, version FROM person_dispatch_pref WHERE person_id = $1', [person.id]);
    expect(row).toEqual({ gender_preference: 'female', two_person_visit: true, no_lone_volunteer: false, blocked_candidate_ids: [volunteer.id], version: 1 });
  });

  it('when the dispatcher removes the blocked volunteer and saves without a reason, then the refusal is shown translated, focused, and nothing changes', async () => {
    await tabTo(page, new RegExp(`\\|BUTTON\\|移除 ${volunteerName()}$`), { back: true });
    await page.keyboard.press('Enter');
    expect(await focused(page)).toMatch(/^\|H3\|已屏蔽的人员/);
    await tabTo(page, /\|BUTTON\|保存偏好$/);
    await page.keyboard.press('Enter');
    const alert = page.getByRole('alert').filter({ hasText: '修改原因' });
    await alert.waitFor();
    expect(await focused(page)).toMatch(/\|DIV\|.*修改原因/);
    const [row] = await t.ds.query('SELECT blocked_candidate_ids, version FROM person_dispatch_pref WHERE person_id = $1', [person.id]);
    expect(row).toEqual({ blocked_candidate_ids: [volunteer.id], version: 1 });
    await expectAccessible(page, 'visit preferences refusal');
  });
});
