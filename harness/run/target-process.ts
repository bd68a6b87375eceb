import { spawn, type ChildProcess } from 'node:child_process';
import { killProcessTree, stopProcessTree } from './process-tree.js';
import { closeSync, existsSync, openSync, readFileSync, rmSync, writeSync } from 'node:fs';
import { get as httpGet } from 'node:http';
import { get as httpsGet } from 'node:https';
import { connect } from 'node:net';
import { dirname, resolve } from 'node:path';
import { interceptMode, type TargetProfile } from '../model/target.js';
import { packageRoot } from '../load/package-root.js';
import { RUN_KEYS_ENV, UNPUBLISHED_KEYS_ENV } from '../graph/signing-keys.js';
import { interceptEnvironment, preloadPath, PRODUCTION_ENVIRONMENT } from '../inprocess/preload-environment.js';

/** A bot the harness started, and how to stop it. */
export interface RunningTarget {
  pid?: number;
  /** The bot's stdout and stderr so far (last 64 KiB), for messages when it misbehaves. */
  output(): string;
  stop(): Promise<void>;
}

/** Why a target could not be started or reached: the run says nothing about conformance then (exit 3). */
export class TargetUnreachable extends Error {
  constructor(message: string, readonly output = '') {
    super(message);
    this.name = 'TargetUnreachable';
  }
}

/**
 * The standard environment every started bot gets (DESIGN.md). An intercept target gets the
 * production URLs instead: with the preload that reroutes them to the fake Graph, or (proxy) alone,
 * the proxy and trust variables coming from run/run-trust.ts.
 */
export function standardEnvironment(target: TargetProfile, graphUrl: string, openIdConfigurationUrl: string, nodeOptions = process.env.NODE_OPTIONS): Record<string, string> {
  const mode = interceptMode(target);
  const urls =
    mode === 'preload'
      ? { ...PRODUCTION_ENVIRONMENT, ...interceptEnvironment(graphUrl, target.start?.env?.NODE_OPTIONS ?? nodeOptions) }
      : mode === 'proxy'
        ? { ...PRODUCTION_ENVIRONMENT }
        : { GRAPH_BASE_URL: graphUrl, AUTHORITY_HOST: graphUrl, NOTIFICATION_OPENID_CONFIG: openIdConfigurationUrl };
  return {
    ...urls,
    BOT_APP_ID: target.auth.appId,
    BOT_TENANT_ID: target.auth.tenantId,
    BOT_CLIENT_SECRET: target.auth.clientSecret ?? '',
    PORT: new URL(target.callbackUri).port || '80',
  };
}

/** Why a bot's start was given up before it was ready: the run was interrupted (Ctrl-C). The bot is stopped. */
export class TargetStartInterrupted extends Error {
  constructor() {
    super('the run was interrupted while the bot was starting; the bot was stopped');
    this.name = 'TargetStartInterrupted';
  }
}

/** Where a started bot's output goes beside the harness's tail of it, and what gives up its start. */
export interface StartOptions {
  /** A file that gets everything the bot writes to stdout and stderr (created anew). */
  outputFile?: string;
  /** Aborted (Ctrl-C): the bot is stopped at once, and the start rejects with TargetStartInterrupted. */
  signal?: AbortSignal;
}

