/**
 * Everything a browser test of the console needs, for real: the built console served by a real server on an
 * ephemeral port, the real AmiAdapter connected to the AMI replay server playing recorded Asterisk traffic,
 * the recorded callers and agents in the database (under the fixture lock), and Chromium.
 */
import pino from 'pino';
import type { Page } from 'playwright-core';
import type { DataSource } from 'typeorm';
import { acquireFixtureLock, resetFixturePeople, type FixturePeople } from '../../../server/test/support/fixture-people';
import { AmiReplayServer, type ReplaySession } from '../../../server/test/support/ami-replay-server';
import { startTestApp, totpCodeFor, totpSecretOf, type RunningApp } from '../../../server/test/support/test-app';
import { until as untilSettled, type Probe } from '../../../server/test/support/until';
import { AmiAdapter } from '../../../server/src/telephony/ami/ami.adapter';
import { launchBrowser } from './browser';
import { ensureConsoleBuilt } from './console-build';

export interface ConsoleStack {
  app: RunningApp;
  pbx: AmiReplayServer;
  adapter: AmiAdapter;
  people: FixturePeople;
  page: Page;
  baseUrl: string;
  newPage(): Promise<Page>;
  close(): Promise<void>;
}

/** A promise with its resolve function (to release a replay session's recording when the test is ready). */
export function gate(): { promise: Promise<void>; open: () => void } {
  let open!: () => void;
  const promise = new Promise<void>((r) => (open = r));
  return { promise, open };
}

/**
 * This replay PBX is new and knows nothing of earlier test files' queues. Their presence rows still waiting
 * for a PBX (`queue_synced = false`) would be resynced to it as soon as it is up, and use up the recorded
 * queue actions this test's agent needs (the softphone test's break once got `No recorded response`).
 */
async function forgetEarlierQueueState(ds: DataSource): Promise<void> {
  const [{ exists }] = await ds.query(`SELECT to_regclass('agent_presence') IS NOT NULL AS exists`);
  if (exists) await ds.query('UPDATE agent_presence SET queue_synced = true WHERE queue_synced = false');
}

export async function startConsoleStack(sessions: ReplaySession[], env: Record<string, string> = {}): Promise<ConsoleStack> {
  const consoleDir = ensureConsoleBuilt();
  const release = await acquireFixtureLock();
  const cleanups: Array<() => Promise<void> | void> = [release];
  try {
    const pbx = await AmiReplayServer.start({ sessions });
    cleanups.unshift(() => pbx.close());
    const adapter = new AmiAdapter({ connection: pbx.connection(), logger: pino({ level: process.env.AMI_TEST_LOG ?? 'silent' }, pino.destination(2)), clock: { now: () => new Date() }, reconnect: { initialDelayMs: 50, maxDelayMs: 200 } });
    const app = await startTestApp({ telephony: adapter, env: { CONSOLE_DIR: consoleDir, ...env }, beforeStart: forgetEarlierQueueState });
    cleanups.unshift(() => app.close());
    const people = await resetFixturePeople(app.ds);
    const browser = await launchBrowser();
    cleanups.unshift(() => browser.close());
    const page = browser.context.pages()[0] ?? (await browser.context.newPage());
    return {
      app,
      pbx,
      adapter,
      people,
      page,
      baseUrl: app.baseUrl,
      newPage: () => browser.context.newPage(),
      async close() {
        for (const c of cleanups) await c();
      },
    };
  } catch (err) {
    for (const c of cleanups) await c();
    throw err;
  }
}

/** Sign in through the form, by keyboard. */
export async function signIn(page: Page, baseUrl: string, username: string, password: string): Promise<void> {
  await page.goto(`${baseUrl}/#/`);
  const user = page.getByLabel(/用户名|User name/);
  await user.waitFor();
  await user.focus();
  await page.keyboard.type(username);
  await page.keyboard.press('Tab');
  await page.keyboard.type(password);
  await page.keyboard.press('Enter');
  // A user with a second factor (makeUser enrols admin, security admin and auditor): the form asks for the
  // code next and moves the focus there; type what the user's authenticator app shows.
  const secret = totpSecretOf(username);
  if (secret) {
    await page.getByLabel(/^(验证码|Verification code)/).waitFor();
    await page.keyboard.type(totpCodeFor(baseUrl, secret));
    await page.keyboard.press('Enter');
  }
}

/** Wait until `probe` returns something truthy (polling; for server-side state); 10 s by default. */
export const until = <T,>(probe: Probe<T>, timeoutMs = 10_000): Promise<T> => untilSettled(probe, timeoutMs, 25);
