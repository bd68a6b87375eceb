import { USAGE, UsageError } from './cli/usage.js';

/**
 * Each subcommand: its arguments and the working folder in, an exit code out. Each is loaded on
 * use: a command pays only for its own imports (`run` never needs the proxy, the recorder or the
 * report merger), and `confcall run` starts that much sooner.
 */
const COMMANDS: Record<string, (args: string[], cwd: string) => number | Promise<number>> = {
  run: async (args, cwd) => (await import('./cli/run-command.js')).runCommand(args, cwd),
  validate: async (args, cwd) => (await import('./cli/validate-command.js')).validateCommand(args, cwd),
  list: async (args, cwd) => (await import('./cli/list-command.js')).listCommand(args, cwd),
  'merge-reports': async (args, cwd) => (await import('./cli/merge-reports-command.js')).mergeReportsCommand(args, cwd),
  serve: async (args, cwd) => (await import('./cli/serve-command.js')).serveCommand(args, cwd),
  proxy: async (args, cwd) => (await import('./cli/serve-command.js')).proxyCommand(args, cwd),
  init: async (args, cwd) => (await import('./cli/init-command.js')).initCommand(args, cwd),
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
