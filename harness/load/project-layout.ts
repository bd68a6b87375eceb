import { existsSync, statSync } from 'node:fs';
import { isAbsolute, join, relative, resolve, sep } from 'node:path';
import { expandGlobs } from './expand-globs.js';
import { packageRoot } from './package-root.js';

/** The folder of a bot repository's own confcall inputs (targets/, suites/, recordings/); `confcall init` writes it. */
export const USER_DIR = 'confcall';

/**
 * Where a command run in `cwd` finds its inputs. The shipped ones (suites, recordings, the requirement
 * catalogue, the reference bot's targets) come from `base`: confcall's package when it is installed
 * in the folder's node_modules (a bot's repository, which may well have a `recordings/` of its own), else
 * the folder itself when it is laid out as confcall's checkout (it has `recordings/`), else the package.
 * A bot's repository adds its own `confcall/` folder beside them. Paths are absolute.
 */
export interface ProjectLayout {
  cwd: string;
  base: string;
  /** `<cwd>/confcall`, when it exists and is not the base itself. */
  user?: string;
}

/** The layout of a command run in `cwd`. */
export function projectLayout(cwd: string): ProjectLayout {
  const installedHere = packageRoot().startsWith(join(cwd, 'node_modules') + sep);
  const base = !installedHere && existsSync(join(cwd, 'recordings')) ? cwd : packageRoot();
  const user = join(cwd, USER_DIR);
  return { cwd, base, ...(user !== base && isDirectory(user) && { user }) };
}

/** The suites a run takes when given no `--suite`: the shipped ones, and the project's own. */
export function defaultSuitePatterns(layout: ProjectLayout): string[] {
  const own = layout.user && isDirectory(join(layout.user, 'suites')) ? [shown(layout, join(layout.user, 'suites', '*.yaml'))] : [];
  return [shown(layout, join(layout.base, 'suites', '*.yaml')), ...own];
}

/**
 * A `--suite` pattern (or a profile's suite) names a file of the project when it matches one there,
 * else a shipped one: `--suite suites/transfer.yaml` works in a bot's repository too.
 */
export function resolveSuitePatterns(patterns: string[], layout: ProjectLayout): string[] {
  return patterns.map((pattern) => {
    if (isAbsolute(pattern) || layout.base === layout.cwd || expandGlobs([pattern], layout.cwd).files.length) return pattern;
    return expandGlobs([pattern], layout.base).files.length ? shown(layout, resolve(layout.base, pattern)) : pattern;
  });
}

/** The shipped recordings folder (relative to cwd), and the project's own (`confcall/recordings`) when it has one. */
export function recordingsFolders(layout: ProjectLayout): { shipped: string; own: string[] } {
  const own = layout.user && isDirectory(join(layout.user, 'recordings')) ? [shown(layout, join(layout.user, 'recordings'))] : [];
  return { shipped: shown(layout, join(layout.base, 'recordings')), own };
}

/** The requirement catalogue, relative to cwd. */
export function requirementsFile(layout: ProjectLayout): string {
  return shown(layout, join(layout.base, 'requirements.yaml'));
}

/** A bot repository's own requirements (`confcall/requirements.yaml`, relative to cwd), added to the catalogue; undefined when it has none. */
export function ownRequirementsFile(layout: ProjectLayout): string | undefined {
  const file = layout.user && join(layout.user, 'requirements.yaml');
  return file && existsSync(file) ? shown(layout, file) : undefined;
}

/** The folder whose suites lend their fragments to every suite of a run (a user suite may `include` a shipped fragment). */
export function shippedSuitesFolder(layout: ProjectLayout): string {
  return join(layout.base, 'suites');
}

/** A `--target` file: the project's when it exists there, else the shipped one of that name (`targets/reference-bot.yaml`). */
export function resolveTargetFile(file: string, layout: ProjectLayout): string {
  const own = resolve(layout.cwd, file);
  const shipped = resolve(layout.base, file);
  return existsSync(own) || isAbsolute(file) || !existsSync(shipped) ? own : shipped;
}

/** A path as the user sees it: relative to the folder the command runs in. */
function shown(layout: ProjectLayout, file: string): string {
  return relative(layout.cwd, file) || '.';
}

function isDirectory(path: string): boolean {
  return existsSync(path) && statSync(path).isDirectory();
}
