/**
 * Recordings are read with JSON.parse alone when nothing is wrong with them (load/clean-json.ts); any
 * file the YAML parser would refuse must still take the full path and be refused where it was.
 */
import { readFileSync } from 'node:fs';
import { test, expect } from '@playwright/test';
import fc from 'fast-check';
import { readsCleanAsYaml } from '../harness/load/clean-json.js';
import { loadRecordingFile } from '../harness/load/load-recordings.js';
import { parseYamlSource } from '../harness/load/yaml-source.js';

const FILE = 'recordings/graph-reference/notification-established.json';
const ID = 'graph-reference/notification-established';

test('JSON the fast path takes is JSON the YAML parser reads without a problem', () => {
  const layouts = fc.constantFrom<Array<number | string>>([0], [2], ['\t'], [' \t']);
  // Keys that a JSON text writes twice, escapes that look like the end of a string or a colon.
  const key = fc.oneof(fc.string({ maxLength: 6 }), fc.constantFrom('a', '"', '\\', '":', 'x\\":'));
  const json = fc.letrec((tie) => ({
    value: fc.oneof({ depthSize: 'small' }, fc.constantFrom(null, true, 1.5, -0, 'a"b:\\'), fc.array(tie('value'), { maxLength: 4 }), fc.dictionary(key, tie('value'), { maxKeys: 4 })),
  })).value;
  fc.assert(
    fc.property(json, layouts, fc.boolean(), (value, [indent], duplicate) => {
      let text = JSON.stringify(value, null, indent as number | string);
      // A key written twice: JSON.parse keeps the last, the YAML parser refuses the mapping.
      if (duplicate && text.startsWith('{') && text.length > 2) text = `{"dup": 1, "dup": 2, ${text.slice(1)}`;
      if (readsCleanAsYaml(text, JSON.parse(text))) expect(parseYamlSource('x.json', text).problems).toEqual([]);
    }),
  );
});

test('a recording with a key written twice is refused at the second key, as the YAML parser places it', () => {
  const text = readFileSync(FILE, 'utf8').replace('{', '{\n  "id": "x",');
  const { value, problems } = loadRecordingFile(FILE, text, ID);
  expect(value).toBeUndefined();
  expect(problems.map((p) => `${p.line}:${p.message}`)).toEqual([expect.stringMatching(/^\d+:JSON syntax error: Map keys must be unique/)]);
});

test('a clean recording loads the same whatever its layout, without $schema, with its sources', () => {
  const written = JSON.parse(readFileSync(FILE, 'utf8'));
  const compact = loadRecordingFile(FILE, JSON.stringify(written), ID);
  const tabbed = loadRecordingFile(FILE, JSON.stringify(written, null, '\t'), ID);
  expect(compact.problems).toEqual([]);
  expect(tabbed).toEqual(compact);
  expect(compact.value).not.toHaveProperty('$schema');
  expect(compact.value!.sources.length).toBeGreaterThan(0);
});
