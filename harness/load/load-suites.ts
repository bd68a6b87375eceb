import type { Recording, RecordingKind } from '../model/recording.js';
import type { SourcePosition } from '../model/position.js';
import { restatesUnordered, type NotifyStep, type ProbeExpectation, type RequestMatcher, type ResponseSpec, type Scenario, type Step, type Suite } from '../model/suite.js';
import type { LoadProblem } from './problem.js';
import { readInputFiles } from './read-input.js';
import { stepValueProblems, unknownPathIds, type ValueProblems } from './suite-values.js';
import { checkAgainstSchema } from './schema-check.js';
import { unorderedSnapshotOf, updatedCollectionOf } from './unordered-snapshot.js';
import { formatPath, parseYamlSource, positionAt, yamlValue, type YamlSource } from './yaml-source.js';

/** A suite as written: steps may still `include` fragments, recording references are unchecked. */
interface WrittenSuite {
  suite: Suite;
  /** Steps per scenario (and per fragment) before includes are resolved. */
  written: Map<Scenario | string, WrittenStep[]>;
}

/** `include: name`, or `include: [a, b]` (a choice of starts: the first the target can do). */
type IncludeStep = { kind: 'include'; names: string[]; position: SourcePosition };
type WrittenStep = Step | IncludeStep;

const ACTIONS = ['notify', 'control', 'expect', 'expectNo', 'probe', 'include'] as const;
const MODIFIERS: Record<string, (typeof ACTIONS)[number][]> = {
  patch: ['notify'],
  label: ['notify'],
  forge: ['notify'],
  respond: ['expect'],
  times: ['expect'],
  within: ['expect', 'probe'],
  expectStatus: ['notify', 'control'],
  because: ['notify', 'control', 'expect', 'expectNo', 'probe'],
  checks: ['notify', 'control', 'expect', 'expectNo', 'probe'],
};

/**
 * Loads suites, resolves `include`s and checks every recording reference against `recordings`.
 * `library` files lend their fragments to the suites (a suite may include a fragment another
 * suite defines) but are neither returned nor checked here.
 */
export function loadSuites(files: Array<{ file: string; text: string }>, recordings: Map<string, Recording>, library: Array<{ file: string; text: string }> = []): LoadedSuites {
  const problems: LoadProblem[] = [];
  const warnings: LoadProblem[] = [];
  const written: WrittenSuite[] = [];
  for (const { file, text } of files) {
    const result = readSuite(file, text);
    problems.push(...result.problems);
    warnings.push(...(result.warnings ?? []));
    if (result.value) written.push(result.value);
  }
  const selected = new Set(files.map((f) => f.file));
  const lent = library.filter((f) => !selected.has(f.file)).flatMap(({ file, text }) => readSuite(file, text).value ?? []);
  const fragments = collectFragments([...written, ...lent], problems);
  for (const { suite, written: steps } of written) {
    suite.scenarios = suite.scenarios.map((scenario) => withStarts(scenario, steps.get(scenario) ?? [], fragments, recordings, problems, warnings));
    for (const name of Object.keys(suite.fragments)) suite.fragments[name] = expandIncludes(fragments.get(name)?.steps ?? [], fragments, [], [name]).map((step) => ({ ...step, fragment: name }));
  }
  return { suites: written.map((w) => w.suite).filter((s) => s.scenarios.length > 0), problems: distinct(problems), warnings: distinct(warnings) };
}

/** Loaded suites; `warnings` are values the run would not honour as written, or checks that can never fail (they stop nothing). */
export interface LoadedSuites {
  suites: Suite[];
  problems: LoadProblem[];
  warnings: LoadProblem[];
}

