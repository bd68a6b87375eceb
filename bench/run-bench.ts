/**
 * `npm run bench [-- --quick] [--only a,b,...] [--port-base N] [--out FILE]`: measures the figures
 * of issue 5 with their baselines in the same run, prints a table, and writes the JSON
 * (`bench/results/latest.json` by default) with the machine they come from.
 */
import { mkdirSync, writeFileSync } from 'node:fs';
import { loadavg } from 'node:os';
import { dirname, join, resolve } from 'node:path';
import { parseArgs } from 'node:util';
import { packageRoot } from '../harness/load/package-root.js';
import type { BenchFigure } from './bench-figure.js';
import { benchTable, thisMachine } from './bench-report.js';
import { benchPortBase, type BenchSettings } from './bench-settings.js';
import { loadBenchProject } from './harness-under-bench.js';
import { coldRun } from './figures/cold-run.js';
import { deliveryThroughput } from './figures/delivery-throughput.js';
import { memoryGrowth } from './figures/memory-growth.js';
import { newmanReplay } from './figures/newman-replay.js';
import { scheduleThroughput } from './figures/schedule-throughput.js';

/** Each figure by the letter, in the order they run. */
const FIGURES: Record<string, (settings: BenchSettings) => Promise<BenchFigure[]>> = {
  a: deliveryThroughput,
  e: newmanReplay,
  b: scheduleThroughput,
  d: memoryGrowth,
  c: coldRun,
};

async function main(): Promise<number> {
  let values;
  try {
    ({ values } = parseArgs({ options: { quick: { type: 'boolean' }, only: { type: 'string' }, 'port-base': { type: 'string' }, out: { type: 'string' } } }));
  } catch (error) {
    console.error(`bench: ${(error as Error).message}\nusage: npm run bench -- [--quick] [--only a,b,c,d,e] [--port-base N] [--out FILE]`);
    return 2;
  }
  const only = (values.only ?? Object.keys(FIGURES).join(',')).split(',').map((s) => s.trim());
  const unknown = only.filter((id) => !(id in FIGURES));
  if (unknown.length) {
    console.error(`bench: no figure ${unknown.join(', ')}; the figures are ${Object.keys(FIGURES).join(', ')}`);
    return 2;
  }
  const base = benchPortBase(values['port-base'] ?? process.env.CONFCALL_BENCH_PORT_BASE);
  if ('problem' in base) {
    console.error(`bench: ${base.problem}`);
    return 2;
  }
  const { portBase } = base;
  const root = packageRoot();
  const out = resolve(values.out ?? join(root, 'bench', 'results', 'latest.json'));
  const workDir = join(dirname(out), 'work');
  mkdirSync(workDir, { recursive: true });
  const machine = thisMachine();
  const project = loadBenchProject('targets/reference-bot.yaml', process.env);
  const settings: BenchSettings = { quick: !!values.quick, portBase, project, workDir, log: (line) => console.error(line) };
  console.error(`bench: ${machine.cpus} cpu(s) ${machine.cpuModel}, node ${machine.node}, load ${machine.loadAverage}${settings.quick ? ', quick sizes (indicative only)' : ''}`);

  const started = new Date();
  const figures: BenchFigure[] = [];
  const errors: Array<{ figure: string; message: string }> = [];
  for (const id of Object.keys(FIGURES).filter((k) => only.includes(k))) {
    try {
      figures.push(...(await FIGURES[id]!(settings)));
    } catch (error) {
      // One figure failing (a port taken, a bot that would not start) still leaves the others and the JSON.
      errors.push({ figure: id, message: (error as Error).message });
      console.error(`bench: figure (${id}) could not be measured: ${(error as Error).message}`);
    }
  }
  const order = ['a', 'a16', 'b', 'b-cpu', 'b-floor', 'c', 'd', 'e'];
  figures.sort((x, y) => order.indexOf(x.id) - order.indexOf(y.id));
  console.log(benchTable(figures));
  const report = { date: started.toISOString(), durationSeconds: Math.round((Date.now() - started.getTime()) / 1000), quick: settings.quick, machine, loadAverageAtEnd: Number(loadavg()[0]!.toFixed(2)), figures, errors };
  writeFileSync(out, `${JSON.stringify(report, null, 2)}\n`);
  console.log(`\nbench: written to ${out}`);
  return errors.length ? 1 : 0;
}

process.exitCode = await main();
