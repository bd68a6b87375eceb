import { existsSync, readFileSync } from 'node:fs';
import { join } from 'node:path';
import { expect } from '@playwright/test';
import { unfiredChanges } from './mutant-catches.js';

/** The mutant's changes all fired in this run (its bot-output.log says so): a run that caught a mutant which never deviated proves nothing. */
export function expectDeviated(out: string, mutant: string): void {
  const output = join(out, 'bot-output.log');
  const log = existsSync(output) ? readFileSync(output, 'utf8') : '';
  expect(unfiredChanges(log, mutant), `mutant ${mutant}: its changes must fire in the run that catches it (${output})`).toEqual([]);
}
