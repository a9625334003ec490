/**
 * Resolving an SOS from its order page, keyboard only, in Chromium against a real server: a device alarm
 * raises the SOS, the order page shows the SOS panel and offers no ordinary action that would stop the
 * chain, the agent resolves it with a reason through the dialog, the SOS and the order follow, and focus
 * stays where the agent worked. And the pendant calling twice (the recorded SOS call, derived twice): the
 * first call alerts and its pop opens the SOS's own order; answering takes the SOS; the second call, after
 * it was taken, brings no banner back and opens the same order, where the repeated press is on the timeline.
 * axe-core: no serious or critical violation on the way.
 */
import type { Page } from 'playwright-core';
import { fieldCryptoFromSecret } from '../../server/src/shared/crypto-from-config';
import { makeAlarmDevices, postAlarm } from '../../server/test/support/alarm-devices';
import { loadAmiFixture, multiplyCalls } from '../../server/test/support/ami-fixtures';
import { TEST_DATA_KEY } from '../../server/test/support/test-app';
import { expectAccessible as expectPageAccessible } from './support/axe';
import { gate, signIn, startConsoleStack, until, type ConsoleStack } from './support/console-stack';

jest.setTimeout(60_000);

let s: ConsoleStack;
let page: Page;
/** DERIVED from the recording: the pendant's call twice, 10 s apart, played in real time on the second AMI connection. */
const pendantTwice = multiplyCalls(loadAmiFixture('sos-device-call'), 2, { spacingSeconds: 10, callers: ['13900000001'] });
const pendantCalls = gate();

beforeAll(async () => {
  s = await startConsoleStack([{ fixtures: loadAmiFixture('agent-membership') }, { fixtures: pendantTwice, startWhen: pendantCalls.promise, speed: 1 }]);
  page = s.page;
  page.setDefaultTimeout(10_000);
}, 180_000);
afterAll(async () => {
  pendantCalls.open();
  // Leave the recorded Linkedids free for the other replay tests of this run (console.e2e plays the first).
  const keys = [...new Set(pendantTwice.frames.flatMap((f) => (/Event: UserEvent\r\n/.test(f.raw) ? [/\r\nLinkedid: ([^\r]+)/.exec(f.raw)![1]!] : [])))].map((id) => `asterisk:${id}`);
  await s?.app.ds.query(`DELETE FROM ticket WHERE id IN (SELECT s.ticket_id FROM sos_incident s JOIN sos_call sc ON sc.sos_id = s.id WHERE sc.call_key = ANY($1))`, [keys]).catch(() => undefined);
  await s?.app.ds.query(`DELETE FROM call WHERE call_key = ANY($1)`, [keys]).catch(() => undefined);
  await s?.close();
});

const expectAccessible = (name: string) => expectPageAccessible(page, name);

/** The focused element as `#id TAG text`, with `[sos-panel]` / `[banner]` / `[sos-order]` in front when it sits there. */
const focused = (): Promise<string> =>
  page.evaluate(
    `(() => { const e = document.activeElement; return (e.closest('[data-testid=ticket-sos]') ? '[sos-panel] ' : '') + (e.closest('[data-testid=sos-banner]') ? '[banner] ' : '') + (e.closest('[data-testid=sos-call-order]') ? '[sos-order] ' : '') + (e.id ? '#' + e.id + ' ' : '') + e.tagName + ' ' + (e.textContent ?? '').trim().slice(0, 40); })()`,
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

  it('when the pendant calls again after its SOS was taken, then no banner comes back and both pops open the SOS order, where the repeated press is recorded', async () => {
    const keys = [...new Set(pendantTwice.frames.flatMap((f) => (/Event: UserEvent\r\n/.test(f.raw) ? [/\r\nLinkedid: ([^\r]+)/.exec(f.raw)![1]!] : [])))].map((id) => `asterisk:${id}`);
    // Earlier runs on this database may hold these recorded calls.
    await s.app.ds.query(`DELETE FROM ticket WHERE id IN (SELECT s.ticket_id FROM sos_incident s JOIN sos_call sc ON sc.sos_id = s.id WHERE sc.call_key = ANY($1))`, [keys]);
    await s.app.ds.query(`DELETE FROM call WHERE call_key = ANY($1)`, [keys]);
    await page.goto(`${s.baseUrl}/#/`);
    await page.getByRole('heading', { level: 1, name: '工作台' }).waitFor();
    await page.getByTestId('sos-banner').waitFor({ state: 'detached' });
    // Count every time the banner appears from now on.
    await page.evaluate(`(() => {
      window.__bannerShown = 0;
      let shown = false;
      new MutationObserver(() => { const now = !!document.querySelector('[data-testid=sos-banner]'); if (now && !shown) window.__bannerShown++; shown = now; })
        .observe(document.body, { childList: true, subtree: true });
    })()`);
    const bannerShown = () => page.evaluate('window.__bannerShown') as Promise<number>;

    pendantCalls.open();
    s.pbx.drop(0); // the adapter reconnects and the second connection plays the two calls

    // First call: a new alarm; its pop and order panel open the order the SOS opened, no second order form.
    await page.getByTestId('sos-banner').waitFor();
    const popLink = page.getByTestId('pop-sos-order');
    await popLink.waitFor();
    const [sos] = await until(async () => {
      const rows = await s.app.ds.query(`SELECT s.id, s.ticket_id, t.number FROM sos_call sc JOIN sos_incident s ON s.id = sc.sos_id JOIN ticket t ON t.id = s.ticket_id WHERE sc.call_key = $1`, [keys[0]]);
      return rows.length ? rows : undefined;
    });
    expect(await popLink.textContent()).toBe(`打开 SOS 工单 ${sos.number}`);
    await page.getByTestId('sos-call-order').waitFor();
    expect(await page.getByTestId('ticket-form').count()).toBe(0);
    // Agent 8001 answers in the recording: the SOS is taken and the banner goes.
    await page.getByTestId('sos-banner').waitFor({ state: 'detached' });
    expect(await bannerShown()).toBe(1);

    // Second call, after the SOS was taken: it rings, is answered and ends without a banner.
    const second = await until(async () => (await s.app.ds.query(`SELECT id, status FROM call WHERE call_key = $1 AND status = 'ended'`, [keys[1]]))[0], 25_000);
    await page.locator(`[data-call-id="${second.id}"]`).waitFor();
    expect(await bannerShown()).toBe(1);
    const order = page.getByTestId('sos-call-order');
    await order.getByText(`处理中的 SOS 工单 ${sos.number}`).waitFor();
    expect(await page.locator(`[data-call-id="${second.id}"]`).getByTestId('pop-sos-order').textContent()).toBe(`打开 SOS 工单 ${sos.number}`);
    await expectAccessible('workspace with a repeated SOS call');

    // By keyboard to the SOS order: the repeated press is on its timeline; still one P0 order for the person.
    await tabTo(/^\[sos-order\] A 打开 SOS 工单/);
    await page.keyboard.press('Enter');
    await page.getByTestId('ticket-sos').getByText(/SOS 已确认/).waitFor();
    expect(page.url()).toContain(`/tickets/${sos.ticket_id}`);
    await page.getByText('再次触发 SOS').first().waitFor();
    const orders = await s.app.ds.query(`SELECT id FROM ticket WHERE person_id = $1 AND priority = 'P0' AND status NOT IN ('closed','cancelled','done')`, [s.people.personIds['ami-sos-pendant']]);
    expect(orders).toEqual([{ id: sos.ticket_id }]);
  });
});
