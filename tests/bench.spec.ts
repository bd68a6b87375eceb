/**
 * `npm run bench -- --quick` end to end: it measures every figure of issue 5 with its baseline and
 * writes a well-formed JSON with the machine. Only the shape is checked: performance is never
 * asserted in tests (the figures are for the README, as ratios).
 */
import { spawn } from 'node:child_process';
import { readFileSync } from 'node:fs';
import { join } from 'node:path';
import { test, expect } from '@playwright/test';
import { portsFor, ROOT, tempDir } from './support/cli.js';

function runBench(args: string[]): Promise<{ code: number; stdout: string; stderr: string }> {
  return new Promise((resolve) => {
    // The compiled bench, as `npm run bench` runs it after its build (npm test has built it).
    const child = spawn(process.execPath, ['--expose-gc', join(ROOT, 'dist/bench/run-bench.js'), ...args], { cwd: ROOT, env: { ...process.env, NO_COLOR: '1' }, stdio: ['ignore', 'pipe', 'pipe'] });
    let stdout = '';
    let stderr = '';
    child.stdout.on('data', (c) => (stdout += c));
    child.stderr.on('data', (c) => (stderr += c));
    child.on('exit', (code) => resolve({ code: code ?? -1, stdout, stderr }));
  });
}

test('npm run bench -- --quick prints every figure with its target and writes them as JSON with the machine', async ({}, testInfo) => {
  test.setTimeout(300_000);
  const out = join(tempDir('confcall-bench-'), 'latest.json');
  const portBase = Number(portsFor(testInfo.parallelIndex, 10).CONFCALL_BOT_PORT);
  const { code, stdout, stderr } = await runBench(['--quick', '--port-base', String(portBase), '--out', out]);
  expect(code, stdout + stderr).toBe(0);

  const report = JSON.parse(readFileSync(out, 'utf8'));
  expect(report.quick).toBe(true);
  expect(Number.isNaN(Date.parse(report.date))).toBe(false);
  expect(report.machine.cpus).toBeGreaterThan(0);
  expect(report.machine.node).toBe(process.version);
  expect(report.errors).toEqual([]);
  expect(report.figures.map((f: { id: string }) => f.id)).toEqual(['a', 'a16', 'b', 'b-cpu', 'b-floor', 'c', 'd', 'e']);
  for (const figure of report.figures) {
    expect(Number.isFinite(figure.value), figure.id).toBe(true);
    expect(Number.isFinite(figure.baseline.value), figure.id).toBe(true);
    expect(Number.isFinite(figure.ratio), figure.id).toBe(true);
    expect(figure.method.length, figure.id).toBeGreaterThan(20);
    // A figure with a target says whether it is met, and the table shows both.
    if (figure.target !== undefined) expect(typeof figure.met, figure.id).toBe('boolean');
    expect(stdout).toContain(`(${figure.id}) ${figure.title}`);
    if (figure.target) expect(stdout).toContain(figure.target);
  }
  // The harness's own CPU per schedule is a figure of its own, against the bound.
  const cpu = report.figures.find((f: { id: string }) => f.id === 'b-cpu');
  expect(cpu).toMatchObject({ unit: 'ms', target: '≤ 1 ms' });
  // Beside it, the floor: the same schedule's exchanges done bare, measured in the same rounds, as its baseline.
  const floor = report.figures.find((f: { id: string }) => f.id === 'b-floor');
  expect(floor).toMatchObject({ unit: 'ms', baseline: { value: 1, unit: 'ms' } });
  expect(cpu.baseline.value).toBe(floor.value);
  expect(floor.method).toMatch(/\d+ requests to a peer .* 3 Graph requests/);
  // Each paired round prints a progress line as it ends.
  for (const id of ['a', 'a16', 'b', 'e']) expect(stderr).toMatch(new RegExp(`^\\(${id}\\) round 1/1: harness [\\d.]+, baseline [\\d.]+ .*ratio [\\d.]+`, 'm'));
  expect(stdout.split('\n')[0]).toMatch(/^figure +\| value +\| baseline \(same run\) +\| ratio +\| target +\| met\?$/);
});

test('npm run bench refuses an unknown figure and a bad port base with exit code 2', async () => {
  const unknown = await runBench(['--only', 'z']);
  expect(unknown.code).toBe(2);
  expect(unknown.stderr).toContain('no figure z');
  const badPort = await runBench(['--port-base', 'abc']);
  expect(badPort.code).toBe(2);
  expect(badPort.stderr).toContain('--port-base must be a port number');
});
