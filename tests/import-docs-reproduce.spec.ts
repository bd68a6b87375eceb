import { existsSync, readdirSync, readFileSync } from 'node:fs';
import { join } from 'node:path';
import { test, expect } from '@playwright/test';
import { confcall, ROOT, tempDir } from './support/cli.js';

const DOCS = join(ROOT, '..', 'shared', 'docs');
const TOPICS = ['transfer', 'create-call', 'hold-music'];

test('the shipped document recordings are exactly what confcall import-docs makes of the four documents', async () => {
  test.skip(!existsSync(DOCS), `the source documents are not beside the repository (${DOCS})`);
  const documents = readdirSync(DOCS).filter((f) => /^\d{3}_.*\.txt$/.test(f)).map((f) => join(DOCS, f));
  expect(documents).toHaveLength(4);
  const out = tempDir('confcall-import-');
  const first = await confcall(['import-docs', '--out', out, ...documents]);
  expect(first.code, first.stderr).toBe(0);
  expect(first.stdout).toContain('53 recording(s) from 4 document(s)');
  for (const topic of TOPICS) {
    const shipped = readdirSync(join(ROOT, 'recordings', topic)).sort();
    expect(readdirSync(join(out, topic)).sort(), topic).toEqual(shipped);
    for (const file of shipped) expect(readFileSync(join(out, topic, file), 'utf8'), `${topic}/${file}`).toBe(readFileSync(join(ROOT, 'recordings', topic, file), 'utf8'));
  }
  const again = await confcall(['import-docs', '--out', out, ...documents]);
  expect(again.stdout).toContain('0 file(s) written, 53 unchanged');
});
