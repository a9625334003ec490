/**
 * The field page in Chromium against a real server, keyboard only, as a volunteer's phone opens it from the
 * offer SMS: a wrong PIN is refused with the attempts left (translated), the right one opens the job (no
 * address before accepting), accept shows the needs and the address, then en route, arrived (with the
 * position the browser gives), done with notes — each step stored on the job. A withdrawn offer's link and an
 * unknown link get a clear page. At 200% zoom nothing essential is cut off. axe finds nothing serious.
 */
import type { Page } from 'playwright-core';
import type { CreatedCandidate, JobDetail } from '../src/api/dispatch-wire';
import { makePerson } from '../../server/test/support/factories';
import { api, login, makeDistricts, makeUser, startTestApp, type RunningApp } from '../../server/test/support/test-app';
import { expectAccessible as expectPageAccessible } from './support/axe';
import { launchBrowser } from './support/browser';
import { ensureConsoleBuilt } from './support/console-build';
import { makeJob, makeVolunteer, offerTokenFor, PLACE } from './support/dispatch-fixtures';

jest.setTimeout(90_000);

let t: RunningApp;
let browser: Awaited<ReturnType<typeof launchBrowser>>;
let page: Page;
let volunteer: CreatedCandidate & { phone: string };
let job: JobDetail;
let token: string;
let tokens: { agent: string; dispatcher: string };
let personId: string;
let districtCode: string;

beforeAll(async () => {
  t = await startTestApp({ env: { CONSOLE_DIR: ensureConsoleBuilt(), BACKGROUND_JOBS: 'off' } });
  const tree = await makeDistricts(t.ds);
  districtCode = tree.district;
  tokens = { agent: await login(t.baseUrl, (await makeUser(t.ds, 'agent', tree.district)).username), dispatcher: await login(t.baseUrl, (await makeUser(t.ds, 'dispatcher', tree.district)).username) };
  personId = (await makePerson(t.ds, tree.community)).id;
  volunteer = await makeVolunteer(t.baseUrl, tokens.dispatcher, tree.district, { name: '陈志愿' });
  job = await makeJob(t.baseUrl, tokens, personId);
  expect((await api(t.baseUrl, 'POST', `/api/dispatch/jobs/${job.id}/offers`, tokens.dispatcher, { candidateIds: [volunteer.candidate.id] })).status).toBe(200);
  token = await offerTokenFor(t.ds, volunteer.phone, job.ticketId);
  // 200% zoom of a 1280 × 900 window is 640 × 450 CSS px: the page is laid out in that (as browser zoom does).
  browser = await launchBrowser({ width: 640, height: 450 });
  await browser.context.grantPermissions(['geolocation']);
  await browser.context.setGeolocation({ latitude: PLACE.lat + 0.0003, longitude: PLACE.lng - 0.0002, accuracy: 12 });
  page = browser.context.pages()[0] ?? (await browser.context.newPage());
  page.setDefaultTimeout(10_000);
}, 180_000);
afterAll(async () => {
  await browser?.close();
  await t?.close();
});

const expectAccessible = (name: string) => expectPageAccessible(page, name);
const active = () => page.evaluate(`(() => { const e = document.activeElement; return (e.labels && e.labels[0] ? e.labels[0].textContent : '') + '|' + e.tagName + '|' + (e.getAttribute('aria-label') || (e.textContent || '').trim()); })()`) as Promise<string>;

async function tabTo(match: RegExp, max = 40): Promise<void> {
  for (let i = 0; i < max; i++) {
    if (match.test(await active())) return;
    await page.keyboard.press('Tab');
  }
  throw new Error(`focus never reached ${match}: last ${await active()}`);
}

/** Nothing wider than the window (no sideways scrolling), and every button fully inside it. */
async function expectNothingCutOff(): Promise<void> {
  const report = (await page.evaluate(`(() => {
    const w = document.documentElement.clientWidth;
    const wide = document.documentElement.scrollWidth > w + 1;
    const cut = [...document.querySelectorAll('button, input, textarea, a, h1, dd')].filter((e) => { const r = e.getBoundingClientRect(); return r.width > 0 && (r.left < -1 || r.right > w + 1); }).map((e) => e.tagName + ':' + (e.textContent || '').trim().slice(0, 20));
    return { wide, cut };
  })()`)) as { wide: boolean; cut: string[] };
  expect(report).toEqual({ wide: false, cut: [] });
}

async function jobRow(): Promise<Record<string, unknown>> {
  const [row] = await t.ds.query(`SELECT * FROM service_job WHERE id = $1`, [job.id]);
  return row;
}

