import { isIP } from 'node:net';

/** Where confcall may deliver a run's notifications. */
export interface DeliveryPolicy {
  /** The target profile's callbackUri: its origin is always allowed, and it is where a foreign callbackUri is replaced. */
  callbackUri: string;
  /** Host names (or literal IPs) the profile allows beside loopback (`notify.allowHosts`). */
  allowHosts?: string[];
}

/** The URL a notification goes to, and the bot's own callbackUri when confcall refused to deliver there. */
export interface DeliveryPlace {
  url: string;
  refused?: string;
}

/** Whether a host name is on this machine by its spelling alone (no DNS: a lookup could route off the machine). */
export function isLoopbackHost(hostname: string): boolean {
  const host = hostname.replace(/^\[|\]$/g, '').toLowerCase();
  if (host === 'localhost' || host.endsWith('.localhost')) return true;
  if (isIP(host) === 4) return host.startsWith('127.');
  if (isIP(host) === 6) return host === '::1' || /^::ffff:127\./.test(host) || /^(0{1,4}:){7}0{0,3}1$/.test(host);
  return false;
}

/** Whether confcall may POST a notification to `url` under `policy`: loopback, the profile's origin, or an allowed host. */
export function isDeliverable(url: string, policy: DeliveryPolicy): boolean {
  let parsed: URL;
  try {
    parsed = new URL(url);
  } catch {
    return false;
  }
  if (parsed.protocol !== 'http:' && parsed.protocol !== 'https:') return false;
  if (isLoopbackHost(parsed.hostname)) return true;
  if (parsed.origin === new URL(policy.callbackUri).origin) return true;
  const host = parsed.hostname.replace(/^\[|\]$/g, '').toLowerCase();
  return (policy.allowHosts ?? []).some((allowed) => allowed.replace(/^\[|\]$/g, '').toLowerCase() === host);
}

/** Where a notification goes: the bot's callbackUri when deliverable, else the profile's (the bot's URL kept as `refused`). */
export function deliveryPlace(botCallbackUri: string | undefined, policy: DeliveryPolicy): DeliveryPlace {
  if (botCallbackUri === undefined || isDeliverable(botCallbackUri, policy)) return { url: botCallbackUri ?? policy.callbackUri };
  return { url: policy.callbackUri, refused: botCallbackUri };
}
