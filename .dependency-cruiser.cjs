// @ts-check
/**
 * The layer order of harness/ (../shared/DESIGN.md, "Layers of harness/"), checked by
 * dependency-cruiser: `npm run check:layers` (part of `npm test` through tests/layers.spec.ts).
 *
 *   model → load → graph → notify → order → oracle → run → report → cli
 *   (inprocess sits on run; record and import sit beside run, under cli)
 *
 * The rules speak of folders, never of single files (the two known exceptions aside), so code
 * may move between files and folders freely as long as every import still points downward: a
 * new upward import, or an import of a folder no layer knows, fails the check.
 *
 * Each layer gets one `forbidden` rule, `layer-<folder>`: a module in harness/<folder>/ may import
 * no harness/ module outside the folders listed in ALLOWED (a list of what it MAY import, so a
 * new folder is forbidden everywhere until it is given a place here and in DESIGN.md). The rule's
 * comment names what it may not import.
 *
 * Severity: `error` fails the check (exit code = number of errors); `warn` is printed but passes.
 */

/** Every folder of harness/. schema/ is data (JSON), importable by any layer. */
const FOLDERS = [
  'model', 'load', 'graph', 'notify', 'order', 'oracle',
  'run', 'inprocess', 'report', 'record', 'import', 'cli', 'schema',
];

/**
 * What each layer may import (other harness folders). From DESIGN.md's table, with what the code
 * really imports checked by `npx depcruise harness --no-config --ts-pre-compilation-deps ...`.
 */
const ALLOWED = {
  // Types only: it depends on nothing else in harness.
  model: [],
  // YAML/JSON → model.
  load: ['model'],
  // The fake Graph: model types, load/package-root.ts (schema paths).
  graph: ['model', 'load'],
  // Delivery and the notification JWT: graph/signing-keys.ts.
  notify: ['model', 'graph'],
  // Schedules: suite/step types only.
  order: ['model'],
  // Protocol rules and comparisons: model types, graph's CallTruth type, order's schedule types
  // if judging needs them. Never run, notify, load or cli: judging is told what happened, it
  // does not make it happen (see the *-types-only warnings below for graph and order).
  oracle: ['model', 'graph', 'order'],
  // One scenario run: everything below it. report/ and inprocess/ are exceptions, allowed file
  // by file in RUN_EXCEPTIONS, not as whole folders.
  run: ['model', 'load', 'graph', 'notify', 'order', 'oracle'],
  // confcall/inprocess: a bot's own test drives runs, so it sits on top of run/.
  inprocess: ['model', 'load', 'graph', 'notify', 'order', 'oracle', 'run', 'report'],
  // Outcomes, summaries, certification, sequence diagram: model, and oracle's types.
  report: ['model', 'oracle'],
  // confcall record: the recording proxy uses graph/graph-paths.ts.
  record: ['model', 'load', 'graph'],
  // confcall import-docs: load/problem.ts for its problems.
  import: ['model', 'load'],
  // The subcommands. Today they import model, load, graph, run, report, record, import;
  // oracle and order are allowed too (below cli). Not notify (that is run's business) and not
  // inprocess (the API for a bot's own tests, no subcommand's).
  cli: ['model', 'load', 'graph', 'run', 'report', 'record', 'import', 'oracle', 'order'],
};

/**
 * The known exceptions of today (DESIGN.md "Today's code departs from it"), each a single file
 * run/ may import. Anything else in report/ or inprocess/ stays forbidden to run/.
 */
const RUN_EXCEPTIONS = [
  // run/scenario-tests.ts draws the sequence diagram of a failed test into its attachment
  // (report/sequence-diagram.ts), and run/conformance.spec.ts marks unreachable tests with UNREACHABLE_MESSAGE
  // (report/interrupted.ts).
  // Drift: those belong to report/, and the Playwright project running the test lives in run/.
  '^harness/report/sequence-diagram\\.ts$',
  '^harness/report/interrupted\\.ts$',
  // run/target-process.ts starts an intercept target with the --require preload and its
  // environment (inprocess/preload-environment.ts), while inprocess/in-process-harness.ts uses
  // run/*. Drift: run ↔ inprocess at folder level, no module cycle (no-circular checks that).
  '^harness/inprocess/preload-environment\\.ts$',
];

/** A module of harness/<folder>/; cli/ also owns the entry harness/cli.ts. */
const inFolder = (folder) => (folder === 'cli' ? '^harness/(cli/|cli\\.ts$)' : `^harness/${folder}/`);
const anyOf = (patterns) => `(${patterns.join('|')})`;