/** A scenario with its steps resolved; with `alternatives`, one per start, when its steps offer a choice of starts. */
function withStarts(scenario: Scenario, written: WrittenStep[], fragments: Fragments, recordings: Map<string, Recording>, problems: LoadProblem[], warnings: LoadProblem[]): Scenario {
  const choices = written.filter((step): step is IncludeStep => step.kind === 'include' && step.names.length > 1);
  for (const extra of choices.slice(1)) {
    problems.push({ ...extra.position, path: 'include', message: 'a scenario offers one choice of starts; this is a second one', hint: `keep the list at line ${choices[0]!.position.line} and include one fragment here` });
  }
  const choice = choices[0];
  const resolve = (steps: WrittenStep[], startedBy?: string): Scenario => {
    const expanded = expandIncludes(steps, fragments, problems, []);
    for (const step of expanded) problems.push(...checkReferences(step, recordings));
    const resolved: Scenario = { ...scenario, steps: expanded.map((step) => (step.kind === 'notify' ? withSnapshot(step, recordings) : step)), ...(startedBy && { startedBy }) };
    problems.push(...checkLicences(resolved));
    const ids = unknownPathIds(resolved, recordings);
    problems.push(...ids.problems);
    warnings.push(...ids.warnings);
    return resolved;
  };
  if (!choice) return resolve(written);
  const alternatives = choice.names.map((name) => resolve(written.map((step) => (step === choice ? { ...choice, names: [name] } : step)), name));
  const [first] = alternatives;
  return Object.assign(first!, { alternatives });
}

/** Problems without repeats (steps shared by a scenario's starts are checked once per start). */
function distinct(problems: LoadProblem[]): LoadProblem[] {
  const seen = new Set<string>();
  return problems.filter((p) => {
    const key = `${p.file}:${p.line}:${p.col}:${p.path}:${p.message}`;
    return !seen.has(key) && (seen.add(key), true);
  });
}

/** A notify step marked with the collection it updates, and restates unordered (see NotifyStep.snapshotOf, collectionOf). */
function withSnapshot(step: NotifyStep, recordings: Map<string, Recording>): NotifyStep {
  const body = recordings.get(step.recording)?.body;
  const collectionOf = updatedCollectionOf(body);
  if (!collectionOf) return step;
  const snapshotOf = unorderedSnapshotOf(body, step.patch);
  return { ...step, collectionOf, ...(snapshotOf && { snapshotOf }) };
}

/** Reads suite files from disk (see {@link loadSuites}). */
export function loadSuiteFiles(paths: string[], recordings: Map<string, Recording>): LoadedSuites {
  const { files, problems } = readInputFiles(paths, (file) => file);
  const loaded = loadSuites(files, recordings);
  return { ...loaded, problems: [...problems, ...loaded.problems] };
}

function readSuite(file: string, text: string): { value?: WrittenSuite; problems: LoadProblem[]; warnings?: LoadProblem[] } {
  const { source, problems } = parseYamlSource(file, text);
  if (problems.length) return { problems };
  const { value, problems: aliasProblems } = yamlValue(source);
  if (aliasProblems.length) return { problems: aliasProblems };
  const raw = value as Record<string, any> | null;
  if (raw === null || typeof raw !== 'object' || Array.isArray(raw)) {
    return { problems: [{ file, line: 1, col: 1, path: '', message: 'a suite must be a mapping with keys suite, title, scenarios', hint: 'see suites/transfer.yaml for an example' }] };
  }
  const stepProblems = checkStepShapes(raw, source);
  const schemaProblems = checkAgainstSchema('suite', raw, source);
  if (stepProblems.length || schemaProblems.length) return { problems: [...stepProblems, ...schemaProblems] };
  const values = writtenStepValues(raw, source);
  problems.push(...values.problems);

  const suite: Suite = {
    id: raw.suite,
    title: raw.title,
    description: raw.description,
    documents: raw.documents,
    scenarios: [],
    fragments: {},
    file,
    position: positionAt(source, []),
  };
  const written = new Map<Scenario | string, WrittenStep[]>();
  const seen = new Map<string, number>();
  (raw.scenarios ?? []).forEach((s: Record<string, any>, i: number) => {
    const scenario: Scenario = {
      id: s.id,
      title: s.title,
      requirements: s.requirements ?? [],
      needs: s.needs ?? [],
      steps: [],
      reorderable: (s.reorderable ?? []).map((l: { labels: string[]; because: string }, k: number) => ({ ...l, position: positionAt(source, ['scenarios', i, 'reorderable', k]) })),
      suiteId: suite.id,
      position: positionAt(source, ['scenarios', i]),
    };
    if (seen.has(scenario.id)) {
      problems.push({ ...positionAt(source, ['scenarios', i, 'id']), path: formatPath(['scenarios', i, 'id']), message: `scenario id "${scenario.id}" is used twice in this suite`, hint: 'scenario ids must be unique within a suite' });
    }
    seen.set(scenario.id, i);
    suite.scenarios.push(scenario);
    written.set(scenario, s.steps.map((step: Record<string, any>, j: number) => toStep(step, source, ['scenarios', i, 'steps', j])));
  });
  for (const [name, steps] of Object.entries((raw.fragments ?? {}) as Record<string, Record<string, any>[]>)) {
    suite.fragments[name] = [];
    written.set(`${name}`, steps.map((step, j) => toStep(step, source, ['fragments', name, j])));
  }
  return { value: { suite, written }, problems, warnings: values.warnings };
}

