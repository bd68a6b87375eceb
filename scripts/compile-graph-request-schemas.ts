/**
 * Precompiles the Graph request schemas (harness/schema/graph/) into one standalone validator module,
 * dist/harness/graph/validators/graph-requests.cjs, so that the fake Graph does not compile them in
 * every Playwright worker (~0.3 s of CPU a run); graph/request-schemas.ts compiles them at run time
 * when a schema changed since. Part of `npm run build`:  node dist/scripts/compile-graph-request-schemas.js
 */
import { mkdirSync, writeFileSync } from 'node:fs';
import { dirname } from 'node:path';
import { precompiledGraphValidatorsFile, standaloneGraphValidators } from '../harness/graph/request-schemas.js';

const file = precompiledGraphValidatorsFile();
mkdirSync(dirname(file), { recursive: true });
writeFileSync(file, standaloneGraphValidators());
