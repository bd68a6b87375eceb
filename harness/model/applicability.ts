/**
 * Whether a scenario applies to a target: the bot declares every capability the scenario needs
 * (its control steps' actions, incoming calls it must answer, its `needs:`), and the profile can
 * trigger each of its actions with the values the scenario has. Elsewhere it is `not applicable`.
 */
import { CONTROL_API_CAPABILITIES, type BotCapability } from './capability.js';
import type { Recording } from './recording.js';
import { actionOf, KNOWN_ACTIONS, type ControlStep, type Scenario } from './suite.js';
import type { TargetProfile } from './target.js';
import { teamsJoinUrl } from './teams-join-url.js';
import { placeholdersOf, readPointer } from './trigger-template.js';

/** Whether a scenario runs on a target, or why it is not applicable. */
export type Applicability = { applies: true } | { applies: false; reason: string };

/** What a profile without `capabilities` declares: what the DESIGN.md control API drives. */
export function declaredCapabilities(target: TargetProfile): readonly BotCapability[] {
  return target.capabilities ?? CONTROL_API_CAPABILITIES;
}

/** The capabilities a scenario needs, each with why (the step that needs it, or `needs:`). */
export function scenarioNeeds(scenario: Scenario, recordings: Map<string, Recording>): Array<{ capability: BotCapability; why: string }> {
  const out: Array<{ capability: BotCapability; why: string }> = [];
  scenario.steps.forEach((step, i) => {
    if (step.kind === 'control') {
      const action = actionOf(step.method, step.path, bodyOf(step, recordings))?.action;
      const capability = action ? KNOWN_ACTIONS[action] : undefined;
      if (capability) out.push({ capability, why: `step ${i + 1} asks it to ${action}` });
    }
    if (step.kind === 'notify' && !step.forge && isIncomingCall(recordings.get(step.recording)?.body)) out.push({ capability: 'answersIncomingCalls', why: `step ${i + 1} notifies an incoming call` });
  });
  for (const capability of scenario.needs ?? []) out.push({ capability, why: 'the scenario needs it' });
  return out;
}

/** Whether the scenario runs on the target, and if not, the first reason why. */
export function applicability(scenario: Scenario, target: TargetProfile, recordings: Map<string, Recording>): Applicability {
  const declared = declaredCapabilities(target);
  const missing = scenarioNeeds(scenario, recordings).find((n) => !declared.includes(n.capability));
  if (missing) return { applies: false, reason: `the bot does not declare ${missing.capability} (${missing.why})` };
  for (const [i, step] of scenario.steps.entries()) {
    if (step.kind !== 'control') continue;
    const reason = untriggerable(step, target, recordings);
    if (reason) return { applies: false, reason: `step ${i + 1} ${reason}` };
  }
  return { applies: true };
}

/** Why the profile cannot trigger a control step's action with the values the scenario has, if it cannot. */
function untriggerable(step: ControlStep, target: TargetProfile, recordings: Map<string, Recording>): string | undefined {
  const body = bodyOf(step, recordings);
  const action = actionOf(step.method, step.path, body)?.action;
  const trigger = action ? target.actions?.[action] : undefined;
  if (!trigger) return target.control ? undefined : `asks the bot to ${action ?? `${step.method} ${step.path}`}, and the profile maps no trigger for it (no actions.${action ?? '?'}, no control API)`;
  const templates = 'http' in trigger ? trigger.http : trigger.command;
  for (const { name } of placeholdersOf(templates)) {
    if (name === 'joinUrl' && teamsJoinUrl(body) === undefined) return `joins a meeting that has no Teams join URL (no chatInfo thread and organizer), which actions.${action} sends`;
    if (name.startsWith('/') && readPointer(body, name) === undefined) return `has no ${name} in its control body, which actions.${action} sends`;
  }
  return undefined;
}

function bodyOf(step: ControlStep, recordings: Map<string, Recording>): unknown {
  const id = (step.body as { $recording?: unknown } | undefined)?.$recording;
  return typeof id === 'string' ? recordings.get(id)?.body : step.body;
}

/** A notification that Graph offers the bot a call: a call resource `incoming`, created. */
function isIncomingCall(body: unknown): boolean {
  const items = (body as { value?: unknown[] } | undefined)?.value ?? [];
  return items.some((item) => (item as { resourceData?: { state?: unknown } }).resourceData?.state === 'incoming');
}
