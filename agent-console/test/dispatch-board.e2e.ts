/**
 * The dispatcher board in Chromium against a real server, keyboard only: a dispatcher opens 派单台 from the
 * navigation, picks the job (its SLA counts down), sees the ranked candidates with every score part and the
 * excluded volunteer with the reason (no time then), offers the job to the top candidate, and sees the acceptance arrive live
 * (the volunteer accepts from the field API, as the phone would) without reloading. The map shows the pins
 * with no tile server (offline). axe-core finds nothing serious or critical on the way.
 */
import type { Page } from 'playwright-core';
import type { CreatedCandidate, JobDetail } from '../src/api/dispatch-wire';
import { makePerson } from '../../server/test/support/factories';
import { api, login, makeDistricts, makeUser, startTestApp, type RunningApp } from '../../server/test/support/test-app';
import { expectAccessible as expectPageAccessible } from './support/axe';
import { launchBrowser } from './support/browser';
import { ensureConsoleBuilt } from './support/console-build';
import { signIn, until } from './support/console-stack';
import { makeJob, makeVolunteer, offerTokenFor } from './support/dispatch-fixtures';

jest.setTimeout(90_000);

let t: RunningApp;
let browser: Awaited<ReturnType<typeof launchBrowser>>;
let page: Page;
let dispatcher: string;
let job: JobDetail;
let near: CreatedCandidate & { phone: string };
let unskilled: CreatedCandidate;

beforeAll(async () => {
  t = await startTestApp({ env: { CONSOLE_DIR: ensureConsoleBuilt(), BACKGROUND_JOBS: 'off' } });
  const tree = await makeDistricts(t.ds);
  dispatcher = (await makeUser(t.ds, 'dispatcher', tree.district)).username;
  const tokens = { agent: await login(t.baseUrl, (await makeUser(t.ds, 'agent', tree.district)).username), dispatcher: await login(t.baseUrl, dispatcher) };
  const person = await makePerson(t.ds, tree.community, { name: `派单甲${Date.now() % 1000}` });
  near = await makeVolunteer(t.baseUrl, tokens.dispatcher, tree.district, { name: '王近邻' });
  await makeVolunteer(t.baseUrl, tokens.dispatcher, tree.district, { name: '李远方', serviceArea: { centre: { lat: 31.26, lng: 121.6 }, radiusKm: 20 } });
  // The server narrows by skill in SQL; someone with the skill but no time that day is screened out by the engine.
  unskilled = await makeVolunteer(t.baseUrl, tokens.dispatcher, tree.district, { name: '赵无空', weekly: [] });
  job = await makeJob(t.baseUrl, tokens, person.id);
  browser = await launchBrowser();
  page = browser.context.pages()[0] ?? (await browser.context.newPage());
  page.setDefaultTimeout(10_000);
}, 180_000);
afterAll(async () => {
  await browser?.close();
  await t?.close();
});

const expectAccessible = (name: string) => expectPageAccessible(page, name);
const active = () => page.evaluate(`(() => { const e = document.activeElement; return (e.labels && e.labels[0] ? e.labels[0].textContent : '') + '|' + e.tagName + '|' + (e.getAttribute('aria-label') || (e.textContent || '').trim()); })()`) as Promise<string>;

async function tabTo(match: RegExp, max = 120): Promise<void> {
  for (let i = 0; i < max; i++) {
    if (match.test(await active())) return;
    await page.keyboard.press('Tab');
  }
  throw new Error(`focus never reached ${match}: last ${await active()}`);
}

