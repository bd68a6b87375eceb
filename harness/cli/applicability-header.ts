import type { Recording } from '../model/recording.js';
import { applicability } from '../model/applicability.js';
import type { Suite } from '../model/suite.js';
import type { TargetProfile } from '../model/target.js';

/**
 * The lines `confcall run` prints before it starts: which scenarios run against the bot, suite by
 * suite, and why each of the others is not applicable (the capability it lacks, the action its
 * profile cannot trigger).
 */
export function applicabilityLines(suites: Suite[], target: TargetProfile, recordings: Map<string, Recording>): string[] {
  const lines: string[] = [];
  const notApplicable: string[] = [];
  for (const suite of suites) {
    const runs: string[] = [];
    for (const scenario of suite.scenarios) {
      const applies = applicability(scenario, target, recordings);
      if (applies.applies) runs.push(scenario.id);
      else notApplicable.push(`  - ${suite.id}/${scenario.id}: ${applies.reason}`);
    }
    const all = runs.length === suite.scenarios.length;
    lines.push(`  ${suite.id}: ${all ? `all ${runs.length} run` : runs.length ? `${runs.length} of ${suite.scenarios.length} run (${runs.join(', ')})` : `none of ${suite.scenarios.length} applies`}`);
  }
  if (!notApplicable.length) return [];
  return ['confcall: scenarios that run against this bot, by suite:', ...lines, `confcall: ${notApplicable.length} scenario(s) not applicable (reported as such, not failed):`, ...notApplicable];
}
