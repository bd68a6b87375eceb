import { spawn } from 'node:child_process';
import { fileURLToPath } from 'node:url';

/** A bench peer running in a child process (the minimal 202 responder, the bare floor's peer). */
export interface Responder {
  /** The URL notifications are posted to. */
  url: string;
  /** Its process id, to read its CPU time. */
  pid: number;
  stop(): Promise<void>;
}

/** Starts `minimal-responder.js` on `port` and waits until it listens. */
export function startResponder(port: number): Promise<Responder> {
  return startPeerProcess('minimal-responder.js', [String(port)], `the 202 responder on port ${port}`);
}

/** Starts a bench script of this folder as its own process and waits for its `ready <url>` line. */
export function startPeerProcess(script: string, args: string[], what: string): Promise<Responder> {
  const entry = fileURLToPath(new URL(`./${script}`, import.meta.url));
  const child = spawn(process.execPath, [entry, ...args], { stdio: ['ignore', 'pipe', 'inherit'] });
  const stop = (): Promise<void> =>
    new Promise((resolve) => {
      if (child.exitCode !== null || child.signalCode !== null) return resolve();
      child.once('exit', () => resolve());
      child.kill('SIGTERM');
    });
  return new Promise((resolve, reject) => {
    let output = '';
    child.stdout!.on('data', (chunk: Buffer) => {
      output += chunk.toString('utf8');
      const ready = /ready (\S+)/.exec(output);
      if (ready) resolve({ url: ready[1]!, pid: child.pid!, stop });
    });
    child.once('exit', (code) => reject(new Error(`bench: ${what} ended (exit code ${code}) before it listened; is the port taken? Move the bench with --port-base`)));
  });
}
