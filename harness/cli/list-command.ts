import { parseArgs } from 'node:util';
import { loadProject } from '../load/load-project.js';
import { defaultSuitePatterns, ownRequirementsFile, projectLayout, recordingsFolders, requirementsFile, resolveSuitePatterns, shippedSuitesFolder } from '../load/project-layout.js';
import { formatProblem } from '../load/problem.js';
import { capabilitiesOf, type Scenario, type Suite } from '../model/suite.js';
import { scenarioNeeds } from '../model/applicability.js';
import type { Recording } from '../model/recording.js';
import type { Requirement } from '../model/requirement.js';

/** `confcall list`: the scenarios (with what they need and cover), or the recordings. */
export function listCommand(args: string[], cwd: string): number {
  const { values } = parseArgs({ args, options: { suite: { type: 'string', multiple: true }, recordings: { type: 'boolean' }, requirements: { type: 'boolean' } } });
  const layout = projectLayout(cwd);
  const recordings = recordingsFolders(layout);
  const suitePatterns = values.suite ? resolveSuitePatterns(values.suite, layout) : defaultSuitePatterns(layout);
  const { project, problems } = loadProject({ root: cwd, recordingsDir: recordings.shipped, extraRecordingsDirs: recordings.own, suitePatterns, requirementsFile: requirementsFile(layout), ownRequirementsFile: ownRequirementsFile(layout), libraryDirs: [shippedSuitesFolder(layout)] });
  if (problems.length) {
    for (const p of problems) console.error(formatProblem(p));
    return 2;
  }
  if (values.requirements) {
    console.log(traceabilityMatrix(project.requirements, project.suites));
    return project.requirements.length ? 0 : 2;
  }
  if (values.recordings) {
    for (const r of [...project.recordings.values()].sort((a, b) => a.id.localeCompare(b.id))) {
      const where = r.captured ? `captured ${r.captured.at} from ${r.captured.upstream} (exchange ${r.captured.exchange})` : r.sources.map((s) => `${s.document}:${s.line}`).join(', ');
      console.log(`${r.id.padEnd(64)} ${r.kind.padEnd(12)} ${where}`);
    }
    return 0;
  }
  for (const suite of project.suites) {
    console.log(`${suite.id}: ${suite.title} (${suite.file})`);
    for (const s of suite.scenarios) {
      const extra = [needsOf(s, project.recordings), s.requirements.length ? `covers ${s.requirements.join(', ')}` : ''].filter(Boolean).join('; ');
      console.log(`  ${suite.id}/${s.id}  ${s.title}${extra ? `  [${extra}]` : ''}`);
    }
  }
  return 0;
}

/** Every requirement with its level and basis (and the words that state them), source sentence and the scenarios (or the protocol rule) that check it. */
export function traceabilityMatrix(requirements: Requirement[], suites: Suite[]): string {
  if (!requirements.length) return 'no requirement catalogue (requirements.yaml) here';
  const lines: string[] = [];
  for (const r of requirements) {
    const scenarios = suites.flatMap((suite) => suite.scenarios.filter((s) => s.requirements.includes(r.id)).map((s) => `${suite.id}/${s.id}`));
    lines.push(`${r.id} [${r.level}, ${r.basis}] ${r.title}`);
    lines.push(`  source:    ${r.source}`);
    lines.push(`  says:      ${r.quote}`);
    if (r.gloss) lines.push(`  gloss:     ${r.gloss}`);
    lines.push(`  level:     ${r.levelFrom}`);
    if (r.rule) lines.push('  checked:   in every scenario (protocol rule)');
    lines.push(`  scenarios: ${scenarios.length ? scenarios.join(', ') : r.rule ? '(all)' : 'NONE: no scenario checks this yet'}`);
  }
  const uncovered = requirements.filter((r) => !r.rule && !suites.some((suite) => suite.scenarios.some((s) => s.requirements.includes(r.id))));
  lines.push('', `${requirements.length} requirement(s); ${uncovered.length ? `${uncovered.length} not checked by any scenario: ${uncovered.map((r) => r.id).join(', ')}` : 'each checked by a scenario or a protocol rule'}`);
  return lines.join('\n');
}

/**
 * What a scenario needs of the target (`needs control+probe`) and which capabilities the bot must
 * declare (`bot joinsMeetings`); per start when it offers a choice of starts.
 */
function needsOf(scenario: Scenario, recordings: Map<string, Recording>): string {
  const needs = (s: Scenario): string => {
    const capabilities = [...new Set(scenarioNeeds(s, recordings).map((n) => n.capability))];
    return [capabilitiesOf(s).length ? `needs ${capabilitiesOf(s).join('+')}` : '', capabilities.length ? `bot ${capabilities.join(', ')}` : ''].filter(Boolean).join('; ');
  };
  if (!scenario.alternatives) return needs(scenario);
  return `starts ${scenario.alternatives.map((s) => `${s.startedBy} (${needs(s) || 'needs nothing more'})`).join(' or ')}`;
}
