/**
 * confcall in a bot's own test suite (copy this file into yours). The bot starts in this process
 * with its production configuration; confcall reroutes https://graph.microsoft.com,
 * https://login.microsoftonline.com and the notification-key hosts to its fake Graph here, POSTs
 * signed notifications to the bot's callbackUri, and judges every shipped scenario.
 *
 *   npx playwright test -c examples/in-process        (BOT_PORT moves the bot from 3978)
 */
import { test, expect } from '@playwright/test';
import { listScenarios, startInProcess, type InProcessHarness } from 'confcall/inprocess';
// Your bot's own configuration reader and start function; here, confcall's reference bot.
import { readConfig } from '../../bots/reference/config.js';
import { startBot, type RunningBot } from '../../bots/reference/start-bot.js';

const port = Number(process.env.BOT_PORT ?? 3978);
const auth = { appId: '11111111-2222-3333-4444-555555555555', tenantId: 'aa67bd4c-8475-432d-bd41-39f255720e0a', clientSecret: 'in-process-secret' };

// What the bot's production deployment sets. Nothing points at confcall: the hosts are intercepted.
const productionEnvironment = {
  GRAPH_BASE_URL: 'https://graph.microsoft.com',
  AUTHORITY_HOST: 'https://login.microsoftonline.com',
  NOTIFICATION_OPENID_CONFIG: 'https://api.aps.skype.com/v1/.well-known/OpenIdConfiguration',
  BOT_APP_ID: auth.appId,
  BOT_TENANT_ID: auth.tenantId,
  BOT_CLIENT_SECRET: auth.clientSecret,
  PORT: String(port),
};

test.describe.configure({ mode: 'serial' });

let harness: InProcessHarness;
let bot: RunningBot;

test.beforeAll(async () => {
  harness = await startInProcess({
    callbackUri: `http://127.0.0.1:${port}/api/calls`,
    control: `http://127.0.0.1:${port}/control`, // leave out if your bot has no control API: those scenarios are not applicable
    probe: true,
    // What the bot does: beside what the control API drives, it greets its callers, acts on their tones, records when
    // invited, keeps its calls alive (asked through the control API) and leaves a meeting once no human is left.
    capabilities: ['answersIncomingCalls', 'createsCalls', 'joinsMeetings', 'transfers', 'holdMusic', 'hangsUp', 'playsPrompts', 'subscribesToTones', 'recordsCompliance', 'keepsAlive', 'leavesWhenAlone'],
    auth,
  });
  bot = await startBot(readConfig(productionEnvironment));
});

test.afterAll(async () => {
  await bot?.close();
  await harness?.stop(); // interception removed, nock restored
});

for (const scenario of listScenarios()) {
  test(scenario, async () => {
    const verdict = await harness.run(scenario);
    test.skip(verdict.status === 'skipped', verdict.message);
    for (const check of verdict.skippedChecks) test.info().annotations.push({ type: 'skipped-check', description: check });
    expect(verdict.status, verdict.message).toBe('passed');
  });

  // The same meaning in the other shapes the documents show (string codes, subCode, collections, ...).
  test(`${scenario} · documented payload variants`, async () => {
    const verdict = await harness.runVariants(scenario);
    test.skip(verdict.status === 'skipped', verdict.message);
    expect(verdict.status, verdict.message).toBe('passed');
  });

  // Every order the documents allow ("may arrive out of order"): a failure prints the shrunk schedule
  // and harness.replay('<token>'), which runs exactly that schedule again while you fix the bot.
  test(`${scenario} · any documented order`, async () => {
    const verdict = await harness.explore(scenario, { runs: 25, seed: 42 });
    test.skip(verdict.status === 'skipped', verdict.message);
    expect(verdict.status, verdict.message).toBe('passed');
  });
}