/** The meaning checks of every written step (suite-values.ts), scenarios' and fragments'. */
function writtenStepValues(raw: Record<string, any>, source: YamlSource): ValueProblems {
  const out: ValueProblems = { problems: [], warnings: [] };
  const add = (step: Record<string, any>, path: Array<string | number>): void => {
    const found = stepValueProblems(step, source, path);
    out.problems.push(...found.problems);
    out.warnings.push(...found.warnings);
  };
  (raw.scenarios ?? []).forEach((s: Record<string, any>, i: number) => s.steps.forEach((step: Record<string, any>, j: number) => add(step, ['scenarios', i, 'steps', j])));
  for (const [name, steps] of Object.entries((raw.fragments ?? {}) as Record<string, Record<string, any>[]>)) steps.forEach((step, j) => add(step, ['fragments', name, j]));
  return out;
}

/** Each step needs exactly one action, and modifiers only where they mean something. */
function checkStepShapes(raw: Record<string, any>, source: YamlSource): LoadProblem[] {
  const problems: LoadProblem[] = [];
  const check = (step: unknown, path: Array<string | number>): void => {
    if (!step || typeof step !== 'object' || Array.isArray(step)) return; // the schema reports the type
    const keys = Object.keys(step);
    const actions = ACTIONS.filter((a) => keys.includes(a));
    if (actions.length !== 1) {
      problems.push({
        ...positionAt(source, path),
        path: formatPath(path),
        message: actions.length === 0 ? 'a step needs an action' : `a step has one action, this one has ${actions.join(' and ')}`,
        hint: `write one of ${ACTIONS.join(', ')} per step; split it into several steps`,
      });
      return;
    }
    for (const key of keys) {
      const allowedWith = MODIFIERS[key];
      if (allowedWith && !allowedWith.includes(actions[0]!)) {
        problems.push({ ...positionAt(source, [...path, key], true), path: formatPath([...path, key]), message: `"${key}" does not apply to a ${actions[0]} step`, hint: `"${key}" goes with ${allowedWith.join(' or ')} steps` });
      }
    }
  };
  const scenarios = Array.isArray(raw.scenarios) ? raw.scenarios : [];
  scenarios.forEach((s: any, i: number) => Array.isArray(s?.steps) && s.steps.forEach((step: unknown, j: number) => check(step, ['scenarios', i, 'steps', j])));
  for (const [name, steps] of Object.entries((raw.fragments ?? {}) as Record<string, unknown>)) {
    if (Array.isArray(steps)) steps.forEach((step, j) => check(step, ['fragments', name, j]));
  }
  return problems;
}

