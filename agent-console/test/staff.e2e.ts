/**
 * Staff administration and the second factor in Chromium against a real server, by keyboard only: the
 * security admin signs in with a TOTP code, lands on the staff list, creates a user (one-time password shown
 * once), is refused a combination with the auditor role (translated, focus on the message), deactivates the
 * user; an auditor without a second factor is sent to the enrolment page, confirms a code and sees the recovery
 * codes. axe-core finds nothing serious or critical on each page.
 */
import type { Page } from 'playwright-core';
import { StaffUser } from '../../server/src/staff/staff-user.entity';
import { makeDistricts, makeUser, startTestApp, totpCodeFor, type RunningApp } from '../../server/test/support/test-app';
import { expectAccessible as expectPageAccessible } from './support/axe';
import { launchBrowser } from './support/browser';
import { ensureConsoleBuilt } from './support/console-build';
import { signIn, until } from './support/console-stack';

jest.setTimeout(90_000);

let t: RunningApp;
let browser: Awaited<ReturnType<typeof launchBrowser>>;
let page: Page;
let secAdmin: string;
let tree: Awaited<ReturnType<typeof makeDistricts>>;

beforeAll(async () => {
  t = await startTestApp({ env: { CONSOLE_DIR: ensureConsoleBuilt() } });
  tree = await makeDistricts(t.ds);
  secAdmin = (await makeUser(t.ds, 'security_admin', tree.city)).username;
  browser = await launchBrowser();
  page = browser.context.pages()[0] ?? (await browser.context.newPage());
  page.setDefaultTimeout(10_000);
}, 180_000);
afterAll(async () => {
  await browser?.close();
  await t?.close();
});

const expectAccessible = (name: string) => expectPageAccessible(page, name);

const active = () => page.evaluate(`(() => { const e = document.activeElement; return (e.labels && e.labels[0] ? e.labels[0].textContent : '') + '|' + e.tagName + '|' + (e.textContent || '').trim().slice(0, 80) + '|' + (e.getAttribute('data-testid') || ''); })()`) as Promise<string>;

/** Tab forward until the focused element matches (keyboard only), at most 60 presses. */
async function tabTo(match: RegExp): Promise<void> {
  for (let i = 0; i < 60; i++) {
    if (match.test(await active())) return;
    await page.keyboard.press('Tab');
  }
  throw new Error(`focus never reached ${match}: last ${await active()}`);
}

const username = `e2e.staff-${Date.now().toString(36)}`;

