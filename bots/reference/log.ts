/** One line per event on stdout, prefixed with the bot's name (reference, or a mutant's). */
export type Log = (message: string) => void;

export function createLog(name: string): Log {
  return (message) => process.stdout.write(`[${name}] ${message}\n`);
}
