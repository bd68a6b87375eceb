import { describeEphemeral, ephemeralPortRange, type PortRange } from '../load/ephemeral-ports.js';

/**
 * When `port` lies in this machine's ephemeral range: why an EADDRINUSE there may have no listener behind it
 * (an outgoing connection of any program holds the port for a while), and where to move. Undefined otherwise,
 * and where the range cannot be read.
 */
export function ephemeralPortNote(port: number, ephemeral: PortRange | undefined = ephemeralPortRange()): { note: string; hint: string } | undefined {
  if (!ephemeral || port < ephemeral.low || port > ephemeral.high) return undefined;
  return {
    note: `port ${port} is in this machine's ephemeral range ${describeEphemeral(ephemeral)}, which the kernel hands to outgoing connections: one may hold it though nothing listens there`,
    hint: `move it out of that range, below ${ephemeral.low} (e.g. 3978 for the bot, 4455 for the fake Graph)`,
  };
}

/** The port of the first EADDRINUSE in a program's output (`listen EADDRINUSE: address already in use 127.0.0.1:41000`), if any. */
export function addressInUsePort(output: string): number | undefined {
  const match = /EADDRINUSE\b[^\n]*?:(\d{1,5})\b/.exec(output);
  return match ? Number(match[1]) : undefined;
}
