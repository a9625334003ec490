/**
 * A softphone that cannot register, in Chromium against a real server: a SIP-over-WebSocket registrar on a
 * loopback port answers every REGISTER `403 Forbidden` (what Asterisk answered browser softphones in issue 12).
 * The softphone says why, the agent who goes available reads 空闲但电话未注册 and the PBX queue pauses them
 * (recorded AMI traffic replayed to the real adapter), and one button takes them on break — keyboard only,
 * focus kept in the presence panel, axe-core with no serious or critical violation.
 */
import { createServer, type Server } from 'node:http';
import type { AddressInfo } from 'node:net';
import type { Page } from 'playwright-core';
import { WebSocketServer } from 'ws';
import { loadAmiFixture } from '../../server/test/support/ami-fixtures';
import { axeViolations } from './support/axe';
import { signIn, startConsoleStack, until, type ConsoleStack } from './support/console-stack';

jest.setTimeout(60_000);

/** A registrar that refuses every REGISTER with `status` (RFC 7118 framing; the answer echoes the request's dialog headers). */
async function refusingRegistrar(status: number, reason: string): Promise<{ url: string; registers: () => number; close: () => Promise<void> }> {
  const http: Server = createServer();
  const wss = new WebSocketServer({ server: http, handleProtocols: (protocols) => (protocols.has('sip') ? 'sip' : false) });
  let registers = 0;
  wss.on('connection', (ws) => {
    ws.on('message', (data) => {
      const text = data.toString();
      if (!text.startsWith('REGISTER ')) return;
      registers++;
      const headers = text.split('\r\n').filter((line) => /^(Via|From|To|Call-ID|CSeq):/i.test(line));
      ws.send([`SIP/2.0 ${status} ${reason}`, ...headers.map((h) => (/^To:/i.test(h) && !/;tag=/.test(h) ? `${h};tag=refuse` : h)), 'Content-Length: 0', '', ''].join('\r\n'));
    });
  });
  await new Promise<void>((resolve) => http.listen(0, '127.0.0.1', resolve));
  const { port } = http.address() as AddressInfo;
  return {
    url: `ws://127.0.0.1:${port}/ws`,
    registers: () => registers,
    close: async () => {
      for (const c of wss.clients) c.terminate();
      await new Promise<void>((resolve) => wss.close(() => resolve()));
      await new Promise<void>((resolve) => http.close(() => resolve()));
    },
  };
}

let registrar: Awaited<ReturnType<typeof refusingRegistrar>>;
let s: ConsoleStack;
let page: Page;

beforeAll(async () => {
  registrar = await refusingRegistrar(403, 'Forbidden');
  s = await startConsoleStack([{ fixtures: loadAmiFixture('agent-membership') }], { SIP_WSS_URL: registrar.url, SIP_SECRET: 'softphone-e2e-secret-0001' });
  page = s.page;
  page.setDefaultTimeout(10_000);
}, 180_000);
afterAll(async () => {
  await s?.close();
  await registrar?.close();
});

/** The focused element as `TAG text`, with `[presence]` in front when it sits in the presence panel. */
const focused = (): Promise<string> =>
  page.evaluate(`(() => { const e = document.activeElement; return (e.closest('.presence') ? '[presence] ' : '') + e.tagName + ' ' + (e.textContent ?? '').trim().slice(0, 30); })()`) as Promise<string>;

describe('softphone not registered', () => {
  it('when the PBX refuses the registration, then the console says why, the available agent is shown and paused as not reachable, and one button goes on break', async () => {
    const agent = s.people.agents['8001']!;
    await s.app.ds.query('DELETE FROM agent_presence WHERE user_id = $1', [agent.id]);
    await signIn(page, s.baseUrl, agent.username, s.people.password);
    await page.getByRole('heading', { level: 1, name: '工作台' }).waitFor();

    // Why, translated: the 403 the registrar sent.
    await page.getByTestId('softphone-status').getByText(/未注册：电话服务器拒绝注册（403 Forbidden）/).waitFor();
    expect(registrar.registers()).toBeGreaterThan(0);
    // The server was told, before the agent did anything.
    const reported = await until(async () => (await s.app.ds.query('SELECT softphone, softphone_reason FROM agent_presence WHERE user_id = $1', [agent.id]))[0]);
    expect(reported).toEqual({ softphone: 'unregistered', softphone_reason: 'forbidden' });

    // Going available (Alt+P, Tab, Enter): it does not look available, and the queue pauses the agent.
    await page.keyboard.press('Alt+KeyP');
    await page.keyboard.press('Tab');
    await page.keyboard.press('Enter');
    const current = page.getByTestId('presence-current');
    await current.getByText('空闲但电话未注册').waitFor();
    expect(await current.textContent()).not.toContain('空闲（接听）');
    const pauses = await until(async () => {
      const mine = s.pbx.actions('QueuePause').filter((f) => f.fields.interface === 'Local/8001@agents/n');
      return mine.length ? mine : undefined;
    });
    expect(pauses.at(-1)!.fields).toMatchObject({ queue: 'hotline', paused: 'true', reason: 'softphone' });
    expect(pauses.some((f) => f.fields.paused === 'false')).toBe(false);
    const violations = await axeViolations(page);
    expect({ page: 'workspace, available without a registered softphone', violations }).toEqual({ page: 'workspace, available without a registered softphone', violations: [] });

    // One keyboard-reachable button: on break; the focus stays in the presence panel.
    await page.keyboard.press('Tab');
    expect(await focused()).toBe('[presence] BUTTON 转为小休');
    await page.keyboard.press('Enter');
    await current.getByText('小休').waitFor();
    await page.getByTestId('presence-no-phone').waitFor({ state: 'detached' });
    expect(await focused()).toMatch(/^\[presence\] SELECT/);
    const [row] = await s.app.ds.query('SELECT state, reason, softphone FROM agent_presence WHERE user_id = $1', [agent.id]);
    expect(row).toEqual({ state: 'break', reason: '电话未注册', softphone: 'unregistered' });

    // The supervisors' board says why agent 8001's phone is not registered.
    const board = await s.newPage();
    try {
      await board.context().clearCookies(); // one browser context: the agent's part is done, sign in afresh
      await signIn(board, s.baseUrl, s.people.supervisor.username, s.people.password);
      await board.getByRole('heading', { level: 1, name: '工作台' }).waitFor();
      await board.goto(`${s.baseUrl}/#/agents`);
      const agentRow = board.getByRole('row').filter({ hasText: agent.displayName });
      await agentRow.getByText(/注册被拒（403）/).waitFor();
      const boardViolations = await axeViolations(board);
      expect({ page: 'agents board', violations: boardViolations }).toEqual({ page: 'agents board', violations: [] });
    } finally {
      await board.close();
    }
  });
});
