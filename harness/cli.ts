import { listCommand } from './cli/list-command.js';
import { mergeReportsCommand } from './cli/merge-reports-command.js';
import { runCommand } from './cli/run-command.js';
import { serveCommand } from './cli/serve-command.js';
import { USAGE, UsageError } from './cli/usage.js';
import { validateCommand } from './cli/validate-command.js';

/** The `confcall` command: dispatches to a subcommand and turns its outcome into an exit code. */
export async function main(argv: string[]): Promise<number> {
  const [command, ...args] = argv;
  const cwd = process.cwd();
  // `confcall run --help` asks for the usage, as in any CLI: not an unknown flag.
  const commands = ['run', 'validate', 'list', 'merge-reports', 'serve', 'record', 'import-docs'];
  if (command !== undefined && commands.includes(command) && args.some((a) => a === '--help' || a === '-h')) {
    console.log(USAGE);
    return 0;
  }
  try {
    switch (command) {
      case 'run':
        return await runCommand(args, cwd);
      case 'validate':
        return validateCommand(args, cwd);
      case 'list':
        return listCommand(args, cwd);
      case 'merge-reports':
        return await mergeReportsCommand(args, cwd);
      case 'serve':
        return await serveCommand(args, cwd);
      case 'record':
        return await (await import('./cli/record-command.js')).recordCommand(args, cwd);
      case 'import-docs':
        return await (await import('./cli/import-docs-command.js')).importDocsCommand(args, cwd);
      case undefined:
      case '-h':
      case '--help':
      case 'help':
        console.log(USAGE);
        return command === undefined ? 2 : 0;
      default:
        throw new UsageError(`unknown command "${command}"`);
    }
  } catch (error) {
    // Bad usage (unknown flags included) is the user's to fix: say what, not where in our code.
    const isUsage = error instanceof UsageError || (error as { code?: string }).code?.startsWith('ERR_PARSE_ARGS');
    console.error(`confcall: ${isUsage ? '' : 'internal error: '}${(error as Error).message}${isUsage ? '\n\n' + USAGE : ''}`);
    // Our bug, not the user's input: the stack is for the report they send us, on request.
    if (!isUsage) console.error(process.env.CONFCALL_DEBUG ? (error as Error).stack : 'confcall: this is a bug in confcall; run again with CONFCALL_DEBUG=1 for the stack trace, and report it');
    return 2;
  }
}
