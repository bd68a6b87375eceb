/**
 * What a person sees: a failing schedule in the conformance run's HTML report, opened in a real
 * headless browser (Debian's chromium), shows the shrunk schedule, the replay command, the
 * triage, and a sequence diagram of the run.
 */
import { existsSync } from 'node:fs';
import { join } from 'node:path';
import { pathToFileURL } from 'node:url';
import { test, expect, chromium } from '@playwright/test';
import { confcall, portsFor, tempDir } from './support/cli.js';

const CHROMIUM = '/usr/bin/chromium';
const CHROMIUM_ARGS = ['--headless', '--no-sandbox', '--disable-gpu', '--disable-quic', '--no-first-run', '--disable-background-networking', '--disable-component-update', '--disable-sync'];

test('the HTML report of a failing schedule shows its schedule, replay command and sequence diagram', async ({}, testInfo) => {
  expect(existsSync(CHROMIUM), `Debian's chromium is needed at ${CHROMIUM}: apt-get install -y chromium (.ci/run does this)`).toBe(true);
  const out = tempDir('confcall-html-');
  const run = await confcall(['run', '--suite', 'suites/incoming-call.yaml', '--grep', 'answer · any', '--runs', '30', '--seed', '3', '--reporter', 'json,html', '--out', out], {
    env: { ...portsFor(testInfo.parallelIndex, 2), CONFCALL_BOT_ENTRY: 'dist/bots/mutants/regresses-to-establishing.js' },
  });
  expect(run.code, run.stdout + run.stderr).toBe(1);

  const browser = await chromium.launch({ executablePath: CHROMIUM, args: CHROMIUM_ARGS });
  try {
    const page = await browser.newPage();
    await page.goto(pathToFileURL(join(out, 'html', 'index.html')).href);
    await page.getByText('answer · any documented order').first().click();
    await expect(page.getByText('established → establishing').first()).toBeVisible();
    await expect(page.getByText(/replay: npx confcall run --replay incoming-call\/answer@documented:3:\d+:[\d:]+/).first()).toBeVisible();
    await expect(page.getByText(/triage: order-sensitive/)).toBeVisible();
    await page.getByText('schedule', { exact: true }).click();
    await expect(page.getByText(/^incoming-call \| established → establishing/).last()).toBeVisible();
    await page.screenshot({ path: testInfo.outputPath('report.png'), fullPage: true });
    await testInfo.attach('report', { path: testInfo.outputPath('report.png'), contentType: 'image/png' });

    const diagram = await page.getByRole('link', { name: 'sequence diagram' }).getAttribute('href');
    expect(diagram).toBeTruthy();
    await page.goto(new URL(diagram!, page.url()).href);
    await expect(page.getByTestId('sequence-diagram')).toBeVisible();
    await expect(page.getByTestId('schedule')).toContainText('established → establishing');
    await expect(page.getByTestId('findings')).toContainText('reports state "establishing"');
    expect(await page.getByTestId('event').count()).toBeGreaterThanOrEqual(5);
    await page.screenshot({ path: testInfo.outputPath('diagram.png'), fullPage: true });
    await testInfo.attach('diagram', { path: testInfo.outputPath('diagram.png'), contentType: 'image/png' });
  } finally {
    await browser.close();
  }
});
