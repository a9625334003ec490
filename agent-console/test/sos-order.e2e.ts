/**
 * Resolving an SOS from its order page, keyboard only, in Chromium against a real server: a device alarm
 * raises the SOS, the order page shows the SOS panel and offers no ordinary action that would stop the
 * chain, the agent resolves it with a reason through the dialog, the SOS and the order follow, and focus
 * stays where the agent worked. axe-core: no serious or critical violation on the way.
 */
import type { Page } from 'playwright-core';
import { fieldCryptoFromSecret } from '../../server/src/shared/crypto-from-config';
import { makeAlarmDevices, postAlarm } from '../../server/test/support/alarm-devices';
import { loadAmiFixture } from '../../server/test/support/ami-fixtures';
import { TEST_DATA_KEY } from '../../server/test/support/test-app';
import { axeViolations } from './support/axe';
import { signIn, startConsoleStack, until, type ConsoleStack } from './support/console-stack';

jest.setTimeout(60_000);

let s: ConsoleStack;
let page: Page;

beforeAll(async () => {
  s = await startConsoleStack([{ fixtures: loadAmiFixture('agent-membership') }]);
  page = s.page;
  page.setDefaultTimeout(10_000);
}, 180_000);
afterAll(async () => {
  await s?.close();
});

async function expectAccessible(name: string): Promise<void> {
  const violations = await axeViolations(page);
  expect({ page: name, violations }).toEqual({ page: name, violations: [] });
}

/** The focused element as `#id TAG text`, with `[sos-panel]` / `[banner]` in front when it sits there. */
const focused = (): Promise<string> =>
  page.evaluate(
    `(() => { const e = document.activeElement; return (e.closest('[data-testid=ticket-sos]') ? '[sos-panel] ' : '') + (e.closest('[data-testid=sos-banner]') ? '[banner] ' : '') + (e.id ? '#' + e.id + ' ' : '') + e.tagName + ' ' + (e.textContent ?? '').trim().slice(0, 40); })()`,
  ) as Promise<string>;

/** Raise an SOS from a new person's pendant and wait until this console alerts (pressing again while the socket connects). */
async function raiseSos(name: string): Promise<{ sosId: string; ticketId: string }> {
  const agent = s.people.agents['8001']!;
  const [device] = await makeAlarmDevices(s.app.ds, fieldCryptoFromSecret(TEST_DATA_KEY), agent.districtCode, [{ person: { name } }]);
  const banner = page.getByTestId('sos-banner').getByText(name).first();
  let raised = await postAlarm(s.baseUrl, device!, { body: { type: 'sos' } });
  for (let i = 0; i < 5 && !(await banner.waitFor({ timeout: 2000 }).then(() => true, () => false)); i++) raised = await postAlarm(s.baseUrl, device!, { body: { type: 'sos' } });
  expect(raised.status).toBe(201);
  await banner.waitFor();
  return raised.body as { sosId: string; ticketId: string };
}

/** Press Tab until the focused element's text matches (keyboard only, as a screen-reader user would). */
async function tabTo(text: RegExp, max = 60): Promise<void> {
  for (let i = 0; i < max; i++) {
    await page.keyboard.press('Tab');
    if (text.test(await focused())) return;
  }
  throw new Error(`Tab never reached ${text} (last: ${await focused()})`);
}

describe('SOS on the order page', () => {
  it('when an agent resolves an SOS from its order page by keyboard, then the SOS and the order close, focus stays in the order and axe passes', async () => {
    const agent = s.people.agents['8001']!;
    await signIn(page, s.baseUrl, agent.username, s.people.password);
    await page.getByRole('heading', { level: 1, name: '工作台' }).waitFor();

    const { sosId, ticketId } = await raiseSos('赵桂芳');

    await page.goto(`${s.baseUrl}/#/tickets/${ticketId}`);
    const panel = page.getByTestId('ticket-sos');
    await panel.getByText('SOS 尚未确认').waitFor();
    // The ordinary actions that would stop the chain are not offered (the server would refuse them).
    const actions = await page.getByRole('radio').allTextContents();
    expect(actions).not.toContain('取消工单');
    expect(actions).not.toContain('误报');
    await expectAccessible('order page with an active SOS');

    await tabTo(/^\[sos-panel\] BUTTON 解除 SOS…/); // past the banner's own SOS buttons
    await page.keyboard.press('Enter');
    const dialog = page.getByRole('dialog', { name: /解除 SOS/ });
    await dialog.waitFor();
    await until(async () => (await focused()).includes('TEXTAREA'));
    await expectAccessible('resolve SOS dialog');

    await page.keyboard.press('Tab'); // submit without a reason: refused in words, nothing sent
    await page.keyboard.press('Enter');
    await dialog.getByText('请填写处理说明').waitFor();
    await page.keyboard.press('Shift+Tab');
    await page.keyboard.type('家属已到场，老人无碍');
    await page.keyboard.press('Tab');
    expect(await focused()).toMatch(/BUTTON 解除 SOS$/);
    await page.keyboard.press('Enter');

    await panel.waitFor({ state: 'detached' });
    const [incident] = await s.app.ds.query('SELECT s.status, t.status AS ticket_status FROM sos_incident s JOIN ticket t ON t.id = s.ticket_id WHERE s.id = $1', [sosId]);
    expect(incident).toEqual({ status: 'resolved', ticket_status: 'done' });
    await until(async () => (await focused()).startsWith('#actions-title'));
    await page.getByText('SOS 已解除').first().waitFor(); // on the timeline
    await expectAccessible('order page after the SOS was resolved');
  });

  it('when an agent marks an SOS a false alarm from the banner by keyboard, then the SOS and its order close and focus moves to the main content', async () => {
    const { sosId } = await raiseSos('钱玉兰');
    await tabTo(/^\[banner\] BUTTON 标记误报…/);
    await page.keyboard.press('Enter');
    const dialog = page.getByRole('dialog', { name: /标记误报/ });
    await dialog.waitFor();
    await until(async () => (await focused()).includes('TEXTAREA'));
    await expectAccessible('false-alarm dialog from the SOS banner');
    await page.keyboard.type('老人误触按钮，已电话确认平安');
    await page.keyboard.press('Tab');
    expect(await focused()).toMatch(/BUTTON 确认误报$/);
    await page.keyboard.press('Enter');
    await page.getByTestId('sos-banner').waitFor({ state: 'detached' });
    const [incident] = await s.app.ds.query('SELECT s.status, t.status AS ticket_status FROM sos_incident s JOIN ticket t ON t.id = s.ticket_id WHERE s.id = $1', [sosId]);
    expect(incident).toEqual({ status: 'false_alarm', ticket_status: 'closed' });
    await until(async () => (await focused()).startsWith('#main'));
  });
});
