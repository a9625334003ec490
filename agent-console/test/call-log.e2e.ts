/**
 * The call log on real traffic, in Chromium against a real server fed by recorded Asterisk 20 traffic: a
 * click-to-call to an unreachable customer shows 无法接通, and a call that ended while the AMI connection was
 * down shows the window it ended in ("结束于 hh:mm–hh:mm 之间（服务器重连期间）") and no talk time. Keyboard
 * only; the filter keeps focus where the agent pressed it; axe-core: no serious or critical violation.
 *
 * PBX sessions, one per connection: the unreachable click-to-call (then the PBX drops the connection), the first
 * half of an inbound call (dropped mid-call, no end seen), and a reconnect that finds no call up.
 */
import type { Page } from 'playwright-core';
import { Call } from '../../server/src/calls/call.entity';
import { loadAmiFixture } from '../../server/test/support/ami-fixtures';
import { api, login } from '../../server/test/support/test-app';
import { expectAccessible as expectPageAccessible } from './support/axe';
import { signIn, startConsoleStack, until, type ConsoleStack } from './support/console-stack';

jest.setTimeout(60_000);

const AWAY_CALL = 'asterisk:1795346251.0';
const UNREACHABLE_CALL = 'asterisk:1796487675.0';

let s: ConsoleStack;
let page: Page;

beforeAll(async () => {
  s = await startConsoleStack([
    { fixtures: loadAmiFixture('click-to-call-originate-unreachable'), gateOn: ['Originate'], closeAtEnd: true },
    { fixtures: loadAmiFixture('reconcile-after-restart-crashed-client'), closeAtEnd: true },
    { fixtures: loadAmiFixture('reconnect-no-calls'), gateOn: ['CoreShowChannels', 'QueueStatus'] },
  ]);
  page = s.page;
  page.setDefaultTimeout(10_000);
}, 180_000);
afterAll(async () => {
  await s?.close();
});

const expectAccessible = (name: string) => expectPageAccessible(page, name);

const focused = (): Promise<string> =>
  page.evaluate(`(() => { const e = document.activeElement; return (e.labels && e.labels[0] ? e.labels[0].textContent + ' ' : '') + e.tagName + ' ' + (e.textContent ?? '').trim().slice(0, 40); })()`) as Promise<string>;

async function tabTo(text: RegExp, max = 60): Promise<void> {
  for (let i = 0; i < max; i++) {
    await page.keyboard.press('Tab');
    if (text.test(await focused())) return;
  }
  throw new Error(`Tab never reached ${text} (last: ${await focused()})`);
}

/** `hh:mm` in Asia/Shanghai, as the console shows times. */
const hhmm = (d: Date) => new Intl.DateTimeFormat('zh-CN', { timeZone: 'Asia/Shanghai', hour: '2-digit', minute: '2-digit', hour12: false }).format(d);

describe('call log outcomes in Chromium', () => {
  let away: Call;

  it('when an unreachable click-to-call and a call lost during a reconnect are logged, then the rows hold their outcome and window', async () => {
    await s.app.ds.query('DELETE FROM call WHERE call_key IN ($1, $2)', [AWAY_CALL, UNREACHABLE_CALL]);
    const token = await login(s.baseUrl, s.people.agents['8001']!.username, s.people.password);
    const dial = await api(s.baseUrl, 'POST', '/api/calls/click-to-call', token, { number: '13800138000', personId: s.people.personIds['ami-test-caller'] });
    expect(dial.status).toBe(202);
    const repo = s.app.ds.getRepository(Call);
    await until(() => repo.findOneBy({ callKey: UNREACHABLE_CALL, status: 'ended', outcome: 'unreachable' }));
    away = await until(async () => {
      const row = await repo.findOneBy({ callKey: AWAY_CALL, status: 'ended' });
      return row?.endedBefore ? row : null;
    });
    expect(away).toMatchObject({ endedAt: null, talkSeconds: null });
  });

  it('when the agent opens the call log by keyboard, then the outcome and the reconnect window are shown in words', async () => {
    await signIn(page, s.baseUrl, s.people.agents['8001']!.username, s.people.password);
    await page.getByRole('navigation', { name: '主导航' }).waitFor();
    await tabTo(/A 通话记录/);
    await page.keyboard.press('Enter');
    await page.getByRole('heading', { level: 1, name: '通话记录' }).waitFor();
    expect(await page.title()).toContain('通话记录');
    const rows = page.locator('table tbody tr');
    const unreachable = rows.filter({ hasText: '无法接通' }).first();
    await unreachable.waitFor();
    expect(await unreachable.textContent()).toContain('呼出');
    const window = `结束于 ${hhmm(away.endedAfter!)}–${hhmm(away.endedBefore!)} 之间（服务器重连期间）`;
    const lost = rows.filter({ hasText: window }).first();
    await lost.waitFor();
    expect(await lost.textContent()).toMatch(/\/ —/); // talk time unknown, not invented
    await page.waitForLoadState('networkidle');
    await expectAccessible('call log with outcomes');
  });

  it('when the agent filters missed calls with the space bar, then focus stays on the filter and the answered outbound row goes', async () => {
    await tabTo(/只看未接来电/);
    await page.keyboard.press('Space');
    await until(async () => (await page.locator('table tbody tr', { hasText: '无法接通' }).count()) === 0 || (await page.getByText('没有通话记录。').count()) > 0);
    expect(await focused()).toMatch(/只看未接来电.*INPUT/);
    await expectAccessible('call log filtered');
  });
});
