import { existsSync, statSync } from 'node:fs';
import { join, relative, resolve, sep } from 'node:path';
import { listFiles } from './list-files.js';

/** Expands file paths, folders and `*`/`**` patterns into existing files, sorted and without repeats. */
export function expandGlobs(patterns: string[], cwd: string, extension = '.yaml'): { files: string[]; unmatched: string[] } {
  const files = new Set<string>();
  const unmatched: string[] = [];
  for (const pattern of patterns) {
    const before = files.size;
    const absolute = resolve(cwd, pattern);
    if (!/[*?]/.test(pattern)) {
      if (existsSync(absolute) && statSync(absolute).isDirectory()) listFiles(absolute, extension).forEach((f) => files.add(join(absolute, f)));
      else if (existsSync(absolute)) files.add(absolute);
    } else {
      const base = absolute.split(sep).slice(0, absolute.split(sep).findIndex((s) => /[*?]/.test(s))).join(sep) || sep;
      const regex = globToRegExp(relative(base, absolute).split(sep).join('/'));
      if (existsSync(base)) for (const f of listFiles(base, '')) if (regex.test(f)) files.add(join(base, f));
    }
    if (files.size === before) unmatched.push(pattern);
  }
  return { files: [...files].sort(), unmatched };
}

function globToRegExp(glob: string): RegExp {
  let source = '';
  for (let i = 0; i < glob.length; i++) {
    const c = glob[i]!;
    if (c === '*' && glob[i + 1] === '*') {
      source += glob[i + 2] === '/' ? '(?:.*/)?' : '.*';
      i += glob[i + 2] === '/' ? 2 : 1;
    } else if (c === '*') source += '[^/]*';
    else if (c === '?') source += '[^/]';
    else source += c.replace(/[.+^${}()|[\]\\]/g, '\\$&');
  }
  return new RegExp(`^${source}$`);
}
