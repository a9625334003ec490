/**
 * The agent console in Chromium against a real server and recorded Asterisk traffic: sign in, go available
 * (queue actions on the PBX), the screen pop of a replayed call, a work order by keyboard only, an SOS call,
 * click-to-call (Originate on the fake AMI), language switch, telephony-down banner, session expiry, and an
 * axe-core audit of every main page. The steps run in order and share one browser page.
 */
import type { Page } from 'playwright-core';
import { AuditLog } from '../../server/src/audit/audit-log.entity';
import { Call } from '../../server/src/calls/call.entity';
import { Ticket, TicketCall } from '../../server/src/tickets/ticket.entity';
import { loadAmiFixture, type AmiFixture } from '../../server/test/support/ami-fixtures';
import { makeUser, TEST_PASSWORD } from '../../server/test/support/test-app';
import { expectAccessible as expectPageAccessible } from './support/axe';
import { gate, signIn, startConsoleStack, until, type ConsoleStack } from './support/console-stack';
import { screenshot } from './support/screenshots';

jest.setTimeout(60_000);

/**
 * DERIVED from a recording: the frames up to the agent answering, so the call keeps ringing (the SOS alert
 * then stays until the agent acknowledges it, which is what the test is about).
 */
function untilAnswered(fixture: AmiFixture): AmiFixture {
  const answeredAt = fixture.frames.findIndex((f) => f.dir === 'in' && f.raw.startsWith('Event: AgentConnect'));
  return { header: { ...fixture.header, scenario: `${fixture.header.scenario}-ringing`, derivedFrom: fixture.header.scenario }, frames: fixture.frames.slice(0, answeredAt) };
}

const firstCall = gate();
const sosCall = gate();
const outbound = gate();
let s: ConsoleStack;
let page: Page;
let ticketId: string;

beforeAll(async () => {
  s = await startConsoleStack([
    { fixtures: [loadAmiFixture('agent-membership'), loadAmiFixture('inbound-answered-caller-hangup')], speed: 2, startWhen: firstCall.promise },
    { fixtures: untilAnswered(loadAmiFixture('sos-device-call')), speed: 4, startWhen: sosCall.promise },
    { fixtures: loadAmiFixture('click-to-call-originate'), gateOn: ['Originate'], startWhen: outbound.promise },
  ]);
  page = s.page;
  page.setDefaultTimeout(10_000);
}, 180_000);
afterAll(async () => {
  firstCall.open();
  sosCall.open();
  outbound.open();
  await s?.close();
});

const expectAccessible = (name: string) => expectPageAccessible(page, name);

const heading = (name: RegExp | string) => page.getByRole('heading', { level: 1, name });

