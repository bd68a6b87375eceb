/**
 * Precompiles the input schemas (harness/schema/{suite,target,recording,requirements,redaction}.schema.json)
 * into standalone validators in dist/harness/load/validators/, so that `confcall run` and `validate` do not
 * compile them at every start (load/schema-check.ts falls back to compiling when a schema changed since).
 * Part of `npm run build`:  node dist/scripts/compile-input-schemas.js
 */
import { mkdirSync, readFileSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { schemaDir } from '../harness/load/package-root.js';
import { INPUT_SCHEMAS, precompiledValidatorsDir, standaloneValidator } from '../harness/load/schema-check.js';

const out = precompiledValidatorsDir();
mkdirSync(out, { recursive: true });
for (const name of INPUT_SCHEMAS) {
  writeFileSync(join(out, `${name}.cjs`), standaloneValidator(readFileSync(join(schemaDir(), `${name}.schema.json`), 'utf8')));
}