const layerRules = Object.entries(ALLOWED).map(([folder, allowed]) => {
  const mayImport = [folder, ...allowed, 'schema'];
  const mayNot = FOLDERS.filter((other) => !mayImport.includes(other));
  const allowedPaths = mayImport.map(inFolder);
  if (folder === 'run') allowedPaths.push(...RUN_EXCEPTIONS);
  return {
    name: `layer-${folder}`,
    comment:
      `harness/${folder}/ may import only ${allowed.length ? allowed.map((a) => a + '/').join(', ') : 'no other layer'}` +
      ` (and schema/ data); not ${mayNot.map((m) => m + '/').join(', ')}, nor a harness folder no layer knows` +
      (folder === 'run' ? '; known exceptions: report/sequence-diagram.ts, report/interrupted.ts, inprocess/preload-environment.ts' : '') +
      '. See .dependency-cruiser.cjs and DESIGN.md "Layers of harness/".',
    severity: 'error',
    from: { path: inFolder(folder) },
    to: { path: '^harness/', pathNot: anyOf(allowedPaths) },
  };
});

/** @type {import('dependency-cruiser').IConfiguration} */
module.exports = {
  forbidden: [
    ...layerRules,

    // DESIGN.md says oracle/ uses graph's CallTruth *type* and report/ oracle's *types*: a
    // runtime import there is still downward (so it passes), but it means code that does
    // something moved into the wrong layer, or the table needs updating. Printed as a warning.
    {
      name: 'oracle-graph-types-only',
      comment: 'oracle/ should use graph/ for types only (CallTruth); a runtime import is downward but worth a look.',
      severity: 'warn',
      from: { path: inFolder('oracle') },
      to: { path: inFolder('graph'), dependencyTypesNot: ['type-only'] },
    },
    {
      name: 'oracle-order-types-only',
      comment: 'oracle/ should use order/ for types only (schedules); a runtime import is downward but worth a look.',
      severity: 'warn',
      from: { path: inFolder('oracle') },
      to: { path: inFolder('order'), dependencyTypesNot: ['type-only'] },
    },
    {
      name: 'report-oracle-types-only',
      comment: 'report/ should use oracle/ for types only (verdicts); a runtime import is downward but worth a look.',
      severity: 'warn',
      from: { path: inFolder('report') },
      to: { path: inFolder('oracle'), dependencyTypesNot: ['type-only'] },
    },

    {
      name: 'harness-unknown-folder',
      comment:
        'Every harness module belongs to a layer: a new folder (or a file at harness/ other than cli.ts) needs a place in ' +
        'FOLDERS/ALLOWED here and in DESIGN.md before it may import anything.',
      severity: 'error',
      from: { path: '^harness/', pathNot: anyOf(FOLDERS.map(inFolder)) },
      to: {},
    },
    {
      name: 'no-circular',
      comment: 'A module cycle has no layer order; the folder-level run ↔ inprocess drift must stay cycle-free too.',
      severity: 'error',
      from: {},
      to: { circular: true },
    },
    {
      name: 'bots-not-harness',
      comment:
        'bots/ are targets under test (reference, mutants, independent): they talk to the harness over HTTP only, ' +
        'as a real bot does, so they never import harness/.',
      severity: 'error',
      from: { path: '^bots/' },
      to: { path: '^harness/' },
    },
    {
      name: 'harness-not-bots',
      comment: 'The harness must judge any bot, so it never depends on the reference bot or its mutants.',
      severity: 'error',
      from: { path: '^harness/' },
      to: { path: '^bots/' },
    },
    {
      name: 'harness-not-test-code',
      comment: "Shipped code never imports the harness's own tests, benches, scripts or examples.",
      severity: 'error',
      from: { path: '^harness/' },
      to: { path: '^(tests|bench|scripts|examples)/' },
    },
    {
      name: 'not-to-unresolvable',
      comment:
        'An import the cruiser cannot resolve is invisible to the layer rules, so it fails here ' +
        '(tsc would usually catch it first).',
      severity: 'error',
      from: { path: '^(harness|bots|tests)/' },
      to: { couldNotResolve: true },
    },
    // tests/ may import anything (harness layers, bots, bench, scripts): no rule restricts it,
    // except no-circular.
  ],
  options: {
    doNotFollow: { path: 'node_modules' },
    exclude: { path: '^dist/' },
    // Type-only imports count: without this, `import type` edges vanish and an upward type
    // import (oracle → run types, say) would pass unseen.
    tsPreCompilationDeps: true,
    tsConfig: { fileName: 'tsconfig.json' },
    // Resolve type-only packages (@microsoft/microsoft-graph-types-beta has only "types") and
    // package "exports" as TypeScript does.
    enhancedResolveOptions: {
      exportsFields: ['exports'],
      conditionNames: ['types', 'import', 'require', 'node', 'default'],
      mainFields: ['types', 'typings', 'module', 'main'],
      extensions: ['.ts', '.d.ts', '.mts', '.cts', '.js', '.mjs', '.cjs', '.json'],
    },
    moduleSystems: ['es6', 'cjs'],
    reporterOptions: {
      text: { highlightFocused: true },
    },
  },
};