/** Starts the target's `start.command` and waits until its `ready` URL answers 2xx. */
export async function startTarget(target: TargetProfile, env: Record<string, string>, cwd: string, options: StartOptions = {}): Promise<RunningTarget> {
  const start = target.start!;
  if (options.signal?.aborted) throw new TargetStartInterrupted();
  const preload = interceptMode(target) === 'preload';
  if (preload && !existsSync(preloadPath())) {
    throw new TargetUnreachable(`start.intercept needs confcall's compiled preload ${preloadPath()}, which is missing: run \`npm run build\` in ${packageRoot()}`);
  }
  // Something already answering at the ready URL would pass for our bot (and then vanish, or be another program).
  if ((await readyStatus(start.ready)).ok) {
    throw new TargetUnreachable(`${start.ready} already answers before the bot was started: another bot (or an earlier run still stopping) holds its port; stop it, or move the bot with its port settings`);
  }
  // `exec` lets the shell become the bot, so stopping the child stops the bot. The bot stays in our
  // process group: whatever ends this run (Ctrl-C, a CI timeout) ends the bot with it.
  const simple = !/[;&|()<>]/.test(start.command);
  const child = spawn(simple ? `exec ${start.command}` : start.command, {
    shell: true,
    cwd: workingDirectory(target, cwd),
    // The profile's env wins, except that its NODE_OPTIONS must keep the preload (`env` already has both).
    env: { ...inheritedEnvironment(), ...env, ...start.env, ...(preload && env.NODE_OPTIONS !== undefined && { NODE_OPTIONS: env.NODE_OPTIONS }) },
    stdio: ['ignore', 'pipe', 'pipe'],
  });
  const tail = outputTail(65536);
  const keep = options.outputFile ? alsoTo(options.outputFile, child, tail.keep) : tail.keep;
  child.stdout!.on('data', keep);
  child.stderr!.on('data', keep);
  let exited: string | undefined;
  child.once('exit', (code, signal) => (exited = signal ? `signal ${signal}` : `exit code ${code}`));
  child.once('error', (error) => (exited = error.message));

  const running: RunningTarget = { pid: child.pid, output: tail.text, stop: () => stopChild(child) };
  const started = Date.now();
  const deadline = started + (start.timeoutSeconds ?? 30) * 1000;
  let lastError = 'no answer yet';
  const interrupted = abortion(options.signal);
  while (Date.now() < deadline) {
    if (exited) throw new TargetUnreachable(`the bot command "${start.command}" ended (${exited}) before ${start.ready} answered`, tail.text());
    const status = await Promise.race([readyStatus(start.ready), interrupted]);
    if (!status) break;
    if (status.ok) return running;
    lastError = status.problem;
    await Promise.race([new Promise((r) => setTimeout(r, readyPollMs(Date.now() - started))), interrupted]);
    if (options.signal?.aborted) break;
  }
  if (options.signal?.aborted) {
    await running.stop();
    throw new TargetStartInterrupted();
  }
  await running.stop();
  throw new TargetUnreachable(`the bot did not become ready: ${start.ready} gave ${lastError} for ${start.timeoutSeconds ?? 30} s`, tail.text());
}

/** Resolves (with undefined) when `signal` aborts; never, without one. */
function abortion(signal: AbortSignal | undefined): Promise<undefined> {
  if (!signal) return new Promise(() => undefined);
  if (signal.aborted) return Promise.resolve(undefined);
  return new Promise((done) => signal.addEventListener('abort', () => done(undefined), { once: true }));
}

/**
 * `keep`, and each chunk also written to `file` (synchronously: the CLI may exit right after the bot
 * stops, before an asynchronous stream would have written its last lines). Closed once the bot's pipes are.
 */
function alsoTo(file: string, child: ChildProcess, keep: (chunk: Buffer) => void): (chunk: Buffer) => void {
  const fd = openSync(file, 'w');
  child.once('close', () => closeSync(fd));
  return (chunk) => {
    keep(chunk);
    writeSync(fd, chunk);
  };
}

/**
 * How long to wait before asking the ready URL again. A Node bot listens within about 0.3 s, and each
 * run waits for it: poll often at first (a refused connection costs well under a millisecond), then
 * calmly for a bot that takes seconds to start (a JVM).
 */
function readyPollMs(elapsedMs: number): number {
  return elapsedMs < 2000 ? 20 : 100;
}

/**
 * What the bot inherits from the run's environment: everything but the run's private signing keys,
 * with which a bot under test could sign its own "Graph" tokens and pass the forged-token checks.
 */
function inheritedEnvironment(): NodeJS.ProcessEnv {
  const { [RUN_KEYS_ENV]: _runKeys, [UNPUBLISHED_KEYS_ENV]: _unpublishedKeys, ...inherited } = process.env;
  return inherited;
}

