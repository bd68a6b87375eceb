/**
 * The start gate between `confcall run` and Playwright's runner. confcall spawns the runner at once,
 * so that Playwright loads itself (about 0.5 s of CPU) while confcall checks the inputs and starts
 * the bot; the runner waits at its config, before it touches the out folder, for the word to go on.
 * The word comes down a pipe the runner gets as its fd 3: one JSON line, the variables to add to
 * the runner's environment (the run's keys, its CA), which its workers then inherit.
 * The pipe closed with no word (bad inputs, a run interrupted before it began, confcall gone): the
 * runner exits at once and says nothing; confcall has said why.
 *
 * The gate opens as soon as the inputs are checked, while the bot is still starting: the runner lists
 * the tests and starts its worker meanwhile (the bot's start was on that path, about 0.5 s). A second
 * line says the bot's start is over; the global setup waits for it (`botStartOver`) before any test.
 */
import { Socket } from 'node:net';

/** Set (to the pipe's fd) in the runner's environment by `confcall run`; removed once the gate has opened. */
export const START_GATE_ENV = 'CONFCALL_START_GATE';
/** The fd of the gate's pipe in the runner. */
export const START_GATE_FD = 3;
/** Set by `confcall run` in the gate's word: it started the bot (or found it unreachable), not the global setup. */
export const BOT_STARTED_BY_CLI_ENV = 'CONFCALL_BOT_STARTED_BY_CLI';

/** What `confcall run` tells the waiting runner. */
export interface GateWord {
  env: Record<string, string>;
}

/**
 * In Playwright's runner started by `confcall run`: waits for the word, then adds its variables to
 * the environment. Elsewhere (a worker, the self-tests, a plain `npx playwright test`) returns at once.
 * (Not TEST_WORKER_INDEX to tell a worker: a confcall run started from a test inherits it.)
 */
export async function waitAtStartGate(env: NodeJS.ProcessEnv = process.env): Promise<void> {
  if (env[START_GATE_ENV] !== String(START_GATE_FD)) return;
  // Workers load the config too: they are spawned after the gate opened, with the runner's environment as it is then.
  delete env[START_GATE_ENV];
  const [word, botWord] = readWords(START_GATE_FD);
  // On globalThis, not in this module: Playwright may load the config and the global setup as separate module instances.
  (globalThis as Record<symbol, unknown>)[BOT_WORD] = botWord;
  const opened = await word;
  if (!opened) process.exit(1);
  Object.assign(env, opened.env);
}

const BOT_WORD = Symbol.for('confcall.start-gate.bot-word');

/**
 * In the runner's global setup: resolves, once `confcall run` says the bot's start is over, with the
 * variables its start made (the run's CA, for graph.tls and the proxy), which the workers must get;
 * undefined when confcall closed the pipe without saying so (it was interrupted, or is gone). Resolves
 * with none at once where no gate was waited at.
 */
export function botStartOver(): Promise<Record<string, string> | undefined> {
  return ((globalThis as Record<symbol, unknown>)[BOT_WORD] as Promise<Record<string, string> | undefined> | undefined) ?? Promise.resolve({});
}

/** The pipe's two lines: the gate's word (undefined when it closed without one), then whether the bot's word came. */
function readWords(fd: number): [Promise<GateWord | undefined>, Promise<Record<string, string> | undefined>] {
  const pipe = new Socket({ fd, readable: true, writable: false });
  let text = '';
  let lines: string[] = [];
  let gate!: (word: GateWord | undefined) => void;
  let bot!: (env: Record<string, string> | undefined) => void;
  const word = new Promise<GateWord | undefined>((done) => (gate = done));
  const botWord = new Promise<Record<string, string> | undefined>((done) => (bot = done));
  const finish = (): void => {
    pipe.destroy(); // closes fd 3 before Playwright spawns its workers
    gate(lines[0] === undefined ? undefined : parseWord(lines[0]));
    bot(lines[1] === undefined ? undefined : parseWord(lines[1])?.env);
  };
  pipe.setEncoding('utf8');
  pipe.on('data', (chunk: string) => {
    text += chunk;
    lines = text.split('\n').slice(0, -1);
    if (lines.length >= 2) finish();
    else if (lines.length === 1) gate(parseWord(lines[0]!)); // the runner goes on; the bot's word follows
  });
  pipe.once('end', finish);
  pipe.once('error', finish);
  return [word, botWord];
}

function parseWord(line: string): GateWord | undefined {
  try {
    const word = JSON.parse(line) as Partial<GateWord>;
    return word && typeof word.env === 'object' ? (word as GateWord) : undefined;
  } catch {
    return undefined;
  }
}

/** The line `confcall run` writes to open the gate. */
export function gateWordLine(word: GateWord): string {
  return `${JSON.stringify(word)}\n`;
}

/**
 * The line `confcall run` writes once the bot's start is over (its outcome is in the out folder:
 * unreachable.json or not), with the variables the start made for the workers.
 */
export function botWordLine(word: GateWord): string {
  return `${JSON.stringify(word)}\n`;
}
