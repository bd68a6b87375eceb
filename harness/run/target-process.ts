import { spawn, type ChildProcess } from 'node:child_process';
import { request } from 'undici';
import type { TargetProfile } from '../model/target.js';

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

/** The standard environment every started bot gets (DESIGN.md). */
export function standardEnvironment(target: TargetProfile, graphUrl: string, openIdConfigurationUrl: string): Record<string, string> {
  return {
    GRAPH_BASE_URL: graphUrl,
    AUTHORITY_HOST: graphUrl,
    NOTIFICATION_OPENID_CONFIG: openIdConfigurationUrl,
    BOT_APP_ID: target.auth.appId,
    BOT_TENANT_ID: target.auth.tenantId,
    BOT_CLIENT_SECRET: target.auth.clientSecret ?? '',
    PORT: new URL(target.callbackUri).port || '80',
  };
}

/** Starts the target's `start.command` and waits until its `ready` URL answers 2xx. */
export async function startTarget(target: TargetProfile, env: Record<string, string>, cwd: string): Promise<RunningTarget> {
  const start = target.start!;
  const child = spawn(start.command, {
    shell: true,
    cwd: start.cwd ?? cwd,
    env: { ...process.env, ...env, ...start.env },
    stdio: ['ignore', 'pipe', 'pipe'],
    detached: process.platform !== 'win32',
  });
  let output = '';
  const keep = (chunk: Buffer): void => {
    output = (output + chunk.toString('utf8')).slice(-65536);
  };
  child.stdout!.on('data', keep);
  child.stderr!.on('data', keep);
  let exited: string | undefined;
  child.once('exit', (code, signal) => (exited = signal ? `signal ${signal}` : `exit code ${code}`));
  child.once('error', (error) => (exited = error.message));

  const running: RunningTarget = { pid: child.pid, output: () => output, stop: () => stopChild(child) };
  const deadline = Date.now() + (start.timeoutSeconds ?? 30) * 1000;
  let lastError = 'no answer yet';
  while (Date.now() < deadline) {
    if (exited) throw new TargetUnreachable(`the bot command "${start.command}" ended (${exited}) before ${start.ready} answered`, output);
    try {
      const res = await request(start.ready, { method: 'GET', headersTimeout: 2000, bodyTimeout: 2000 });
      await res.body.dump();
      if (res.statusCode >= 200 && res.statusCode < 300) return running;
      lastError = `HTTP ${res.statusCode}`;
    } catch (error) {
      lastError = (error as { code?: string }).code ?? (error as Error).message;
    }
    await new Promise((r) => setTimeout(r, 100));
  }
  await running.stop();
  throw new TargetUnreachable(`the bot did not become ready: ${start.ready} gave ${lastError} for ${start.timeoutSeconds ?? 30} s`, output);
}

/** Stops a started bot: SIGTERM to its process group, SIGKILL if it lingers. */
function stopChild(child: ChildProcess): Promise<void> {
  if (child.exitCode !== null || child.signalCode !== null) return Promise.resolve();
  return new Promise((resolve) => {
    const kill = (signal: NodeJS.Signals): void => {
      try {
        if (child.pid && process.platform !== 'win32') process.kill(-child.pid, signal);
        else child.kill(signal);
      } catch {
        // already gone
      }
    };
    const timer = setTimeout(() => kill('SIGKILL'), 3000);
    child.once('exit', () => {
      clearTimeout(timer);
      resolve();
    });
    kill('SIGTERM');
  });
}