describe('field page in Chromium', () => {
  it('when a wrong PIN is typed, then the page says so with the attempts left, counts it, and keeps the focus on the PIN', async () => {
    await page.goto(`${t.baseUrl}/f/${token}`); // the link as the SMS carries it: redirected to the page's hash route
    await page.getByRole('heading', { level: 1, name: '请输入验证码' }).waitFor();
    expect(page.url()).toBe(`${t.baseUrl}/#/f/${token}`);
    expect(await active()).toContain('请输入验证码');
    expect(await page.title()).toBe('请输入验证码 — 安心服务任务');
    await expectAccessible('field PIN');
    await expectNothingCutOff();
    await tabTo(/^验证码\|INPUT/);
    const wrong = volunteer.pin === '000000' ? '111111' : '000000';
    await page.keyboard.type(wrong.slice(0, volunteer.pin.length));
    await page.keyboard.press('Enter');
    await page.getByText('验证码不正确，还可以再试 4 次。').first().waitFor();
    expect(await active()).toMatch(/^验证码\|INPUT/);
    const [offer] = await t.ds.query(`SELECT pin_failures, status FROM job_offer WHERE job_id = $1`, [job.id]);
    expect(offer).toEqual({ pin_failures: 1, status: 'open' });
    await expectAccessible('field PIN refused');
  });

  it('when the right PIN is typed, then the job shows without the address; accepting shows the address and needs and stores the assignment', async () => {
    await page.keyboard.type(volunteer.pin);
    await page.keyboard.press('Enter');
    await page.getByRole('heading', { level: 1, name: '助行任务' }).waitFor();
    expect(await page.getByTestId('field-state').textContent()).toBe('等待您答复');
    expect(await page.getByTestId('field-address').count()).toBe(0);
    expect(await page.textContent('body')).not.toContain('花木路 100 弄');
    await expectAccessible('field job offered');
    await expectNothingCutOff();
    await tabTo(/\|BUTTON\|接单$/);
    await page.keyboard.press('Enter');
    await page.getByTestId('field-result').getByText('您已接单。请按时前往。').waitFor();
    expect(await active()).toContain('您已接单');
    expect(await page.getByTestId('field-address').textContent()).toContain('花木路 100 弄 5 号 302 室');
    await page.getByText('轮椅使用者，需协助上下楼').waitFor();
    expect((await jobRow()).status).toBe('assigned');
    await expectAccessible('field job accepted');
    await expectNothingCutOff();
  });

  it('when en route, arrived and done are reported, then each is stored, the check-in with the browser position and the notes', async () => {
    await tabTo(/\|BUTTON\|我已出发/);
    await page.keyboard.press('Enter');
    await page.getByTestId('field-result').getByText('已记录：在途。').waitFor();
    expect((await jobRow()).status).toBe('en_route');
    await tabTo(/\|BUTTON\|我已到达/);
    await page.keyboard.press('Enter');
    await page.getByTestId('field-result').getByText('已签到。').waitFor();
    const onSite = await jobRow();
    expect(onSite.status).toBe('on_site');
    expect(onSite.check_in_at).not.toBeNull();
    expect(Number(onSite.check_in_lat)).toBeCloseTo(PLACE.lat + 0.0003, 4);
    await tabTo(/\|BUTTON\|服务完成/);
    await page.keyboard.press('Enter');
    expect(await active()).toMatch(/^服务情况（必填）\|TEXTAREA/);
    await tabTo(/\|BUTTON\|提交完成/);
    await page.keyboard.press('Enter');
    await page.getByText('请填写服务情况。').waitFor();
    expect(await active()).toMatch(/^服务情况（必填）\|TEXTAREA/);
    await page.keyboard.type('已陪同复查，血压正常，安全送回家中。');
    await tabTo(/\|BUTTON\|提交完成/);
    await page.keyboard.press('Enter');
    await page.getByTestId('field-result').getByText('任务已完成，谢谢您的服务！').waitFor();
    const done = await jobRow();
    expect(done.status).toBe('completed');
    expect(String(done.outcome_notes)).toContain('已陪同复查');
    await expectAccessible('field job completed');
  });

  it('when a withdrawn offer\'s link or an unknown link is opened, then a clear page says the link no longer works', async () => {
    const second = await makeJob(t.baseUrl, tokens, personId);
    const offered = await api<JobDetail>(t.baseUrl, 'POST', `/api/dispatch/jobs/${second.id}/offers`, tokens.dispatcher, { candidateIds: [volunteer.candidate.id] });
    expect(offered.status).toBe(200);
    const stale = await offerTokenFor(t.ds, volunteer.phone, second.ticketId);
    expect(stale).not.toBe(token);
    expect((await api(t.baseUrl, 'POST', `/api/dispatch/jobs/${second.id}/withdraw`, tokens.dispatcher, {})).status).toBe(200);
    const [offer] = await t.ds.query(`SELECT status FROM job_offer WHERE job_id = $1`, [second.id]);
    expect(offer.status).toBe('withdrawn');

    const unknown = 'A'.repeat(token.length);
    for (const link of [stale, unknown]) {
      await page.goto('about:blank');
      await page.goto(`${t.baseUrl}/#/f/${link}`);
      await page.getByRole('heading', { level: 1, name: '请输入验证码' }).waitFor();
      await tabTo(/^验证码\|INPUT/);
      await page.keyboard.type(volunteer.pin);
      await page.keyboard.press('Enter');
      await page.getByRole('heading', { level: 1, name: '此链接已失效' }).waitFor();
      const text = await page.getByTestId('field-gone').textContent();
      expect(text).toMatch(link === stale ? /已过期或已被撤回/ : /找不到这个链接/);
      expect(await page.textContent('body')).not.toMatch(/Error|at .*\.js|field\//);
      await expectAccessible(`field link gone (${link === stale ? 'withdrawn' : 'unknown'})`);
      await expectNothingCutOff();
    }
    expect(districtCode).toBeTruthy();
  });
});
