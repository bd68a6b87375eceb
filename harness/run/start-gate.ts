/**
 * The start gate between `confcall run` and Playwright's runner. confcall spawns the runner at once,
 * so that Playwright loads itself (about 0.5 s of CPU) while confcall checks the inputs and starts
 * the bot; the runner waits at its config, before it touches the out folder, for the word to go on.
 * The word comes down a pipe the runner gets as its fd 3: one JSON line, the variables to add to
 * the runner's environment (the run's keys, its CA), which its workers then inherit.
 * The pipe closed with no word (bad inputs, a run interrupted before it began, confcall gone): the
 * runner exits at once and says nothing; confcall has said why.
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
  const word = await readWord(START_GATE_FD);
  if (!word) process.exit(1);
  Object.assign(env, word.env);
}

/** The one JSON line written down the pipe, or undefined when it closed without one. */
function readWord(fd: number): Promise<GateWord | undefined> {
  return new Promise((done) => {
    const pipe = new Socket({ fd, readable: true, writable: false });
    let text = '';
    const finish = (word: GateWord | undefined): void => {
      pipe.destroy(); // closes fd 3 before Playwright spawns its workers
      done(word);
    };
    pipe.setEncoding('utf8');
    pipe.on('data', (chunk: string) => {
      text += chunk;
      const end = text.indexOf('\n');
      if (end >= 0) finish(parseWord(text.slice(0, end)));
    });
    pipe.once('end', () => finish(undefined));
    pipe.once('error', () => finish(undefined));
  });
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