describe('dispatcher board in Chromium', () => {
  it('when the dispatcher opens 派单台 from the navigation, then the job is listed with its SLA countdown and axe finds nothing serious', async () => {
    await signIn(page, t.baseUrl, dispatcher, 'Test@Pass-2026');
    await page.getByRole('heading', { level: 1, name: '工单' }).waitFor();
    await tabTo(/\|A\|派单台/);
    await page.keyboard.press('Enter');
    await page.getByRole('heading', { level: 1, name: '派单台' }).waitFor();
    expect(await page.title()).toBe('派单台 — 安心坐席工作台');
    const row = page.locator(`tr[data-job-id="${job.id}"]`);
    await row.waitFor();
    expect(await row.textContent()).toContain('助行');
    const first = await row.getByTestId('sla').textContent();
    expect(first).toMatch(/^剩余 \d+:\d{2}(:\d{2})?$/);
    await page.waitForTimeout(1100);
    expect(await row.getByTestId('sla').textContent()).not.toBe(first);
    await expectAccessible('dispatch board');
  });

  it('when the job is chosen by keyboard, then its panel takes the focus with ranked candidates (score parts) and the excluded volunteer with the reason (no time then)', async () => {
    await tabTo(new RegExp(`\\|BUTTON\\|选择任务 ${job.ticketNumber}`));
    await page.keyboard.press('Enter');
    await page.getByRole('heading', { level: 2, name: `任务：助行 · ${job.ticketNumber}` }).waitFor();
    expect(await active()).toContain(`任务：助行 · ${job.ticketNumber}`);
    const ranked = page.getByTestId('candidate-table');
    await ranked.getByText('王近邻').waitFor();
    // Other test files' volunteers near the same place may rank too (shared database): compare ours by name.
    await ranked.getByText('李远方').waitFor();
    const names = (await ranked.locator('tbody tr th').allTextContents()).join('|');
    expect(names.indexOf('王近邻')).toBeLessThan(names.indexOf('李远方'));
    const mine = ranked.locator('tbody tr', { hasText: '王近邻' });
    for (const part of ['距离', '负荷', '评分', '公平', '熟悉', '类型偏好']) expect(await mine.textContent()).toContain(part);
    const excluded = page.getByTestId('excluded-table');
    expect(await excluded.locator(`tr`, { hasText: '赵无空' }).textContent()).toContain('时间不可用');
    // The map: the job's pin and the candidates' pins, drawn without any tile server (offline).
    await page.locator('.leaflet-marker-icon.map-pin--job').waitFor();
    expect(await page.locator('.leaflet-marker-icon').count()).toBeGreaterThanOrEqual(4);
    expect(await page.locator('.leaflet-tile').count()).toBe(0);
    await expectAccessible('job panel');
  });

  it('when the top candidate is offered the job and accepts on the phone, then the board shows the acceptance live and the job is stored as assigned', async () => {
    await tabTo(/\|BUTTON\|向 王近邻 发出邀约/);
    await page.keyboard.press('Enter');
    await page.getByTestId('job-result').getByText('已向 王近邻 发出邀约。').waitFor();
    expect(await active()).toMatch(/^\|DIV\|.*已向 王近邻 发出邀约。/);
    const offers = page.getByTestId('offer-table');
    await offers.locator('tr', { hasText: '王近邻' }).getByText('等待答复').waitFor();
    const [offer] = await t.ds.query(`SELECT o.status FROM job_offer o WHERE o.job_id = $1`, [job.id]);
    expect(offer.status).toBe('open');

    // The volunteer answers on the phone (the field API, as the field page does).
    const token = await offerTokenFor(t.ds, near.phone, job.ticketId);
    const opened = await api(t.baseUrl, 'POST', '/api/field/open', undefined, { token, pin: near.pin });
    expect(opened.status).toBe(200);
    const accepted = await fetch(`${t.baseUrl}/api/field/job/actions`, { method: 'POST', headers: { 'content-type': 'application/json', 'x-field-session': opened.body.session }, body: JSON.stringify({ action: 'accept' }) });
    expect(accepted.status).toBe(200);

    await offers.locator('tr', { hasText: '王近邻' }).getByText('已接受').waitFor();
    await page.getByTestId('job-status').getByText('已接单').waitFor();
    expect(await page.getByTestId('job-assignee').textContent()).toContain('王近邻');
    await page.getByTestId('live-polite').getByText(`王近邻 已接受任务 ${job.ticketNumber}。`).waitFor();
    const [stored] = await until(async () => {
      const rows = await t.ds.query(`SELECT status FROM service_job WHERE id = $1`, [job.id]);
      return rows[0]?.status === 'assigned' ? rows : null;
    });
    expect(stored.status).toBe('assigned');
    expect(unskilled.candidate.name).toBe('赵无空');
    await expectAccessible('job panel after the acceptance');
  });

  it('when the board is zoomed to 200% (1280 × 900 → 640 × 450 CSS px), then nothing needs sideways scrolling and no control is cut off', async () => {
    await page.setViewportSize({ width: 640, height: 450 });
    await page.waitForTimeout(300);
    const report = await page.evaluate(`(() => {
      const w = document.documentElement.clientWidth;
      const inScroller = (e) => { for (let n = e.parentElement; n; n = n.parentElement) if (getComputedStyle(n).overflowX === 'auto') return true; return false; };
      const cut = [...document.querySelectorAll('button, a, select, h1, h2')].filter((e) => { const r = e.getBoundingClientRect(); return r.width > 0 && !inScroller(e) && (r.left < -1 || r.right > w + 1); }).map((e) => (e.getAttribute('aria-label') || e.textContent || '').trim().slice(0, 24));
      return { sideways: document.documentElement.scrollWidth > w + 1, cut };
    })()`);
    expect(report).toEqual({ sideways: false, cut: [] });
    await page.setViewportSize({ width: 1440, height: 900 });
  });
});