describe('agent console in Chromium', () => {
  it('when agent 8001 signs in by keyboard, then the workspace opens and the softphone says plainly there is no SIP server', async () => {
    await page.goto(`${s.baseUrl}/#/`);
    await page.getByLabel('用户名').waitFor();
    await expect(page.evaluate('document.documentElement.lang')).resolves.toBe('zh-CN');
    await screenshot(page, 'login');
    await expectAccessible('login');
    await signIn(page, s.baseUrl, 'agent8001', s.people.password);
    await heading('工作台').waitFor();
    await page.getByTestId('softphone-status').getByText(/未配置 Asterisk 软电话/).waitFor();
    await page.getByTestId('telephony-chip').getByText(/已连接/).waitFor();
  });

  it('when the agent goes available with Alt+P and Enter, then QueueAdd and an unpause reach the PBX for Local/8001@agents/n', async () => {
    await page.keyboard.press('Alt+KeyP');
    await expect(page.evaluate('document.activeElement.tagName')).resolves.toBe('SELECT');
    await page.keyboard.press('Tab');
    await page.keyboard.press('Enter');
    await page.getByTestId('presence-current').getByText('空闲（接听）').waitFor();
    const add = await s.pbx.waitForAction('QueueAdd');
    expect(add.fields).toMatchObject({ queue: 'hotline', interface: 'Local/8001@agents/n' });
    expect((await s.pbx.waitForAction('QueuePause')).fields).toMatchObject({ interface: 'Local/8001@agents/n', paused: 'false' });
  });

  it('when a recorded call from 13800138000 rings agent 8001, then the pop shows 张建国 with disability, risk, notes and contacts, and is announced', async () => {
    firstCall.open();
    const pop = page.getByTestId('screen-pop');
    await pop.getByTestId('pop-name').getByText('张建国').waitFor();
    const text = (await pop.textContent()) ?? '';
    for (const expected of ['肢体残疾二级', '重点', '空巢', '高血压', '杭州话', '138****8000']) expect(text).toContain(expected);
    await until(async () => ((await page.getByTestId('live-polite').textContent()) ?? '').includes('来电：张建国'));
    const timings = (await page.evaluate(`performance.getEntriesByName('anxin:pop-paint').map((e) => e.duration)`)) as number[];
    expect(timings.length).toBe(1);
    await screenshot(page, 'workspace-pop');
    await expectAccessible('workspace with pop');
  });

  it('when the agent presses Alt+N, picks 咨询 with the arrow keys, types a summary and presses Alt+S, then the order is saved with its number and linked to the call', async () => {
    const call = await until(() => s.app.ds.getRepository(Call).findOneBy({ callKey: 'asterisk:1795346132.0' }));
    await page.keyboard.press('Alt+KeyN');
    await expect(page.evaluate(`document.activeElement.name + ':' + document.activeElement.value`)).resolves.toBe('category:life_service');
    for (let i = 0; i < 3; i++) await page.keyboard.press('ArrowRight');
    await expect(page.evaluate(`document.activeElement.value`)).resolves.toBe('inquiry');
    await page.keyboard.press('Tab'); // priority
    await page.keyboard.press('Tab'); // caller relation
    await page.keyboard.press('Tab'); // channel
    await page.keyboard.press('Tab'); // summary
    await expect(page.evaluate(`document.activeElement.id`)).resolves.toBe('ticket-summary');
    await page.keyboard.type('咨询助残补贴申领进度，已当场答复');
    await page.keyboard.press('Alt+KeyS');
    const saved = page.getByTestId('ticket-form').getByRole('status').filter({ hasText: '已创建' });
    await saved.waitFor();
    const number = /(\d{8}-\d{4})/.exec((await saved.textContent()) ?? '')![1]!;
    const ticket = await s.app.ds.getRepository(Ticket).findOneByOrFail({ number });
    ticketId = ticket.id;
    expect(ticket).toMatchObject({ category: 'inquiry', priority: 'P2', channel: 'phone', callerRelation: 'self', personId: s.people.personIds['ami-test-caller'] });
    expect(await s.app.ds.getRepository(TicketCall).findOneBy({ ticketId: ticket.id, callId: call.id })).not.toBeNull();
  });

  it('when the SOS pendant calls, then a flashing banner with text alerts the agent and Alt+K acknowledges it', async () => {
    await until(() => s.app.ds.getRepository(Call).findOneBy({ callKey: 'asterisk:1795346132.0', status: 'ended' }));
    await page.getByTestId('screen-pop').getByText('已结束').waitFor();
    s.pbx.dropAll();
    await s.pbx.waitForConnections(2);
    sosCall.open();
    const banner = page.getByTestId('sos-banner');
    await banner.getByText('王秀兰').first().waitFor();
    expect(await banner.textContent()).toContain('紧急求助（SOS）');
    await until(async () => ((await page.getByTestId('live-assertive').textContent()) ?? '').includes('紧急求助来电'));
    await page.getByTestId('pop-name').getByText('王秀兰').waitFor();
    await screenshot(page, 'sos-alert');
    await expectAccessible('SOS banner');
    await page.keyboard.press('Alt+KeyK');
    await banner.waitFor({ state: 'detached' });
  });

  it('when the agent clicks 外呼 on the person page, then the PBX receives an Originate ringing 8001 and dialling 13800138000', async () => {
    s.pbx.drop(1); // end the SOS session (if it has not closed by itself) so the adapter moves on to the third
    await s.pbx.waitForConnections(3);
    outbound.open();
    await until(() => s.adapter.state === 'up');
    await page.goto(`${s.baseUrl}/#/persons/${s.people.personIds['ami-test-caller']}`);
    await heading(/张建国/).waitFor();
    await screenshot(page, 'person');
    await expectAccessible('person page');
    await page.getByRole('button', { name: /外呼 张建国 138\*\*\*\*8000/ }).click();
    const originate = await s.pbx.waitForAction('Originate', 1, 10_000).catch(async (err) => {
      throw new Error(`${err}: ${await page.locator('main').textContent()} / adapter ${s.adapter.state}`);
    });
    expect(originate.fields).toMatchObject({ channel: 'Local/8001@agents', exten: '13800138000', callerid: 'Anxin <4008001234>', async: 'true' });
    await until(async () => ((await page.getByTestId('live-polite').textContent()) ?? '').includes('正在外呼'));
    await page.goto(`${s.baseUrl}/#/workspace`);
    await page.getByTestId('screen-pop').getByText('外呼').first().waitFor();
  });

  it('when the agent reveals 张建国 for identity verification, then the dialog asks a purpose first, the full values appear and the view is audited', async () => {
    const personId = s.people.personIds['ami-test-caller']!;
    await page.goto(`${s.baseUrl}/#/persons/${personId}`);
    await heading(/张建国/).waitFor();
    const masked = (await page.getByRole('region', { name: /^姓名/ }).locator('.facts').textContent()) ?? '';
    expect(masked).toMatch(/\d{6}\*{8}\d{3}[\dX]/);
    expect(masked).not.toContain('高血压'); // medical notes only after the reveal
    await page.getByRole('button', { name: '查看完整信息' }).click();
    const dialog = page.getByRole('dialog', { name: /查看完整信息/ });
    await dialog.getByLabel(/查看目的/).waitFor();
    await expectAccessible('reveal dialog');
    await dialog.getByRole('button', { name: '确认查看' }).click();
    await dialog.getByText('请选择查看目的').waitFor();
    await expect(page.evaluate('document.activeElement.tagName')).resolves.toBe('SELECT');
    await dialog.getByLabel(/查看目的/).selectOption('identity_verification');
    await dialog.getByRole('button', { name: '确认查看' }).click();
    await dialog.waitFor({ state: 'detached' });
    await page.locator('#main').getByText('已显示完整信息').waitFor();
    const full = (await page.getByRole('region', { name: /^姓名/ }).locator('.facts').textContent()) ?? '';
    expect(full).toMatch(/\d{17}[\dX]/);
    expect(full).toContain('高血压');
    expect(await s.app.ds.getRepository(AuditLog).countBy({ subjectId: personId, action: 'person.reveal', purpose: 'identity_verification', outcome: 'ok' })).toBe(1);
    await page.goto(`${s.baseUrl}/#/workspace`);
    await heading('工作台').waitFor();
  });

  it('when the language is switched, then the whole UI and the document language change, and back', async () => {
    await page.getByTestId('language-switch').click();
    try {
      await heading('Workspace').waitFor();
      await expect(page.evaluate('document.documentElement.lang')).resolves.toBe('en');
      expect(await page.getByRole('navigation', { name: 'Main navigation' }).textContent()).toContain('Work orders');
      await page.mouse.move(0, 600);
      await screenshot(page, 'workspace-en');
      await expectAccessible('workspace in English');
    } finally {
      await page.getByTestId('language-switch').click();
      await heading('工作台').waitFor();
    }
  });

  it.each([
    ['tickets', '/tickets', '工单'],
    ['ticket-detail', '', /工单 \d{8}-\d{4}/],
    ['persons', '/persons?q=张', '服务对象'],
    ['person-new', '/persons/new?phone=%2B8613912345678', '新建服务对象'],
    ['calls', '/calls', '通话记录'],
    ['settings', '/settings', '设置'],
  ])('when the %s page is open, then axe finds no serious or critical violation', async (name, path, title) => {
    await page.goto(`${s.baseUrl}/#${path || `/tickets/${ticketId}`}`);
    await heading(title).waitFor();
    await page.waitForLoadState('networkidle');
    await page.locator('.feedback--loading').waitFor({ state: 'detached' });
    await screenshot(page, name);
    await expectAccessible(name);
  });

  it('when large text is turned on, then the root font grows and the workspace still passes axe', async () => {
    await page.goto(`${s.baseUrl}/#/settings`);
    await page.getByLabel('大字模式').check();
    await expect(page.evaluate(`getComputedStyle(document.documentElement).fontSize`)).resolves.toBe('20px');
    await page.goto(`${s.baseUrl}/#/workspace`);
    await heading('工作台').waitFor();
    await screenshot(page, 'workspace-large-text');
    await expectAccessible('workspace large text');
    await page.goto(`${s.baseUrl}/#/settings`);
    await page.getByLabel('大字模式').uncheck();
  });

  it('when the PBX connection is lost, then a banner says so in words', async () => {
    s.pbx.dropAll(); // no further sessions: reconnects are refused
    const banner = page.getByTestId('telephony-banner');
    await banner.waitFor();
    expect(await banner.textContent()).toContain('电话系统（Asterisk）连接中断');
  });

  it('when the session expires, then a sign-in dialog says so and keeps the page, and signing in again continues', async () => {
    await page.goto(`${s.baseUrl}/#/tickets`);
    await heading('工单').waitFor();
    await s.app.ds.query('DELETE FROM staff_session WHERE user_id = $1', [s.people.agents['8001']!.id]);
    await page.goto(`${s.baseUrl}/#/calls`); // any request now meets the expired session
    const dialog = page.getByRole('dialog', { name: '登录安心坐席工作台' });
    await dialog.getByText('会话已过期').waitFor();
    await dialog.getByLabel('用户名').fill('agent8001');
    await dialog.getByLabel('密码').fill(s.people.password);
    await dialog.getByRole('button', { name: '登录' }).click();
    await dialog.waitFor({ state: 'hidden' });
    await heading('通话记录').waitFor();
  });

  it('when a supervisor signs in, then the agents board lists agent 8001 as available and passes axe', async () => {
    await page.getByRole('button', { name: '退出登录' }).click();
    await signIn(page, s.baseUrl, s.people.supervisor.username, s.people.password);
    await heading('工作台').waitFor();
    await page.goto(`${s.baseUrl}/#/agents`);
    await heading('坐席状态').waitFor();
    const row = page.getByRole('row').filter({ hasText: '8001' });
    await row.getByText('空闲（接听）').waitFor();
    await screenshot(page, 'agents');
    await expectAccessible('agents board');
  });
  it('when a user with a one-time password signs in, then only the change-password page shows, its errors are translated, and after the change the console opens', async () => {
    const user = await makeUser(s.app.ds, 'dispatcher', s.people.supervisor.districtCode, { mustChangePassword: true });
    await page.getByRole('button', { name: '退出登录' }).click();
    await signIn(page, s.baseUrl, user.username, TEST_PASSWORD);
    await heading('修改密码').waitFor();
    await page.getByText('这是一次性初始密码').waitFor();
    await expectAccessible('change password');
    await page.getByLabel('当前密码').fill('wrong-password');
    await page.getByLabel('新密码', { exact: true }).fill('A-much-better-passphrase');
    await page.getByLabel('再次输入新密码').fill('A-much-better-passphrase');
    await page.keyboard.press('Enter');
    await page.getByText('当前密码不正确。').waitFor();
    await expect(page.evaluate('document.activeElement.name')).resolves.toBe('current-password');
    await page.keyboard.press('ControlOrMeta+KeyA');
    await page.keyboard.type(TEST_PASSWORD);
    await page.keyboard.press('Enter');
    await heading('工单').waitFor();
    await page.goto(`${s.baseUrl}/#/settings`);
    await page.getByRole('link', { name: '修改密码' }).click();
    await heading('修改密码').waitFor();
  });
});