describe('staff administration in Chromium', () => {
  it('when the security admin signs in with a TOTP code, then the staff list is the landing page', async () => {
    await signIn(page, t.baseUrl, secAdmin, 'Test@Pass-2026');
    await page.getByRole('heading', { level: 1, name: '工作人员管理' }).waitFor();
    expect(page.url()).toMatch(/#\/staff$/);
    expect(await page.title()).toMatch(/^工作人员管理 — 安心/);
    await page.getByRole('table').waitFor();
    await expectAccessible('staff list');
  });

  it('when a user is created by keyboard, then the one-time password is shown once with the focus on it, and the user is stored with both roles', async () => {
    await tabTo(/\|A\|新建工作人员/);
    await page.keyboard.press('Enter');
    await page.getByRole('heading', { level: 1, name: '新建工作人员' }).waitFor();
    await tabTo(/^用户名/);
    await page.keyboard.type(username);
    await page.keyboard.press('Tab');
    await expect(active()).resolves.toMatch(/^姓名/);
    await page.keyboard.type('键盘测试员');
    await tabTo(/^班长\|INPUT/);
    await page.keyboard.press('Space');
    await tabTo(/^管辖区域/);
    await page.keyboard.press('ArrowDown'); // the first district in the list (the test city)
    await tabTo(/^手语\|INPUT/);
    await page.keyboard.press('Space');
    await tabTo(/\|BUTTON\|创建并生成一次性密码/);
    await expectAccessible('staff create form');
    await page.keyboard.press('Enter');

    await page.getByTestId('one-time-password').waitFor();
    await until(async () => /staff-result/.test(await active()));
    const oneTime = (await page.getByTestId('one-time-password').textContent())!;
    expect(oneTime).toMatch(/^[A-Za-z0-9]{4}(-[A-Za-z0-9]{4}){3}$/);
    const stored = await t.ds.getRepository(StaffUser).findOneByOrFail({ username });
    expect({ roles: stored.roles, skills: stored.skills, mustChangePassword: stored.mustChangePassword }).toEqual({ roles: ['agent', 'supervisor'], skills: ['sign_language'], mustChangePassword: true });
    await expectAccessible('staff edit page with one-time password');
  });

  it('when the auditor role is added to a user with other roles, then the refusal is translated, the focus moves to it, and nothing changes', async () => {
    await tabTo(/^审计员\|INPUT/);
    await page.keyboard.press('Space');
    await tabTo(/\|BUTTON\|保存修改/);
    await page.keyboard.press('Enter');
    await page.getByText('安全管理员和审计员只能单独担任，不能兼任其他角色。').first().waitFor();
    await until(async () => /staff-result/.test(await active()));
    expect((await t.ds.getRepository(StaffUser).findOneByOrFail({ username })).roles).toEqual(['agent', 'supervisor']);
    await expectAccessible('staff edit page with an error');
    await tabTo(/^审计员\|INPUT/);
    await page.keyboard.press('Space'); // untick again
  });

  it('when the user is deactivated by keyboard, then it is stored and announced', async () => {
    await tabTo(/\|BUTTON\|停用账号/);
    await page.keyboard.press('Enter');
    await page.getByTestId('staff-result').getByText('账号已停用，该人员的所有登录已立即退出。').waitFor();
    expect((await t.ds.getRepository(StaffUser).findOneByOrFail({ username })).active).toBe(false);
    await expectAccessible('staff edit page after deactivation');
  });
});

describe('TOTP enrolment in Chromium', () => {
  it('when an auditor without a second factor signs in, then only the enrolment page shows; a code from the app confirms it and the ten recovery codes are shown', async () => {
    await page.context().clearCookies(); // the security admin's session is gone: a fresh load shows the sign-in page
    await page.goto(`${t.baseUrl}/?fresh=${Date.now()}#/`);
    await page.getByRole('heading', { level: 1, name: /登录/ }).waitFor();
    const auditor = await makeUser(t.ds, 'auditor', tree.city, { totpEnabledAt: null });
    await signIn(page, t.baseUrl, auditor.username, 'Test@Pass-2026');
    await page.getByRole('heading', { level: 1, name: '绑定动态验证码' }).waitFor();
    expect(await page.title()).toMatch(/^绑定动态验证码 — 安心/);
    await expectAccessible('forced TOTP enrolment');
    await tabTo(/\|BUTTON\|显示二维码/);
    await page.keyboard.press('Enter');
    await page.getByRole('img', { name: /动态验证码二维码/ }).waitFor();
    await until(async () => /^验证码/.test(await active())); // the focus moved to the code field
    const secret = ((await page.getByTestId('totp-secret').textContent()) ?? '').replace(/\s/g, '');
    await page.keyboard.type('123');
    await page.keyboard.press('Enter');
    await page.getByText('请输入 6 位数字。').waitFor();
    expect(await active()).toMatch(/^验证码/); // the focus stays on the field with the error
    await page.keyboard.press('Control+A'); // replace what was typed
    await page.keyboard.type(totpCodeFor(t.baseUrl, secret));
    await page.keyboard.press('Enter');
    await page.getByRole('heading', { level: 2, name: '恢复码' }).waitFor();
    expect(await page.getByTestId('recovery-codes').locator('li').count()).toBe(10);
    expect((await t.ds.getRepository(StaffUser).findOneByOrFail({ id: auditor.id })).totpEnabledAt).not.toBeNull();
    await expectAccessible('recovery codes');
    await tabTo(/\|BUTTON\|我已保存恢复码/);
    await page.keyboard.press('Enter');
    await page.getByRole('heading', { level: 1, name: '审计日志' }).waitFor();

    // Later, under settings: the state is shown, and a current code replaces the recovery codes.
    await page.goto(`${t.baseUrl}/#/settings/totp`);
    await page.getByText(/还剩 10 条未使用的恢复码/).waitFor();
    await expectAccessible('TOTP settings');
    await tabTo(/^验证码/);
    await page.keyboard.type(totpCodeFor(t.baseUrl, secret));
    await page.keyboard.press('Enter');
    await page.getByText('已生成新的恢复码，旧的恢复码已失效。').first().waitFor();
    expect(await page.getByTestId('recovery-codes').locator('li').count()).toBe(10);
  });
});