function toStep(raw: Record<string, any>, source: YamlSource, path: Array<string | number>): WrittenStep {
  const position = positionAt(source, path);
  const because: string | undefined = raw.because;
  // The requirements this step's check belongs to (default: the scenario's own), so a failure names only them.
  const checks: string[] | undefined = raw.checks;
  const statuses = raw.expectStatus === undefined ? undefined : [raw.expectStatus].flat();
  if ('include' in raw) return { kind: 'include', names: [raw.include].flat(), position };
  if ('notify' in raw) return { kind: 'notify', recording: raw.notify, label: raw.label ?? defaultLabel(raw.notify), patch: raw.patch, forge: raw.forge, expectStatus: statuses, because, ...(checks && { checks }), position };
  if ('control' in raw) return { kind: 'control', method: raw.control.method, path: raw.control.path, body: raw.control.body, expectStatus: statuses, because, ...(checks && { checks }), position };
  if ('expect' in raw) return { kind: 'expect', request: raw.expect as RequestMatcher, respond: raw.respond as ResponseSpec | undefined, times: raw.times, within: raw.within, because, ...(checks && { checks }), position };
  if ('expectNo' in raw) return { kind: 'expectNo', request: raw.expectNo as RequestMatcher, because, ...(checks && { checks }), position };
  return { kind: 'probe', expect: raw.probe as ProbeExpectation, within: raw.within, because, ...(checks && { checks }), position };
}

type Fragments = Map<string, { steps: WrittenStep[]; position: SourcePosition }>;

function collectFragments(written: WrittenSuite[], problems: LoadProblem[]): Fragments {
  const fragments: Fragments = new Map();
  for (const { suite, written: steps } of written) {
    for (const name of Object.keys(suite.fragments)) {
      const own = steps.get(name) ?? [];
      const position = own[0]?.position ?? suite.position;
      const earlier = fragments.get(name);
      if (earlier) {
        problems.push({ ...position, path: `fragments.${name}`, message: `fragment "${name}" is defined twice`, hint: `the other one is at ${earlier.position.file}:${earlier.position.line}` });
        continue;
      }
      fragments.set(name, { steps: own, position });
    }
  }
  return fragments;
}

function expandIncludes(steps: WrittenStep[], fragments: Fragments, problems: LoadProblem[], trail: string[]): Step[] {
  const out: Step[] = [];
  for (const step of steps) {
    if (step.kind !== 'include') {
      out.push(step);
      continue;
    }
    const [name, ...others] = step.names;
    const fragment = fragments.get(name!);
    // In a scenario's own steps a second choice was reported already (withStarts): its first fragment stands in.
    if (others.length && trail.length) {
      problems.push({ ...step.position, path: 'include', message: `a choice of starts (${step.names.join(', ')}) inside fragment "${trail.at(-1)}"`, hint: "a choice of starts goes in a scenario's own steps; include one fragment here" });
    } else if (!fragment) {
      problems.push({ ...step.position, path: 'include', message: `no fragment named "${name}"`, hint: fragments.size ? `known fragments: ${[...fragments.keys()].sort().join(', ')}` : 'define it under "fragments:" in a suite' });
    } else if (trail.includes(name!)) {
      problems.push({ ...step.position, path: 'include', message: `fragment "${name}" includes itself (${[...trail, name].join(' → ')})`, hint: 'break the cycle' });
    } else {
      // Each step carries the fragment as it is included here (the outermost, for a fragment inside a fragment): that is the premise it stands for.
      out.push(...expandIncludes(fragment.steps, fragments, problems, [...trail, name!]).map((included) => ({ ...included, fragment: name! })));
    }
  }
  return out;
}

/** Recording references a step makes, with the kind each must have (undefined: any kind with a body). */
function referencesOf(step: Step): Array<{ id: string; kind?: RecordingKind; what: string }> {
  const refs: Array<{ id: string; kind?: RecordingKind; what: string }> = [];
  const bodyRef = (body: unknown, what: string): void => {
    const id = (body as { $recording?: unknown } | undefined)?.$recording;
    if (typeof id === 'string') refs.push({ id, what });
  };
  if (step.kind === 'notify') refs.push({ id: step.recording, kind: 'notification', what: 'notify' });
  if (step.kind === 'control') bodyRef(step.body, 'control.body');
  if (step.kind === 'expect' || step.kind === 'expectNo') {
    for (const m of [step.request, ...(step.request.or ?? [])]) bodyRef(m.body, `${step.kind}.body`);
  }
  if (step.kind === 'expect' && typeof step.respond === 'string') refs.push({ id: step.respond, kind: 'response', what: 'respond' });
  if (step.kind === 'expect' && typeof step.respond === 'object') bodyRef(step.respond.body, 'respond.body');
  return refs;
}

