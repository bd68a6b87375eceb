/**
 * A certification run's expected failures (`--expected-failures FILE`: `expectedFailures: [test id,
 * …]`), read before the run: it used to be read after it, so a file missing, malformed or naming a
 * test that does not exist cost a whole certification run, and an id naming no test stayed "now
 * passing" for ever, so the certification could never pass.
 */
import type { LoadProblem } from './problem.js';
import { readInputFile } from './read-input.js';
import { formatPath, parseYamlSource, positionAt, yamlValue } from './yaml-source.js';

/** Test ids are `suite/scenario`, or `suite/scenario · …` for its other tests (variants, explorations). */
const TEST_SUFFIX = ' · ';

/** Loads the expected failures; each must name a scenario of `scenarioIds` (`suite/scenario`). */
export function loadExpectedFailures(path: string, display: string, scenarioIds: Set<string>): { value?: string[]; problems: LoadProblem[] } {
  const read = readInputFile(path, display, { what: 'expected failures', hint: 'pass --expected-failures with a YAML file: expectedFailures: [suite/scenario, ...]' });
  if (read.text === undefined) return { problems: read.problems };
  const { source, problems } = parseYamlSource(display, read.text);
  if (problems.length) return { problems };
  const { value, problems: aliasProblems } = yamlValue(source);
  if (aliasProblems.length) return { problems: aliasProblems };
  const list = (value as { expectedFailures?: unknown } | null)?.expectedFailures;
  if (!Array.isArray(list) || list.some((id) => typeof id !== 'string')) {
    const at = Array.isArray(list) ? ['expectedFailures', list.findIndex((id) => typeof id !== 'string')] : list === undefined ? [] : ['expectedFailures'];
    return { problems: [{ ...positionAt(source, at), path: formatPath(at), message: 'expectedFailures must be a list of test ids', hint: 'write expectedFailures: [suite/scenario, "suite/scenario · documented payload variants", ...]' }] };
  }
  const unknown = (list as string[]).flatMap((id, i) =>
    scenarioIds.has(id.split(TEST_SUFFIX)[0]!)
      ? []
      : [{ ...positionAt(source, ['expectedFailures', i]), path: formatPath(['expectedFailures', i]), message: `"${id}" names no scenario of the certification suites, so it could never fail and the certification never pass`, hint: 'ids are suite/scenario (with " · …" for its other tests); `confcall list` lists the scenarios' }],
  );
  return unknown.length ? { problems: unknown } : { value: list as string[], problems: [] };
}
