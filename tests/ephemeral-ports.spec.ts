/**
 * Ports in the kernel's ephemeral range (Linux: /proc/sys/net/ipv4/ip_local_port_range) go to outgoing
 * connections, so a listener there can meet EADDRINUSE while nothing listens. The tests' and the bench's
 * port bases are refused there; a target profile that listens there gets a validate warning at its line;
 * a run whose fake Graph meets EADDRINUSE there says why. Where the range cannot be read, nothing is said.
 */
import { mkdirSync, writeFileSync } from 'node:fs';
import { createServer, type Server } from 'node:net';
import { join } from 'node:path';
import { test, expect } from '@playwright/test';
import { ephemeralClash, ephemeralPortRange, parsePortRange, safePortBase } from '../harness/load/ephemeral-ports.js';
import { addressInUsePort, ephemeralPortNote } from '../harness/cli/ephemeral-port-note.js';
import { benchPortBase } from '../bench/bench-settings.js';
import { confcall, portsFor, tempDir } from './support/cli.js';
import { testPortBase } from './support/test-ports.js';

const LINUX_DEFAULT = { low: 32768, high: 60999 };
const machine = ephemeralPortRange();

test('the range is read as the kernel writes it, and a clear base is found below it, or above it', () => {
  expect(parsePortRange('32768\t60999\n')).toEqual(LINUX_DEFAULT);
  expect(parsePortRange('60999 32768')).toBeUndefined();
  expect(parsePortRange('')).toBeUndefined();
  expect(safePortBase(200, LINUX_DEFAULT, 24000)).toBe(24000);
  expect(safePortBase(200, { low: 10000, high: 40000 }, 24000)).toBe(9000);
  expect(safePortBase(200, { low: 1024, high: 40000 }, 24000)).toBe(41000);
  expect(safePortBase(200, { low: 1024, high: 65535 }, 24000)).toBeUndefined();
  // A range that ends just below the ephemeral one is clear; one that reaches into it is not.
  expect(ephemeralClash('BASE=32568', { low: 32568, high: 32767 }, 200, 24000, LINUX_DEFAULT)).toBeUndefined();
  const clash = ephemeralClash('CONFCALL_TEST_PORT_BASE=32700', { low: 32700, high: 32899 }, 200, 24000, LINUX_DEFAULT);
  expect(clash).toContain('CONFCALL_TEST_PORT_BASE=32700 puts ports 32700-32899 in this machine\'s ephemeral range 32768-60999 (/proc/sys/net/ipv4/ip_local_port_range)');
  expect(clash).toContain('use a base such as 24000');
});

test('a test port base in the ephemeral range is refused with the range and a safe base; one outside it is used', () => {
  expect(testPortBase({})).toBe(24000);
  expect(testPortBase({ CONFCALL_TEST_PORT_BASE: '23000' })).toBe(23000);
  expect(() => testPortBase({ CONFCALL_TEST_PORT_BASE: 'abc' })).toThrow('CONFCALL_TEST_PORT_BASE must be a port from 1024');
  const inside = machine ? String(machine.low + 100) : '41000';
  if (machine) expect(() => testPortBase({ CONFCALL_TEST_PORT_BASE: inside })).toThrow(new RegExp(`ephemeral range ${machine.low}-${machine.high} .*use a base such as \\d+`));
  else expect(testPortBase({ CONFCALL_TEST_PORT_BASE: inside })).toBe(41000); // no range to read: nothing to say
});

test('the bench refuses a port base in the ephemeral range, and its default is clear of it', () => {
  expect(benchPortBase(undefined)).toEqual({ portBase: 26000 });
  expect(benchPortBase('x')).toEqual({ problem: expect.stringContaining('--port-base must be a port number') });
  if (machine) expect(benchPortBase(String(machine.low))).toEqual({ problem: expect.stringContaining(`ephemeral range ${machine.low}-${machine.high}`) });
  else expect(benchPortBase('33000')).toEqual({ portBase: 33000 });
});

test("an EADDRINUSE in a bot's output on a port in the range gets the note and a hint", () => {
  expect(addressInUsePort('Error: listen EADDRINUSE: address already in use 127.0.0.1:41000\n    at Server.setupListenHandle')).toBe(41000);
  expect(addressInUsePort('Error: listen EADDRINUSE: address already in use :::3978')).toBe(3978);
  expect(addressInUsePort('ready on 3978')).toBeUndefined();
  expect(ephemeralPortNote(41000, LINUX_DEFAULT)?.note).toContain('port 41000 is in this machine\'s ephemeral range 32768-60999');
  expect(ephemeralPortNote(41000, LINUX_DEFAULT)?.hint).toContain('below 32768');
  expect(ephemeralPortNote(3978, LINUX_DEFAULT)).toBeUndefined();
  expect(ephemeralPortNote(41000, { low: 49152, high: 65535 })).toBeUndefined(); // another machine's range
});

