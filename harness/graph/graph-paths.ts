/** A Graph request path, with the version prefix and the deprecated `/app` form folded away. */
export interface GraphPath {
  /** e.g. `/communications/calls/{id}/transfer` with real ids, no version. */
  path: string;
  /** `v1.0`, `beta`, or `app` for the deprecated `/app/calls/...` form. */
  version: 'v1.0' | 'beta' | 'app';
}

/** Normalises `/v1.0/...`, `/beta/...` and `/app/calls/...` into one version-less path; undefined for non-Graph paths. */
export function parseGraphPath(rawPath: string): GraphPath | undefined {
  const path = rawPath.split('?')[0]!.replace(/\/+$/, '');
  const versioned = /^\/(v1\.0|beta)(\/.*)$/.exec(path);
  if (versioned) {
    const rest = versioned[2]!;
    // The deprecated /app form can also appear under a version: /beta/app/calls/...
    if (rest.startsWith('/app/')) return { path: `/communications${rest.slice(4)}`, version: versioned[1] as 'v1.0' | 'beta' };
    return { path: rest, version: versioned[1] as 'v1.0' | 'beta' };
  }
  if (path.startsWith('/app/')) return { path: `/communications${path.slice(4)}`, version: 'app' };
  return undefined;
}

/** The call id a normalised path is about, if any (`/communications/calls/{id}/...`). */
export function callIdOfPath(path: string): string | undefined {
  return /^\/communications\/calls\/([^/]+)/.exec(path)?.[1];
}
