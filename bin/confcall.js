#!/usr/bin/env node
// The `confcall` command. The TypeScript is compiled into dist/ by `npm ci` (the prepare script).
import { existsSync } from 'node:fs';

const entry = new URL('../dist/harness/cli.js', import.meta.url);
if (!existsSync(entry)) {
  console.error('confcall: dist/ is missing; run `npm run build` (or `npm ci`) in the confcall folder first.');
  process.exit(2);
}
const { main } = await import(entry.href);
process.exitCode = await main(process.argv.slice(2));
