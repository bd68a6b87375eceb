/**
 * The ports the kernel hands to outgoing connections (Linux: /proc/sys/net/ipv4/ip_local_port_range,
 * 32768-60999 by default). A listener on such a port can meet EADDRINUSE while nothing listens there:
 * an outgoing connection of any program holds it for a while. Elsewhere the range is not read, and
 * nothing is said about it.
 */
import { readFileSync } from 'node:fs';

/** A range of TCP ports, both ends included. */
export interface PortRange {
  low: number;
  high: number;
}

/** Where Linux keeps the range. */
export const EPHEMERAL_RANGE_FILE = '/proc/sys/net/ipv4/ip_local_port_range';

/** The ephemeral range of this machine, or undefined where it cannot be read (not Linux, no /proc). */
export function ephemeralPortRange(file = EPHEMERAL_RANGE_FILE): PortRange | undefined {
  let text: string;
  try {
    text = readFileSync(file, 'utf8');
  } catch {
    return undefined;
  }
  return parsePortRange(text);
}

/** `32768\t60999` (the file's form) as a range; undefined for anything else. */
export function parsePortRange(text: string): PortRange | undefined {
  const match = /^\s*(\d+)\s+(\d+)\s*$/.exec(text);
  if (!match) return undefined;
  const low = Number(match[1]);
  const high = Number(match[2]);
  return low <= high && high <= 65535 ? { low, high } : undefined;
}

/** Whether two port ranges share a port. */
export function rangesMeet(a: PortRange, b: PortRange): boolean {
  return a.low <= b.high && b.low <= a.high;
}

/** `32768-60999 (/proc/sys/net/ipv4/ip_local_port_range)`: the range and where it was read, for messages. */
export function describeEphemeral(range: PortRange): string {
  return `${range.low}-${range.high} (${EPHEMERAL_RANGE_FILE})`;
}

/**
 * A first port for `span` consecutive ports clear of `ephemeral` and of the privileged ports: `preferred`
 * when it is clear, else the highest clear base below the range, else the lowest above it.
 */
export function safePortBase(span: number, ephemeral: PortRange, preferred: number): number | undefined {
  const clear = (base: number): boolean => base >= 1024 && base + span - 1 <= 65535 && !rangesMeet({ low: base, high: base + span - 1 }, ephemeral);
  if (clear(preferred)) return preferred;
  const below = Math.floor((ephemeral.low - span) / 1000) * 1000;
  if (clear(below)) return below;
  const above = Math.ceil((ephemeral.high + 1) / 1000) * 1000;
  return clear(above) ? above : undefined;
}

/**
 * Why ports `low`..`high` (a test or bench range) cannot be used on this machine, or undefined when they can
 * (or the range cannot be read). `what` names the setting, e.g. `CONFCALL_TEST_PORT_BASE=41000`.
 */
export function ephemeralClash(what: string, ports: PortRange, span: number, preferred: number, ephemeral = ephemeralPortRange()): string | undefined {
  if (!ephemeral || !rangesMeet(ports, ephemeral)) return undefined;
  const safe = safePortBase(span, ephemeral, preferred);
  const suggestion = safe === undefined ? 'pick ports outside it' : `use a base such as ${safe}`;
  return `${what} puts ports ${ports.low}-${ports.high} in this machine's ephemeral range ${describeEphemeral(ephemeral)}, which the kernel hands to outgoing connections: a listener there can meet EADDRINUSE while nothing listens; ${suggestion}`;
}