/** A target profile whose fake Graph listens on `graphPort` and whose bot (started by confcall) on `botPort`. */
function profile(graphPort: number, botPort: number): string {
  const file = join(tempDir('confcall-ephemeral-'), 'targets', 'ephemeral.yaml');
  mkdirSync(join(file, '..'), { recursive: true });
  writeFileSync(file, [
    'name: ephemeral',
    `callbackUri: http://127.0.0.1:${botPort}/api/calls`,
    'graph:',
    `  listen: 127.0.0.1:${graphPort}`,
    'auth:',
    '  appId: 11111111-2222-3333-4444-555555555555',
    '  tenantId: aa67bd4c-8475-432d-bd41-39f255720e0a',
    '  clientSecret: reference-bot-secret',
    `control: http://127.0.0.1:${botPort}/control`,
    'start:',
    '  command: node dist/bots/reference/main.js',
    `  ready: http://127.0.0.1:${botPort}/health`,
    '',
  ].join('\n'));
  return file;
}

test('validate warns, at its line, of each port a run would listen on in the ephemeral range, once per port', async () => {
  const graphPort = machine ? machine.low + 455 : 4455;
  const botPort = machine ? machine.low + 978 : 3978;
  const file = profile(graphPort, botPort);
  const { code, stderr } = await confcall(['validate', file]);
  expect(code, stderr).toBe(0); // a warning stops nothing
  if (!machine) return expect(stderr).not.toContain('ephemeral');
  expect(stderr).toContain(`ephemeral.yaml:2:14: callbackUri: warning: port ${botPort}, where the bot confcall starts listens, is in this machine's ephemeral range ${machine.low}-${machine.high}`);
  expect(stderr).toContain(`ephemeral.yaml:4:11: graph.listen: warning: port ${graphPort}, where the fake Graph listens, is in this machine's ephemeral range`);
  expect(stderr.match(/ephemeral range/g)).toHaveLength(2); // control and ready name the bot's port again: said once
  expect(stderr).toContain('hint: move it below');
  const clear = await confcall(['validate', profile(4455, 3978)]);
  expect(clear.stderr).not.toContain('ephemeral');
});

test('a run whose fake Graph port is taken says, when the port is in the ephemeral range, why that can happen', async () => {
  // A listener of our own holds the port: the run refuses to start (exit 2) and names the range.
  const holder: Server = createServer();
  const port = await new Promise<number>((resolve) => holder.listen(0, '127.0.0.1', () => resolve((holder.address() as { port: number }).port)));
  try {
    const { code, stderr } = await confcall(['run', '--target', profile(port, 3978), '--suite', 'tests/fixtures/bad-inputs/suites/one-notification.yaml', '--out', tempDir()]);
    expect(code, stderr).toBe(2);
    expect(stderr).toContain(`the fake Graph cannot listen on 127.0.0.1:${port}: the port is already in use`);
    // Port 0 is given from the ephemeral range; where it cannot be read, nothing is said of it.
    if (machine && port >= machine.low && port <= machine.high) expect(stderr).toMatch(new RegExp(`port ${port} is in this machine's ephemeral range [^\\n]*\\n    hint: stop what holds it, or move it out of that range, below ${machine.low}`));
    else expect(stderr).not.toContain('ephemeral range');
  } finally {
    holder.close();
  }
});

test("a bot that meets EADDRINUSE on a port in the ephemeral range: the run says why, beside the bot's own error", async ({}, testInfo) => {
  const holder: Server = createServer((socket) => socket.destroy());
  const port = await new Promise<number>((resolve) => holder.listen(0, '127.0.0.1', () => resolve((holder.address() as { port: number }).port)));
  try {
    const graphPort = Number(portsFor(testInfo.parallelIndex, 8).CONFCALL_GRAPH_PORT);
    const { code, stderr } = await confcall(['run', '--target', profile(graphPort, port), '--suite', 'tests/fixtures/bad-inputs/suites/one-notification.yaml', '--out', tempDir()], { timeoutMs: 120_000 });
    expect(code, stderr).toBe(3);
    expect(stderr).toContain(`the bot could not be reached`);
    if (machine && port >= machine.low && port <= machine.high) expect(stderr).toContain(`confcall: the bot's output says EADDRINUSE, and port ${port} is in this machine's ephemeral range`);
    else expect(stderr).not.toContain('ephemeral range');
  } finally {
    holder.close();
  }
});
