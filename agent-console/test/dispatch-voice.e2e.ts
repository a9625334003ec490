/**
 * The dispatcher's voice fallback in Chromium, keyboard only: on the job panel 电话联系 places a click-to-call
 * through the dispatcher's extension (the recorded Asterisk Originate, replayed) to a candidate found by id —
 * the page only ever shows the masked number — and 电话接单 records the answer given on the phone, which assigns
 * the job as an SMS reply would. axe-core finds nothing serious or critical on the way.
 */
import { randomInt } from 'node:crypto';
import type { Page } from 'playwright-core';
import type { CreatedCandidate, JobDetail } from '../src/api/dispatch-wire';
import { makePerson } from '../../server/test/support/factories';
import { loadAmiFixture } from '../../server/test/support/ami-fixtures';
import { api, login, makeDistricts, makeUser } from '../../server/test/support/test-app';
import { expectAccessible as expectPageAccessible } from './support/axe';
import { signIn, startConsoleStack, until, type ConsoleStack } from './support/console-stack';
import { makeJob, makeVolunteer } from './support/dispatch-fixtures';

jest.setTimeout(90_000);

let stack: ConsoleStack;
let page: Page;
let dispatcher: string;
let extension: string;
let job: JobDetail;
let helper: CreatedCandidate & { phone: string };

beforeAll(async () => {
  stack = await startConsoleStack([{ fixtures: loadAmiFixture('click-to-call-originate'), gateOn: ['Originate'] }], { BACKGROUND_JOBS: 'off' });
  await until(async () => stack.adapter.state === 'up');
  const ds = stack.app.ds;
  const tree = await makeDistricts(ds);
  extension = `9${randomInt(100_000, 999_999)}`;
  dispatcher = (await makeUser(ds, 'dispatcher', tree.district, { sipExtension: extension })).username;
  const tokens = { agent: await login(stack.baseUrl, (await makeUser(ds, 'agent', tree.district)).username), dispatcher: await login(stack.baseUrl, dispatcher) };
  const person = await makePerson(ds, tree.community, { name: `电话派单${Date.now() % 1000}` });
  helper = await makeVolunteer(stack.baseUrl, tokens.dispatcher, tree.district, { name: '孙电话' });
  job = await makeJob(stack.baseUrl, tokens, person.id);
  const offered = await api(stack.baseUrl, 'POST', `/api/dispatch/jobs/${job.id}/offers`, tokens.dispatcher, { candidateIds: [helper.candidate.id] });
  if (offered.status !== 200) throw new Error(`offer: ${offered.status} ${JSON.stringify(offered.body)}`);
  page = stack.page;
  page.setDefaultTimeout(10_000);
}, 180_000);
afterAll(async () => {
  await stack?.close();
});

const expectAccessible = (name: string) => expectPageAccessible(page, name);
const active = () => page.evaluate(`(() => { const e = document.activeElement; return (e.labels && e.labels[0] ? e.labels[0].textContent : '') + '|' + e.tagName + '|' + (e.getAttribute('aria-label') || (e.textContent || '').trim()); })()`) as Promise<string>;

async function tabTo(match: RegExp, max = 150): Promise<void> {
  for (let i = 0; i < max; i++) {
    if (match.test(await active())) return;
    await page.keyboard.press('Tab');
  }
  throw new Error(`focus never reached ${match}: last ${await active()}`);
}

describe('voice offers on the dispatcher board in Chromium', () => {
  it('when the dispatcher presses 电话联系 by keyboard, then the PBX rings their extension and then the candidate, and the page shows only the masked number', async () => {
    await signIn(page, stack.baseUrl, dispatcher, 'Test@Pass-2026');
    await page.getByRole('heading', { level: 1, name: '工单' }).waitFor();
    await tabTo(/\|A\|派单台/);
    await page.keyboard.press('Enter');
    await page.getByRole('heading', { level: 1, name: '派单台' }).waitFor();
    await page.locator(`tr[data-job-id="${job.id}"]`).waitFor();
    await tabTo(new RegExp(`\\|BUTTON\\|选择任务 ${job.ticketNumber}`));
    await page.keyboard.press('Enter');
    await page.getByRole('heading', { level: 2, name: `任务：助行 · ${job.ticketNumber}` }).waitFor();
    await page.getByTestId('offer-table').locator('tr', { hasText: '孙电话' }).getByText('等待答复').waitFor();

    await tabTo(/\|BUTTON\|电话联系 孙电话/);
    await page.keyboard.press('Enter');
    await page.getByTestId('job-result').getByText(/正在呼叫 孙电话（\d{3}\*{4}\d{4}）：请接听分机/).waitFor();
    expect(await active()).toMatch(/^\|DIV\|.*正在呼叫 孙电话/);
    const national = helper.phone.replace(/^\+86/, '');
    const originate = await stack.pbx.waitForAction('Originate');
    expect(originate.fields).toMatchObject({ channel: `Local/${extension}@agents`, exten: national, variable: { ANXIN_TICKET: job.ticketNumber } });
    expect(await page.content()).not.toContain(national); // the full number never reaches the browser
    await expectAccessible('job panel after 电话联系');
  });

  it('when the candidate says yes on the phone and the dispatcher records 电话接单, then the job is assigned as by an SMS reply', async () => {
    await tabTo(/\|BUTTON\|电话接单：记录 孙电话/);
    await page.keyboard.press('Enter');
    await page.getByTestId('job-result').getByText('已记录：孙电话 电话接单。').waitFor();
    await page.getByTestId('job-status').getByText('已接单').waitFor();
    expect(await page.getByTestId('job-assignee').textContent()).toContain('孙电话');
    const [stored] = await until(async () => {
      const rows = await stack.app.ds.query(`SELECT j.status, j.assignee_id, o.answered_via FROM service_job j JOIN job_offer o ON o.job_id = j.id WHERE j.id = $1`, [job.id]);
      return rows[0]?.status === 'assigned' ? rows : null;
    });
    expect(stored).toEqual({ status: 'assigned', assignee_id: helper.candidate.id, answered_via: 'dispatcher' });
    await expectAccessible('job panel after 电话接单');
  });
});