function checkReferences(step: Step, recordings: Map<string, Recording>): LoadProblem[] {
  return referencesOf(step).flatMap(({ id, kind, what }) => {
    const recording = recordings.get(id);
    if (!recording) {
      const near = [...recordings.keys()].filter((k) => k.split('/').pop() === id.split('/').pop() || k.startsWith(id.split('/')[0]! + '/'));
      return [{ ...step.position, path: what, message: `no recording "${id}"`, hint: near.length ? `recordings nearby: ${near.slice(0, 6).join(', ')}` : 'recordings are recordings/<id>.json; `confcall list --recordings` lists them' }];
    }
    if (kind && recording.kind !== kind) {
      return [{ ...step.position, path: what, message: `recording "${id}" is a ${recording.kind}, ${what} needs a ${kind}` }];
    }
    if (!kind && recording.body === undefined) {
      return [{ ...step.position, path: what, message: `recording "${id}" has no body to use` }];
    }
    return [];
  });
}

/** A notification's default schedule label: `transfer/notification-transfer-accepted` → `transfer-accepted`. */
function defaultLabel(recording: string): string {
  return recording.split('/').pop()!.replace(/^notification-/, '');
}

/** Licences name labels of the scenario's own notifications, and can take effect. */
function checkLicences(scenario: Scenario): LoadProblem[] {
  const labels = new Set(scenario.steps.flatMap((s) => (s.kind === 'notify' ? [s.label] : [])));
  return scenario.reorderable.flatMap((licence) => {
    const unknown = licence.labels
      .filter((label) => !labels.has(label))
      .map((label) => ({ ...licence.position, path: 'reorderable.labels', message: `no notification labelled "${label}" in this scenario`, hint: `labels here: ${[...labels].join(', ')}` }));
    return unknown.length ? unknown : contradictions(licence, scenario);
  });
}

/**
 * Licences that cannot hold: one that lets two notifications swap while a step between them (a
 * request, a control call, a probe) keeps them in order (suites cannot declare a cycle: the order is
 * the list of steps, and licences only relax it), and one that swaps two full rosters of a call.
 */
function contradictions(licence: Scenario['reorderable'][number], scenario: Scenario): LoadProblem[] {
  const barrierAfter = (from: number, to: number): Step | undefined => scenario.steps.slice(from + 1, to).find((s) => s.kind !== 'notify');
  const places = scenario.steps.flatMap((s, i) => (s.kind === 'notify' && licence.labels.includes(s.label) ? [{ label: s.label, index: i, step: s }] : []));
  for (const [k, a] of places.entries()) {
    for (const b of places.slice(k + 1)) {
      if (a.label !== b.label && restatesUnordered(a.step, b.step)) {
        const what = a.step.snapshotOf && b.step.snapshotOf ? `both restate the whole ${a.step.collectionOf} list` : `one restates the whole ${a.step.collectionOf} list, the other changes it`;
        return [{ ...licence.position, path: 'reorderable.labels', message: `"${a.label}" and "${b.label}" may not swap: ${what} with no sequenceNumber between them, so swapped, no bot could tell the older from the newer`, hint: `drop one of them from the licence; a roster whose order matters is a delta roster with a sequenceNumber` }];
      }
      const barrier = a.label !== b.label ? barrierAfter(a.index, b.index) : undefined;
      if (barrier) {
        return [{ ...licence.position, path: 'reorderable.labels', message: `"${a.label}" and "${b.label}" may not swap: step ${scenario.steps.indexOf(barrier) + 1} (${barrier.kind}, line ${barrier.position.line}) between them keeps them in order, so this licence contradicts the steps`, hint: `move the ${barrier.kind} step after both notifications, or drop the licence` }];
      }
    }
  }
  return [];
}