/** The bot command's folder: a relative `start.cwd` is relative to the profile's folder; none is the run's root. */
export function workingDirectory(target: TargetProfile, root: string): string {
  const cwd = target.start?.cwd;
  if (cwd === undefined) return root;
  return resolve(root, target.file ? dirname(target.file) : '.', cwd);
}

/**
 * One GET of the ready URL. Node's own client: the runner that polls it loads nothing else of HTTP, and
 * the `undici` package cost it about 0.12 s of CPU to load, on the path to the first test.
 */
function readyStatus(url: string): Promise<{ ok: boolean; problem: string }> {
  if (url.startsWith('tcp://')) return portStatus(url);
  return new Promise((done) => {
    let request: ReturnType<typeof httpGet>;
    try {
      request = (url.startsWith('https:') ? httpsGet : httpGet)(url, { agent: false }, (res) => {
        res.resume();
        const status = res.statusCode ?? 0;
        done({ ok: status >= 200 && status < 300, problem: `HTTP ${status}` });
      });
    } catch (error) {
      done({ ok: false, problem: (error as { code?: string }).code ?? (error as Error).message });
      return;
    }
    request.setTimeout(2000, () => request.destroy(Object.assign(new Error('no answer within 2 s'), { code: 'no answer within 2 s' })));
    request.once('error', (error) => done({ ok: false, problem: (error as { code?: string }).code ?? error.message }));
  });
}

/** Whether `tcp://host:port` accepts a connection (a bot with no health URL is ready once it listens). */
function portStatus(url: string): Promise<{ ok: boolean; problem: string }> {
  const { hostname, port } = new URL(url);
  return new Promise((done) => {
    const socket = connect({ host: hostname.replace(/^\[|\]$/g, ''), port: Number(port) });
    const finish = (ok: boolean, problem: string): void => {
      socket.destroy();
      done({ ok, problem });
    };
    socket.setTimeout(2000, () => finish(false, 'no connection within 2 s'));
    socket.once('connect', () => finish(true, 'accepted'));
    socket.once('error', (error) => finish(false, (error as { code?: string }).code ?? error.message));
  });
}

/**
 * Stops a started bot with everything it started (process-tree.ts: `npm start`, `go run`, a script
 * leave the real bot a grandchild): SIGTERM, then SIGKILL to what lingers after 3 s.
 */
async function stopChild(child: ChildProcess): Promise<void> {
  if (child.exitCode !== null || child.signalCode !== null || child.pid === undefined) return;
  const exited = new Promise<void>((resolve) => child.once('exit', () => resolve()));
  await stopProcessTree(child.pid, 3000);
  await exited;
  // A descendant that survived (no `ps` to find it) would keep its output pipes open, and this process with them.
  child.stdout?.destroy();
  child.stderr?.destroy();
}

/** Kills a bot whose run ended without stopping it (Playwright killed before its teardown), with what it started; true if it was still running. */
export async function killLeftoverTarget(pidFile: string): Promise<boolean> {
  if (!existsSync(pidFile)) return false;
  let pid: number | undefined;
  try {
    pid = (JSON.parse(readFileSync(pidFile, 'utf8')) as { pid?: number }).pid;
    if (pid) process.kill(pid, 0); // throws when it is gone
  } catch {
    pid = undefined; // an unreadable file, or the bot is gone: nothing left to stop
  }
  if (pid) await killProcessTree(pid);
  rmSync(pidFile, { force: true });
  return pid !== undefined;
}

/**
 * The last `limit` bytes a process wrote. Chunks are kept as they come and joined only when read: a
 * bot that logs a line per request would otherwise cost a 64 KB copy per line.
 */
export function outputTail(limit: number): { keep: (chunk: Buffer) => void; text: () => string } {
  let chunks: Buffer[] = [];
  let size = 0;
  return {
    keep(chunk) {
      chunks.push(chunk);
      size += chunk.length;
      while (size - chunks[0]!.length >= limit) size -= chunks.shift()!.length;
    },
    text() {
      const joined = Buffer.concat(chunks);
      chunks = [joined];
      return joined.subarray(Math.max(0, joined.length - limit)).toString('utf8');
    },
  };
}
