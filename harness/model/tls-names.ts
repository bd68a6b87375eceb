/** The names the run's CA may vouch for (graph/run-ca.ts): Microsoft's calling hosts and loopback. */

/** The Microsoft hosts confcall plays. */
export const MICROSOFT_HOSTS = ['graph.microsoft.com', 'login.microsoftonline.com', 'api.aps.skype.com', 'login.botframework.com'] as const;
/** Loopback names the fake Graph may listen under. */
export const LOOPBACK_NAMES = ['localhost', '127.0.0.1', '::1'] as const;

/** Whether `name` is one of Microsoft's hosts confcall plays (exact, case-insensitive). */
export function isMicrosoftHost(name: string): boolean {
  return (MICROSOFT_HOSTS as readonly string[]).includes(name.toLowerCase());
}

/** Whether the run's CA may issue a certificate for `name` (exact names only, no wildcards). */
export function isPermittedName(name: string): boolean {
  const lower = name.toLowerCase().replace(/^\[|\]$/g, '');
  return isMicrosoftHost(lower) || (LOOPBACK_NAMES as readonly string[]).includes(lower);
}
