import { defineConfig } from '@playwright/test';

// Figure (c)'s baseline: one empty test, one worker, the list reporter, nothing else.
export default defineConfig({ testDir: '.', testMatch: 'empty.spec.ts', workers: 1, reporter: 'list', outputDir: '../results/empty-spec-output' });
