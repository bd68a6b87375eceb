/**
 * Mutant: reads only the first notification of a POST.
 *
 * The real defect: `const notification = body.value[0]`. commsNotifications.value is a collection,
 * and Graph puts several notifications in one POST (graph-calling.md PART 8 S20: "multiple
 * notifications in one value[] (e.g. operation completion + call update)"); the others are lost.
 */
import { referenceBehaviour } from '../reference/behaviour.js';
import { isRecord } from '../reference/json.js';
import { runMutant } from '../reference/run-mutant.js';

function firstItemOnly(body: unknown) {
  const first = isRecord(body) && Array.isArray(body.value) ? { ...body, value: body.value.slice(0, 1) } : body;
  return referenceBehaviour.parseNotifications(first);
}

await runMutant('reads-first-item-only', { parseNotifications: firstItemOnly });
