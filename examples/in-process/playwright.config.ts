import { defineConfig } from '@playwright/test';

/** The in-process example: one bot and one fake Graph per worker process, scenarios one after another. */
export default defineConfig({
  testDir: '.',
  workers: 1,
  timeout: 60_000,
  reporter: 'list',
});
