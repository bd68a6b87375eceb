import type { Scenario } from '../model/suite.js';
import type { Finding } from '../model/transcript.js';
import { PAYLOAD_VARIANTS, type PayloadVariant } from '../order/payload-variants.js';
import { observedBehaviour } from '../oracle/order-independence.js';
import { judgeRun } from './explore-schedules.js';
import type { RunContext, ScenarioResult } from './scenario-run.js';

/** A payload variant under which the bot failed. */
export interface VariantFailure {
  variant: PayloadVariant;
  findings: Finding[];
  result: ScenarioResult;
}

/** Runs a scenario once per documented payload variant (documented order) and judges each against the documented payloads. */
export async function exploreVariants(context: RunContext, scenario: Scenario, documented: ScenarioResult, settleMs: number): Promise<{ tried: string[]; failures: VariantFailure[] }> {
  if (!scenario.steps.some((s) => s.kind === 'notify')) return { tried: [], failures: [] };
  const baseline = observedBehaviour(documented.transcript, documented.runToRecorded);
  const failures: VariantFailure[] = [];
  for (const variant of PAYLOAD_VARIANTS) {
    const verdict = await judgeRun(context, scenario, undefined, baseline, settleMs, variant);
    if (verdict.findings.length) failures.push({ variant, ...verdict });
  }
  return { tried: PAYLOAD_VARIANTS.map((v) => v.id), failures };
}
