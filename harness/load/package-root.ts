import { existsSync } from 'node:fs';
import { dirname, join } from 'node:path';
import { fileURLToPath } from 'node:url';

let root: string | undefined;

/** The folder holding confcall's package.json, whether running from source or from `dist/`. */
export function packageRoot(): string {
  if (root) return root;
  let dir = dirname(fileURLToPath(import.meta.url));
  while (!existsSync(join(dir, 'package.json')) || dir.endsWith(`${'/'}dist`)) {
    const parent = dirname(dir);
    if (parent === dir) throw new Error('confcall: cannot find its package root');
    dir = parent;
  }
  root = dir;
  return dir;
}

/** The compiled Playwright config that `confcall run` and `merge-reports` use (its spec and setup are compiled too). */
export function playwrightConfigFile(): string {
  return join(packageRoot(), 'dist', 'playwright.config.js');
}

/** The folder of the shipped input schemas. */
export function schemaDir(): string {
  return join(packageRoot(), 'harness', 'schema');
}
