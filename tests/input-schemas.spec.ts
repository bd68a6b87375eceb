/** The input schemas' validators precompiled by the build (load/schema-check.ts) judge as a fresh compile does. */
import { readFileSync } from 'node:fs';
import { test, expect } from '@playwright/test';
import { Ajv } from 'ajv';
import fc from 'fast-check';
import { schemaDir } from '../harness/load/package-root.js';
import { INPUT_SCHEMAS, validatorFor } from '../harness/load/schema-check.js';
import { parseYamlSource, yamlValue } from '../harness/load/yaml-source.js';

for (const name of INPUT_SCHEMAS) {
  test(`the build's ${name} validator is used, and gives a fresh compile's errors`, () => {
    const precompiled = validatorFor(name) as ReturnType<typeof validatorFor> & { schemaSha256?: string };
    expect(precompiled.schemaSha256, 'npm run build writes dist/harness/load/validators/').toMatch(/^[0-9a-f]{64}$/);
    const fresh = new Ajv({ allErrors: true, verbose: true, strict: false }).compile(JSON.parse(readFileSync(`${schemaDir()}/${name}.schema.json`, 'utf8')));
    const judged = (validate: typeof fresh, value: unknown) => ({ valid: validate(value), errors: validate.errors ?? null });
    // Shipped inputs (valid), and random mappings: mostly wrong, in every way the schema can say.
    const shipped = name === 'suite' ? ['suites/transfer.yaml'] : name === 'target' ? ['targets/reference-bot.yaml'] : name === 'requirements' ? ['requirements.yaml'] : [];
    for (const file of shipped) {
      const value = yamlValue(parseYamlSource(file, readFileSync(file, 'utf8')).source).value;
      expect(judged(precompiled, value)).toEqual(judged(fresh, value));
    }
    fc.assert(fc.property(fc.dictionary(fc.constantFrom('name', 'id', 'scenarios', 'steps', 'auth', 'callbackUri', 'graph', 'requirements', 'rules', 'body', 'x'), fc.jsonValue({ maxDepth: 3 })), (value) => {
      expect(judged(precompiled, value)).toEqual(judged(fresh, value));
    }), { numRuns: 200 });
  });
}
