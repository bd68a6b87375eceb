/**
 * Stopping a bot and everything it started. A bot started as `npm start`, `go run .`, `dotnet run`
 * or a shell script is a process whose child is the real bot: signalling the started process alone
 * leaves the real bot running and holding its port, and the next run finds the port taken.
 */
import { readFileSync } from 'node:fs';
import pidtree from 'pidtree';

/** A process and its descendants, the process first; the process alone where `ps` is missing (a slim container). */
export async function processTree(pid: number): Promise<number[]> {
  try {
    const tree = await pidtree(pid, { root: true });
    return tree.includes(pid) ? tree : [pid, ...tree];
  } catch {
    return [pid];
  }
}

/** Whether a process still runs (signal 0 checks without signalling); an exited one nobody reaped yet (a zombie, on Linux) does not. */
function running(pid: number): boolean {
  try {
    process.kill(pid, 0);
  } catch (error) {
    return (error as NodeJS.ErrnoException).code === 'EPERM';
  }
  try {
    return !/^\d+ \(.*\) Z/s.test(readFileSync(`/proc/${pid}/stat`, 'utf8'));
  } catch {
    return true; // no /proc (macOS): signal 0 is all there is
  }
}

/** Sends `signal` to each pid that still runs. */
function signalEach(pids: number[], signal: NodeJS.Signals): void {
  for (const pid of pids) {
    try {
      process.kill(pid, signal);
    } catch {
      // gone already
    }
  }
}

/**
 * SIGTERM to a process and its descendants (found before any of them is signalled, so none is lost
 * to re-parenting), then SIGKILL to those still running after `graceMs`.
 */
export async function stopProcessTree(pid: number, graceMs = 3000): Promise<void> {
  const pids = await processTree(pid);
  signalEach(pids, 'SIGTERM');
  const deadline = Date.now() + graceMs;
  while (pids.some(running) && Date.now() < deadline) await new Promise((r) => setTimeout(r, 25));
  signalEach(pids.filter(running), 'SIGKILL');
}

/** SIGKILL to a process and its descendants, at once (a run that was itself killed leaves no time for grace). */
export async function killProcessTree(pid: number): Promise<void> {
  signalEach(await processTree(pid), 'SIGKILL');
}
