import type { Scenario } from '../model/suite.js';
import type { Finding } from '../model/transcript.js';
import { allVariantModes, reshapedResources, type ResourceType, type VariantMode } from '../order/payload-variants.js';
import { asRobustness, explorationBaseline, type ExplorationBaseline } from '../oracle/verdict.js';
import { judgeRun } from './explore-schedules.js';
import { documentedSettleMs, type RunContext, type ScenarioResult } from './scenario-run.js';

/** A payload variant (in one mode) under which the bot did not behave as with the documented payloads. */
export interface VariantFailure {
  variant: VariantMode;
  findings: Finding[];
  result: ScenarioResult;
}

/** One variant mode run on a scenario, and the resource types of the items it reshaped (`undefined`: the envelope). */
export interface VariantTried {
  id: string;
  mode: VariantMode['mode'];
  resources?: ResourceType[];
}

export interface VariantExploration {
  /** The variant modes run, documented ones first. */
  tried: VariantTried[];
  /** Variant modes that would reshape no notification of this scenario, so were not run. */
  notApplicable: string[];
  /** What fails the test: documented variants, and robustness variants with --strict. */
  failures: VariantFailure[];
  /** Robustness variants the bot failed, without --strict: their findings are warnings. */
  warnings: VariantFailure[];
  /** Which variants ran documented and which as robustness, on which resource types (`describeVariantsTried`). */
  description: string;
}

/**
 * Runs a scenario once per payload variant mode that reshapes one of its notifications (documented
 * order) and judges each against the documented payloads, `concurrency` of them at once. `documented`
 * is the scenario's documented run, judged under the documented run's full quiet (scenario-run.ts
 * `documentedSettleMs`): the baseline of every variant. A variant that fails under the short
 * `settleMs` is judged again under that full quiet (see confirmFailures). A robustness variant's
 * findings are `inferred` SHOULD: warnings, failures only with --strict (`context.judging.strict`).
 */
export async function exploreVariants(context: RunContext, scenario: Scenario, documented: ScenarioResult, settleMs: number, concurrency = 8): Promise<VariantExploration> {
  const exploration: VariantExploration = { tried: [], notApplicable: [], failures: [], warnings: [], description: '' };
  if (!scenario.steps.some((s) => s.kind === 'notify')) return { ...exploration, description: describeVariantsTried(exploration) };
  const strict = context.judging?.strict ?? false;
  const baseline = explorationBaseline(documented);
  const bodies = documented.transcript.flatMap((e) => (e.type === 'notification' ? [e.body] : []));
  const modes = allVariantModes().filter((mode) => {
    const resources = reshapedResources(mode, bodies);
    if (resources !== undefined && resources.length === 0) {
      exploration.notApplicable.push(mode.id);
      return false;
    }
    exploration.tried.push({ id: mode.id, mode: mode.mode, ...(resources && { resources }) });
    return true;
  });
  // The variants run at once (each has its own ids); their verdicts are taken in variant order.
  const verdicts = await inLanes(modes, concurrency, (mode) => judgeRun(context, scenario, undefined, baseline, settleMs, mode));
  await confirmFailures(context, scenario, modes, verdicts, baseline, { concurrency, confirmMs: documentedSettleMs(context.target), settleMs });
  modes.forEach((mode, i) => {
    const verdict = verdicts[i]!;
    if (!verdict.findings.length) return;
    if (mode.mode === 'documented') return void exploration.failures.push({ variant: mode, ...verdict });
    // The reasoning of this inferred check: the shape on a resource type no document shows it for.
    const because = `under the robustness payload variant ${mode.variantId}: ${mode.because}`;
    const findings = asRobustness(verdict.findings, strict, because);
    (strict ? exploration.failures : exploration.warnings).push({ variant: mode, findings, result: verdict.result });
  });
  return { ...exploration, description: describeVariantsTried(exploration) };
}

/** `documented: codes-as-strings [call], batched; robustness: resource-url-slash (robustness) [call, participant]`. */
export function describeVariantsTried(exploration: Omit<VariantExploration, 'description'>): string {
  const list = (mode: VariantTried['mode']) =>
    exploration.tried
      .filter((t) => t.mode === mode)
      .map((t) => `${t.id}${t.resources ? ` [${t.resources.join(', ')}]` : ''}`)
      .join(', ') || 'none';
  const skipped = exploration.notApplicable.length ? `; not applicable (nothing to reshape): ${exploration.notApplicable.join(', ')}` : '';
  return `documented: ${list('documented')}; robustness: ${list('robustness')}${skipped}`;
}

/**
 * Judges the failing variants again, under the documented run's full quiet (`confirmMs`) and against
 * the documented run (`baseline`, judged under it too), replacing their verdicts. A request later than
 * the short window (a bot's hang-up 150 ms after a failed transfer) may fall inside one run and outside
 * the other, which is confcall's observation window, not a difference the payload's shape made; under
 * the full window it is in both, and only such a difference is left.
 */
async function confirmFailures(
  context: RunContext,
  scenario: Scenario,
  modes: VariantMode[],
  verdicts: Array<Awaited<ReturnType<typeof judgeRun>>>,
  baseline: ExplorationBaseline,
  how: { concurrency: number; confirmMs: number; settleMs: number },
): Promise<void> {
  const failing = modes.map((_, i) => i).filter((i) => verdicts[i]!.findings.length > 0);
  if (!failing.length || how.confirmMs <= how.settleMs) return;
  const confirmed = await inLanes(failing, how.concurrency, (i) => judgeRun(context, scenario, undefined, baseline, how.confirmMs, modes[i]));
  failing.forEach((i, k) => (verdicts[i] = confirmed[k]!));
}

/** `work` over every item, `lanes` at a time; the results in the items' order. */
async function inLanes<T, R>(items: readonly T[], lanes: number, work: (item: T) => Promise<R>): Promise<R[]> {
  const results: R[] = new Array(items.length);
  let next = 0;
  const lane = async (): Promise<void> => {
    for (let i = next++; i < items.length; i = next++) results[i] = await work(items[i]!);
  };
  await Promise.all(Array.from({ length: Math.max(1, Math.min(lanes, items.length)) }, lane));
  return results;
}
