import { listCommand } from './cli/list-command.js';
import { mergeReportsCommand } from './cli/merge-reports-command.js';
import { runCommand } from './cli/run-command.js';
import { proxyCommand, serveCommand } from './cli/serve-command.js';
import { USAGE, UsageError } from './cli/usage.js';
import { validateCommand } from './cli/validate-command.js';

/** Each subcommand: its arguments and the working folder in, an exit code out. */
const COMMANDS: Record<string, (args: string[], cwd: string) => number | Promise<number>> = {
  run: runCommand,
  validate: validateCommand,
  list: listCommand,
  'merge-reports': mergeReportsCommand,
  serve: (args, cwd) => serveCommand(args, cwd),
  proxy: proxyCommand,
  init: async (args, cwd) => (await import('./cli/init-command.js')).initCommand(args, cwd),
  // Loaded on use: a run never needs them.
  record: async (args, cwd) => (await import('./cli/record-command.js')).recordCommand(args, cwd),
  'import-docs': async (args, cwd) => (await import('./cli/import-docs-command.js')).importDocsCommand(args, cwd),
};

/** The `confcall` command: dispatches to a subcommand and turns its outcome into an exit code. */
export async function main(argv: string[]): Promise<number> {
  const [command, ...args] = argv;
  if (command === undefined || command === '-h' || command === '--help' || command === 'help') {
    console.log(USAGE);
    return command === undefined ? 2 : 0;
  }
  const subcommand = Object.hasOwn(COMMANDS, command) ? COMMANDS[command] : undefined;
  // `confcall run --help` asks for the usage, as in any CLI: not an unknown flag.
  if (subcommand && args.some((a) => a === '--help' || a === '-h')) {
    console.log(USAGE);
    return 0;
  }
  try {
    if (!subcommand) throw new UsageError(`unknown command "${command}"`);
    return await subcommand(args, process.cwd());
  } catch (error) {
    // Bad usage (unknown flags included) is the user's to fix: say what, not where in our code.
    const isUsage = error instanceof UsageError || (error as { code?: string }).code?.startsWith('ERR_PARSE_ARGS');
    console.error(`confcall: ${isUsage ? '' : 'internal error: '}${(error as Error).message}${isUsage ? '\n\n' + USAGE : ''}`);
    // Our bug, not the user's input: the stack is for the report they send us, on request.
    if (!isUsage) console.error(process.env.CONFCALL_DEBUG ? (error as Error).stack : 'confcall: this is a bug in confcall; run again with CONFCALL_DEBUG=1 for the stack trace, and report it');
    return 2;
  }
}
